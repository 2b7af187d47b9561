package dev.smtptls.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** {@code smtptls demo} end to end: real servers on 127.0.0.1, every scenario diagnosed as designed. */
class DemoCommandIT {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  @Test
  void everyScenarioIsDiagnosedAsDesigned() throws IOException {
    Cli.Result r = Cli.run("demo", "--json");
    assertThat(r.err()).isEmpty();
    JsonNode root = JSON.readTree(r.out());

    List<String> notAsDesigned = new ArrayList<>();
    Set<String> names = new TreeSet<>();
    for (JsonNode s : root.get("scenarios")) {
      names.add(s.get("name").asText());
      assertThat(s.get("description").asText()).isNotBlank();
      JsonNode report = s.get("report");
      Set<String> found = new TreeSet<>(report.get("findings").findValuesAsText("code"));
      for (JsonNode expected : s.get("expected")) {
        if (!found.contains(expected.asText())) {
          notAsDesigned.add(s.get("name").asText() + " lacks " + expected.asText());
        }
      }
      if (!s.get("diagnosedAsDesigned").asBoolean()) {
        notAsDesigned.add(s.get("name").asText() + ": " + report.get("findings"));
      }
      assertThat(report.get("tool").get("name").asText()).isEqualTo("smtptls");
      assertThat(report.has("transcript")).isTrue();
      assertThat(s.get("fix").isArray()).isTrue();
      if (s.get("expected").size() > 0) {
        assertThat(s.get("fix")).as("fix for %s", s.get("name")).isNotEmpty();
      }
    }
    assertThat(notAsDesigned).isEmpty();
    assertThat(names).contains("healthy", "starttls-not-offered", "starttls-on-last-line", "starttls-refused",
        "handshake-failure", "helo-only", "greeting-rejected", "esmtp-inspection", "tls-required", "tarpit",
        "oversize-reply", "wildcard-ok", "self-signed", "expired", "name-mismatch", "ehlo-name-mismatch",
        "missing-intermediate", "revoked", "crl-unreachable");
    assertThat(root.get("allDiagnosedAsDesigned").asBoolean()).isTrue();
    for (JsonNode s : root.get("scenarios")) {
      JsonNode check = s.get("report").get("certificateCheck");
      String name = s.get("name").asText();
      if (name.equals("healthy") || name.equals("wildcard-ok")) {
        assertThat(check.get("valid").asBoolean()).as("%s trusts the demo root", name).isTrue();
        assertThat(check.get("trust").get(0).get("trustSource").asText()).isEqualTo("demo");
      }
      JsonNode revocation = s.get("report").get("revocation");
      if (name.equals("revoked") || name.equals("crl-unreachable")) {
        assertThat(revocation.get("mode").asText()).isEqualTo("crl");
        assertThat(revocation.get("checked").asBoolean()).as("%s checks revocation", name).isTrue();
        JsonNode leafCrl = revocation.get("crls").get(0);
        assertThat(leafCrl.get("subject").asText()).isEqualTo("CN=" + DemoCommand.FQDN);
        assertThat(leafCrl.get("url").asText()).startsWith("http://127.0.0.1:");
        assertThat(leafCrl.get("status").asText()).isEqualTo(name.equals("revoked") ? "OK" : "UNAVAILABLE");
        JsonNode finding = s.get("report").get("findings").get(0);
        assertThat(finding.get("code").asText()).isEqualTo(name.equals("revoked") ? "CERT_REVOKED" : "CRL_UNAVAILABLE");
        assertThat(finding.get("severity").asText()).as("strict profile for crl-unreachable").isEqualTo("ERROR");
        assertThat(finding.get("evidence").get("url").asText()).isEqualTo(leafCrl.get("url").asText());
      } else {
        assertThat(revocation.get("mode").asText()).isEqualTo("none");
        assertThat(revocation.get("checked").asBoolean()).isFalse();
      }
      if (name.equals("self-signed") || name.equals("missing-intermediate")) {
        assertThat(check.get("valid").asBoolean()).isFalse();
        assertThat(check.get("path").isNull()).isTrue();
      }
    }
    assertThat(r.exit()).isZero();
  }

  @Test
  void showsAForcedTlsConnectorQueueingAndAnOpportunisticOneDeliveringInClear() throws IOException {
    JsonNode root = JSON.readTree(Cli.run("demo", "--json").out());
    JsonNode notOffered = null;
    JsonNode healthy = null;
    for (JsonNode s : root.get("scenarios")) {
      if (s.get("name").asText().equals("starttls-not-offered")) {
        notOffered = s.get("connectors");
      } else if (s.get("name").asText().equals("healthy")) {
        healthy = s.get("connectors");
      }
    }
    assertThat(notOffered.get(0).get("connector").asText()).isEqualTo("forced TLS");
    assertThat(notOffered.get(0).get("outcome").asText()).isEqualTo("QUEUED");
    assertThat(notOffered.get(0).get("smtpResponse").asText()).isEqualTo(
        "451 4.4.0 Primary target IP address responded with: \"451 5.7.3 STARTTLS is required to send mail.\"");
    assertThat(notOffered.get(1).get("connector").asText()).isEqualTo("opportunistic");
    assertThat(notOffered.get(1).get("outcome").asText()).isEqualTo("DELIVERED_PLAINTEXT");
    assertThat(healthy.findValuesAsText("outcome")).containsExactly("DELIVERED_TLS", "DELIVERED_TLS");
  }

  @Test
  void textNamesEachScenarioAndItsVerdict() {
    Cli.Result r = Cli.run("demo");
    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out())
        .contains("starttls-refused: diagnosed as designed")
        .containsPattern("ERROR +STARTTLS_REFUSED")
        .contains("fix: ")
        .doesNotContain("NOT diagnosed as designed")
        .containsPattern("forced TLS +QUEUED  451 4\\.4\\.0 Primary target IP address responded with")
        .contains(DemoScenarios.all().size() + " of " + DemoScenarios.all().size() + " scenarios diagnosed as designed.");
  }
}
