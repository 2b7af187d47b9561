package dev.smtptls.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smtptls.cert.CertificateInfo;
import dev.smtptls.testkit.smtp.MockSmtpServer;
import dev.smtptls.testkit.smtp.MockSmtpServerExtension;
import dev.smtptls.testkit.smtp.SmtpBehaviour;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code smtptls probe} against the testkit's server over real TCP and TLS on 127.0.0.1: the JSON
 * of CONTRACT.md key for key, the exit codes, and the text a person reads.
 */
class ProbeCommandIT {

  @RegisterExtension static final MockSmtpServerExtension smtp = MockSmtpServerExtension.create();

  @TempDir Path dir;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final Set<String> TOP_LEVEL = Set.of(
      "tool", "target", "startedAt", "durationMs", "greeting", "ehlo", "startTls", "ehloAfterTls",
      "plaintext", "certificates", "findings", "transcript", "timings");

  private static String target() {
    MockSmtpServer server = smtp.server();
    return "127.0.0.1:" + server.port();
  }

  /** Runs {@code probe --json}, checks that stdout is exactly one JSON object, and returns it. */
  private static JsonNode probeJson(int expectedExit, String target, String... extra) throws IOException {
    List<String> args = new ArrayList<>(List.of("probe", "--json", "--timeout", "5s", target));
    args.addAll(List.of(extra));
    Cli.Result r = Cli.run(args.toArray(String[]::new));
    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).as("exit code; stdout: %s", r.out()).isEqualTo(expectedExit);
    JsonNode root = JSON.readTree(r.out());
    assertThat(root.isObject()).isTrue();
    return root;
  }

  private static Set<String> keys(JsonNode node) {
    Set<String> keys = new TreeSet<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  @Test
  void jsonOfAHealthyServerHasEveryContractKeyAndExitsZero() throws IOException {
    JsonNode root = probeJson(0, target());

    assertThat(keys(root)).containsAll(TOP_LEVEL);
    assertThat(keys(root.get("tool"))).containsExactlyInAnyOrder("name", "version");
    assertThat(root.get("tool").get("name").asText()).isEqualTo("smtptls");
    assertThat(keys(root.get("target"))).containsExactlyInAnyOrder("host", "port", "address");
    assertThat(root.get("target").get("host").asText()).isEqualTo("127.0.0.1");
    assertThat(root.get("target").get("port").asInt()).isEqualTo(smtp.server().port());
    assertThat(root.get("target").get("address").asText()).isEqualTo("127.0.0.1");
    assertThat(root.get("startedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
    assertThat(root.get("durationMs").isIntegralNumber()).isTrue();

    assertThat(keys(root.get("greeting"))).containsExactlyInAnyOrder("code", "text", "fqdn");
    assertThat(root.get("greeting").get("code").asInt()).isEqualTo(220);
    assertThat(root.get("greeting").get("fqdn").asText()).isEqualTo(smtp.server().fqdn());
    assertThat(keys(root.get("ehlo"))).containsExactlyInAnyOrder("fqdn", "keywords");
    assertThat(root.get("ehlo").get("keywords").toString()).contains("STARTTLS");

    JsonNode startTls = root.get("startTls");
    assertThat(keys(startTls)).containsAll(Set.of("status", "replyCode", "protocol", "cipherSuite", "detail"));
    assertThat(startTls.get("status").asText()).isEqualTo("UPGRADED");
    assertThat(startTls.get("replyCode").asInt()).isEqualTo(220);
    assertThat(startTls.get("protocol").asText()).startsWith("TLSv1.");
    assertThat(startTls.get("cipherSuite").asText()).startsWith("TLS_");
    assertThat(startTls.has("detail")).isTrue();

    assertThat(keys(root.get("ehloAfterTls"))).containsExactlyInAnyOrder("fqdn", "keywords");
    assertThat(root.get("plaintext").isNull()).as("plaintext without --plaintext-check").isTrue();

    JsonNode certs = root.get("certificates");
    assertThat(certs.size()).isEqualTo(smtp.server().certificateChain().size());
    JsonNode leaf = certs.get(0);
    assertThat(keys(leaf)).containsExactlyInAnyOrder(
        "subject", "issuer", "serialNumber", "notBefore", "notAfter", "sha1", "sha256", "dnsNames", "selfSigned");
    X509Certificate served = smtp.server().certificateChain().get(0);
    assertThat(leaf.get("sha1").asText()).isEqualTo(CertificateInfo.thumbprint(served, "SHA-1")).matches("[0-9A-F]{40}");
    assertThat(leaf.get("sha256").asText()).matches("[0-9A-F]{64}");
    assertThat(leaf.get("serialNumber").asText()).isEqualTo(served.getSerialNumber().toString(16));
    assertThat(leaf.get("notAfter").asText()).isEqualTo(served.getNotAfter().toInstant().toString());
    assertThat(leaf.get("dnsNames").toString()).contains(smtp.server().fqdn());
    assertThat(leaf.get("selfSigned").isBoolean()).isTrue();

    assertThat(root.get("findings").isArray()).isTrue();
    assertThat(root.get("findings")).isEmpty();

    JsonNode transcript = root.get("transcript");
    assertThat(transcript.size()).isGreaterThan(4);
    Set<String> sources = new TreeSet<>();
    for (JsonNode t : transcript) {
      assertThat(keys(t)).containsExactlyInAnyOrder("atMs", "from", "line");
      assertThat(t.get("atMs").isIntegralNumber()).isTrue();
      sources.add(t.get("from").asText());
    }
    assertThat(sources).containsExactlyInAnyOrder("server", "client", "tls");
    assertThat(transcript.get(0).get("from").asText()).as("the server speaks first").isEqualTo("server");

    JsonNode timings = root.get("timings");
    assertThat(keys(timings)).containsExactlyInAnyOrder(
        "connectMs", "greetingMs", "ehloMs", "startTlsMs", "handshakeMs", "totalMs");
    timings.forEach(t -> assertThat(t.isIntegralNumber()).isTrue());
  }

  @Test
  void starttlsNotOfferedIsExitOneWithTheFindingInContractShape() throws IOException {
    smtp.server().behave(SmtpBehaviour.startTlsNotAdvertised());
    JsonNode root = probeJson(1, target());

    assertThat(root.get("startTls").get("status").asText()).isEqualTo("NOT_OFFERED");
    assertThat(root.get("startTls").get("protocol").isNull()).isTrue();
    assertThat(root.get("startTls").get("cipherSuite").isNull()).isTrue();
    assertThat(root.get("ehloAfterTls").isNull()).isTrue();
    assertThat(root.get("certificates")).isEmpty();
    JsonNode finding = root.get("findings").get(0);
    assertThat(keys(finding)).containsExactlyInAnyOrder("code", "severity", "message", "evidence");
    assertThat(finding.get("code").asText()).isEqualTo("STARTTLS_NOT_OFFERED");
    assertThat(finding.get("severity").asText()).isEqualTo("ERROR");
    assertThat(finding.get("evidence").get("reply").asText()).startsWith("250 ");
    JsonNode timings = root.get("timings");
    assertThat(timings.get("handshakeMs").isNull()).as("no handshake, no time").isTrue();
    assertThat(keys(timings)).contains("handshakeMs");
  }

  @Test
  void fastSkipsTheEhloAfterTls() throws IOException {
    JsonNode root = probeJson(0, target(), "--fast");
    assertThat(root.get("startTls").get("status").asText()).isEqualTo("UPGRADED");
    assertThat(root.has("ehloAfterTls")).isTrue();
    assertThat(root.get("ehloAfterTls").isNull()).isTrue();
    assertThat(smtp.server().receivedCommands()).containsOnlyOnce("STARTTLS")
        .filteredOn(c -> c.startsWith("EHLO")).hasSize(1);
  }

  @Test
  void plaintextCheckReportsThatTheServerRequiresTls() throws IOException {
    smtp.server().behave(SmtpBehaviour.tlsRequiredBeforeMail());
    JsonNode root = probeJson(0, target(), "--plaintext-check");
    JsonNode plaintext = root.get("plaintext");
    assertThat(keys(plaintext)).containsExactlyInAnyOrder("mailFromAccepted", "replyCode", "text");
    assertThat(plaintext.get("mailFromAccepted").asBoolean()).isFalse();
    assertThat(plaintext.get("replyCode").asInt()).isEqualTo(530);
    assertThat(root.get("findings").findValuesAsText("code")).contains("TLS_REQUIRED_BY_SERVER");
    assertThat(smtp.server().receivedCommands()).contains("MAIL FROM:<>", "RSET")
        .noneMatch(c -> c.startsWith("RCPT") || c.startsWith("DATA"));
  }

  @Test
  void addressConnectsThereAndKeepsTheHostName() throws IOException {
    // mx.smtptls.test cannot resolve (.test is reserved): the probe only works if it connects
    // to --address without looking the name up.
    JsonNode root = probeJson(0, smtp.server().fqdn() + ":" + smtp.server().port(), "--address", "127.0.0.1");
    assertThat(root.get("target").get("host").asText()).isEqualTo(smtp.server().fqdn());
    assertThat(root.get("target").get("address").asText()).isEqualTo("127.0.0.1");
    assertThat(root.get("startTls").get("status").asText()).isEqualTo("UPGRADED");
  }

  @Test
  void ehloNameIsSent() throws IOException {
    probeJson(0, target(), "--ehlo", "probe.example.net");
    assertThat(smtp.server().receivedCommands()).contains("EHLO probe.example.net");
  }

  @Test
  void trustBundleWithACertificateIsAccepted() throws IOException {
    X509Certificate anchor = smtp.server().certificateChain().get(0);
    Path pem;
    try {
      pem = Files.writeString(dir.resolve("anchors.pem"), "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
              .encodeToString(anchor.getEncoded())
          + "\n-----END CERTIFICATE-----\n");
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new AssertionError(e);
    }
    probeJson(0, target(), "--trust", pem.toString(), "--revocation", "none", "--name", "mx.smtptls.test",
        "--at", "2025-06-01T00:00:00Z");
  }

  @Test
  void textReportShowsStartTlsCertificateAndTimings() {
    Cli.Result r = Cli.run("probe", "--timeout", "5s", target());
    assertThat(r.exit()).isZero();
    assertThat(r.err()).isEmpty();
    X509Certificate served = smtp.server().certificateChain().get(0);
    assertThat(r.out())
        .contains("Target", "127.0.0.1 port " + smtp.server().port())
        .contains("Greeting      220 " + smtp.server().fqdn())
        .contains("EHLO          " + smtp.server().fqdn() + ": ")
        .contains("STARTTLS      upgraded, TLSv1.")
        .contains(CertificateInfo.thumbprint(served, "SHA-1"))
        .contains("Findings      none")
        .contains("Timings       connect ");
  }

  @Test
  void textReportGivesEachFindingWithItsSeverityCodeAndFix() {
    smtp.server().behave(SmtpBehaviour.startTlsRefused());
    Cli.Result r = Cli.run("probe", "--timeout", "5s", target());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).containsPattern("ERROR +STARTTLS_REFUSED +The server offers STARTTLS but refused it: 454")
        .contains("fix: ");
  }

  @Test
  void textReportListsErrorsFirstAndTheTranscriptWithDebug() {
    smtp.server().behave(SmtpBehaviour.esmtpInspectionMasking());
    Cli.Result r = Cli.run("probe", "--timeout", "5s", "--plaintext-check", "--debug", target());
    assertThat(r.exit()).isEqualTo(1);
    String out = r.out();
    // The probe finds PLAINTEXT_ACCEPTED (INFO) before the errors; a person reads the errors first.
    assertThat(out.indexOf("ERROR   ESMTP_INSPECTION_SUSPECTED")).isPositive()
        .isLessThan(out.indexOf("INFO    PLAINTEXT_ACCEPTED"));
    assertThat(out).contains("Transcript").containsPattern("ms C: STARTTLS")
        .contains("accepted although the EHLO reply did not offer it");
  }

  @Test
  void withoutDebugTheTextReportHasNoTranscript() {
    Cli.Result r = Cli.run("probe", "--timeout", "5s", target());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).doesNotContain("Transcript").doesNotContain("C: STARTTLS");
  }
}
