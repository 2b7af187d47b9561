package dev.smtptls.connector;

import static java.util.Objects.requireNonNull;

import dev.smtptls.connector.PolicyVerdict.Outcome;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.PlaintextCheck;
import dev.smtptls.inspect.StartTlsOutcome;
import dev.smtptls.smtp.Greeting;
import dev.smtptls.smtp.SmtpReply;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The evaluation the generic policies share; see {@link OpportunisticPolicy} and {@link ForcedPolicy}. */
final class Evaluation {

  /** Exchange's queue text around the remote reply (seed document; reference/exchange-postfix-tls.md). */
  private static final String QUEUE_PREFIX = "451 4.4.0 Primary target IP address responded with: \"";

  /** The findings of the SMTP dialogue; certificate (and later DNS, CRL) findings are not the generic policies' business. */
  private static final Set<FindingCode> PROTOCOL = EnumSet.of(
      FindingCode.CONNECT_FAILED,
      FindingCode.TIMEOUT,
      FindingCode.CONNECTION_CLOSED,
      FindingCode.PROTOCOL_VIOLATION,
      FindingCode.GREETING_REJECTED,
      FindingCode.EHLO_REJECTED,
      FindingCode.ESMTP_NOT_SUPPORTED,
      FindingCode.STARTTLS_NOT_OFFERED,
      FindingCode.STARTTLS_REFUSED,
      FindingCode.TLS_HANDSHAKE_FAILED,
      FindingCode.ESMTP_INSPECTION_SUSPECTED,
      FindingCode.TLS_REQUIRED_BY_SERVER,
      FindingCode.PLAINTEXT_ACCEPTED,
      FindingCode.TLS_PROTOCOL_WEAK);

  /** Findings that explain why a session that reached EHLO did not end in TLS. */
  private static final Set<FindingCode> NO_TLS = EnumSet.of(
      FindingCode.ESMTP_NOT_SUPPORTED,
      FindingCode.STARTTLS_NOT_OFFERED,
      FindingCode.STARTTLS_REFUSED,
      FindingCode.TLS_HANDSHAKE_FAILED,
      FindingCode.ESMTP_INSPECTION_SUSPECTED);

  /** Failures that break a session; after TLS they stop delivery just the same. */
  private static final Set<FindingCode> SESSION_BROKEN = EnumSet.of(
      FindingCode.TIMEOUT, FindingCode.CONNECTION_CLOSED, FindingCode.PROTOCOL_VIOLATION);

  private Evaluation() {}

  static PolicyVerdict evaluate(InspectionReport report, boolean forced, @Nullable String minimumTlsVersion) {
    requireNonNull(report, "report");
    if (report.aborted()) {
      throw new IllegalArgumentException(
          "report is aborted: the probe of " + report.target() + " was interrupted, so it predicts nothing");
    }
    List<Finding> protocol = report.findings().stream().filter(f -> PROTOCOL.contains(f.code())).toList();
    StartTlsOutcome startTls = report.startTls();

    if (startTls instanceof StartTlsOutcome.NotAttempted) {
      return sessionFailed(report, protocol);
    }
    if (startTls instanceof StartTlsOutcome.Upgraded u && u.advertised()) {
      return upgraded(report, u, protocol, forced, minimumTlsVersion);
    }
    // Not offered, refused, handshake failed, or accepted although not advertised: a sender follows
    // the EHLO reply (RFC 3207 §4), so in every case it does not get TLS.
    List<Finding> reasons = withNoTlsReason(report, protocol);
    if (forced) {
      return verdict(report, Outcome.QUEUED, forcedResponse(startTls), reasons);
    }
    PlaintextCheck plaintext = report.plaintext();
    if (plaintext != null && !plaintext.mailFromAccepted()) {
      SmtpReply r = plaintext.reply();
      return r.isPermanentNegative()
          ? verdict(report, Outcome.REJECTED, r.oneLine(), reasons)
          : verdict(report, Outcome.QUEUED, queueText(r.oneLine()), reasons);
    }
    return verdict(report, Outcome.DELIVERED_PLAINTEXT, null, reasons);
  }

