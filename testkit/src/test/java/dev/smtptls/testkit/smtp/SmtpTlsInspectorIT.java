package dev.smtptls.testkit.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.SmtpTarget;
import dev.smtptls.inspect.SmtpTlsInspector;
import dev.smtptls.inspect.StartTlsOutcome;
import dev.smtptls.inspect.StartTlsOutcome.Status;
import dev.smtptls.inspect.TranscriptEntry;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.trust.TrustSources;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The probe against every behaviour of the testkit server, over real TCP and TLS on loopback. */
class SmtpTlsInspectorIT {

  @RegisterExtension static final MockSmtpServerExtension smtp = MockSmtpServerExtension.create();

  private final SmtpTlsInspector inspector =
      SmtpTlsInspector.builder()
          .ehloName("probe.smtptls.test")
          .timeout(Duration.ofSeconds(5))
          .certificateChecker(CertificateChecker.builder()
              .trustSource(TrustSources.anchors("testkit", smtp.server().trustAnchor()))
              .build())
          .build();

  private InspectionReport probe(SmtpBehaviour behaviour) {
    smtp.server().behave(behaviour);
    return inspector.inspect(smtp.server().target());
  }

  private static List<FindingCode> codes(InspectionReport r) {
    return r.findings().stream().map(Finding::code).toList();
  }

  @Test
  void upgradesHealthyServerAndCapturesTheChain() {
    InspectionReport r = probe(SmtpBehaviour.healthy());

    assertThat(r.startTls().status()).isEqualTo(Status.UPGRADED);
    assertThat(r.findings()).noneMatch(f -> f.severity() == Severity.ERROR);
    assertThat(r.certificateCheck()).isNotNull();
    assertThat(r.certificateCheck().valid()).isTrue();
    assertThat(r.certificateCheck().path()).hasSize(3);
    assertThat(r.peerChain()).containsExactlyElementsOf(smtp.server().certificateChain());
    assertThat(r.greeting()).isNotNull();
    assertThat(r.greeting().fqdn()).isEqualTo("mx.smtptls.test");
    assertThat(r.ehlo()).isNotNull();
    assertThat(r.ehlo().supports("STARTTLS")).isTrue();
    assertThat(r.ehloAfterTls()).isNotNull();
    assertThat(r.ehloAfterTls().supports("STARTTLS")).isFalse();
    assertThat(((StartTlsOutcome.Upgraded) r.startTls()).protocol()).isIn("TLSv1.3", "TLSv1.2");
    assertThat(r.announcedFqdn()).isEqualTo("mx.smtptls.test");
    assertThat(r.timings().handshake()).isNotNull();
    assertThat(r.transcript()).extracting(TranscriptEntry::line)
        .contains("EHLO probe.smtptls.test", "STARTTLS", "QUIT");
    assertThat(r.transcript()).anyMatch(e -> e.from() == TranscriptEntry.Source.TLS);
  }

  @Test
  void neverSendsRcptOrData() {
    smtp.server().behave(SmtpBehaviour.healthy());
    SmtpTlsInspector checking = SmtpTlsInspector.builder().plaintextCheck(true).build();
    checking.inspect(smtp.server().target());
    assertThat(smtp.server().receivedCommands())
        .noneMatch(c -> c.toUpperCase().startsWith("RCPT") || c.toUpperCase().startsWith("DATA"))
        .contains("MAIL FROM:<>", "RSET");
  }

  @Test
  void defaultEhloNameIsTheLocalAddressLiteral() {
    smtp.server().behave(SmtpBehaviour.healthy());
    SmtpTlsInspector.create().inspect(smtp.server().target());
    assertThat(smtp.server().receivedCommands()).contains("EHLO [127.0.0.1]");
  }

  @Test
  void reportsStartTlsNotOffered() {
    InspectionReport r = probe(SmtpBehaviour.startTlsNotAdvertised());
    assertThat(r.startTls().status()).isEqualTo(Status.NOT_OFFERED);
    assertThat(r.finding(FindingCode.STARTTLS_NOT_OFFERED))
        .hasValueSatisfying(f -> assertThat(f.evidence("reply")).hasValueSatisfying(v -> assertThat(v).startsWith("250 ")));
    assertThat(codes(r)).doesNotContain(FindingCode.ESMTP_INSPECTION_SUSPECTED);
    assertThat(smtp.server().receivedCommands()).doesNotContain("STARTTLS");
  }

