package dev.smtptls.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.connector.PolicyVerdict.Outcome;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.SmtpTarget;
import dev.smtptls.inspect.SmtpTlsInspector;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.testkit.smtp.MockSmtpServer;
import dev.smtptls.testkit.smtp.SmtpBehaviour;
import dev.smtptls.trust.TrustSources;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both directions of hybrid mail flow, simulated end to end over loopback: a receive-side
 * connector's {@link ReceiveProfile} configures the testkit's server (the name it announces,
 * STARTTLS offered or not, the reply to MAIL before STARTTLS, the certificate bound to SMTP); the
 * sending connector's own identity drives the probe (its {@code Fqdn} in EHLO, the smart host
 * name for SNI and names); the sending connector's verdict on that probe must be the outcome the
 * table expects, and the server must have behaved as its profile says.
 */
class HybridMailFlowIT {

  private static final TestPki PKI = TestPki.create();

  /** What the mock presents: the certificate the receive connector names, or another one. */
  enum Cert { NAMED, OTHER_NAME }

  static Stream<Arguments> onPremisesToExchangeOnline() {
    String hcw = "exchange-send:Name=Outbound to Office 365,RequireTLS=true,TlsAuthLevel=DomainValidation,"
        + "TlsDomain=mail.protection.outlook.com,DNSRoutingEnabled=false,"
        + "SmartHosts=contoso-com.mail.protection.outlook.com,Fqdn=mail.contoso.com";
    String inbound = "exo-inbound:ConnectorType=OnPremises,RequireTls=true,TlsSenderCertificateName=mail.contoso.com";
    return Stream.of(
        Arguments.of("HCW send connector -> EXO inbound (RequireTls)", hcw, inbound, Cert.NAMED, Outcome.DELIVERED_TLS, null),
        Arguments.of("opportunistic send connector -> EXO inbound", "exchange-send:RequireTLS=false", inbound, Cert.NAMED,
            Outcome.DELIVERED_TLS, null),
        Arguments.of("HCW send connector -> a certificate not for mail.protection.outlook.com", hcw, inbound,
            Cert.OTHER_NAME, Outcome.QUEUED, null));
  }

  static Stream<Arguments> exchangeOnlineToOnPremises() {
    String receiveTls = "exchange-receive:Fqdn=mail.contoso.com,AuthMechanism=Tls";
    String receiveRequireTls = "exchange-receive:Fqdn=mail.contoso.com,AuthMechanism=Tls,RequireTLS=true";
    String receiveNoTls = "exchange-receive:Fqdn=mail.contoso.com,AuthMechanism=None";
    String domainValidation = "exo-outbound:ConnectorType=OnPremises,TlsSettings=DomainValidation,TlsDomain=mail.contoso.com,"
        + "UseMXRecord=false,SmartHosts=mail.contoso.com";
    String opportunistic = "exo-outbound:ConnectorType=OnPremises,UseMXRecord=false,SmartHosts=mail.contoso.com";
    return Stream.of(
        Arguments.of("EXO outbound DomainValidation -> Receive connector with TLS", domainValidation, receiveTls,
            Cert.NAMED, Outcome.DELIVERED_TLS, null),
        Arguments.of("EXO outbound DomainValidation -> Receive connector requiring TLS", domainValidation,
            receiveRequireTls, Cert.NAMED, Outcome.DELIVERED_TLS, null),
        Arguments.of("EXO outbound DomainValidation -> wrong certificate bound to SMTP", domainValidation, receiveTls,
            Cert.OTHER_NAME, Outcome.QUEUED, "450 4.7.320 Certificate validation failed"),
        Arguments.of("EXO outbound DomainValidation -> Receive connector without TLS", domainValidation, receiveNoTls,
            Cert.NAMED, Outcome.QUEUED, "450 4.4.317 Cannot connect to remote server"),
        Arguments.of("EXO outbound opportunistic -> Receive connector without TLS", opportunistic, receiveNoTls,
            Cert.NAMED, Outcome.DELIVERED_PLAINTEXT, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("onPremisesToExchangeOnline")
  void onPremisesSendConnectorToExchangeOnlineInbound(String name, String send, String receive, Cert cert,
      Outcome outcome, @Nullable String response) {
    simulate(send, receive, "contoso-com.mail.protection.outlook.com", cert, outcome, response);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exchangeOnlineToOnPremises")
  void exchangeOnlineOutboundToOnPremisesReceiveConnector(String name, String send, String receive, Cert cert,
      Outcome outcome, @Nullable String response) {
    simulate(send, receive, "mail.contoso.com", cert, outcome, response);
  }

  private static void simulate(String sendSpec, String receiveSpec, String smartHost, Cert cert, Outcome outcome,
      @Nullable String response) {
    ConnectorPolicy send = ConnectorPolicies.parse(sendSpec);
    ConnectorPolicy receive = ConnectorPolicies.parse(receiveSpec);
    ReceiveProfile profile;
    if (receive instanceof ExoInboundConnector c) {
      profile = c.receiveProfile();
    } else if (receive instanceof ExchangeReceiveConnector c) {
      profile = c.receiveProfile();
    } else {
      throw new AssertionError("not a receive connector: " + receive);
    }
    String certName = profile.certificateName() == null ? profile.fqdn() : profile.certificateName();
    IssuedCertificate served = cert == Cert.NAMED
        ? PKI.leaf(certName, "*." + certName)
        : PKI.leaf("www.fabrikam.test");
    SmtpBehaviour.Builder behaviour = SmtpBehaviour.builder()
        .startTlsAdvertisement(profile.offersStartTls()
            ? SmtpBehaviour.StartTlsAdvertisement.NORMAL : SmtpBehaviour.StartTlsAdvertisement.NONE)
        .acceptStartTlsWhenNotAdvertised(false);
    if (profile.tlsRequiredReply() != null) {
      behaviour.tlsRequiredReply(profile.tlsRequiredReply().oneLine());
    }
    try (MockSmtpServer server = MockSmtpServer.builder().fqdn(profile.fqdn()).certificate(served)
        .behaviour(behaviour.build()).build().start()) {
      InspectionReport report = SmtpTlsInspector.builder()
          .ehloName("mail.contoso.com")
          .timeout(Duration.ofSeconds(5))
          .plaintextCheck(true)
          .attemptStartTlsWhenNotAdvertised(false)
          .certificateChecker(CertificateChecker.builder()
              .trustSource(TrustSources.anchors("testkit", List.of(PKI.root().certificate())))
              .revocationChecker(null)
              .build())
          .build()
          .inspect(SmtpTarget.of(smartHost, server.port()).withAddress(server.target().address()), List.of(smartHost));

      // The server behaved as its connector says.
      assertThat(report.greeting().fqdn()).isEqualTo(profile.fqdn());
      assertThat(report.ehlo().supports("STARTTLS")).isEqualTo(profile.offersStartTls());
      if (profile.requiresTls()) {
        assertThat(report.plaintext().reply()).isEqualTo(profile.tlsRequiredReply());
      } else {
        assertThat(report.plaintext().reply().code()).isEqualTo(250);
      }
      PolicyVerdict v = send.evaluate(report);
      assertThat(v.outcome()).as(v.toString()).isEqualTo(outcome);
      assertThat(v.smtpResponse()).as(v.toString()).isEqualTo(response);
      if (outcome != Outcome.DELIVERED_TLS) {
        assertThat(v.reasons()).isNotEmpty();
        assertThat(v.remediations()).isNotEmpty();
      }
    }
  }
}
