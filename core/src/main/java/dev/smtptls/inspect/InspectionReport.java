package dev.smtptls.inspect;

import static java.util.Objects.requireNonNull;

import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.cert.CertificateInfo;
import dev.smtptls.cert.CertificateReport;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import dev.smtptls.smtp.Ehlo;
import dev.smtptls.smtp.Greeting;
import dev.smtptls.smtp.SmtpReply;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Everything one STARTTLS probe saw: the greeting, the EHLO capabilities before and after TLS,
 * what became of STARTTLS, the certificate chain as presented, a timestamped transcript, per-step
 * timings and the findings. Immutable.
 *
 * @param target what was probed
 * @param address the address connected to (or tried), or null if none was reached
 * @param startedAt when the probe started
 * @param duration how long it took
 * @param greeting the server's greeting, or null if none arrived
 * @param ehlo the EHLO reply before TLS, or null (no EHLO, or rejected)
 * @param helo the HELO reply when EHLO was rejected and HELO used instead, else null
 * @param startTls what became of STARTTLS
 * @param ehloAfterTls the EHLO reply over TLS (RFC 3207 §4.2), or null when not sent
 * @param plaintext the answer to {@code MAIL FROM:<>} before STARTTLS, when that check ran
 * @param certificateCheck the {@link CertificateChecker}'s verdict on the presented chain, or
 *     null when no chain was captured or the inspector checks no certificates
 * @param findings protocol findings in the order they were made, then the certificate findings
 * @param transcript the dialogue, timestamped
 * @param timings per-step durations
 * @param aborted true when the probe was interrupted before it finished
 */
public record InspectionReport(
    SmtpTarget target,
    @Nullable InetSocketAddress address,
    Instant startedAt,
    Duration duration,
    @Nullable Greeting greeting,
    @Nullable Ehlo ehlo,
    @Nullable SmtpReply helo,
    StartTlsOutcome startTls,
    @Nullable Ehlo ehloAfterTls,
    @Nullable PlaintextCheck plaintext,
    @Nullable CertificateReport certificateCheck,
    List<Finding> findings,
    List<TranscriptEntry> transcript,
    Timings timings,
    boolean aborted) {

  /** Validates and copies. */
  public InspectionReport {
    requireNonNull(target, "target");
    requireNonNull(startedAt, "startedAt");
    requireNonNull(duration, "duration");
    requireNonNull(startTls, "startTls");
    requireNonNull(timings, "timings");
    findings = List.copyOf(findings);
    transcript = List.copyOf(transcript);
  }

  /**
   * The certificate chain the server presented, leaf first, whatever its validity; empty when no
   * handshake reached the certificate message.
   *
   * @return the chain
   */
  public List<X509Certificate> peerChain() {
    if (startTls instanceof StartTlsOutcome.Upgraded u) {
      return u.peerChain();
    }
    if (startTls instanceof StartTlsOutcome.HandshakeFailed f) {
      return f.peerChain();
    }
    return List.of();
  }

  /** {@return the presented chain as summaries (subject, issuer, thumbprints, names)} */
  public List<CertificateInfo> certificates() {
    return peerChain().stream().map(CertificateInfo::of).toList();
  }

  /** {@return true when the connection was upgraded to TLS} */
  public boolean tlsUpgraded() {
    return startTls.status() == StartTlsOutcome.Status.UPGRADED;
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

  /** {@return true when any finding has severity ERROR} */
  public boolean hasErrors() {
    return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
  }

  /**
   * The FQDN the server announces, from the EHLO reply (over TLS when present) or else the
   * greeting: the name strict receivers expect the certificate to cover.
   *
   * @return the name, or null
   */
  public @Nullable String announcedFqdn() {
    if (ehloAfterTls != null && ehloAfterTls.fqdn() != null) {
      return ehloAfterTls.fqdn();
    }
    if (ehlo != null && ehlo.fqdn() != null) {
      return ehlo.fqdn();
    }
    return greeting == null ? null : greeting.fqdn();
  }
}