  @Test
  void startTlsSentAnywayAndRefusedIsNoSignOfInspection() {
    smtp.server().behave(SmtpBehaviour.startTlsNotAdvertised());
    InspectionReport r = SmtpTlsInspector.builder().attemptStartTlsWhenNotAdvertised(true).build()
        .inspect(smtp.server().target());
    assertThat(r.startTls()).isInstanceOfSatisfying(StartTlsOutcome.NotOffered.class,
        n -> assertThat(n.attemptReply()).isNotNull());
    assertThat(r.finding(FindingCode.STARTTLS_NOT_OFFERED).flatMap(f -> f.evidence("attempt")))
        .hasValueSatisfying(v -> assertThat(v).startsWith("502"));
    assertThat(codes(r)).doesNotContain(FindingCode.ESMTP_INSPECTION_SUSPECTED);
  }

  @Test
  void findsStartTlsOnTheLastEhloLine() {
    InspectionReport r = probe(SmtpBehaviour.startTlsOnLastLine());
    assertThat(r.startTls().status()).isEqualTo(Status.UPGRADED);
    assertThat(codes(r)).doesNotContain(FindingCode.STARTTLS_NOT_OFFERED);
  }

  @Test
  void findsStartTlsInLowerCase() {
    InspectionReport r = probe(SmtpBehaviour.startTlsLowerCase());
    assertThat(r.startTls().status()).isEqualTo(Status.UPGRADED);
  }

  @Test
  void reportsStartTlsRefused() {
    InspectionReport r = probe(SmtpBehaviour.startTlsRefused());
    assertThat(r.startTls().status()).isEqualTo(Status.REFUSED);
    assertThat(r.finding(FindingCode.STARTTLS_REFUSED).flatMap(f -> f.evidence("reply")))
        .contains("454 4.7.0 TLS not available due to local problem");
  }

  @Test
  void reportsTlsHandshakeFailedWithTheAlert() {
    InspectionReport r = probe(SmtpBehaviour.handshakeFailure());
    assertThat(r.startTls().status()).isEqualTo(Status.HANDSHAKE_FAILED);
    assertThat(r.finding(FindingCode.TLS_HANDSHAKE_FAILED).flatMap(f -> f.evidence("alert")))
        .contains("handshake_failure");
  }

  @Test
  void reportsConnectionClosedAfterEhlo() {
    InspectionReport r = probe(SmtpBehaviour.closeAfterEhlo());
    assertThat(r.finding(FindingCode.CONNECTION_CLOSED).flatMap(f -> f.evidence("step"))).contains("starttls");
    assertThat(r.startTls().status()).isEqualTo(Status.NOT_ATTEMPTED);
  }

  @Test
  void reportsEsmtpNotSupportedForHeloOnlyServer() {
    InspectionReport r = probe(SmtpBehaviour.heloOnly());
    assertThat(r.finding(FindingCode.ESMTP_NOT_SUPPORTED).flatMap(f -> f.evidence("reply")))
        .hasValueSatisfying(v -> assertThat(v).startsWith("500"));
    assertThat(r.helo()).isNotNull();
    assertThat(r.ehlo()).isNull();
    assertThat(r.startTls().status()).isEqualTo(Status.NOT_OFFERED);
    assertThat(smtp.server().receivedCommands()).contains("HELO probe.smtptls.test");
  }

  @Test
  void heloOnlyServerShowsNoSignOfInspectionWhenStartTlsIsTriedAnyway() {
    smtp.server().behave(SmtpBehaviour.heloOnly());
    InspectionReport r = SmtpTlsInspector.builder().attemptStartTlsWhenNotAdvertised(true).build()
        .inspect(smtp.server().target());
    assertThat(codes(r)).contains(FindingCode.ESMTP_NOT_SUPPORTED).doesNotContain(FindingCode.ESMTP_INSPECTION_SUSPECTED);
    assertThat(r.startTls()).isInstanceOfSatisfying(StartTlsOutcome.NotOffered.class,
        n -> assertThat(n.attemptReply()).isNotNull());
  }

  @Test
  void reportsGreetingRejectedKeepingTheText() {
    InspectionReport r = probe(SmtpBehaviour.greetingRejected(554,
        "5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org"));
    Finding f = r.finding(FindingCode.GREETING_REJECTED).orElseThrow();
    assertThat(f.evidence("code")).contains("554");
    assertThat(f.evidence("text")).hasValueSatisfying(t -> assertThat(t).contains("zen.spamhaus.org"));
    assertThat(r.startTls().status()).isEqualTo(Status.NOT_ATTEMPTED);
    assertThat(smtp.server().receivedCommands()).doesNotContain("STARTTLS");
  }

