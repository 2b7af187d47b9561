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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Postfix, MTA-STS and DANE policies against real probes of the testkit's MockSmtpServer over
 * loopback, certificates from TestPki. Postfix texts from src/smtp/smtp_proto.c.
 */
class PostfixPolicyIT {

  private static final TestPki PKI = TestPki.create();
  private static final IssuedCertificate HEALTHY = PKI.leaf("mx.good.test");

  /** A TLSA record for the healthy server's key: every other certificate mismatches it. */
  private static final String TLSA = "3 1 1 " + PostfixTls.spkiSha256(HEALTHY.certificate());

  private static final Map<String, ConnectorPolicy> POLICIES = new LinkedHashMap<>();

  static {
    for (String level : List.of("none", "may", "encrypt", "verify", "secure")) {
      POLICIES.put("postfix " + level, Postfix.fromParameters(Map.of("smtp_tls_security_level", level)));
    }
    POLICIES.put("mta-sts enforce", MtaStsConnectorPolicy.fromParameters(Map.of("mode", "enforce",
        "mx", "mx.good.test mx.plain.test mx.self.test mx.old.test mx.wrong.test *.wild.test mx.crl.test"
            + " mx.masked.test mx.tlsonly.test")));
    POLICIES.put("mta-sts testing", MtaStsConnectorPolicy.fromParameters(Map.of("mode", "testing", "mx", "*.test")));
    POLICIES.put("dane", DanePolicy.fromParameters(Map.of("tlsa", TLSA)));
  }

  private static final String NT = "Q:Server certificate not trusted";
  private static final String NV = "Q:Server certificate not verified";

  private static String notOffered(String host) {
    return "Q:TLS is required, but was not offered by host " + host + "[127.0.0.1]";
  }

  static Stream<Arguments> scenarios() {
    RevocationChecker crlUnreachable = (path, at) -> List.of(Finding.of(FindingCode.CRL_UNAVAILABLE,
        "no CRL", "url", "http://127.0.0.1:9/ca.crl", "reason", "connection refused"));
    // Columns: none, may, encrypt, verify, secure, mta-sts enforce, mta-sts testing, dane.
    // "TLS", "PLAIN", "REJECTED:<text>" or "Q:<text>" ("Q:" alone: queued without a documented text).
    return Stream.of(
        Arguments.of("healthy", "mx.good.test", HEALTHY, SmtpBehaviour.healthy(), null,
            List.of("PLAIN", "TLS", "TLS", "TLS", "TLS", "TLS", "TLS", "TLS")),
        Arguments.of("no STARTTLS", "mx.plain.test", PKI.leaf("mx.plain.test"), SmtpBehaviour.startTlsNotAdvertised(),
            null, List.of("PLAIN", "PLAIN", notOffered("mx.plain.test"), notOffered("mx.plain.test"),
                notOffered("mx.plain.test"), "Q:", "PLAIN", "Q:")),
        Arguments.of("self-signed", "mx.self.test", PKI.newLeaf().dnsNames("mx.self.test").selfSigned().issue(),
            SmtpBehaviour.healthy(), null, List.of("PLAIN", "TLS", "TLS", NT, NT, "Q:", "TLS", "Q:")),
        Arguments.of("expired", "mx.old.test", PKI.newLeaf().dnsNames("mx.old.test").expired().issue(),
            SmtpBehaviour.healthy(), null, List.of("PLAIN", "TLS", "TLS", NT, NT, "Q:", "TLS", "Q:")),
        Arguments.of("wrong name", "mx.wrong.test", PKI.leaf("www.other.test"), SmtpBehaviour.healthy(), null,
            List.of("PLAIN", "TLS", "TLS", NV, NV, "Q:", "TLS", "Q:")),
        Arguments.of("wildcard", "mx1.wild.test", PKI.leaf("*.wild.test"), SmtpBehaviour.healthy(), null,
            List.of("PLAIN", "TLS", "TLS", "TLS", "TLS", "TLS", "TLS", "Q:")),
        // Postfix checks no revocation, nor does RFC 8461 require it.
        Arguments.of("CRL unreachable", "mx.crl.test", PKI.leaf("mx.crl.test"), SmtpBehaviour.healthy(), crlUnreachable,
            List.of("PLAIN", "TLS", "TLS", "TLS", "TLS", "TLS", "TLS", "Q:")),
        Arguments.of("ESMTP masking", "mx.masked.test", PKI.leaf("mx.masked.test"),
            SmtpBehaviour.esmtpInspectionMasking(), null, List.of("PLAIN", "PLAIN", notOffered("mx.masked.test"),
                notOffered("mx.masked.test"), notOffered("mx.masked.test"), "Q:", "PLAIN", "Q:")),
        Arguments.of("TLS required", "mx.tlsonly.test", PKI.leaf("mx.tlsonly.test"), SmtpBehaviour.tlsRequiredBeforeMail(),
            null, List.of("REJECTED:530 5.7.0 Must issue a STARTTLS command first", "TLS", "TLS", "TLS", "TLS", "TLS",
                "TLS", "Q:")));
  }

