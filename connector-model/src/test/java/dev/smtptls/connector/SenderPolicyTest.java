package dev.smtptls.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.connector.PolicyVerdict.Outcome;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import dev.smtptls.sink.SenderReport;
import dev.smtptls.sink.SinkPolicy;
import dev.smtptls.smtp.SmtpReply;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.TestPki;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The receive-side verdicts over {@link SenderReport}s built directly, as a sink would have made them. */
class SenderPolicyTest {

  private static final TestPki PKI = TestPki.create();
  private static final IssuedCertificate MAIL_CONTOSO = PKI.leaf("mail.contoso.com");
  private static final IssuedCertificate DEEP_CONTOSO = PKI.leaf("a.mail.contoso.com");

  private static SenderReport report(String remote, boolean tls, List<X509Certificate> chain, Finding... findings) {
    return new SenderReport(new InetSocketAddress(ip(remote), 40000), Instant.parse("2025-01-01T00:00:00Z"),
        Duration.ofMillis(30), "mail.contoso.com", true,
        tls ? new SenderReport.StartTls(true, Duration.ofMillis(5), "TLSv1.3", "TLS_AES_128_GCM_SHA256", null)
            : SenderReport.StartTls.notIssued(),
        chain, null, "alice@contoso.com", List.of("bob@fabrikam.com"), 0, 0, null, List.of(findings), List.of(), null);
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByAddress(InetAddress.getByName(literal).getAddress()); // literals only
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static SenderReport plain() {
    return report("192.0.2.10", false, List.of(),
        Finding.of(FindingCode.SENDER_NO_STARTTLS, "no STARTTLS", "helo", "mail.contoso.com"));
  }

  private static SenderReport withCert(String remote, IssuedCertificate cert, Finding... findings) {
    return report(remote, true, cert.chain(), findings);
  }

  private static ExoInboundConnector exo(String spec) {
    return (ExoInboundConnector) ConnectorPolicies.parse("exo-inbound:" + spec);
  }

  private static List<FindingCode> codes(PolicyVerdict v) {
    return v.reasons().stream().map(Finding::code).toList();
  }

  @Test
  void exoPartnerRequiresTlsByDefaultAndQueuesAPlaintextSender() {
    PolicyVerdict v = exo("ConnectorType=Partner").evaluate(plain());

    assertThat(v.outcome()).isEqualTo(Outcome.QUEUED);
    assertThat(v.smtpResponse()).isEqualTo("451 5.7.3 STARTTLS is required to send mail.");
    assertThat(codes(v)).containsExactly(FindingCode.SENDER_NO_STARTTLS);
    assertThat(v.remediations()).extracting(Remediation::command).contains("postconf -e 'smtp_tls_security_level = may'");
  }

  @Test
  void exoWithoutRequireTlsDeliversAPlaintextSenderInClear() {
    PolicyVerdict v = exo("RequireTls=false").evaluate(plain());

    assertThat(v.outcome()).isEqualTo(Outcome.DELIVERED_PLAINTEXT);
    assertThat(v.smtpResponse()).isNull();
    assertThat(codes(v)).containsExactly(FindingCode.SENDER_NO_STARTTLS);
  }

  @Test
  void exoOnPremisesAttributesASenderWhoseCertificateNamesTheDomain() {
    PolicyVerdict exact = exo("ConnectorType=OnPremises,TlsSenderCertificateName=mail.contoso.com")
        .evaluate(withCert("192.0.2.10", MAIL_CONTOSO));
    PolicyVerdict wildcard = exo("ConnectorType=OnPremises,TlsSenderCertificateName=*.contoso.com")
        .evaluate(withCert("192.0.2.10", MAIL_CONTOSO));

    assertThat(exact.outcome()).isEqualTo(Outcome.DELIVERED_TLS);
    assertThat(exact.reasons()).isEmpty();
    assertThat(wildcard.outcome()).isEqualTo(Outcome.DELIVERED_TLS);
  }

  @Test
  void wildcardCoversOneLabelOnly() {
    PolicyVerdict v = exo("ConnectorType=OnPremises,TlsSenderCertificateName=*.contoso.com")
        .evaluate(withCert("192.0.2.10", DEEP_CONTOSO));

    assertThat(v.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(v.smtpResponse()).isEqualTo("550 5.7.64 TenantAttribution; Relay Access Denied");
    assertThat(codes(v)).containsExactly(FindingCode.SENDER_CERT_NAME_MISMATCH);
    Finding f = v.reasons().get(0);
    assertThat(f.severity()).isEqualTo(Severity.ERROR);
    assertThat(f.evidence()).containsEntry("expected", "*.contoso.com").containsEntry("names", List.of("a.mail.contoso.com"));
  }

  @Test
  void mismatchRemediesOnTheSendingSideWithTheRealIssuerAndTheConnectorSideWithWhatTheCertificateCovers() {
    ExoInboundConnector c = exo("ConnectorType=OnPremises,TlsSenderCertificateName=fabrikam.com,Name=From on-prem");

    PolicyVerdict v = c.evaluate(withCert("192.0.2.10", MAIL_CONTOSO));

    assertThat(v.outcome()).isEqualTo(Outcome.REJECTED);
    String issuer = MAIL_CONTOSO.certificate().getIssuerX500Principal()
        .getName(javax.security.auth.x500.X500Principal.RFC1779);
    assertThat(v.remediations()).extracting(Remediation::command)
        .anyMatch(cmd -> cmd != null && cmd.contains("Set-SendConnector -Identity \"<Send connector>\" -TlsCertificateName \"<I>"
            + issuer + "<S>CN=fabrikam.com\"") && cmd.contains("-Services SMTP"))
        .anyMatch(cmd -> cmd != null && cmd.contains("smtp_tls_cert_file") && cmd.contains("smtp_tls_key_file"))
        .contains("Set-InboundConnector \"From on-prem\" -TlsSenderCertificateName mail.contoso.com");
  }

  @Test
  void suggestedCertificateIsForTheEhloNameWhenThePatternCoversIt() {
    SenderReport r = report("192.0.2.10", true, List.of(),
        Finding.of(FindingCode.SENDER_NO_CLIENT_CERT, "none", "helo", "mail.contoso.com"));

    PolicyVerdict v = exo("ConnectorType=OnPremises,TlsSenderCertificateName=*.contoso.com").evaluate(r);

    assertThat(v.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(codes(v)).containsExactly(FindingCode.SENDER_NO_CLIENT_CERT);
    assertThat(v.reasons().get(0).severity()).isEqualTo(Severity.ERROR);
    assertThat(v.remediations()).extracting(Remediation::command)
        .anyMatch(cmd -> cmd != null && cmd.contains("<S>CN=mail.contoso.com\""));
  }

  @Test
  void anUntrustedChainIsNotAttributedEvenWhenTheNameMatches() {
    Finding untrusted = new Finding(FindingCode.SENDER_CERT_CHAIN_INCOMPLETE, Severity.ERROR, "no intermediate", Map.of());

    PolicyVerdict v = exo("ConnectorType=OnPremises,TlsSenderCertificateName=mail.contoso.com")
        .evaluate(withCert("192.0.2.10", MAIL_CONTOSO, untrusted));

    assertThat(v.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(codes(v)).containsExactly(FindingCode.SENDER_CERT_CHAIN_INCOMPLETE);
    assertThat(v.remediations()).extracting(Remediation::command)
        .anyMatch(cmd -> cmd != null && cmd.contains("Import-Certificate -CertStoreLocation Cert:\\LocalMachine\\CA"));
  }

  @Test
  void wrongPurposeDoesNotStopExchangeOnline() {
    Finding purpose = new Finding(FindingCode.SENDER_CERT_WRONG_PURPOSE, Severity.ERROR, "serverAuth only", Map.of());

    PolicyVerdict v = exo("ConnectorType=OnPremises,TlsSenderCertificateName=mail.contoso.com")
        .evaluate(withCert("192.0.2.10", MAIL_CONTOSO, purpose));

    assertThat(v.outcome()).isEqualTo(Outcome.DELIVERED_TLS);
  }

  @Test
  void onPremisesAttributesBySenderAddressInACidrBlock() {
    ExoInboundConnector c = exo("ConnectorType=OnPremises,SenderIPAddresses=198.51.100.0/24");

    PolicyVerdict inside = c.evaluate(report("198.51.100.77", false, List.of()));
    PolicyVerdict outside = c.evaluate(report("198.51.101.1", false, List.of()));

    assertThat(inside.outcome()).isEqualTo(Outcome.DELIVERED_PLAINTEXT);
    assertThat(outside.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(outside.smtpResponse()).isEqualTo(ExoInboundConnector.TENANT_ATTRIBUTION_REPLY);
    assertThat(codes(outside)).containsExactly(FindingCode.SENDER_ADDRESS_NOT_ALLOWED);
    assertThat(outside.reasons().get(0).evidence()).containsEntry("address", "198.51.101.1");
    assertThat(outside.remediations()).extracting(Remediation::command)
        .contains("Set-InboundConnector \"<Inbound connector>\" -SenderIPAddresses @{Add=\"198.51.101.1\"}");
  }

  @Test
  void senderAddressesTakeRangesAndSingleAddressesAndNeverIpv6() {
    List<String> entries = List.of("192.0.2.5-192.0.2.9", "203.0.113.4", "198.51.100.128/25");

    assertThat(SenderEvaluation.listed(ip("192.0.2.7"), entries)).isTrue();
    assertThat(SenderEvaluation.listed(ip("192.0.2.10"), entries)).isFalse();
    assertThat(SenderEvaluation.listed(ip("203.0.113.4"), entries)).isTrue();
    assertThat(SenderEvaluation.listed(ip("198.51.100.200"), entries)).isTrue();
    assertThat(SenderEvaluation.listed(ip("198.51.100.127"), entries)).isFalse();
    assertThat(SenderEvaluation.listed(ip("::1"), List.of("127.0.0.1"))).isFalse();
  }

  @Test
  void onPremisesWithBothIdentifiesByEitherUnlessRestricted() {
    SenderReport fromListedAddressWithoutCertificate = report("198.51.100.7", true, List.of());

    PolicyVerdict either = exo("ConnectorType=OnPremises,TlsSenderCertificateName=mail.contoso.com,"
        + "SenderIPAddresses=198.51.100.0/24").evaluate(fromListedAddressWithoutCertificate);
    PolicyVerdict restricted = exo("ConnectorType=OnPremises,TlsSenderCertificateName=mail.contoso.com,"
        + "SenderIPAddresses=198.51.100.0/24,RestrictDomainsToCertificate=true").evaluate(fromListedAddressWithoutCertificate);

    assertThat(either.outcome()).isEqualTo(Outcome.DELIVERED_TLS);
    assertThat(restricted.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(codes(restricted)).containsExactly(FindingCode.SENDER_NO_CLIENT_CERT);
  }

  @Test
  void partnerCertificateMismatchIsRejectedWithoutADocumentedReply() {
    PolicyVerdict v = exo("ConnectorType=Partner,TlsSenderCertificateName=fabrikam.com")
        .evaluate(withCert("192.0.2.10", MAIL_CONTOSO));

    assertThat(v.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(v.smtpResponse()).isNull();
    SmtpReply answer = SenderPolicy.refusal(v);
    assertThat(answer).isNotNull();
    assertThat(answer.code()).isEqualTo(550);
    assertThat(answer.oneLine()).contains("SENDER_CERT_NAME_MISMATCH");
  }

  @Test
  void exchangeReceiveRequireTlsQueuesAPlaintextSender() {
    SenderPolicy c = (SenderPolicy) ConnectorPolicies.parse("exchange-receive:RequireTLS=true,AuthMechanism=Tls");

    PolicyVerdict v = c.evaluate(plain());
    PolicyVerdict tls = c.evaluate(withCert("192.0.2.10", MAIL_CONTOSO));

    assertThat(v.outcome()).isEqualTo(Outcome.QUEUED);
    assertThat(v.smtpResponse()).isEqualTo("451 5.7.3 Must issue a STARTTLS command first.");
    assertThat(tls.outcome()).isEqualTo(Outcome.DELIVERED_TLS);
  }

  @Test
  void exchangeReceiveWithoutTlsMechanismTakesMailInClear() {
    SenderPolicy c = (SenderPolicy) ConnectorPolicies.parse("exchange-receive:AuthMechanism=None,Identity=EX01\\Default");

    PolicyVerdict v = c.evaluate(withCert("192.0.2.10", MAIL_CONTOSO));

    assertThat(v.outcome()).isEqualTo(Outcome.DELIVERED_PLAINTEXT);
    assertThat(codes(v)).containsExactly(FindingCode.STARTTLS_NOT_OFFERED);
    assertThat(v.remediations()).extracting(Remediation::command)
        .contains("Set-ReceiveConnector \"EX01\\Default\" -AuthMechanism Tls");
  }

  @Test
  void postfixEncryptRejectsAPlaintextSenderWith530() {
    SenderPolicy p = (SenderPolicy) ConnectorPolicies.parse("postfix:smtpd_tls_security_level=encrypt");

    PolicyVerdict v = p.evaluate(plain());

    assertThat(v.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(v.smtpResponse()).isEqualTo("530 5.7.0 Must issue a STARTTLS command first");
  }

  @Test
  void postfixRequiredClientCertificate() {
    SenderPolicy p = (SenderPolicy) ConnectorPolicies.parse(
        "postfix:smtpd_tls_security_level=encrypt,smtpd_tls_req_ccert=yes,myhostname=mx.example.org");
    Finding untrusted = new Finding(FindingCode.SENDER_CERT_UNTRUSTED, Severity.ERROR, "unknown CA", Map.of());

    PolicyVerdict none = p.evaluate(report("192.0.2.10", true, List.of()));
    PolicyVerdict bad = p.evaluate(withCert("192.0.2.10", MAIL_CONTOSO, untrusted));
    PolicyVerdict good = p.evaluate(withCert("192.0.2.10", MAIL_CONTOSO));

    assertThat(none.outcome()).isEqualTo(Outcome.QUEUED);
    assertThat(none.smtpResponse()).isEqualTo("421 4.7.1 mx.example.org Error: No client certificate presented");
    assertThat(none.reasons()).extracting(Finding::severity).containsExactly(Severity.ERROR);
    assertThat(none.remediations()).extracting(Remediation::command)
        .anyMatch(cmd -> cmd != null && cmd.contains("smtp_tls_cert_file = /etc/postfix/mail.contoso.com-chain.pem"));
    assertThat(bad.smtpResponse()).isEqualTo("421 4.7.1 mx.example.org Error: Client certificate not trusted");
    assertThat(codes(bad)).containsExactly(FindingCode.SENDER_CERT_UNTRUSTED);
    assertThat(good.outcome()).isEqualTo(Outcome.DELIVERED_TLS);
  }

  @Test
  void postfixMayAndNone() {
    SenderPolicy may = (SenderPolicy) ConnectorPolicies.parse("postfix:smtpd_tls_security_level=may");
    SenderPolicy none = (SenderPolicy) ConnectorPolicies.parse("postfix:smtpd_tls_security_level=none");

    assertThat(may.evaluate(plain()).outcome()).isEqualTo(Outcome.DELIVERED_PLAINTEXT);
    assertThat(may.evaluate(withCert("192.0.2.10", MAIL_CONTOSO)).outcome()).isEqualTo(Outcome.DELIVERED_TLS);
    PolicyVerdict n = none.evaluate(withCert("192.0.2.10", MAIL_CONTOSO));
    assertThat(n.outcome()).isEqualTo(Outcome.DELIVERED_PLAINTEXT);
    assertThat(codes(n)).containsExactly(FindingCode.STARTTLS_NOT_OFFERED);
  }

  @Test
  void sinkPolicyAnswersTheVerdictsReplyAndStaysSilentWhenMailPasses() {
    SinkPolicy hook = exo("ConnectorType=Partner").sinkPolicy();

    SmtpReply refused = hook.answer(plain(), SinkPolicy.Command.MAIL);
    SmtpReply passed = hook.answer(withCert("192.0.2.10", MAIL_CONTOSO), SinkPolicy.Command.MAIL);

    assertThat(refused).isNotNull();
    assertThat(refused.oneLine()).isEqualTo("451 5.7.3 STARTTLS is required to send mail.");
    assertThat(passed).isNull();
  }
}
