package dev.smtptls.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtptls.connector.PolicyVerdict.Outcome;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.StartTlsOutcome;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.TestPki;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Validation, parameter parsing and remediations of the Exchange connector kinds, over hand-built reports. */
class ExchangeConnectorsTest {

  private static final TestPki PKI = TestPki.create();

  private static Map<String, String> params(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private static InspectionReport upgradedWith(IssuedCertificate cert, Finding... findings) {
    return Reports.report(Reports.READY, Reports.EHLO_STARTTLS, null,
        new StartTlsOutcome.Upgraded(Reports.READY_FOR_TLS, "TLSv1.3", "TLS_AES_128_GCM_SHA256", cert.chain(), true),
        null, findings);
  }

  static Stream<Arguments> refusedConfigurations() {
    Function<Map<String, String>, Object> send = ExchangeSendConnector::fromParameters;
    Function<Map<String, String>, Object> receive = ExchangeReceiveConnector::fromParameters;
    Function<Map<String, String>, Object> outbound = ExoOutboundConnector::fromParameters;
    Function<Map<String, String>, Object> inbound = ExoInboundConnector::fromParameters;
    return Stream.of(
        Arguments.of(send, params("TlsAuthLevel", "CertificateValidation"), "TlsAuthLevel requires RequireTLS $true (Set-SendConnector)"),
        Arguments.of(send, params("RequireTLS", "$true", "IgnoreSTARTTLS", "$true"), "IgnoreSTARTTLS must be $false"),
        Arguments.of(send, params("DNSRoutingEnabled", "$false"), "DNSRoutingEnabled $false requires SmartHosts"),
        Arguments.of(send, params("SmartHosts", "relay.contoso.com", "DNSRoutingEnabled", "true"), "SmartHosts requires DNSRoutingEnabled $false"),
        Arguments.of(send, params("RequireTLS", "true", "TlsAuthLevel", "DomainValidation", "SmartHosts", "relay.contoso.com"),
            "DomainValidation on a smart-host connector (DNSRoutingEnabled $false) requires TlsDomain"),
        Arguments.of(send, params("DomainSecureEnabled", "true", "IgnoreSTARTTLS", "true"), "DomainSecureEnabled requires"),
        Arguments.of(send, params("TlsCertificateName", "CN=mail.contoso.com"), "TlsCertificateName must read \"<I>issuer<S>subject\""),
        Arguments.of(send, params("TlsCertificateName", "<I>not a dn<S>CN=x"), "TlsCertificateName has a malformed distinguished name"),
        Arguments.of(send, params("TlsDomain", "mail.*.com"), "TlsDomain must be a domain name"),
        Arguments.of(send, params("RequireTLS", "yes"), "RequireTLS must be $true or $false"),
        Arguments.of(send, params("RequireTLS", "true", "TlsAuthLevel", "Strict"), "TlsAuthLevel must be one of EncryptionOnly, CertificateValidation, DomainValidation"),
        Arguments.of(send, params("RequireTSL", "true"), "unknown exchange-send parameter RequireTSL; known: Name, Identity, RequireTLS"),
        Arguments.of(receive, params("RequireTLS", "$true", "AuthMechanism", "ExchangeServer"), "RequireTLS $true requires Tls in AuthMechanism (Set-ReceiveConnector)"),
        Arguments.of(receive, params("AuthMechanism", "BasicAuthRequireTLS;Tls"), "BasicAuthRequireTLS requires BasicAuth and Tls"),
        Arguments.of(receive, params("AuthMechanism", "None;Tls"), "None cannot be combined"),
        Arguments.of(receive, params("AuthMechanism", "Kerberos"), "AuthMechanism must be one of"),
        Arguments.of(receive, params("TlsDomainCapabilities", "AcceptCloudServicesMail"), "TlsDomainCapabilities entries read domain:Capability"),
        Arguments.of(outbound, params("TlsSettings", "DomainValidation"), "TlsSettings DomainValidation requires TlsDomain (Set-OutboundConnector)"),
        Arguments.of(outbound, params("UseMXRecord", "$false"), "UseMXRecord $false requires SmartHosts"),
        Arguments.of(outbound, params("SmartHosts", "192.0.2.0/24", "UseMXRecord", "$true"), "SmartHosts requires UseMXRecord $false"),
        Arguments.of(outbound, params("TlsDomain", "*contoso.com"), "TlsDomain must be a domain name"),
        Arguments.of(outbound, params("SmtpDaneMode", "Always"), "SmtpDaneMode must be one of Opportunistic, Mandatory, None"),
        Arguments.of(inbound, params("TlsSenderCertificateName", "mail.*.contoso.com"), "TlsSenderCertificateName must be a domain name"),
        Arguments.of(inbound, params("RestrictDomainsToCertificate", "true"), "RestrictDomainsToCertificate $true requires TlsSenderCertificateName"),
        Arguments.of(inbound, params("RestrictDomainsToIPAddresses", "true"), "RestrictDomainsToIPAddresses $true requires SenderIPAddresses"),
        Arguments.of(inbound, params("SenderIPAddresses", "192.0.2.0/23"), "SenderIPAddresses takes IPv4 addresses"),
        Arguments.of(inbound, params("SenderIPAddresses", "2001:db8::1"), "SenderIPAddresses takes IPv4 addresses"),
        Arguments.of(inbound, params("ConnectorType", "OnPremises"), "ConnectorType OnPremises requires SenderIPAddresses or TlsSenderCertificateName"),
        Arguments.of(inbound, params("ConnectorType", "Internal"), "ConnectorType must be one of Partner, OnPremises"));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("refusedConfigurations")
  void refusesWhatTheCmdletRefuses(Function<Map<String, String>, Object> kind, Map<String, String> p, String message) {
    assertThatThrownBy(() -> kind.apply(p)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
  }

  @Test
  void readsParametersCaseInsensitivelyAsTheCmdletsPrintThem() {
    ExchangeSendConnector send = ExchangeSendConnector.fromParameters(params("requiretls", "True",
        "TLSAUTHLEVEL", "domainvalidation", "tlsdomain", "*.Contoso.com", "SmartHosts", "relay1.contoso.com;[192.0.2.7]",
        "TlsCertificateName", "<I>CN=Contoso CA, O=Contoso<S>CN=mail.contoso.com", "Name", "To Contoso"));
    assertThat(send.requireTls()).isTrue();
    assertThat(send.tlsAuthLevel()).isEqualTo(ExchangeTlsAuthLevel.DOMAIN_VALIDATION);
    assertThat(send.tlsDomain()).isEqualTo("*.contoso.com");
    assertThat(send.smartHosts()).containsExactly("relay1.contoso.com", "[192.0.2.7]");
    assertThat(send.dnsRoutingEnabled()).isFalse();
    assertThat(send.tlsCertificateName().subject().getName()).isEqualTo("CN=mail.contoso.com");
    assertThat(send.tlsCertificateName().toString()).isEqualTo("<I>CN=Contoso CA, O=Contoso<S>CN=mail.contoso.com");

    ExchangeReceiveConnector receive = ExchangeReceiveConnector.fromParameters(params("REQUIRETLS", "$true",
        "authmechanism", "Tls, BasicAuth, BasicAuthRequireTLS", "fqdn", "Mail.Contoso.com",
        "TlsDomainCapabilities", "mail.protection.outlook.com:AcceptCloudServicesMail"));
    assertThat(receive.authMechanism()).containsExactlyInAnyOrder(ExchangeAuthMechanism.TLS,
        ExchangeAuthMechanism.BASIC_AUTH, ExchangeAuthMechanism.BASIC_AUTH_REQUIRE_TLS);
    assertThat(receive.fqdn()).isEqualTo("mail.contoso.com");
    assertThat(receive.tlsDomainCapabilities()).containsExactly("mail.protection.outlook.com:AcceptCloudServicesMail");

    ExoOutboundConnector out = ExoOutboundConnector.fromParameters(params("tlssettings", "$null", "smarthosts",
        "192.0.2.0/24", "connectortype", "OnPremises", "smtpdanemode", "mandatory"));
    assertThat(out.tlsSettings()).isNull();
    assertThat(out.useMxRecord()).isFalse();
    assertThat(out.connectorType()).isEqualTo(ExoConnectorType.ON_PREMISES);
    assertThat(out.smtpDaneMode()).isEqualTo(ExoSmtpDaneMode.MANDATORY);

    ExoInboundConnector in = ExoInboundConnector.fromParameters(params("connectortype", "onpremises",
        "senderipaddresses", "192.0.2.10|198.51.100.0/24|203.0.113.1-203.0.113.9", "TlsSenderCertificateName", "*.contoso.com"));
    assertThat(in.requireTls()).isFalse();
    assertThat(in.senderIpAddresses()).containsExactly("192.0.2.10", "198.51.100.0/24", "203.0.113.1-203.0.113.9");
    assertThat(ExoInboundConnector.fromParameters(Map.of()).requireTls()).isTrue();
  }

  @Test
  void domainValidationWithoutTlsDomainChecksTheRecipientDomain() {
    IssuedCertificate mx = PKI.leaf("mx1.example.org");
    ExchangeSendConnector send = ExchangeSendConnector.builder().name("To Example").requireTls(true)
        .tlsAuthLevel(ExchangeTlsAuthLevel.DOMAIN_VALIDATION).build();

    // evaluate(report) takes example.org, the probed host's parent domain, which mx1's certificate does not cover.
    PolicyVerdict byParent = send.evaluate(upgradedWith(mx));
    assertThat(byParent.outcome()).isEqualTo(Outcome.QUEUED);
    assertThat(byParent.smtpResponse()).isNull();
    assertThat(byParent.reasons()).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo(FindingCode.CERT_NAME_MISMATCH);
      assertThat(f.evidence("expected")).hasValue("example.org");
    });
    assertThat(byParent.remediations().get(0).command())
        .isEqualTo("Set-SendConnector \"To Example\" -TlsDomain mx1.example.org");

    assertThat(send.evaluate(upgradedWith(PKI.leaf("example.org", "mx1.example.org"))).outcome())
        .isEqualTo(Outcome.DELIVERED_TLS);
    assertThat(send.evaluate(upgradedWith(mx), "mx1.example.org").outcome()).isEqualTo(Outcome.DELIVERED_TLS);
  }

  @Test
  void exoTlsDomainWildcardCoversOneLabel() {
    ExoOutboundConnector exo = ExoOutboundConnector.builder().name("To Contoso")
        .tlsSettings(ExchangeTlsAuthLevel.DOMAIN_VALIDATION).tlsDomain("*.contoso.com").build();

    assertThat(exo.evaluate(upgradedWith(PKI.leaf("mail.contoso.com"))).outcome()).isEqualTo(Outcome.DELIVERED_TLS);
    assertThat(exo.evaluate(upgradedWith(PKI.leaf("*.contoso.com"))).outcome()).isEqualTo(Outcome.DELIVERED_TLS);
    PolicyVerdict deeper = exo.evaluate(upgradedWith(PKI.leaf("a.mail.contoso.com")));
    assertThat(deeper.outcome()).isEqualTo(Outcome.QUEUED);
    assertThat(deeper.smtpResponse()).isEqualTo("450 4.7.320 Certificate validation failed");
    assertThat(deeper.remediations()).extracting(Remediation::command)
        .contains("Set-OutboundConnector \"To Contoso\" -TlsDomain a.mail.contoso.com");
  }

  @Test
  void certificateFailureOffersTheConnectorsOwnStopGap() {
    ExchangeSendConnector send = ExchangeSendConnector.builder().name("Outbound").requireTls(true)
        .tlsAuthLevel(ExchangeTlsAuthLevel.CERTIFICATE_VALIDATION).build();
    PolicyVerdict v = send.evaluate(upgradedWith(PKI.leaf("mx1.example.org"),
        Finding.of(FindingCode.CERT_EXPIRED, "expired")));

    assertThat(v.outcome()).isEqualTo(Outcome.QUEUED);
    assertThat(v.remediations()).extracting(Remediation::command)
        .contains("Set-SendConnector \"Outbound\" -TlsAuthLevel EncryptionOnly");
  }

  @Test
  void ignoreStartTlsSendsInClearAndSaysHowToStop() {
    ExchangeSendConnector send = ExchangeSendConnector.fromParameters(params("IgnoreSTARTTLS", "$true", "Name", "Legacy"));
    PolicyVerdict v = send.evaluate(Reports.healthy());

    assertThat(v.outcome()).isEqualTo(Outcome.DELIVERED_PLAINTEXT);
    assertThat(v.remediations().get(0).command()).isEqualTo("Set-SendConnector \"Legacy\" -IgnoreSTARTTLS $false");
  }

  @Test
  void exoDaneFindingsQueueWithMicrosoftsDaneTexts() {
    ExoOutboundConnector exo = ExoOutboundConnector.fromParameters(Map.of());
    InspectionReport tlsa = Reports.upgraded("TLSv1.3", Finding.of(FindingCode.DANE_TLSA_MISMATCH, "no match"));

    assertThat(exo.evaluate(tlsa).smtpResponse()).isEqualTo("4.7.323 tlsa-invalid: The domain failed DANE validation.");
    assertThat(ExoOutboundConnector.fromParameters(Map.of("SmtpDaneMode", "None")).evaluate(tlsa).outcome())
        .isEqualTo(Outcome.DELIVERED_TLS);
  }

  @Test
  void exoDaneQueuesWhenTheTlsaLookupOfASecureHostFailed() {
    ExoOutboundConnector exo = ExoOutboundConnector.fromParameters(Map.of());
    InspectionReport failed = Reports.upgraded("TLSv1.3",
        Finding.of(FindingCode.DANE_TLSA_LOOKUP_FAILED, "the TLSA lookup failed", "name", "_25._tcp.mx1.example.org"));

    PolicyVerdict v = exo.evaluate(failed);
    assertThat(v.outcome()).isEqualTo(Outcome.QUEUED);
    assertThat(v.smtpResponse()).as("no Microsoft document gives the text").isNull();
    assertThat(v.reasons()).extracting(Finding::code).contains(FindingCode.DANE_TLSA_LOOKUP_FAILED);
    assertThat(v.remediations()).isNotEmpty();
    assertThat(ExoOutboundConnector.fromParameters(Map.of("SmtpDaneMode", "None")).evaluate(failed).outcome())
        .isEqualTo(Outcome.DELIVERED_TLS);
  }

  @Test
  void receiveConnectorFlagsTheWrongCertificateAndFqdn() {
    IssuedCertificate presented = PKI.leaf("mx1.example.org");
    ExchangeReceiveConnector receive = ExchangeReceiveConnector.builder().identity("EX01\\Internet")
        .fqdn("mail.example.org")
        .tlsCertificateName(ExchangeCertificateName.parse("TlsCertificateName", "<I>CN=Public CA<S>CN=mail.example.org"))
        .build();

    PolicyVerdict v = receive.evaluate(upgradedWith(presented));

    assertThat(v.outcome()).isEqualTo(Outcome.DELIVERED_TLS);
    assertThat(v.reasons()).extracting(Finding::code)
        .containsExactlyInAnyOrder(FindingCode.CONNECTOR_FQDN_MISMATCH, FindingCode.CONNECTOR_CERTIFICATE_MISMATCH);
    assertThat(v.remediations()).extracting(Remediation::command).contains(
        "Set-ReceiveConnector \"EX01\\Internet\" -Fqdn mx1.example.org",
        "Get-ExchangeCertificate | Where-Object { $_.Issuer -eq 'CN=Public CA' -and $_.Subject -eq 'CN=mail.example.org' }"
            + " | Enable-ExchangeCertificate -Services SMTP");
  }

  @Test
  void receiveProfilesDescribeTheServer() {
    ReceiveProfile exchange = ExchangeReceiveConnector.fromParameters(
        params("RequireTLS", "true", "Fqdn", "mail.contoso.com")).receiveProfile();
    assertThat(exchange.fqdn()).isEqualTo("mail.contoso.com");
    assertThat(exchange.offersStartTls()).isTrue();
    assertThat(exchange.tlsRequiredReply().oneLine()).isEqualTo("451 5.7.3 Must issue a STARTTLS command first.");
    assertThat(ExchangeReceiveConnector.fromParameters(params("AuthMechanism", "None", "Fqdn", "mail.contoso.com"))
        .receiveProfile().offersStartTls()).isFalse();
    assertThatThrownBy(() -> ExchangeReceiveConnector.fromParameters(Map.of()).receiveProfile())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("Fqdn");

    ReceiveProfile exo = ExoInboundConnector.fromParameters(Map.of()).receiveProfile();
    assertThat(exo.requiresTls()).isTrue();
    assertThat(exo.tlsRequiredReply().oneLine()).isEqualTo("451 5.7.3 STARTTLS is required to send mail.");
    assertThat(ExoInboundConnector.fromParameters(params("RequireTls", "false")).receiveProfile().tlsRequiredReply()).isNull();
  }

  @Test
  void kindsAreTheContractsNames() {
    assertThat(List.of(ExchangeSendConnector.KIND, ExchangeReceiveConnector.KIND, ExoOutboundConnector.KIND, ExoInboundConnector.KIND))
        .containsExactly("exchange-send", "exchange-receive", "exo-outbound", "exo-inbound");
  }
}
