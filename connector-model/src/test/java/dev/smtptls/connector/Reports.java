package dev.smtptls.connector;

import dev.smtptls.finding.Finding;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.PlaintextCheck;
import dev.smtptls.inspect.SmtpTarget;
import dev.smtptls.inspect.StartTlsOutcome;
import dev.smtptls.inspect.Timings;
import dev.smtptls.smtp.Ehlo;
import dev.smtptls.smtp.Greeting;
import dev.smtptls.smtp.SmtpReply;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Inspection reports built directly, as a probe would have made them for each kind of server. */
final class Reports {

  static final SmtpTarget TARGET = SmtpTarget.of("mx1.example.org", 25);
  static final Greeting READY = new Greeting(SmtpReply.of(220, "mx1.example.org ESMTP Postfix"));
  static final Ehlo EHLO_STARTTLS =
      new Ehlo(SmtpReply.of(250, "mx1.example.org", "PIPELINING", "SIZE 10240000", "STARTTLS"));
  static final Ehlo EHLO_PLAIN = new Ehlo(SmtpReply.of(250, "mx1.example.org", "PIPELINING", "SIZE 10240000"));
  static final SmtpReply READY_FOR_TLS = SmtpReply.of(220, "2.0.0 Ready to start TLS");

  private Reports() {}

  static InspectionReport report(
      @Nullable Greeting greeting,
      @Nullable Ehlo ehlo,
      @Nullable SmtpReply helo,
      StartTlsOutcome startTls,
      @Nullable PlaintextCheck plaintext,
      Finding... findings) {
    return new InspectionReport(
        TARGET,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 25),
        Instant.parse("2025-01-01T00:00:00Z"),
        Duration.ofMillis(40),
        greeting,
        ehlo,
        helo,
        startTls,
        startTls.status() == StartTlsOutcome.Status.UPGRADED ? EHLO_STARTTLS : null,
        plaintext,
        null,
        List.of(findings),
        List.of(),
        new Timings(null, null, null, null, null, Duration.ofMillis(40)),
        false);
  }

  static InspectionReport upgraded(String protocol, Finding... findings) {
    return report(READY, EHLO_STARTTLS, null,
        new StartTlsOutcome.Upgraded(READY_FOR_TLS, protocol, "TLS_AES_128_GCM_SHA256", List.of(), true),
        null, findings);
  }

  static InspectionReport healthy() {
    return upgraded("TLSv1.3");
  }

  static InspectionReport notOffered(@Nullable PlaintextCheck plaintext, Finding... more) {
    Finding[] all = new Finding[more.length + 1];
    all[0] = Finding.of(dev.smtptls.finding.FindingCode.STARTTLS_NOT_OFFERED,
        "The server's EHLO reply does not offer STARTTLS.", "reply", EHLO_PLAIN.reply().oneLine());
    System.arraycopy(more, 0, all, 1, more.length);
    return report(READY, EHLO_PLAIN, null, new StartTlsOutcome.NotOffered(null), plaintext, all);
  }

  static InspectionReport sessionFailed(@Nullable Greeting greeting, Finding finding) {
    return report(greeting, null, null, new StartTlsOutcome.NotAttempted("the session failed"), null, finding);
  }
}
