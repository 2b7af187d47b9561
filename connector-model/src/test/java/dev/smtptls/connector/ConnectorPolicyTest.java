package dev.smtptls.connector;

import static dev.smtptls.connector.Reports.EHLO_PLAIN;
import static dev.smtptls.connector.Reports.EHLO_STARTTLS;
import static dev.smtptls.connector.Reports.READY;
import static dev.smtptls.connector.Reports.READY_FOR_TLS;
import static dev.smtptls.connector.Reports.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtptls.connector.PolicyVerdict.Outcome;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.PlaintextCheck;
import dev.smtptls.inspect.StartTlsOutcome;
import dev.smtptls.smtp.Greeting;
import dev.smtptls.smtp.SmtpReply;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectorPolicyTest {

  private static final ConnectorPolicy OPPORTUNISTIC = ConnectorPolicy.opportunistic().build();
  private static final ConnectorPolicy FORCED = ConnectorPolicy.forced().build();

  private static final String SEED_TEXT =
      "451 4.4.0 Primary target IP address responded with: \"451 5.7.3 STARTTLS is required to send mail.\"";

  private static InspectionReport refused() {
    SmtpReply r = SmtpReply.of(454, "4.7.0 TLS not available due to local problem");
    return report(READY, EHLO_STARTTLS, null, new StartTlsOutcome.Refused(r), null,
        Finding.of(FindingCode.STARTTLS_REFUSED, "refused", "reply", r.oneLine()));
  }

  private static InspectionReport handshakeFailed() {
    return report(READY, EHLO_STARTTLS, null,
        new StartTlsOutcome.HandshakeFailed(READY_FOR_TLS, "handshake_failure", List.of()), null,
        Finding.of(FindingCode.TLS_HANDSHAKE_FAILED, "failed", "alert", "handshake_failure"));
  }

  private static InspectionReport heloOnly() {
    SmtpReply helo = SmtpReply.of(250, "mx1.example.org");
    return report(READY, null, helo, new StartTlsOutcome.NotOffered(null), null,
        Finding.of(FindingCode.ESMTP_NOT_SUPPORTED, "SMTP only", "reply", "502 5.5.2 Error: command not recognized"));
  }

  private static InspectionReport maskedByFirewall() {
    // STARTTLS missing from EHLO, accepted when sent anyway: what a Cisco ASA's inspection leaves.
    return report(new Greeting(SmtpReply.of(220, "*****************************")), EHLO_PLAIN, null,
        new StartTlsOutcome.Upgraded(READY_FOR_TLS, "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", List.of(), false),
        null,
        Finding.of(FindingCode.STARTTLS_NOT_OFFERED, "not offered", "reply", EHLO_PLAIN.reply().oneLine(),
            "attempt", READY_FOR_TLS.oneLine()),
        Finding.of(FindingCode.ESMTP_INSPECTION_SUSPECTED, "masked", "signs", List.of("greeting masked with *")));
  }

  @Test
  void opportunisticDeliversOverTlsWhenUpgraded() {
    PolicyVerdict v = OPPORTUNISTIC.evaluate(Reports.healthy());

    assertThat(v.outcome()).isEqualTo(Outcome.DELIVERED_TLS);
    assertThat(v.deliversOverTls()).isTrue();
    assertThat(v.smtpResponse()).isNull();
    assertThat(v.reasons()).isEmpty();
    assertThat(v.remediations()).isEmpty();
  }

  @Test
  void opportunisticDeliversInClearWithoutStartTls() {
    PolicyVerdict v = OPPORTUNISTIC.evaluate(Reports.notOffered(null));

    assertThat(v.outcome()).isEqualTo(Outcome.DELIVERED_PLAINTEXT);
    assertThat(v.smtpResponse()).isNull();
    assertThat(v.reasons()).extracting(Finding::code).containsExactly(FindingCode.STARTTLS_NOT_OFFERED);
    assertThat(v.remediations()).singleElement()
        .satisfies(r -> assertThat(r.command()).contains("-AuthMechanism Tls"));
  }

  @Test
  void opportunisticFallsBackToClearTextWhenStartTlsIsRefusedOrFails() {
    assertThat(OPPORTUNISTIC.evaluate(refused()).outcome()).isEqualTo(Outcome.DELIVERED_PLAINTEXT);
    assertThat(OPPORTUNISTIC.evaluate(refused()).reasons()).extracting(Finding::code)
        .containsExactly(FindingCode.STARTTLS_REFUSED);
    assertThat(OPPORTUNISTIC.evaluate(handshakeFailed()).outcome()).isEqualTo(Outcome.DELIVERED_PLAINTEXT);
    assertThat(OPPORTUNISTIC.evaluate(heloOnly()).outcome()).isEqualTo(Outcome.DELIVERED_PLAINTEXT);
  }

  @Test
  void opportunisticIgnoresStartTlsTheServerDidNotAdvertise() {
    PolicyVerdict v = OPPORTUNISTIC.evaluate(maskedByFirewall());

    assertThat(v.outcome()).isEqualTo(Outcome.DELIVERED_PLAINTEXT);
    assertThat(v.reasons()).extracting(Finding::code)
        .containsExactly(FindingCode.STARTTLS_NOT_OFFERED, FindingCode.ESMTP_INSPECTION_SUSPECTED);
    assertThat(v.remediations()).anySatisfy(r -> assertThat(r.command()).contains("no inspect esmtp"));
  }

  @Test
  void opportunisticQueuesWhenTheServerDemandsTlsItDoesNotOffer() {
    SmtpReply demand = SmtpReply.of(451, "5.7.3 Must issue a STARTTLS command first.");
    PolicyVerdict v = OPPORTUNISTIC.evaluate(Reports.notOffered(new PlaintextCheck(demand),
        Finding.of(FindingCode.TLS_REQUIRED_BY_SERVER, "demands TLS", "reply", demand.oneLine())));

    assertThat(v.outcome()).isEqualTo(Outcome.QUEUED);
    // The second text of the seed document.
    assertThat(v.smtpResponse()).isEqualTo(
        "451 4.4.0 Primary target IP address responded with: \"451 5.7.3 Must issue a STARTTLS command first.\"");
    assertThat(v.reasons()).extracting(Finding::code)
        .containsExactly(FindingCode.STARTTLS_NOT_OFFERED, FindingCode.TLS_REQUIRED_BY_SERVER);
  }

  @Test
  void opportunisticIsRejectedByAPermanentTlsDemand() {
    SmtpReply demand = SmtpReply.of(530, "5.7.0 Must issue a STARTTLS command first");
    PolicyVerdict v = OPPORTUNISTIC.evaluate(Reports.notOffered(new PlaintextCheck(demand)));

    assertThat(v.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(v.smtpResponse()).isEqualTo("530 5.7.0 Must issue a STARTTLS command first");
  }

  @Test
  void opportunisticDeliversInClearWhenTheServerAcceptsPlaintext() {
    SmtpReply ok = SmtpReply.of(250, "2.1.0 Ok");
    PolicyVerdict v = OPPORTUNISTIC.evaluate(Reports.notOffered(new PlaintextCheck(ok),
        Finding.of(FindingCode.PLAINTEXT_ACCEPTED, "accepted", "reply", ok.oneLine())));

    assertThat(v.outcome()).isEqualTo(Outcome.DELIVERED_PLAINTEXT);
    assertThat(v.reasons()).extracting(Finding::code)
        .containsExactly(FindingCode.STARTTLS_NOT_OFFERED, FindingCode.PLAINTEXT_ACCEPTED);
  }

  @Test
  void bothQueueWithTheServersTextWhenTheGreetingRefusesTheSession() {
    Greeting blocked = new Greeting(SmtpReply.of(554, "5.7.1 Service unavailable; client [192.0.2.1] blocked using zen.spamhaus.org"));
    InspectionReport r = Reports.sessionFailed(blocked,
        Finding.of(FindingCode.GREETING_REJECTED, "refused", "code", "554", "text", blocked.text()));

    for (ConnectorPolicy p : List.of(OPPORTUNISTIC, FORCED)) {
      PolicyVerdict v = p.evaluate(r);
      assertThat(v.outcome()).isEqualTo(Outcome.QUEUED);
      assertThat(v.smtpResponse()).isEqualTo("451 4.4.0 Primary target IP address responded with: "
          + "\"554 5.7.1 Service unavailable; client [192.0.2.1] blocked using zen.spamhaus.org\"");
      assertThat(v.reasons()).extracting(Finding::code).containsExactly(FindingCode.GREETING_REJECTED);
      assertThat(v.remediations()).singleElement().satisfies(m -> assertThat(m.text()).contains("delisting"));
    }
  }

  @Test
  void bothQueueWithoutAnInventedTextWhenTheConnectionFails() {
    InspectionReport connect = Reports.sessionFailed(null,
        Finding.of(FindingCode.CONNECT_FAILED, "refused", "step", "connect", "reason", "Connection refused"));
    InspectionReport timeout = Reports.sessionFailed(null,
        Finding.of(FindingCode.TIMEOUT, "slow", "step", "greeting"));

    for (ConnectorPolicy p : List.of(OPPORTUNISTIC, FORCED)) {
      assertThat(p.evaluate(connect).outcome()).isEqualTo(Outcome.QUEUED);
      assertThat(p.evaluate(connect).smtpResponse()).isNull();
      assertThat(p.evaluate(connect).remediations()).singleElement()
          .satisfies(m -> assertThat(m.command()).isEqualTo("Test-NetConnection -ComputerName mx1.example.org -Port 25"));
      assertThat(p.evaluate(timeout).outcome()).isEqualTo(Outcome.QUEUED);
      assertThat(p.evaluate(timeout).reasons()).extracting(Finding::code).containsExactly(FindingCode.TIMEOUT);
    }
  }

  @Test
  void aPermanentEhloRefusalIsRejected() {
    InspectionReport r = Reports.sessionFailed(READY, Finding.of(FindingCode.EHLO_REJECTED, "bad HELO",
        "reply", "550 5.7.506 Access denied, Bad HELO"));

    PolicyVerdict v = OPPORTUNISTIC.evaluate(r);

    assertThat(v.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(v.smtpResponse()).isEqualTo("550 5.7.506 Access denied, Bad HELO");
  }

  @Test
  void forcedDeliversOverTlsWhenUpgraded() {
    assertThat(FORCED.evaluate(Reports.healthy()).outcome()).isEqualTo(Outcome.DELIVERED_TLS);
  }

  @Test
  void forcedQueuesWithTheSeedTextWithoutStartTls() {
    for (InspectionReport r : List.of(Reports.notOffered(null), heloOnly(), maskedByFirewall())) {
      PolicyVerdict v = FORCED.evaluate(r);

      assertThat(v.outcome()).isEqualTo(Outcome.QUEUED);
      assertThat(v.smtpResponse()).isEqualTo(SEED_TEXT).isEqualTo(ForcedPolicy.STARTTLS_REQUIRED_RESPONSE);
      assertThat(v.reasons()).isNotEmpty().allSatisfy(f -> assertThat(f.severity()).isEqualTo(Severity.ERROR));
      assertThat(v.remediations()).isNotEmpty();
    }
  }

  @Test
  void forcedQueuesWithTheServersRefusal() {
    PolicyVerdict v = FORCED.evaluate(refused());

    assertThat(v.outcome()).isEqualTo(Outcome.QUEUED);
    assertThat(v.smtpResponse()).isEqualTo(
        "451 4.4.0 Primary target IP address responded with: \"454 4.7.0 TLS not available due to local problem\"");
    assertThat(v.remediations()).singleElement()
        .satisfies(m -> assertThat(m.command()).startsWith("Enable-ExchangeCertificate"));
  }

  @Test
  void forcedQueuesAfterAFailedHandshakeWithoutAnInventedText() {
    PolicyVerdict v = FORCED.evaluate(handshakeFailed());

    assertThat(v.outcome()).isEqualTo(Outcome.QUEUED);
    assertThat(v.smtpResponse()).isNull();
    assertThat(v.reasons()).extracting(Finding::code).containsExactly(FindingCode.TLS_HANDSHAKE_FAILED);
  }

  @Test
  void forcedWithAMinimumQueuesAnOlderProtocol() {
    InspectionReport tls10 = Reports.upgraded("TLSv1",
        Finding.of(FindingCode.TLS_PROTOCOL_WEAK, "old", "protocol", "TLSv1"));
    ConnectorPolicy strict = ConnectorPolicy.forced().requireTlsVersionAtLeast("TLSv1.2").build();

    PolicyVerdict v = strict.evaluate(tls10);

    assertThat(v.outcome()).isEqualTo(Outcome.QUEUED);
    assertThat(v.reasons()).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo(FindingCode.TLS_PROTOCOL_WEAK);
      assertThat(f.severity()).isEqualTo(Severity.ERROR);
      assertThat(f.message()).contains("TLSv1.2");
    });
    assertThat(v.remediations()).singleElement()
        .satisfies(m -> assertThat(m.command()).contains("smtpd_tls_protocols = >=TLSv1.2"));
    assertThat(strict.evaluate(Reports.upgraded("TLSv1.2")).outcome()).isEqualTo(Outcome.DELIVERED_TLS);
    assertThat(ConnectorPolicy.forced().requireTlsVersionAtLeast("TLSv1.3").build()
        .evaluate(Reports.upgraded("TLSv1.2")).reasons())
        .singleElement().satisfies(f -> assertThat(f.evidence("protocol")).hasValue("TLSv1.2"));
  }

  @Test
  void weakProtocolIsAWarningReasonWhenDeliveredOverTls() {
    PolicyVerdict v = OPPORTUNISTIC.evaluate(Reports.upgraded("TLSv1.1",
        Finding.of(FindingCode.TLS_PROTOCOL_WEAK, "old", "protocol", "TLSv1.1")));

    assertThat(v.outcome()).isEqualTo(Outcome.DELIVERED_TLS);
    assertThat(v.reasons()).singleElement().satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.WARNING));
  }

  @Test
  void aSessionThatBreaksAfterTlsQueues() {
    PolicyVerdict v = FORCED.evaluate(Reports.upgraded("TLSv1.3",
        Finding.of(FindingCode.CONNECTION_CLOSED, "closed", "step", "ehlo-after-tls", "reason", "EOF")));

    assertThat(v.outcome()).isEqualTo(Outcome.QUEUED);
    assertThat(v.reasons()).extracting(Finding::code).containsExactly(FindingCode.CONNECTION_CLOSED);
  }

  @Test
  void certificateFindingsDoNotDecideTheGenericPolicies() {
    PolicyVerdict v = FORCED.evaluate(Reports.upgraded("TLSv1.3",
        Finding.of(FindingCode.CERT_SELF_SIGNED, "self-signed")));

    assertThat(v.outcome()).isEqualTo(Outcome.DELIVERED_TLS);
    assertThat(v.reasons()).isEmpty();
  }

  @Test
  void explainsMissingTlsEvenWhenAHandBuiltReportHasNoFinding() {
    PolicyVerdict v = FORCED.evaluate(report(READY, EHLO_PLAIN, null, new StartTlsOutcome.NotOffered(null), null));

    assertThat(v.reasons()).extracting(Finding::code).containsExactly(FindingCode.STARTTLS_NOT_OFFERED);
    assertThat(v.remediations()).isNotEmpty();
  }

  @Test
  void refusesAnAbortedReport() {
    InspectionReport healthy = Reports.healthy();
    InspectionReport aborted = new InspectionReport(healthy.target(), healthy.address(), healthy.startedAt(),
        healthy.duration(), null, null, null, new StartTlsOutcome.NotAttempted("interrupted"), null, null, null,
        List.of(), List.of(), healthy.timings(), true);

    assertThatThrownBy(() -> OPPORTUNISTIC.evaluate(aborted))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aborted");
    assertThatThrownBy(() -> OPPORTUNISTIC.evaluate(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void forcedBuilderValidatesEagerly() {
    assertThatThrownBy(() -> ConnectorPolicy.forced().requireTlsVersionAtLeast("TLS1.2"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version").hasMessageContaining("TLSv1.2");
    assertThatThrownBy(() -> ConnectorPolicy.forced().requireTlsVersionAtLeast("TLSv1.2").requireTlsVersionAtLeast("TLSv1.3"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("requireTlsVersionAtLeast");
    assertThatThrownBy(() -> new ForcedPolicy("SSLv3"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minimumTlsVersion");
    assertThat(ConnectorPolicy.forced().build().minimumTlsVersion()).isNull();
  }

  @Test
  void verdictIsImmutableAndValidated() {
    PolicyVerdict v = FORCED.evaluate(Reports.notOffered(null));

    assertThatThrownBy(() -> v.reasons().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> new PolicyVerdict(Outcome.QUEUED, " ", List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("smtpResponse");
    assertThatThrownBy(() -> new Remediation("", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("text");
  }
}