  static InspectionReport probe(String fqdn, IssuedCertificate cert, SmtpBehaviour behaviour,
      @Nullable RevocationChecker revocation) {
    SmtpTlsInspector inspector = SmtpTlsInspector.builder()
        .timeout(Duration.ofSeconds(5))
        .plaintextCheck(true)
        .certificateChecker(CertificateChecker.builder()
            .trustSource(TrustSources.anchors("testkit", List.of(PKI.root().certificate())))
            .revocationChecker(revocation)
            .build())
        .build();
    try (MockSmtpServer server = MockSmtpServer.builder().fqdn(fqdn).certificate(cert).behaviour(behaviour).build()
        .start()) {
      return inspector.inspect(server.target());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void everyPolicyAgainstEveryScenario(String scenario, String fqdn, IssuedCertificate cert, SmtpBehaviour behaviour,
      @Nullable RevocationChecker revocation, List<String> expected) {
    InspectionReport report = probe(fqdn, cert, behaviour, revocation);
    assertThat(report.aborted()).isFalse();

    int i = 0;
    for (Map.Entry<String, ConnectorPolicy> e : POLICIES.entrySet()) {
      String want = expected.get(i++);
      PolicyVerdict v = e.getValue().evaluate(report);
      String as = scenario + " / " + e.getKey();
      if (want.equals("TLS")) {
        assertThat(v.outcome()).as(as).isEqualTo(Outcome.DELIVERED_TLS);
        assertThat(v.smtpResponse()).as(as).isNull();
      } else if (want.equals("PLAIN")) {
        assertThat(v.outcome()).as(as).isEqualTo(Outcome.DELIVERED_PLAINTEXT);
        assertThat(v.smtpResponse()).as(as).isNull();
      } else {
        int colon = want.indexOf(':');
        Outcome outcome = want.startsWith("Q") ? Outcome.QUEUED : Outcome.REJECTED;
        String text = want.substring(colon + 1);
        assertThat(v.outcome()).as(as).isEqualTo(outcome);
        assertThat(v.smtpResponse()).as(as).isEqualTo(text.isEmpty() ? null : text);
        assertThat(v.reasons()).as(as).isNotEmpty();
        assertThat(v.remediations()).as(as).isNotEmpty();
      }
    }
  }

  static Stream<Arguments> endToEnd() {
    // server level, client level, outcome, smtpResponse
    return Stream.of(
        Arguments.of("none", "none", Outcome.DELIVERED_PLAINTEXT, null),
        Arguments.of("none", "may", Outcome.DELIVERED_PLAINTEXT, null),
        Arguments.of("none", "encrypt", Outcome.QUEUED, "TLS is required, but was not offered by host mx.e2e.test[127.0.0.1]"),
        Arguments.of("may", "none", Outcome.DELIVERED_PLAINTEXT, null),
        Arguments.of("may", "may", Outcome.DELIVERED_TLS, null),
        Arguments.of("may", "verify", Outcome.DELIVERED_TLS, null),
        Arguments.of("encrypt", "none", Outcome.REJECTED, "530 5.7.0 Must issue a STARTTLS command first"),
        Arguments.of("encrypt", "may", Outcome.DELIVERED_TLS, null),
        Arguments.of("encrypt", "secure", Outcome.DELIVERED_TLS, null));
  }

  /** A Postfix server configured from its receive profile, probed, and a Postfix client's verdict on it. */
  @ParameterizedTest(name = "smtpd {0} <- smtp {1}")
  @MethodSource("endToEnd")
  void postfixToPostfixOverLoopback(String serverLevel, String clientLevel, Outcome outcome, @Nullable String response) {
    PostfixConfig cf = PostfixConfig.parse("myhostname = mx.e2e.test\nsmtpd_tls_security_level = " + serverLevel
        + "\nsmtp_tls_security_level = " + clientLevel + "\n");
    ReceiveProfile profile = cf.serverPolicy().receiveProfile();
    SmtpBehaviour behaviour = SmtpBehaviour.builder()
        .startTlsAdvertisement(profile.offersStartTls()
            ? SmtpBehaviour.StartTlsAdvertisement.NORMAL : SmtpBehaviour.StartTlsAdvertisement.NONE)
        .requireTlsForMail(profile.requiresTls())
        .build();

    InspectionReport report = probe(profile.fqdn(), PKI.leaf(profile.fqdn()), behaviour, null);
    PolicyVerdict v = cf.clientPolicy().evaluate(report);

    assertThat(v.outcome()).isEqualTo(outcome);
    assertThat(v.smtpResponse()).isEqualTo(response);
    if (profile.requiresTls()) {
      assertThat(report.plaintext()).isNotNull();
      assertThat(report.plaintext().reply()).isEqualTo(profile.tlsRequiredReply());
    }
    // The server side's own prediction is what an opportunistic sender meets there.
    assertThat(cf.serverPolicy().evaluate(report).outcome())
        .isEqualTo(profile.offersStartTls() ? Outcome.DELIVERED_TLS : Outcome.DELIVERED_PLAINTEXT);
  }
}
