package dev.smtptls.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.connector.PolicyVerdict.Outcome;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.spi.RevocationChecker;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.smtp.SmtpBehaviour;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generic kinds, {@code opportunistic} and {@code forced}, against the same real probes of the
 * testkit scenarios as the product kinds ({@link PostfixPolicyIT#scenarios()}): neither looks at
 * the certificate (forced TLS is Exchange's {@code RequireTLS} without a {@code TlsAuthLevel}).
 */
class GenericPoliciesIT {

  private static final String QUEUED_NOT_OFFERED = ForcedPolicy.STARTTLS_REQUIRED_RESPONSE;

  /** Per scenario: opportunistic, then forced; "TLS", "PLAIN", or "Q:" / "REJECTED:" with the text. */
  private static final Map<String, List<String>> EXPECTED = Map.of(
      "healthy", List.of("TLS", "TLS"),
      "no STARTTLS", List.of("PLAIN", "Q:" + QUEUED_NOT_OFFERED),
      "self-signed", List.of("TLS", "TLS"),
      "expired", List.of("TLS", "TLS"),
      "wrong name", List.of("TLS", "TLS"),
      "wildcard", List.of("TLS", "TLS"),
      "CRL unreachable", List.of("TLS", "TLS"),
      "ESMTP masking", List.of("PLAIN", "Q:" + QUEUED_NOT_OFFERED),
      "TLS required", List.of("TLS", "TLS"));

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.smtptls.connector.PostfixPolicyIT#scenarios")
  void opportunisticAndForcedAgainstEveryScenario(String scenario, String fqdn, IssuedCertificate cert,
      SmtpBehaviour behaviour, @Nullable RevocationChecker revocation, List<String> ignored) {
    InspectionReport report = PostfixPolicyIT.probe(fqdn, cert, behaviour, revocation);
    List<String> expected = EXPECTED.get(scenario);
    assertThat(expected).as("an expectation for %s", scenario).isNotNull();
    List<ConnectorPolicy> policies = List.of(ConnectorPolicy.opportunistic().build(), ConnectorPolicy.forced().build());
    for (int i = 0; i < policies.size(); i++) {
      PolicyVerdict v = policies.get(i).evaluate(report);
      String want = expected.get(i);
      String as = scenario + " / " + (i == 0 ? "opportunistic" : "forced");
      switch (want) {
        case "TLS" -> assertThat(v.outcome()).as(as).isEqualTo(Outcome.DELIVERED_TLS);
        case "PLAIN" -> assertThat(v.outcome()).as(as).isEqualTo(Outcome.DELIVERED_PLAINTEXT);
        default -> {
          assertThat(v.outcome()).as(as).isEqualTo(want.startsWith("Q:") ? Outcome.QUEUED : Outcome.REJECTED);
          assertThat(v.smtpResponse()).as(as).isEqualTo(want.substring(want.indexOf(':') + 1));
        }
      }
    }
  }
}
