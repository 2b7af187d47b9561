package dev.smtptls.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smtptls.cert.CertificateInfo;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.testkit.smtp.MockSmtpServer;
import dev.smtptls.testkit.smtp.MockSmtpServerExtension;
import dev.smtptls.testkit.smtp.SmtpBehaviour;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
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
      "plaintext", "certificates", "findings", "transcript", "timings", "certificateCheck");

  /** The extension server's TestPki root, as a PEM file for {@code --trust}. */
  private Path rootPem;

  @BeforeEach
  void writeRoot() throws IOException {
    X509Certificate anchor = smtp.server().trustAnchor();
    assertThat(anchor).as("the extension server uses a TestPki chain").isNotNull();
    rootPem = Files.writeString(dir.resolve("root.pem"), TestPki.pem(anchor));
  }

  private static String target() {
    MockSmtpServer server = smtp.server();
    return "127.0.0.1:" + server.port();
  }

  /**
   * Runs {@code probe --json} trusting the server's test root (unless {@code extra} names a
   * {@code --trust}), checks that stdout is exactly one JSON object, and returns it.
   */
  private JsonNode probeJson(int expectedExit, String target, String... extra) throws IOException {
    List<String> args = new ArrayList<>(List.of("probe", "--json", "--timeout", "5s", target));
    if (!List.of(extra).contains("--trust")) {
      args.addAll(List.of("--trust", rootPem.toString()));
    }
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
    // Revocation aside: this server's test PKI names no CRL distribution point (ProbeRevocationIT).
    JsonNode root = probeJson(0, target(), "--revocation", "none");

    assertThat(keys(root)).containsAll(TOP_LEVEL);
    assertThat(keys(root.get("revocation"))).containsExactlyInAnyOrder("mode", "checked", "note", "crls");
    assertThat(root.get("revocation").get("mode").asText()).isEqualTo("none");
    assertThat(root.get("revocation").get("checked").asBoolean()).isFalse();
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
    assertThat(startTls.get("resumed").isBoolean()).as("resumed, beyond CONTRACT.md").isTrue();
    assertThat(startTls.get("resumed").asBoolean()).as("one probe, a full handshake").isFalse();

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
    assertThat(root.get("startTls").get("resumed").isNull()).as("no handshake: neither resumed nor not").isTrue();
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
  void certificateCheckOfAValidChainHasThePathAndNoCertFindings() throws IOException {
    JsonNode root = probeJson(0, target(), "--revocation", "none", "--profile", "strict");
    JsonNode check = root.get("certificateCheck");
    assertThat(keys(check)).contains("valid", "path", "trust");
    assertThat(check.get("valid").asBoolean()).isTrue();
    assertThat(check.get("path")).hasSize(3);
    assertThat(check.get("path").get(0).asText()).isEqualTo("CN=" + smtp.server().fqdn());
    assertThat(check.get("path").get(2).asText()).isEqualTo(TestPki.DEFAULT_ROOT_NAME);
    JsonNode trust = check.get("trust");
    assertThat(trust).hasSize(1);
    assertThat(keys(trust.get(0))).contains("trustSource", "trusted", "path");
    assertThat(trust.get(0).get("trustSource").asText()).isEqualTo("root.pem");
    assertThat(trust.get(0).get("trusted").asBoolean()).isTrue();
    assertThat(root.get("findings").findValuesAsText("code")).noneMatch(c -> c.startsWith("CERT_"));
  }

  @Test
  void byDefaultTheSystemStoreDecidesAndATestRootIsUntrusted() throws IOException {
    JsonNode root = probeJson(1, target(), "--trust", "system");
    // The server sends leaf and intermediate; the test root is neither sent nor in the JDK's store.
    assertThat(root.get("findings").findValuesAsText("code")).contains("CERT_UNTRUSTED").doesNotContain("CERT_CHAIN_INCOMPLETE");
    assertThat(root.get("certificateCheck").get("trust").get(0).get("trustSource").asText()).isEqualTo("system");
    assertThat(root.get("certificateCheck").get("trust").get(0).get("trusted").asBoolean()).isFalse();
    assertThat(root.get("certificateCheck").get("valid").asBoolean()).isFalse();
    assertThat(root.get("certificateCheck").get("path").isNull()).isTrue();
    assertThat(root.get("startTls").get("status").asText()).isEqualTo("UPGRADED");
  }

  @Test
  void expiredCertificateIsCertExpiredInTheProbeFindings() throws IOException {
    TestPki pki = TestPki.create();
    IssuedCertificate expired = pki.newLeaf().dnsNames("mx.expired.test").expired().issue();
    Path root = Files.writeString(dir.resolve("expired-root.pem"), pki.root().certificatePem());
    try (MockSmtpServer server = MockSmtpServer.builder().fqdn("mx.expired.test").certificate(expired).build().start()) {
      JsonNode json = probeJson(1, "mx.expired.test:" + server.port(), "--address", "127.0.0.1",
          "--trust", root.toString());
      assertThat(json.get("findings").findValuesAsText("code")).contains("CERT_EXPIRED");
      assertThat(json.get("certificateCheck").get("valid").asBoolean()).isFalse();
    }
  }

  @Test
  void nameDefaultsToTheHostAndNameReplacesIt() throws IOException {
    String host = smtp.server().fqdn() + ":" + smtp.server().port();
    probeJson(0, host, "--address", "127.0.0.1", "--revocation", "none");
    JsonNode wrong = probeJson(1, host, "--address", "127.0.0.1", "--name", "mail.other.test", "--revocation", "none");
    assertThat(wrong.get("findings").findValuesAsText("code")).containsExactly("CERT_NAME_MISMATCH");
    JsonNode mismatch = probeJson(1, "mx.other.test:" + smtp.server().port(), "--address", "127.0.0.1",
        "--revocation", "none");
    assertThat(mismatch.get("findings").findValuesAsText("code")).containsExactly("CERT_NAME_MISMATCH");
  }

  @Test
  void atMovesTheValidationTime() throws IOException {
    X509Certificate leaf = smtp.server().certificateChain().get(0);
    String later = leaf.getNotAfter().toInstant().plusSeconds(86_400).toString();
    JsonNode root = probeJson(1, target(), "--at", later);
    assertThat(root.get("findings").findValuesAsText("code")).contains("CERT_EXPIRED");
  }

  @Test
  void textReportHasACertificateCheckSection() {
    Cli.Result r = Cli.run("probe", "--timeout", "5s", target(), "--trust", rootPem.toString(), "--trust", "system",
        "--revocation", "none");
    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out())
        .contains("Certificate check")
        .contains("Verdict     valid")
        .contains(TestPki.DEFAULT_ROOT_NAME + "  (trust anchor)")
        .contains("root.pem: trusted")
        .contains("system: NOT trusted")
        .contains("Revocation  not checked");
  }

  @Test
  void textReportShowsStartTlsCertificateAndTimings() {
    Cli.Result r = Cli.run("probe", "--timeout", "5s", target(), "--trust", rootPem.toString(), "--revocation", "none");
    assertThat(r.exit()).as(r.out()).isZero();
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
    Cli.Result r = Cli.run("probe", "--timeout", "5s", target(), "--trust", rootPem.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).doesNotContain("Transcript").doesNotContain("C: STARTTLS");
  }
}
