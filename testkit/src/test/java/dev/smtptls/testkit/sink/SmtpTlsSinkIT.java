package dev.smtptls.testkit.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.cert.CertificateInfo;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import dev.smtptls.inspect.TranscriptEntry;
import dev.smtptls.sink.RunningSink;
import dev.smtptls.sink.SenderReport;
import dev.smtptls.sink.SinkPolicy;
import dev.smtptls.sink.SmtpTlsSink;
import dev.smtptls.smtp.SmtpReply;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.trust.TrustSources;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sink over real TCP and TLS on loopback, with a hand-written sender saying exactly what each test needs. */
class SmtpTlsSinkIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final TestPki PKI = TestPki.create();

  @RegisterExtension
  final SmtpTlsSinkExtension sink = SmtpTlsSinkExtension.create(SmtpTlsSink.builder()
      .fqdn("sink.example.org")
      .trustSource(TrustSources.anchors("test root", List.of(PKI.root().certificate())))
      .build());

  @Test
  void plaintextSenderIsRecordedAndRefusedTemporarily() throws Exception {
    try (RawSender s = RawSender.connect(sink.address())) {
      assertThat(s.reply()).containsExactly("220 sink.example.org ESMTP smtptls sink");
      s.send("EHLO sender.example.net\r\n");
      assertThat(s.reply()).contains("250-STARTTLS");
      assertThat(s.command("MAIL FROM:<alice@example.net> SIZE=100")).startsWith("250 2.1.0");
      assertThat(s.command("RCPT TO:<bob@example.org>")).startsWith("451 4.3.0");
      assertThat(s.command("QUIT")).startsWith("221");
    }

    SenderReport r = sink.awaitReport(WAIT);

    assertThat(r.heloName()).isEqualTo("sender.example.net");
    assertThat(r.esmtp()).isTrue();
    assertThat(r.startTls().used()).isFalse();
    assertThat(r.startTls().issuedAt()).isNull();
    assertThat(r.mailFrom()).isEqualTo("alice@example.net");
    assertThat(r.recipients()).containsExactly("bob@example.org");
    assertThat(r.messages()).isZero();
    assertThat(r.ending()).isEqualTo(SenderReport.Ending.QUIT);
    assertThat(r.remote().getAddress().isLoopbackAddress()).isTrue();
    assertThat(r.findings()).extracting(Finding::code).containsExactly(FindingCode.SENDER_NO_STARTTLS);
    assertThat(r.hasErrors()).isTrue();
    assertThat(r.transcript()).extracting(TranscriptEntry::line)
        .contains("EHLO sender.example.net", "RCPT TO:<bob@example.org>");
  }

  @Test
  void tlsSenderWithAGoodClientCertificateHasNoFindings() throws Exception {
    IssuedCertificate client = PKI.leaf("sender.example.net");
    try (RawSender s = RawSender.connect(sink.address())) {
      s.reply();
      s.command("EHLO sender.example.net");
      s.startTls(client);
      // RFC 3207 §4.2: the sink forgot the EHLO; the sender must greet again.
      assertThat(s.command("MAIL FROM:<alice@example.net>")).startsWith("503");
      s.send("EHLO sender.example.net\r\n");
      assertThat(s.reply()).doesNotContain("250-STARTTLS").contains("250-PIPELINING");
      assertThat(s.command("MAIL FROM:<alice@example.net>")).startsWith("250");
      assertThat(s.command("QUIT")).startsWith("221");
    }

    SenderReport r = sink.awaitReport(WAIT);

    assertThat(r.startTls().used()).isTrue();
    assertThat(r.startTls().issuedAt()).isNotNull();
    assertThat(r.startTls().protocol()).startsWith("TLSv1.");
    assertThat(r.startTls().cipherSuite()).startsWith("TLS_");
    assertThat(r.clientCertificates()).extracting(CertificateInfo::sha1)
        .first().isEqualTo(CertificateInfo.of(client.certificate()).sha1());
    assertThat(r.clientCertificateCheck()).isNotNull();
    assertThat(r.findings()).isEmpty();
  }

  @Test
  void tlsWithoutClientCertificateIsAWarning() throws Exception {
    try (RawSender s = RawSender.connect(sink.address())) {
      s.reply();
      s.command("EHLO sender.example.net");
      s.startTls(null);
      s.command("EHLO sender.example.net");
      s.command("QUIT");
    }

    SenderReport r = sink.awaitReport(WAIT);

    assertThat(r.startTls().used()).isTrue();
    assertThat(r.clientChain()).isEmpty();
    assertThat(r.findings()).extracting(Finding::code).containsExactly(FindingCode.SENDER_NO_CLIENT_CERT);
    assertThat(r.findings().get(0).severity()).isEqualTo(Severity.WARNING);
  }

  @Test
  void clientCertificateNotCoveringTheEhloNameIsASenderCertFinding() throws Exception {
    IssuedCertificate other = PKI.leaf("other.example.com");
    IssuedCertificate foreign = TestPki.create().leaf("sender.example.net");
    for (IssuedCertificate client : List.of(other, foreign)) {
      try (RawSender s = RawSender.connect(sink.address())) {
        s.reply();
        s.command("EHLO sender.example.net");
        s.startTls(client);
        s.command("QUIT");
      }
    }

    SenderReport mismatch = sink.awaitReport(WAIT);
    SenderReport untrusted = sink.awaitReport(WAIT);

    Finding name = mismatch.finding(FindingCode.SENDER_CERT_NAME_MISMATCH).orElseThrow();
    assertThat(name.evidence()).containsEntry("side", "sender").containsEntry("expected", "sender.example.net");
    assertThat(name.evidence().get("names")).isEqualTo(List.of("other.example.com"));
    assertThat(mismatch.has(FindingCode.CERT_NAME_MISMATCH)).isFalse();
    assertThat(untrusted.findings()).extracting(Finding::code).contains(FindingCode.SENDER_CERT_UNTRUSTED)
        .doesNotContain(FindingCode.SENDER_CERT_NAME_MISMATCH);
  }

  @Test
  void ehloNameThatIsNoFqdnIsAWarningAndHeloIsNoStartTls() throws Exception {
    try (RawSender s = RawSender.connect(sink.address())) {
      s.reply();
      assertThat(s.command("HELO localhost")).isEqualTo("250 sink.example.org");
      s.command("QUIT");
    }

    SenderReport r = sink.awaitReport(WAIT);

    assertThat(r.esmtp()).isFalse();
    assertThat(r.findings()).extracting(Finding::code)
        .containsExactly(FindingCode.SENDER_NO_STARTTLS, FindingCode.SENDER_EHLO_NOT_FQDN);
    assertThat(r.finding(FindingCode.SENDER_NO_STARTTLS).orElseThrow().evidence()).containsEntry("greeting", "HELO");
  }

  @Test
  void stalledSenderCostsATimeoutAndTheSinkServesTheNext() throws Exception {
    try (RunningSink running = SmtpTlsSink.builder().timeout(Duration.ofMillis(300)).build().start();
        RawSender staller = RawSender.connect(running.address())) {
      staller.reply();
      staller.send("EHLO stall");
      // The sink's step timeout fires; the sender hears why.
      assertThat(staller.reply()).first().asString().startsWith("421 4.4.2");

      SenderReport stalled = running.next(WAIT).orElseThrow();

      assertThat(stalled.ending()).isEqualTo(SenderReport.Ending.TIMEOUT);
      assertThat(stalled.finding(FindingCode.SENDER_TIMEOUT).orElseThrow().evidence()).containsEntry("step", "helo");
      assertServes(running);
    }
  }

  @Test
  void floodedLineIsAViolationAndTheSinkServesTheNext() throws Exception {
    try (RunningSink running = SmtpTlsSink.builder().maxLineLength(1024).build().start();
        RawSender flooder = RawSender.connect(running.address())) {
      flooder.reply();
      flooder.sendBytes("x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII));

      SenderReport flooded = running.next(WAIT).orElseThrow();

      assertThat(flooded.ending()).isEqualTo(SenderReport.Ending.PROTOCOL_VIOLATION);
      assertThat(flooded.finding(FindingCode.SENDER_PROTOCOL_VIOLATION).orElseThrow().evidence().get("reason"))
          .asString().contains("longer than 1024");
      assertServes(running);
    }
  }

  @Test
  void droppedHandshakeIsAViolationAndTheSinkServesTheNext() throws Exception {
    try (RunningSink running = SmtpTlsSink.builder().build().start()) {
      try (RawSender dropper = RawSender.connect(running.address())) {
        dropper.reply();
        dropper.command("EHLO dropper.example.net");
        assertThat(dropper.command("STARTTLS")).startsWith("220");
        // The start of a ClientHello record, then the sender vanishes.
        dropper.sendBytes(new byte[] {0x16, 0x03, 0x01, 0x01, 0x00, 0x01, 0x00, 0x00});
      }

      SenderReport dropped = running.next(WAIT).orElseThrow();

      assertThat(dropped.ending()).isEqualTo(SenderReport.Ending.PROTOCOL_VIOLATION);
      assertThat(dropped.startTls().used()).isFalse();
      assertThat(dropped.startTls().failure()).isNotNull();
      assertThat(dropped.finding(FindingCode.SENDER_PROTOCOL_VIOLATION).orElseThrow().evidence())
          .containsEntry("step", "tls-handshake");
      assertThat(dropped.has(FindingCode.SENDER_NO_STARTTLS)).isFalse();
      assertServes(running);
    }
  }

  @Test
  void commandsPipelinedAfterStartTlsAreRefusedAsInjection() throws Exception {
    try (RawSender s = RawSender.connect(sink.address())) {
      s.reply();
      s.command("EHLO sender.example.net");
      s.send("STARTTLS\r\nMAIL FROM:<mallory@example.net>\r\n");
      assertThat(s.reply()).first().asString().startsWith("554");
    }

    SenderReport r = sink.awaitReport(WAIT);

    assertThat(r.ending()).isEqualTo(SenderReport.Ending.PROTOCOL_VIOLATION);
    assertThat(r.finding(FindingCode.SENDER_PROTOCOL_VIOLATION).orElseThrow().evidence())
        .containsEntry("step", "starttls");
  }

  @Test
  void connectionsBeyondTheCapGet421AndAFinding() throws Exception {
    try (RunningSink running = SmtpTlsSink.builder().maxConnections(1).build().start();
        RawSender first = RawSender.connect(running.address())) {
      assertThat(first.reply()).first().asString().startsWith("220");
      try (RawSender second = RawSender.connect(running.address())) {
        assertThat(second.reply()).first().asString().startsWith("421 4.3.2");
      }

      SenderReport refused = running.next(WAIT).orElseThrow();

      assertThat(refused.ending()).isEqualTo(SenderReport.Ending.TOO_MANY_CONNECTIONS);
      assertThat(refused.findings()).extracting(Finding::code).containsExactly(FindingCode.SENDER_TOO_MANY_CONNECTIONS);
      // The first connection is served on as if nothing happened.
      assertThat(first.command("EHLO first.example.net")).startsWith("250 ");
      assertThat(first.command("QUIT")).startsWith("221");
      assertThat(running.next(WAIT).orElseThrow().heloName()).isEqualTo("first.example.net");
    }
  }

  @Test
  void acceptingSinkCountsAndDiscardsTheMessage() throws Exception {
    try (RunningSink running = SmtpTlsSink.builder().acceptMail(true).build().start();
        RawSender s = RawSender.connect(running.address())) {
      s.reply();
      s.command("EHLO sender.example.net");
      s.command("MAIL FROM:<>");
      assertThat(s.command("RCPT TO:<bob@example.org>")).startsWith("250 2.1.5");
      assertThat(s.command("DATA")).startsWith("354");
      assertThat(s.command("Subject: secret\r\n\r\nthe body never stored\r\n.")).startsWith("250 2.0.0");
      s.command("QUIT");

      SenderReport r = running.next(WAIT).orElseThrow();

      assertThat(r.mailFrom()).isEmpty();
      assertThat(r.messages()).isEqualTo(1);
      assertThat(r.messageOctets()).isEqualTo("Subject: secret\r\n\r\nthe body never stored\r\n".length());
      assertThat(r.transcript()).extracting(TranscriptEntry::line)
          .noneMatch(l -> l.contains("the body never stored"))
          .anyMatch(l -> l.startsWith("[message data: 3 lines"));
    }
  }

  @Test
  void oversizedMessageIsRefusedAndTheConnectionClosed() throws Exception {
    try (RunningSink running = SmtpTlsSink.builder().acceptMail(true).maxMessageSize(100).build().start();
        RawSender s = RawSender.connect(running.address())) {
      s.reply();
      s.command("EHLO sender.example.net");
      assertThat(s.command("MAIL FROM:<a@example.net> SIZE=101")).startsWith("552 5.3.4");
      s.command("MAIL FROM:<a@example.net>");
      s.command("RCPT TO:<b@example.org>");
      s.command("DATA");
      assertThat(s.command("x".repeat(200))).startsWith("552 5.3.4");

      SenderReport r = running.next(WAIT).orElseThrow();

      assertThat(r.ending()).isEqualTo(SenderReport.Ending.MESSAGE_TOO_LARGE);
      assertThat(r.messages()).isZero();
    }
  }

  @Test
  void policyRefusalIsWhatTheSenderHears() throws Exception {
    SmtpReply denied = SmtpReply.of(550, "5.7.64 TenantAttribution; Relay Access Denied");
    SinkPolicy certificateRequired = (soFar, command) ->
        command == SinkPolicy.Command.RCPT && !soFar.presentedClientCertificate() ? denied : null;
    try (RunningSink running = SmtpTlsSink.builder().policy(certificateRequired).build().start();
        RawSender s = RawSender.connect(running.address())) {
      s.reply();
      s.command("EHLO sender.example.net");
      assertThat(s.command("MAIL FROM:<a@example.net>")).startsWith("250");
      assertThat(s.command("RCPT TO:<b@example.org>")).isEqualTo("550 5.7.64 TenantAttribution; Relay Access Denied");
      s.command("QUIT");

      SenderReport r = running.next(WAIT).orElseThrow();

      assertThat(r.policyReply()).isEqualTo(denied);
    }
  }

  @Test
  void closingTheSinkEndsOpenConnections() throws Exception {
    RunningSink running = SmtpTlsSink.builder().build().start();
    try (RawSender s = RawSender.connect(running.address())) {
      s.reply();
      s.command("EHLO sender.example.net");
      running.close();

      SenderReport r = running.next(WAIT).orElseThrow();

      assertThat(r.ending()).isEqualTo(SenderReport.Ending.SINK_CLOSED);
      assertThat(running.isClosed()).isTrue();
    }
  }

  /** Another sender, after a hostile one, is served to the end. */
  private static void assertServes(RunningSink running) throws Exception {
    try (RawSender next = RawSender.connect(running.address())) {
      assertThat(next.reply()).first().asString().startsWith("220");
      assertThat(next.command("EHLO next.example.net")).startsWith("250 ");
      assertThat(next.command("QUIT")).startsWith("221");
    }
    SenderReport r = running.next(WAIT).orElseThrow();
    assertThat(r.heloName()).isEqualTo("next.example.net");
    assertThat(r.ending()).isEqualTo(SenderReport.Ending.QUIT);
  }
}