  @Test
  void reportsGreetingRejectedWith421() {
    InspectionReport r = probe(SmtpBehaviour.greetingRejected(421, "4.7.0 Too many connections, try later"));
    assertThat(r.finding(FindingCode.GREETING_REJECTED).flatMap(f -> f.evidence("code"))).contains("421");
  }

  @Test
  void reportsEsmtpInspectionMasking() {
    smtp.server().behave(SmtpBehaviour.esmtpInspectionMasking());
    InspectionReport r = SmtpTlsInspector.builder().attemptStartTlsWhenNotAdvertised(true).build()
        .inspect(smtp.server().target());
    Finding f = r.finding(FindingCode.ESMTP_INSPECTION_SUSPECTED).orElseThrow();
    @SuppressWarnings("unchecked")
    List<String> signs = (List<String>) f.evidence().get("signs");
    assertThat(signs).anyMatch(s -> s.startsWith("greeting masked"))
        .anyMatch(s -> s.contains("XXXXXXXA"))
        .anyMatch(s -> s.contains("answered the STARTTLS command with 220"));
    assertThat(codes(r)).contains(FindingCode.STARTTLS_NOT_OFFERED);
    assertThat(r.startTls()).isInstanceOfSatisfying(StartTlsOutcome.Upgraded.class,
        u -> assertThat(u.advertised()).isFalse());
  }

  @Test
  void reportsMaskingFromTheDialogueAloneWithoutTryingStartTls() {
    InspectionReport r = probe(SmtpBehaviour.esmtpInspectionMasking());
    assertThat(codes(r)).contains(FindingCode.ESMTP_INSPECTION_SUSPECTED, FindingCode.STARTTLS_NOT_OFFERED);
    assertThat(r.startTls().status()).isEqualTo(Status.NOT_OFFERED);
  }

  @Test
  void reportsTlsRequiredByServerBeforeMail() {
    smtp.server().behave(SmtpBehaviour.tlsRequiredBeforeMail());
    InspectionReport r = SmtpTlsInspector.builder().plaintextCheck(true).build().inspect(smtp.server().target());
    assertThat(r.finding(FindingCode.TLS_REQUIRED_BY_SERVER).flatMap(f -> f.evidence("reply")))
        .contains("530 5.7.0 Must issue a STARTTLS command first");
    assertThat(r.plaintext()).isNotNull();
    assertThat(r.plaintext().mailFromAccepted()).isFalse();
    assertThat(r.startTls().status()).isEqualTo(Status.UPGRADED);
    assertThat(codes(r)).doesNotContain(FindingCode.PLAINTEXT_ACCEPTED);
  }

  @Test
  void reportsTheTlsRequiredReplyTheServerIsScriptedToGive() {
    smtp.server().behave(SmtpBehaviour.builder().tlsRequiredReply("451 5.7.3 STARTTLS is required to send mail").build());
    InspectionReport r = SmtpTlsInspector.builder().plaintextCheck(true).build().inspect(smtp.server().target());
    assertThat(r.finding(FindingCode.TLS_REQUIRED_BY_SERVER).flatMap(f -> f.evidence("reply")))
        .contains("451 5.7.3 STARTTLS is required to send mail");
    assertThat(r.plaintext().reply().code()).isEqualTo(451);
  }

  @Test
  void reportsPlaintextAccepted() {
    smtp.server().behave(SmtpBehaviour.healthy());
    InspectionReport r = SmtpTlsInspector.builder().plaintextCheck(true).build().inspect(smtp.server().target());
    assertThat(codes(r)).contains(FindingCode.PLAINTEXT_ACCEPTED).doesNotContain(FindingCode.TLS_REQUIRED_BY_SERVER);
    assertThat(r.plaintext().mailFromAccepted()).isTrue();
  }

