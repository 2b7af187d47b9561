package dev.smtptls.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smtptls.connector.PolicyVerdict;
import dev.smtptls.finding.Finding;
import dev.smtptls.inspect.InspectionReport;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A probe's JSON read back gives the same connector verdicts as the report it was written from:
 * every demo scenario (real servers on loopback) is written by {@code demo --json}, read back,
 * and judged again by the demo's connectors.
 */
class ProbeJsonReaderIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyDemoScenarioReadBackGetsTheSameVerdicts() throws Exception {
    JsonNode root = JSON.readTree(Cli.run("demo", "--json").out());
    int scenarios = 0;
    for (JsonNode s : root.get("scenarios")) {
      scenarios++;
      String name = s.get("name").asText();
      JsonNode written = s.get("report");
      InspectionReport read = ProbeJsonReader.read(JSON.writeValueAsString(written), name + ".json");

      assertThat(read.startTls().status().name()).as(name).isEqualTo(written.at("/startTls/status").asText());
      assertThat(read.findings()).extracting(f -> f.code().name()).as(name)
          .containsExactlyElementsOf(java.util.stream.StreamSupport.stream(written.get("findings").spliterator(), false)
              .map(f -> f.get("code").asText()).toList());
      if (written.get("certificateCheck").isObject()) {
        assertThat(read.certificateCheck().valid()).as(name).isEqualTo(written.at("/certificateCheck/valid").asBoolean());
      }
      int i = 0;
      for (PolicyVerdict v : List.copyOf(new java.util.ArrayList<>(DemoCommand.CONNECTORS.values()).stream()
          .map(p -> p.evaluate(read)).toList())) {
        JsonNode expected = s.get("connectors").get(i++);
        assertThat(v.outcome().name()).as(name + " " + expected.get("connector")).isEqualTo(expected.get("outcome").asText());
        assertThat(v.smtpResponse()).as(name + " " + expected.get("connector"))
            .isEqualTo(expected.get("smtpResponse").isNull() ? null : expected.get("smtpResponse").asText());
      }
    }
    assertThat(scenarios).isEqualTo(DemoScenarios.all().size());
  }

  @Test
  void keepsEvidenceListsAndStrings() {
    InspectionReport r = ProbeJsonReader.read("""
        {"target": {"host": "mx.example.org", "port": 25, "address": "::1"},
         "startedAt": "2026-11-28T12:00:00Z", "durationMs": 12,
         "greeting": {"code": 220, "text": "mx.example.org ESMTP", "fqdn": "mx.example.org"},
         "ehlo": {"fqdn": "mx.example.org", "keywords": ["PIPELINING"]},
         "startTls": {"status": "NOT_OFFERED", "replyCode": null, "protocol": null, "cipherSuite": null,
                      "detail": "not in the EHLO reply; sent anyway, answered 502 5.5.2 Error: command not recognized"},
         "ehloAfterTls": null, "plaintext": null, "certificates": [],
         "findings": [{"code": "ESMTP_INSPECTION_SUSPECTED", "severity": "ERROR", "message": "masked",
                       "evidence": {"signs": ["220 ****", "XXXXXXXA"]}}],
         "transcript": [{"atMs": 1, "from": "server", "line": "220 mx.example.org ESMTP"}],
         "timings": {"connectMs": 1, "greetingMs": 2, "ehloMs": 3, "startTlsMs": null, "handshakeMs": null, "totalMs": 12}}
        """, "r.json");

    assertThat(r.address().getAddress().isLoopbackAddress()).isTrue();
    Finding f = r.findings().get(0);
    assertThat(f.evidence().get("signs")).isEqualTo(List.of("220 ****", "XXXXXXXA"));
    assertThat(r.startTls()).isInstanceOfSatisfying(dev.smtptls.inspect.StartTlsOutcome.NotOffered.class,
        n -> assertThat(n.attemptReply().code()).isEqualTo(502));
    assertThat(r.certificateCheck()).isNull();
  }

  @Test
  void readsResumedAndTheTextReportSaysSo() {
    String json = """
        {"target": {"host": "mx.example.org", "port": 25, "address": "192.0.2.1"},
         "startedAt": "2026-11-28T12:00:00Z", "durationMs": 12,
         "startTls": {"status": "UPGRADED", "replyCode": 220, "protocol": "TLSv1.3",
                      "cipherSuite": "TLS_AES_128_GCM_SHA256", "detail": null%s},
         "certificates": [], "findings": [], "transcript": []}
        """;
    InspectionReport resumed = ProbeJsonReader.read(json.formatted(", \"resumed\": true"), "resumed.json");
    InspectionReport older = ProbeJsonReader.read(json.formatted(""), "older.json");

    assertThat(resumed.startTls()).isInstanceOfSatisfying(dev.smtptls.inspect.StartTlsOutcome.Upgraded.class,
        u -> assertThat(u.resumed()).isTrue());
    assertThat(older.startTls()).as("JSON written before the field: a full handshake")
        .isInstanceOfSatisfying(dev.smtptls.inspect.StartTlsOutcome.Upgraded.class, u -> assertThat(u.resumed()).isFalse());
    assertThat(TextReports.probe(resumed, false))
        .contains("upgraded, TLSv1.3, TLS_AES_128_GCM_SHA256, resumed session (the certificates are from its full handshake)");
    assertThat(TextReports.probe(older, false)).contains("upgraded, TLSv1.3").doesNotContain("resumed");
    assertThat(JsonReports.probe(resumed).at("/startTls/resumed").asBoolean()).isTrue();
  }

  @Test
  void namesTheFileAndPositionOfBadJson() {
    assertThatThrownBy(() -> ProbeJsonReader.read("{\n  \"target\": ", "old.json"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("old.json").hasMessageContaining("line 2");
    assertThatThrownBy(() -> ProbeJsonReader.read("{\"tool\": {}}", "other.json"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other.json").hasMessageContaining("\"target\"");
    assertThatThrownBy(() -> ProbeJsonReader.read(
        "{\"target\": {\"host\": \"a\", \"port\": 25}, \"startedAt\": \"2026-01-01T00:00:00Z\", \"durationMs\": 1,"
            + " \"findings\": [{\"code\": \"NO_SUCH_CODE\", \"severity\": \"ERROR\", \"message\": \"m\"}],"
            + " \"startTls\": {\"status\": \"NOT_ATTEMPTED\"}}", "x.json"))
        .hasMessageContaining("NO_SUCH_CODE");
  }
}
