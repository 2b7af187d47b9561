package dev.smtptls.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.connector.PolicyVerdict.Outcome;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.SmtpTlsInspector;
import dev.smtptls.spi.RevocationChecker;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.testkit.smtp.MockSmtpServer;
import dev.smtptls.testkit.smtp.SmtpBehaviour;
import dev.smtptls.trust.TrustSources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Exchange / Exchange Online connector kind against real probes of the testkit's
 * MockSmtpServer scenarios over loopback, with the expected outcome and smtpResponse. Texts: the
 * seed document (451 4.4.0 ...), Microsoft's "Mail flow intelligence in EOP" (450 4.4.317, 450
 * 4.7.320).
 */
class ExchangeConnectorsIT {

  private static final TestPki PKI = TestPki.create();
  private static final String HOST = "mx.contoso.test";
  private static final String SEED = ForcedPolicy.STARTTLS_REQUIRED_RESPONSE;
  private static final String MUST_ISSUE =
      "451 4.4.0 Primary target IP address responded with: \"451 5.7.3 Must issue a STARTTLS command first.\"";
  private static final String EXO_NO_TLS = "450 4.4.317 Cannot connect to remote server";
  private static final String EXO_CERT = "450 4.7.320 Certificate validation failed";

  private static final Map<String, ConnectorPolicy> POLICIES = new LinkedHashMap<>();

  static {
    POLICIES.put("send-opportunistic", ExchangeSendConnector.fromParameters(Map.of()));
    POLICIES.put("send-certificate", ExchangeSendConnector.fromParameters(
        Map.of("RequireTLS", "$true", "TlsAuthLevel", "CertificateValidation")));
    POLICIES.put("send-domain", ExchangeSendConnector.fromParameters(
        Map.of("RequireTLS", "true", "TlsAuthLevel", "DomainValidation", "TlsDomain", HOST)));
    POLICIES.put("exo-unset", ExoOutboundConnector.fromParameters(Map.of()));
    POLICIES.put("exo-certificate", ExoOutboundConnector.fromParameters(Map.of("TlsSettings", "CertificateValidation")));
    POLICIES.put("exo-domain", ExoOutboundConnector.fromParameters(
        Map.of("TlsSettings", "DomainValidation", "TlsDomain", "*.contoso.test")));
    POLICIES.put("receive-required", ExchangeReceiveConnector.fromParameters(
        Map.of("RequireTLS", "$true", "AuthMechanism", "Tls;ExchangeServer", "Fqdn", HOST)));
    POLICIES.put("exo-inbound", ExoInboundConnector.fromParameters(Map.of("ConnectorType", "Partner")));
  }

  private static final Map<String, InspectionReport> PROBES = new ConcurrentHashMap<>();

  private static InspectionReport probe(String scenario) {
    return PROBES.computeIfAbsent(scenario, ExchangeConnectorsIT::run);
  }

  private static InspectionReport run(String scenario) {
    IssuedCertificate cert = switch (scenario) {
      case "selfSigned" -> PKI.newLeaf().dnsNames(HOST).selfSigned().issue();
      case "expired" -> PKI.newLeaf().dnsNames(HOST).expired().issue();
      case "wrongName" -> PKI.leaf("www.other.test");
      case "wildcard" -> PKI.leaf("*.contoso.test");
      default -> PKI.leaf(HOST);
    };
    SmtpBehaviour behaviour = switch (scenario) {
      case "noStartTls" -> SmtpBehaviour.startTlsNotAdvertised();
      case "masking" -> SmtpBehaviour.esmtpInspectionMasking();
      case "tlsRequired" -> SmtpBehaviour.tlsRequiredBeforeMail();
      default -> SmtpBehaviour.healthy();
    };
    // An SPI seam: a CRL that cannot be fetched, as the crl module reports it.
    RevocationChecker crl = scenario.equals("crlUnreachable")
        ? (path, at) -> List.of(Finding.of(FindingCode.CRL_UNAVAILABLE, "no CRL",
            "url", "http://127.0.0.1:9/ca.crl", "reason", "connection refused"))
        : (path, at) -> List.of();
    SmtpTlsInspector inspector = SmtpTlsInspector.builder()
        .timeout(Duration.ofSeconds(5))
        .plaintextCheck(scenario.equals("tlsRequired"))
        .certificateChecker(CertificateChecker.builder()
            .trustSource(TrustSources.anchors("testkit", PKI.root().certificate()))
            .revocationChecker(crl)
            .build())
        .build();
    try (MockSmtpServer server = MockSmtpServer.builder().fqdn(HOST).certificate(cert).behaviour(behaviour).build().start()) {
      return inspector.inspect(server.target());
    }
  }

