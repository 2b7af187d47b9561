package dev.smtptls.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.connector.PolicyVerdict.Outcome;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.sink.RunningSink;
import dev.smtptls.sink.SenderReport;
import dev.smtptls.sink.SmtpTlsSink;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.testkit.sink.TestSender;
import dev.smtptls.trust.TrustSources;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A real {@link SmtpTlsSink} on loopback answering as a receive-side connector would ({@link
 * SenderPolicy#sinkPolicy()}), with a Java client as the sender: what the sender hears and the
 * verdict on what the sink saw agree.
 */
class SinkVerdictIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final TestPki PKI = TestPki.create();
  private static final IssuedCertificate SENDER = PKI.leaf("mail.contoso.com");

  private static RunningSink sink(SenderPolicy connector) {
    return SmtpTlsSink.builder()
        .trustSource(TrustSources.anchors("test root", List.of(PKI.root().certificate())))
        .acceptMail(true)
        .policy(connector.sinkPolicy())
        .build()
        .start();
  }

  private static SenderPolicy parse(String spec) {
    return (SenderPolicy) ConnectorPolicies.parse(spec);
  }

  @Test
  void matchingCertificateIsTakenOverTls() throws Exception {
    SenderPolicy connector = parse("exo-inbound:ConnectorType=OnPremises,TlsSenderCertificateName=*.contoso.com");
    try (RunningSink sink = sink(connector)) {
      String mail;
      String rcpt;
      try (TestSender s = new TestSender(sink.address())) {
        s.command("EHLO mail.contoso.com");
        s.startTls(SENDER);
        s.command("EHLO mail.contoso.com");
        mail = s.command("MAIL FROM:<alice@contoso.com>");
        rcpt = s.command("RCPT TO:<bob@fabrikam.com>");
        s.command("QUIT");
      }
      SenderReport r = sink.next(WAIT).orElseThrow();

      assertThat(mail).startsWith("250");
      assertThat(rcpt).startsWith("250");
      assertThat(r.policyReply()).isNull();
      PolicyVerdict v = connector.evaluate(r);
      assertThat(v.outcome()).isEqualTo(Outcome.DELIVERED_TLS);
      assertThat(v.reasons()).isEmpty();
    }
  }

  @Test
  void certificateForAnotherDomainHearsTenantAttribution() throws Exception {
    SenderPolicy connector = parse("exo-inbound:ConnectorType=OnPremises,TlsSenderCertificateName=fabrikam.com");
    try (RunningSink sink = sink(connector)) {
      String mail;
      try (TestSender s = new TestSender(sink.address())) {
        s.command("EHLO mail.contoso.com");
        s.startTls(SENDER);
        s.command("EHLO mail.contoso.com");
        mail = s.command("MAIL FROM:<alice@contoso.com>");
        s.command("QUIT");
      }
      SenderReport r = sink.next(WAIT).orElseThrow();

      assertThat(mail).isEqualTo("550 5.7.64 TenantAttribution; Relay Access Denied");
      assertThat(r.policyReply()).isNotNull();
      assertThat(r.policyReply().oneLine()).isEqualTo(mail);
      PolicyVerdict v = connector.evaluate(r);
      assertThat(v.outcome()).isEqualTo(Outcome.REJECTED);
      assertThat(v.smtpResponse()).isEqualTo(mail);
      assertThat(v.reasons()).extracting(f -> f.code()).containsExactly(FindingCode.SENDER_CERT_NAME_MISMATCH);
    }
  }

  @Test
  void plaintextSenderHearsStartTlsRequired() throws Exception {
    SenderPolicy connector = parse("exo-inbound:RequireTls=true");
    try (RunningSink sink = sink(connector)) {
      String mail;
      try (TestSender s = new TestSender(sink.address())) {
        s.command("EHLO mail.contoso.com");
        mail = s.command("MAIL FROM:<alice@contoso.com>");
        s.command("QUIT");
      }
      SenderReport r = sink.next(WAIT).orElseThrow();

      assertThat(mail).isEqualTo("451 5.7.3 STARTTLS is required to send mail.");
      assertThat(connector.evaluate(r).outcome()).isEqualTo(Outcome.QUEUED);
    }
  }

  @Test
  void postfixRequiringAClientCertificateAnswers421WithoutOne() throws Exception {
    SenderPolicy connector = parse(
        "postfix:smtpd_tls_security_level=encrypt,smtpd_tls_req_ccert=yes,myhostname=mx.example.org");
    try (RunningSink sink = sink(connector)) {
      String mail;
      try (TestSender s = new TestSender(sink.address())) {
        s.command("EHLO mail.contoso.com");
        s.startTls(null);
        s.command("EHLO mail.contoso.com");
        mail = s.command("MAIL FROM:<alice@contoso.com>");
        s.command("QUIT");
      }
      SenderReport r = sink.next(WAIT).orElseThrow();

      assertThat(mail).isEqualTo("421 4.7.1 mx.example.org Error: No client certificate presented");
      assertThat(connector.evaluate(r).outcome()).isEqualTo(Outcome.QUEUED);
    }
  }
}