  @Test
  void tarpitCostsAtMostTheStepTimeout() {
    smtp.server().behave(SmtpBehaviour.tarpit(Duration.ofMinutes(5)));
    SmtpTlsInspector quick = SmtpTlsInspector.builder().timeout(Duration.ofMillis(300)).deadline(Duration.ofSeconds(30)).build();
    InspectionReport r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> quick.inspect(smtp.server().target()));
    Finding f = r.finding(FindingCode.TIMEOUT).orElseThrow();
    assertThat(f.evidence("step")).contains("greeting");
    assertThat(f.evidence("limit")).contains("timeout");
    assertThat(r.startTls().status()).isEqualTo(Status.NOT_ATTEMPTED);
  }

  @Test
  void drippingTarpitIsCutOffByTheDeadline() {
    // Every octet arrives well within the per-read timeout; only the probe's deadline ends it.
    smtp.server().behave(SmtpBehaviour.drip(Duration.ofMillis(50)));
    SmtpTlsInspector bounded = SmtpTlsInspector.builder().timeout(Duration.ofMillis(400)).deadline(Duration.ofMillis(400)).build();
    InspectionReport r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> bounded.inspect(smtp.server().target()));
    assertThat(r.finding(FindingCode.TIMEOUT).flatMap(f -> f.evidence("step"))).contains("greeting");
    assertThat(r.greeting()).isNull();
  }

  @Test
  void oversizeReplyIsAProtocolViolationNotAnOutOfMemoryError() {
    InspectionReport r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> probe(SmtpBehaviour.oversizeReply()));
    Finding f = r.finding(FindingCode.PROTOCOL_VIOLATION).orElseThrow();
    assertThat(f.evidence("step")).contains("greeting");
    assertThat(f.evidence("reason")).hasValueSatisfying(v -> assertThat(v).contains("more than 200 lines"));
  }

  @Test
  void endlessLineIsAProtocolViolation() {
    InspectionReport r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> probe(SmtpBehaviour.oversizeLine()));
    assertThat(r.finding(FindingCode.PROTOCOL_VIOLATION).flatMap(f -> f.evidence("reason")))
        .hasValueSatisfying(v -> assertThat(v).contains("longer than 4096 octets"));
  }

  @Test
  void reportsConnectFailedForAClosedPort() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    InspectionReport r = inspector.inspect(SmtpTarget.of("127.0.0.1", port));
    assertThat(r.finding(FindingCode.CONNECT_FAILED)).hasValueSatisfying(f -> {
      assertThat(f.evidence("step")).contains("connect");
      assertThat(f.evidence("address")).contains("127.0.0.1:" + port);
      assertThat(f.message()).contains("127.0.0.1:" + port).doesNotContain("/127");
    });
    assertThat(r.greeting()).isNull();
  }

  @Test
  void interruptedProbeIsMarkedAbortedAndKeepsTheFlag() {
    smtp.server().behave(SmtpBehaviour.tarpit(Duration.ofMinutes(5)));
    Thread.currentThread().interrupt();
    InspectionReport r;
    try {
      r = inspector.inspect(smtp.server().target());
    } finally {
      assertThat(Thread.interrupted()).as("interrupt flag restored").isTrue();
    }
    assertThat(r.aborted()).isTrue();
    assertThat(codes(r)).doesNotContain(FindingCode.TIMEOUT);
  }

  @Test
  void capturesAnyChainHandedToTheServerWhateverItsValidity() {
    TestPki pki = TestPki.create();
    IssuedCertificate selfSigned = pki.newLeaf().commonName("self.smtptls.test").dnsNames("self.smtptls.test").selfSigned().issue();
    IssuedCertificate expired = pki.newLeaf().commonName("old.smtptls.test").dnsNames("old.smtptls.test").expired().issue();
    for (IssuedCertificate cert : List.of(selfSigned, expired)) {
      try (MockSmtpServer server = MockSmtpServer.builder().fqdn("mx.other.test").certificate(cert).build().start()) {
        InspectionReport r = inspector.inspect(server.target());
        assertThat(r.startTls().status()).isEqualTo(Status.UPGRADED);
        assertThat(r.peerChain()).containsExactlyElementsOf(cert.chain());
        assertThat(r.certificates().get(0).selfSigned()).isEqualTo(cert == selfSigned);
      }
    }
  }

  @Test
  void fastModeSkipsTheEhloAfterTls() {
    smtp.server().behave(SmtpBehaviour.healthy());
    InspectionReport r = SmtpTlsInspector.builder().ehloName("fast.smtptls.test").ehloAfterTls(false).build()
        .inspect(smtp.server().target());
    assertThat(r.startTls().status()).isEqualTo(Status.UPGRADED);
    assertThat(r.ehloAfterTls()).isNull();
    assertThat(smtp.server().receivedCommands()).filteredOn(c -> c.equals("EHLO fast.smtptls.test")).hasSize(1);
  }
}
