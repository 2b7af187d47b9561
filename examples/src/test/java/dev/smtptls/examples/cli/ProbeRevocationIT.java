package dev.smtptls.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smtptls.testkit.crl.CrlFault;
import dev.smtptls.testkit.crl.CrlServer;
import dev.smtptls.testkit.ocsp.OcspResponder;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.RevocationReason;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.testkit.smtp.MockSmtpServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code smtptls probe --revocation ...} against the testkit's SMTP server presenting a chain whose
 * certificates name CRLs on the testkit's {@link CrlServer}, both on 127.0.0.1 (ports 0): the
 * revocation findings join the probe's, the JSON and text carry the CRL table, {@code none}
 * fetches nothing, {@code ocsp} fetches no CRL and asks the OCSP responder a certificate names
 * (the testkit's {@link OcspResponder}).
 */
class ProbeRevocationIT {

  private static final String FQDN = "mx.crl.test";
  private static final String LEAF_CRL = "/intermediate.crl";
  private static final String ROOT_CRL = "/root.crl";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  @TempDir Path dir;

  private CrlServer crls;
  private TestPki pki;
  private IssuedCertificate leaf;
  private MockSmtpServer smtp;
  private Path rootPem;

  @BeforeEach
  void start() throws IOException {
    crls = CrlServer.start();
    pki = TestPki.builder().crlDistributionPoint(crls.uri(ROOT_CRL)).build();
    crls.publish(ROOT_CRL, pki.newCrl(pki.root()).build());
    leaf = pki.newLeaf().dnsNames(FQDN).crlDistributionPoints(crls.uri(LEAF_CRL)).issue();
    smtp = MockSmtpServer.builder().fqdn(FQDN).certificate(leaf).build().start();
    rootPem = Files.writeString(dir.resolve("root.pem"), pki.root().certificatePem());
  }

  @AfterEach
  void stop() {
    smtp.close();
    crls.close();
  }

  private void revokeLeaf() {
    crls.publish(LEAF_CRL, pki.newCrl(pki.intermediate())
        .revoke(leaf.certificate(), RevocationReason.KEY_COMPROMISE,
            Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS))
        .build());
  }

  private List<String> args(boolean json, String... extra) {
    List<String> args = new ArrayList<>(List.of("probe", "--timeout", "5s", FQDN + ":" + smtp.port(),
        "--address", "127.0.0.1", "--trust", rootPem.toString()));
    if (json) {
      args.add("--json");
    }
    args.addAll(List.of(extra));
    return args;
  }

  private JsonNode probe(int expectedExit, String... extra) throws IOException {
    Cli.Result r = Cli.run(args(true, extra).toArray(String[]::new));
    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).as("exit code; stdout: %s", r.out()).isEqualTo(expectedExit);
    return JSON.readTree(r.out());
  }

  @Test
  void revokedLeafIsCertRevokedInTheProbeFindingsWithTheCrlTable() throws IOException {
    revokeLeaf();

    JsonNode root = probe(1); // --revocation crl is the default of probe

    assertThat(root.get("startTls").get("status").asText()).isEqualTo("UPGRADED");
    assertThat(root.get("findings").findValuesAsText("code")).containsExactly("CERT_REVOKED");
    JsonNode f = root.get("findings").get(0);
    assertThat(f.get("severity").asText()).isEqualTo("ERROR");
    assertThat(f.get("evidence").get("url").asText()).isEqualTo(crls.uri(LEAF_CRL).toString());
    assertThat(f.get("evidence").get("reason").asText()).isEqualTo("keyCompromise");
    assertThat(f.get("evidence").get("revokedAt").asText()).endsWith("Z");
    assertThat(root.get("certificateCheck").get("valid").asBoolean()).isFalse();

    JsonNode revocation = root.get("revocation");
    assertThat(revocation.get("mode").asText()).isEqualTo("crl");
    assertThat(revocation.get("checked").asBoolean()).isTrue();
    assertThat(revocation.get("note").isNull()).isTrue();
    assertThat(revocation.get("crls").findValuesAsText("url"))
        .containsExactly(crls.uri(LEAF_CRL).toString(), crls.uri(ROOT_CRL).toString());
    assertThat(revocation.get("crls").findValuesAsText("status")).containsOnly("OK");
    assertThat(revocation.get("crls").get(0).get("entries").asInt()).isEqualTo(1);
    // The table came from the checker's cache: each CRL was fetched once.
    assertThat(crls.requestCount(LEAF_CRL)).isEqualTo(1);
    assertThat(crls.requestCount(ROOT_CRL)).isEqualTo(1);
  }

  @Test
  void healthyCrlsGiveNoFindingEvenForAStrictReceiver() throws IOException {
    crls.publish(LEAF_CRL, pki.newCrl(pki.intermediate()).build());

    JsonNode root = probe(0, "--profile", "strict");

    assertThat(root.get("findings")).isEmpty();
    assertThat(root.get("revocation").get("crls").findValuesAsText("status")).containsExactly("OK", "OK");
  }

  @Test
  void unreachableCrlIsAWarningByDefaultAndAnErrorForAStrictReceiver() throws IOException {
    crls.fault(LEAF_CRL, CrlFault.NOT_FOUND);

    JsonNode lenient = probe(0);
    assertThat(lenient.get("findings").findValuesAsText("code")).containsExactly("CRL_UNAVAILABLE");
    assertThat(lenient.get("findings").get(0).get("severity").asText()).isEqualTo("WARNING");
    assertThat(lenient.get("findings").get(0).get("evidence").get("reason").asText()).contains("404");

    JsonNode strict = probe(1, "--profile", "strict");
    assertThat(strict.get("findings").get(0).get("severity").asText()).isEqualTo("ERROR");
    assertThat(strict.get("revocation").get("crls").get(0).get("status").asText()).isEqualTo("UNAVAILABLE");
    assertThat(strict.get("revocation").get("crls").get(0).get("httpStatus").asInt()).isEqualTo(404);
  }

  @Test
  void noneFetchesNoCrl() throws IOException {
    revokeLeaf();

    JsonNode root = probe(0, "--revocation", "none");

    assertThat(root.get("findings")).isEmpty();
    assertThat(root.get("revocation").get("mode").asText()).isEqualTo("none");
    assertThat(root.get("revocation").get("checked").asBoolean()).isFalse();
    assertThat(root.get("revocation").get("crls")).isEmpty();
    assertThat(crls.requestCount(LEAF_CRL)).isZero();
    assertThat(crls.requestCount(ROOT_CRL)).isZero();
  }

  @Test
  void ocspFetchesNoCrlAndSaysThatNoCertificateNamesAResponder() throws IOException {
    revokeLeaf();

    JsonNode root = probe(0, "--revocation", "ocsp");
    assertThat(root.get("findings")).isEmpty();
    assertThat(root.get("revocation").get("checked").asBoolean()).isTrue();
    assertThat(root.get("revocation").get("crls")).isEmpty();
    assertThat(root.get("revocation").get("note").asText()).startsWith("OCSP checked, no CRL fetched")
        .contains("no certificate below the trust anchor names an OCSP responder")
        .doesNotContain("OCSP is not checked");

    Cli.Result text = Cli.run(args(false, "--revocation", "ocsp").toArray(String[]::new));
    assertThat(text.exit()).as(text.out()).isZero();
    assertThat(text.out()).contains("Revocation  OCSP checked, no CRL fetched")
        .doesNotContain("no OCSP checker", "CRL URL");
    assertThat(crls.requestCount(LEAF_CRL)).isZero();
    assertThat(crls.requestCount(ROOT_CRL)).isZero();
  }

  @Test
  void ocspRevokedLeafIsOcspRevokedInTheProbeFindings() throws IOException {
    try (OcspResponder ocsp = OcspResponder.start(pki.intermediate())) {
      IssuedCertificate ocspLeaf = pki.newLeaf().dnsNames(FQDN).ocspUrl(ocsp.uri()).issue();
      Instant revokedAt = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
      ocsp.revoked(ocspLeaf.certificate(), RevocationReason.KEY_COMPROMISE, revokedAt);
      try (MockSmtpServer ocspSmtp = MockSmtpServer.builder().fqdn(FQDN).certificate(ocspLeaf).build().start()) {
        Cli.Result r = Cli.run("probe", "--timeout", "5s", FQDN + ":" + ocspSmtp.port(), "--address", "127.0.0.1",
            "--trust", rootPem.toString(), "--json", "--revocation", "ocsp");

        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).as("exit code; stdout: %s", r.out()).isEqualTo(1);
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("startTls").get("status").asText()).isEqualTo("UPGRADED");
        assertThat(root.get("findings").findValuesAsText("code")).containsExactly("OCSP_REVOKED");
        JsonNode f = root.get("findings").get(0);
        assertThat(f.get("severity").asText()).isEqualTo("ERROR");
        assertThat(f.get("evidence").get("url").asText()).isEqualTo(ocsp.uri().toString());
        assertThat(f.get("evidence").get("reason").asText()).isEqualTo("keyCompromise");
        assertThat(f.get("evidence").get("revokedAt").asText()).isEqualTo(revokedAt.toString());
        assertThat(root.get("certificateCheck").get("valid").asBoolean()).isFalse();
        JsonNode revocation = root.get("revocation");
        assertThat(revocation.get("mode").asText()).isEqualTo("ocsp");
        assertThat(revocation.get("checked").asBoolean()).isTrue();
        assertThat(revocation.get("crls")).isEmpty();
        assertThat(revocation.get("note").asText()).startsWith("OCSP checked, no CRL fetched");
        assertThat(ocsp.requestCount()).isEqualTo(1);
        assertThat(crls.requestCount(ROOT_CRL)).as("ocsp fetches no CRL").isZero();
      }
    }
  }

  @Test
  void textHasTheRevocationTable() {
    revokeLeaf();

    Cli.Result r = Cli.run(args(false).toArray(String[]::new));

    assertThat(r.exit()).as(r.out()).isEqualTo(1);
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .contains("Revocation    2 CRL URLs, every one OK")
        .containsPattern("URL +Status +HTTP +Latency +Size +thisUpdate +nextUpdate +Entries")
        .containsPattern(Pattern.quote(crls.uri(LEAF_CRL).toString()) + " +OK +200 +\\d+ ms +\\d+(\\.\\d)? (B|KiB) +\\S+Z +\\S+Z +1")
        .containsPattern("ERROR +CERT_REVOKED");
  }
}