  private static PolicyVerdict upgraded(
      InspectionReport report,
      StartTlsOutcome.Upgraded u,
      List<Finding> protocol,
      boolean forced,
      @Nullable String minimumTlsVersion) {
    Optional<Finding> broken = protocol.stream()
        .filter(f -> SESSION_BROKEN.contains(f.code()))
        .filter(f -> f.evidence("step").map(s -> s.endsWith("after-tls")).orElse(false))
        .findFirst();
    if (broken.isPresent()) {
      // The server upgraded but did not carry on over TLS: a sender gets no further and retries.
      return verdict(report, Outcome.QUEUED, null, Diagnosis.errorsFirst(protocol));
    }
    if (forced && minimumTlsVersion != null && !new ForcedPolicy(minimumTlsVersion).accepts(u.protocol())) {
      List<Finding> reasons = new ArrayList<>();
      Optional<Finding> weak = report.finding(FindingCode.TLS_PROTOCOL_WEAK);
      String message = "The server negotiated " + u.protocol() + "; this connector requires "
          + minimumTlsVersion + " or later, so the handshake fails and the mail stays queued.";
      reasons.add(weak.isPresent()
          ? new Finding(FindingCode.TLS_PROTOCOL_WEAK, Severity.ERROR, message, weak.get().evidence())
          : Finding.of(FindingCode.TLS_PROTOCOL_WEAK, message, "protocol", u.protocol())
              .withSeverity(Severity.ERROR));
      protocol.stream().filter(f -> f.code() != FindingCode.TLS_PROTOCOL_WEAK).forEach(reasons::add);
      // No product document gives the queue text of a protocol-version mismatch.
      return verdict(report, Outcome.QUEUED, null, Diagnosis.errorsFirst(reasons));
    }
    List<Finding> notable = protocol.stream().filter(f -> f.severity() != Severity.INFO).toList();
    return verdict(report, Outcome.DELIVERED_TLS, null, Diagnosis.errorsFirst(notable));
  }

  private static PolicyVerdict sessionFailed(InspectionReport report, List<Finding> protocol) {
    List<Finding> reasons = Diagnosis.errorsFirst(protocol);
    Greeting greeting = report.greeting();
    if (greeting != null && !greeting.isReady() && greeting.code() >= 400) {
      // Exchange retries a refused session; Postfix skips a 5xx greeting and defers
      // (smtp_skip_5xx_greeting = yes, postconf(5)).
      return verdict(report, Outcome.QUEUED, queueText(greeting.reply().oneLine()), reasons);
    }
    Optional<String> ehloRefusal = report.finding(FindingCode.EHLO_REJECTED).flatMap(f -> f.evidence("reply"));
    if (ehloRefusal.isPresent()) {
      String reply = ehloRefusal.get();
      // RFC 5321 §4.2.1: 5yz is permanent; after the greeting Postfix bounces or defers, smtp(8).
      return reply.startsWith("5")
          ? verdict(report, Outcome.REJECTED, reply, reasons)
          : verdict(report, Outcome.QUEUED, queueText(reply), reasons);
    }
    // Refused connection, timeout, closed connection, protocol violation: nothing the server said
    // to quote, and each product logs its own network error text.
    return verdict(report, Outcome.QUEUED, null, reasons);
  }

  private static @Nullable String forcedResponse(StartTlsOutcome startTls) {
    if (startTls instanceof StartTlsOutcome.Refused r) {
      return queueText(r.reply().oneLine());
    }
    if (startTls instanceof StartTlsOutcome.HandshakeFailed) {
      return null;
    }
    return ForcedPolicy.STARTTLS_REQUIRED_RESPONSE;
  }

  /** The protocol findings, plus one saying why there is no TLS when a hand-built report lacks it. */
  private static List<Finding> withNoTlsReason(InspectionReport report, List<Finding> protocol) {
    List<Finding> reasons = new ArrayList<>(protocol);
    if (protocol.stream().noneMatch(f -> NO_TLS.contains(f.code()))) {
      reasons.add(0, noTlsReason(report));
    }
    return Diagnosis.errorsFirst(reasons);
  }

  private static Finding noTlsReason(InspectionReport report) {
    StartTlsOutcome startTls = report.startTls();
    if (startTls instanceof StartTlsOutcome.Refused r) {
      return Finding.of(FindingCode.STARTTLS_REFUSED,
          "The server offers STARTTLS but refused it: " + r.reply().oneLine(), "reply", r.reply().oneLine());
    }
    if (startTls instanceof StartTlsOutcome.HandshakeFailed h) {
      return Finding.of(FindingCode.TLS_HANDSHAKE_FAILED,
          "The TLS handshake after STARTTLS failed: " + h.alert(), "alert", h.alert());
    }
    String message = "The server's EHLO reply does not offer STARTTLS.";
    var ehlo = report.ehlo();
    if (ehlo != null) {
      return Finding.of(FindingCode.STARTTLS_NOT_OFFERED, message, "reply", ehlo.reply().oneLine());
    }
    return Finding.of(FindingCode.STARTTLS_NOT_OFFERED, message);
  }

  private static String queueText(String reply) {
    return QUEUE_PREFIX + reply + "\"";
  }

  private static PolicyVerdict verdict(
      InspectionReport report, Outcome outcome, @Nullable String smtpResponse, List<Finding> reasons) {
    return new PolicyVerdict(outcome, smtpResponse, reasons, Diagnosis.remediations(reasons, report));
  }
}