  private static Arguments row(String scenario, String policy, Outcome outcome, @Nullable String response) {
    return Arguments.of(scenario, policy, outcome, response);
  }

  static Stream<Arguments> table() {
    List<Arguments> rows = new ArrayList<>();
    Outcome tls = Outcome.DELIVERED_TLS;
    Outcome clear = Outcome.DELIVERED_PLAINTEXT;
    Outcome queued = Outcome.QUEUED;
    for (String s : List.of("healthy", "wildcard", "tlsRequired")) {
      for (String p : POLICIES.keySet()) {
        rows.add(row(s, p, tls, null));
      }
    }
    for (String s : List.of("noStartTls", "masking")) {
      rows.add(row(s, "send-opportunistic", clear, null));
      rows.add(row(s, "send-certificate", queued, SEED));
      rows.add(row(s, "send-domain", queued, SEED));
      rows.add(row(s, "exo-unset", clear, null));
      rows.add(row(s, "exo-certificate", queued, EXO_NO_TLS));
      rows.add(row(s, "exo-domain", queued, EXO_NO_TLS));
      rows.add(row(s, "receive-required", queued, MUST_ISSUE));
      rows.add(row(s, "exo-inbound", queued, SEED));
    }
    for (String s : List.of("selfSigned", "expired", "crlUnreachable")) {
      rows.add(row(s, "send-opportunistic", tls, null));
      rows.add(row(s, "send-certificate", queued, null));
      rows.add(row(s, "send-domain", queued, null));
      rows.add(row(s, "exo-unset", tls, null));
      rows.add(row(s, "exo-certificate", queued, EXO_CERT));
      rows.add(row(s, "exo-domain", queued, EXO_CERT));
      rows.add(row(s, "receive-required", tls, null));
      rows.add(row(s, "exo-inbound", tls, null));
    }
    rows.add(row("wrongName", "send-opportunistic", tls, null));
    rows.add(row("wrongName", "send-certificate", tls, null));
    rows.add(row("wrongName", "send-domain", queued, null));
    rows.add(row("wrongName", "exo-unset", tls, null));
    rows.add(row("wrongName", "exo-certificate", tls, null));
    rows.add(row("wrongName", "exo-domain", queued, EXO_CERT));
    rows.add(row("wrongName", "receive-required", tls, null));
    rows.add(row("wrongName", "exo-inbound", tls, null));
    return rows.stream();
  }

  @ParameterizedTest(name = "{0} / {1} -> {2}")
  @MethodSource("table")
  void predictsOutcomeAndResponseAgainstRealProbes(String scenario, String policy, Outcome outcome, @Nullable String response) {
    PolicyVerdict v = POLICIES.get(policy).evaluate(probe(scenario));

    assertThat(v.outcome()).as("outcome; reasons %s", v.reasons()).isEqualTo(outcome);
    assertThat(v.smtpResponse()).isEqualTo(response);
    if (outcome != Outcome.DELIVERED_TLS) {
      assertThat(v.reasons()).isNotEmpty();
      assertThat(v.remediations()).isNotEmpty();
    }
  }
}
