package dev.smtptls.sink;

import static java.util.Objects.requireNonNull;

import dev.smtptls.cert.CertificateInfo;
import dev.smtptls.cert.CertificateReport;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import dev.smtptls.inspect.TranscriptEntry;
import dev.smtptls.smtp.SmtpReply;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a receiver saw of one connection from a sending MTA: where it came from, the name in its
 * HELO/EHLO, whether and when it issued STARTTLS and what TLS it then negotiated, the client
 * certificate chain it presented (recorded whatever its validity, then judged), the envelope
 * ({@code MAIL FROM}, {@code RCPT TO}), how many messages were taken and discarded (bodies are never
 * stored), the findings and the transcript. While a connection is still open (the {@link
 * SinkPolicy} sees such snapshots) {@link #ending()} is null.
 *
 * @param remote the sender's address and port
 * @param connectedAt when the connection was accepted
 * @param duration how long the connection lasted (so far, for a snapshot)
 * @param heloName the name in the last HELO/EHLO (the one after STARTTLS when the sender repeated
 *     it), or null when the sender gave none
 * @param esmtp whether the sender greeted with EHLO (false for HELO or no greeting)
 * @param startTls what came of STARTTLS
 * @param clientChain the certificates the sender presented in the TLS handshake, leaf first; empty
 *     when it presented none or used no TLS
 * @param clientCertificateCheck the {@code CertificateChecker}'s report on {@code clientChain}
 *     with the HELO/EHLO name as the name to cover, or null when there is no chain
 * @param mailFrom the reverse path of the last {@code MAIL FROM} ({@code ""} for the null path
 *     {@code <>}), or null when none was sent
 * @param recipients the forward paths of every {@code RCPT TO}, in order (at most {@value
 *     SmtpTlsSink#MAX_RECIPIENTS})
 * @param messages messages taken and discarded (only when the sink accepts mail)
 * @param messageOctets octets of those messages, counted, never stored
 * @param policyReply the first refusal a {@link SinkPolicy} gave (what the sender heard instead
 *     of the sink's own answer), or null
 * @param findings the sender findings ({@code SENDER_*}), most important first within each kind
 * @param transcript the dialogue; message bodies appear only as a count of lines and octets
 * @param ending how the connection ended, or null while it is open
 */
public record SenderReport(
    InetSocketAddress remote,
    Instant connectedAt,
    Duration duration,
    @Nullable String heloName,
    boolean esmtp,
    StartTls startTls,
    List<X509Certificate> clientChain,
    @Nullable CertificateReport clientCertificateCheck,
    @Nullable String mailFrom,
    List<String> recipients,
    int messages,
    long messageOctets,
    @Nullable SmtpReply policyReply,
    List<Finding> findings,
    List<TranscriptEntry> transcript,
    @Nullable Ending ending) {

  /** Validates and copies. */
  public SenderReport {
    requireNonNull(remote, "remote");
    requireNonNull(connectedAt, "connectedAt");
    requireNonNull(duration, "duration");
    requireNonNull(startTls, "startTls");
    clientChain = List.copyOf(clientChain);
    recipients = List.copyOf(recipients);
    findings = List.copyOf(findings);
    transcript = List.copyOf(transcript);
  }

  /**
   * What came of STARTTLS on the connection.
   *
   * @param used whether the TLS handshake completed
   * @param issuedAt when the sender issued STARTTLS, from the connection's start; null if it never did
   * @param protocol the negotiated protocol ({@code TLSv1.3}), or null without TLS
   * @param cipherSuite the negotiated cipher suite, or null without TLS
   * @param failure why the handshake failed, or null
   */
  public record StartTls(
      boolean used,
      @Nullable Duration issuedAt,
      @Nullable String protocol,
      @Nullable String cipherSuite,
      @Nullable String failure) {

    /** {@return STARTTLS never issued} */
    public static StartTls notIssued() {
      return new StartTls(false, null, null, null, null);
    }
  }

  /** How a connection ended. */
  public enum Ending {
    /** The sender said {@code QUIT}. */
    QUIT,
    /** The sender closed the connection between commands, without {@code QUIT}. */
    CLOSED,
    /** The sender stalled ({@code SENDER_TIMEOUT}). */
    TIMEOUT,
    /** The sender broke the protocol or a bound and the sink closed ({@code SENDER_PROTOCOL_VIOLATION}). */
    PROTOCOL_VIOLATION,
    /** A message exceeded the size cap: answered {@code 552 5.3.4} and closed. */
    MESSAGE_TOO_LARGE,
    /** The sink served its maximum of concurrent connections: answered {@code 421 4.3.2}. */
    TOO_MANY_CONNECTIONS,
    /** The sink was closed while the connection was open. */
    SINK_CLOSED
  }

  /** {@return the client chain as summaries (subject, issuer, thumbprints, names), leaf first} */
  public List<CertificateInfo> clientCertificates() {
    return clientChain.stream().map(CertificateInfo::of).toList();
  }

  /** {@return whether the sender presented a client certificate} */
  public boolean presentedClientCertificate() {
    return !clientChain.isEmpty();
  }

  /** {@return true when some finding is an {@code ERROR}} */
  public boolean hasErrors() {
    return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
  }

  /**
   * The first finding with a code.
   *
   * @param code the code
   * @return the finding, or empty
   */
  public Optional<Finding> finding(FindingCode code) {
    return findings.stream().filter(f -> f.code() == code).findFirst();
  }

  /**
   * Whether a finding with this code was made.
   *
   * @param code the code
   * @return true if present
   */
  public boolean has(FindingCode code) {
    return finding(code).isPresent();
  }
}
