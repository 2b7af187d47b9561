package dev.smtptls.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smtptls.testkit.crl.CrlFault;
import dev.smtptls.testkit.crl.CrlServer;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.RevocationReason;
import dev.smtptls.testkit.pki.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code smtptls check-cert --revocation crl} in-process against the testkit's {@link CrlServer}
 * on 127.0.0.1 (port 0): each CRL fault gives its finding with the reason, a healthy CRL none, and
 * the {@code revocation} JSON carries the reachability table, answered from the checker's cache.
 */
class CheckCertRevocationTest {

  private static final String HOST = "mx.crl.test";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static CrlServer server;
  private static TestPki pki;

  @TempDir Path dir;

  /** The leaf of the running test, naming {@link #leafPath} as its one CRL distribution point. */
  private IssuedCertificate leaf;
  private String leafPath;
  private Path chain;
  private Path rootPem;

  @BeforeAll
  static void start() {
    // SLOW sends the last byte after 20 s: far beyond the short --timeout of the timeout test, and
    // closing the server ends the wait at once.
    server = CrlServer.builder().slowDelay(Duration.ofSeconds(20)).start();
    // The intermediate names /root.crl; the root's CRL is healthy, so each test shows its leaf's CRL only.
    pki = TestPki.builder().crlDistributionPoint(server.uri("/root.crl")).build();
    server.publish("/root.crl", pki.newCrl(pki.root()).build());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void leaf(TestInfo test) throws IOException {
    leafPath = "/" + test.getTestMethod().orElseThrow().getName() + "/intermediate.crl";
    leaf = pki.newLeaf().dnsNames(HOST).crlDistributionPoints(server.uri(leafPath)).issue();
    chain = Files.writeString(dir.resolve("chain.pem"), leaf.chainPem(), StandardCharsets.US_ASCII);
    rootPem = Files.writeString(dir.resolve("root.pem"), pki.root().certificatePem(), StandardCharsets.US_ASCII);
  }

  /** Runs {@code check-cert --json --revocation crl} on the leaf's chain; stdout one JSON object, stderr empty. */
  private JsonNode checkCert(int expectedExit, String... extra) throws IOException {
    List<String> args = new ArrayList<>(List.of("check-cert", "--json", "--chain", chain.toString(),
        "--trust", rootPem.toString(), "--name", HOST));
    if (!List.of(extra).contains("--revocation")) {
      args.addAll(List.of("--revocation", "crl"));
    }
    args.addAll(List.of(extra));
    Cli.Result r = Cli.run(args.toArray(String[]::new));
    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).as("exit code; stdout: %s", r.out()).isEqualTo(expectedExit);
    return JSON.readTree(r.out());
  }

  private static List<String> codes(JsonNode root) {
    return root.get("findings").findValuesAsText("code");
  }

  private static JsonNode only(JsonNode root, String code) {
    List<JsonNode> found = new ArrayList<>();
    root.get("findings").forEach(f -> {
      if (f.get("code").asText().equals(code)) {
        found.add(f);
      }
    });
    assertThat(found).as("findings %s", root.get("findings")).hasSize(1);
    return found.get(0);
  }

  /** The reachability row of the leaf's CRL. */
  private JsonNode leafRow(JsonNode root) {
    JsonNode revocation = root.get("revocation");
    assertThat(revocation.get("checked").asBoolean()).isTrue();
    for (JsonNode row : revocation.get("crls")) {
      if (row.get("url").asText().equals(server.uri(leafPath).toString())) {
        return row;
      }
    }
    throw new AssertionError("no row for " + leafPath + " in " + revocation);
  }

  private static Set<String> keys(JsonNode node) {
    Set<String> keys = new TreeSet<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  @Test
  void revokedLeafIsCertRevokedWithUrlReasonAndDate() throws IOException {
    Instant revokedAt = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    server.publish(leafPath, pki.newCrl(pki.intermediate())
        .revoke(leaf.certificate(), RevocationReason.KEY_COMPROMISE, revokedAt)
        .build());

    JsonNode root = checkCert(1);

    assertThat(root.get("valid").asBoolean()).isFalse();
    assertThat(codes(root)).containsExactly("CERT_REVOKED");
    JsonNode f = only(root, "CERT_REVOKED");
    assertThat(f.get("severity").asText()).isEqualTo("ERROR");
    assertThat(f.get("evidence").get("url").asText()).isEqualTo(server.uri(leafPath).toString());
    assertThat(f.get("evidence").get("reason").asText()).isEqualTo("keyCompromise");
    assertThat(f.get("evidence").get("revokedAt").asText()).isEqualTo(revokedAt.toString());
    JsonNode row = leafRow(root);
    assertThat(row.get("status").asText()).as("the CRL itself is fine").isEqualTo("OK");
    assertThat(row.get("entries").asInt()).isEqualTo(1);
    // The table is answered from the checker's cache: the CRL was fetched once, by the check.
    assertThat(server.requestCount(leafPath)).isEqualTo(1);
  }

  @Test
  void healthyCrlGivesNoFindingAndAnOkRowWithItsFigures() throws IOException {
    Instant thisUpdate = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    Instant nextUpdate = thisUpdate.plus(7, ChronoUnit.DAYS);
    server.publish(leafPath, pki.newCrl(pki.intermediate())
        .revoke(pki.newLeaf().dnsNames("other.crl.test").issue().certificate(), RevocationReason.SUPERSEDED,
            thisUpdate.minus(1, ChronoUnit.DAYS))
        .thisUpdate(thisUpdate)
        .nextUpdate(nextUpdate)
        .build());

    JsonNode root = checkCert(0, "--profile", "strict");

    assertThat(root.get("findings")).isEmpty();
    assertThat(root.get("valid").asBoolean()).isTrue();
    assertThat(root.get("revocationChecked").asBoolean()).isTrue();
    JsonNode revocation = root.get("revocation");
    assertThat(keys(revocation)).containsExactlyInAnyOrder("mode", "checked", "note", "crls");
    assertThat(revocation.get("mode").asText()).isEqualTo("crl");
    assertThat(revocation.get("note").isNull()).isTrue();
    // One row per certificate of the path below the anchor: the leaf's CRL, the intermediate's.
    assertThat(revocation.get("crls")).hasSize(2);
    JsonNode row = leafRow(root);
    assertThat(keys(row)).containsExactlyInAnyOrder("url", "subject", "status", "httpStatus", "latencyMs", "bytes",
        "thisUpdate", "nextUpdate", "entries", "detail");
    assertThat(row.get("subject").asText()).isEqualTo("CN=" + HOST);
    assertThat(row.get("status").asText()).isEqualTo("OK");
    assertThat(row.get("httpStatus").asInt()).isEqualTo(200);
    assertThat(row.get("latencyMs").isIntegralNumber()).isTrue();
    assertThat(row.get("bytes").asLong()).isPositive();
    assertThat(row.get("thisUpdate").asText()).isEqualTo(thisUpdate.toString());
    assertThat(row.get("nextUpdate").asText()).isEqualTo(nextUpdate.toString());
    assertThat(row.get("entries").asInt()).isEqualTo(1);
    assertThat(row.get("detail").asText()).isNotBlank();
    JsonNode intermediateRow = revocation.get("crls").get(1);
    assertThat(intermediateRow.get("url").asText()).isEqualTo(server.uri("/root.crl").toString());
    assertThat(intermediateRow.get("subject").asText()).isEqualTo(TestPki.DEFAULT_INTERMEDIATE_NAME);
    assertThat(intermediateRow.get("status").asText()).isEqualTo("OK");
    assertThat(intermediateRow.get("entries").asInt()).isZero();
    assertThat(server.requestCount(leafPath)).as("no second fetch for the table").isEqualTo(1);
  }

  @Test
  void notFoundIsCrlUnavailableAWarningByDefaultAnErrorWhenStrict() throws IOException {
    server.fault(leafPath, CrlFault.NOT_FOUND);

    JsonNode lenient = checkCert(0);
    JsonNode f = only(lenient, "CRL_UNAVAILABLE");
    assertThat(codes(lenient)).containsExactly("CRL_UNAVAILABLE");
    assertThat(f.get("severity").asText()).isEqualTo("WARNING");
    assertThat(f.get("evidence").get("url").asText()).isEqualTo(server.uri(leafPath).toString());
    assertThat(f.get("evidence").get("reason").asText()).contains("404");
    JsonNode row = leafRow(lenient);
    assertThat(row.get("status").asText()).isEqualTo("UNAVAILABLE");
    assertThat(row.get("httpStatus").asInt()).isEqualTo(404);
    assertThat(row.get("thisUpdate").isNull()).isTrue();
    assertThat(row.get("nextUpdate").isNull()).isTrue();
    assertThat(row.get("detail").asText()).contains("404");

    JsonNode strict = checkCert(1, "--profile", "strict");
    assertThat(only(strict, "CRL_UNAVAILABLE").get("severity").asText()).isEqualTo("ERROR");
    assertThat(strict.get("valid").asBoolean()).isFalse();
    // Two runs, two checkers: one request each; the table re-used the failed fetch.
    assertThat(server.requestCount(leafPath)).isEqualTo(2);
  }

  @Test
  void slowCrlBeyondTheTimeoutIsCrlUnavailable() throws IOException {
    server.publish(leafPath, pki.newCrl(pki.intermediate()).build());
    server.fault(leafPath, CrlFault.SLOW);

    JsonNode root = checkCert(0, "--timeout", "300ms");

    JsonNode f = only(root, "CRL_UNAVAILABLE");
    assertThat(f.get("evidence").get("reason").asText()).contains("within 300 ms");
    assertThat(leafRow(root).get("status").asText()).isEqualTo("UNAVAILABLE");
    assertThat(server.requestCount(leafPath)).isEqualTo(1);
  }

  @Test
  void oversizeCrlIsCrlUnavailableLargerThanTheCap() throws IOException {
    server.fault(leafPath, CrlFault.OVERSIZE);

    JsonNode root = checkCert(0);

    JsonNode f = only(root, "CRL_UNAVAILABLE");
    assertThat(f.get("evidence").get("reason").asText()).contains("larger than");
    assertThat(leafRow(root).get("status").asText()).isEqualTo("UNAVAILABLE");
    assertThat(server.requestCount(leafPath)).isEqualTo(1);
  }

  @Test
  void staleCrlIsCrlExpired() throws IOException {
    Instant now = Instant.now();
    server.publish(leafPath, pki.newCrl(pki.intermediate())
        .thisUpdate(now.minus(10, ChronoUnit.DAYS))
        .nextUpdate(now.minus(1, ChronoUnit.DAYS))
        .build());

    JsonNode root = checkCert(0);

    JsonNode f = only(root, "CRL_EXPIRED");
    assertThat(codes(root)).containsExactly("CRL_EXPIRED");
    assertThat(f.get("evidence").get("url").asText()).isEqualTo(server.uri(leafPath).toString());
    assertThat(leafRow(root).get("status").asText()).isEqualTo("EXPIRED");
    assertThat(server.requestCount(leafPath)).isEqualTo(1);
    checkCert(1, "--profile", "strict");
  }

  @Test
  void crlSignedByAnotherKeyIsCrlInvalid() throws IOException {
    TestPki impostor = TestPki.create(); // an intermediate of the same name, another key
    server.publish(leafPath, impostor.newCrl(impostor.intermediate()).build());

    JsonNode root = checkCert(0);

    JsonNode f = only(root, "CRL_INVALID");
    assertThat(codes(root)).containsExactly("CRL_INVALID");
    assertThat(f.get("evidence").get("reason").asText()).contains("signature");
    assertThat(leafRow(root).get("status").asText()).isEqualTo("INVALID");
    assertThat(server.requestCount(leafPath)).isEqualTo(1);
  }

  @Test
  void noneIsTheDefaultAndFetchesNothing() throws IOException {
    server.fault(leafPath, CrlFault.NOT_FOUND);

    JsonNode root = checkCert(0, "--revocation", "none", "--profile", "strict");
    JsonNode defaulted = JSON.readTree(Cli.run("check-cert", "--json", "--chain", chain.toString(),
        "--trust", rootPem.toString(), "--name", HOST, "--profile", "strict").out());

    for (JsonNode r : List.of(root, defaulted)) {
      assertThat(r.get("findings")).isEmpty();
      assertThat(r.get("revocation").get("mode").asText()).isEqualTo("none");
      assertThat(r.get("revocation").get("checked").asBoolean()).isFalse();
      assertThat(r.get("revocation").get("crls")).isEmpty();
    }
    assertThat(server.requestCount(leafPath)).isZero();
  }

  @Test
  void ocspFetchesNoCrlAndSaysThatNoCertificateNamesAResponder() throws IOException {
    server.publish(leafPath, pki.newCrl(pki.intermediate())
        .revoke(leaf.certificate(), RevocationReason.KEY_COMPROMISE, Instant.now().minus(1, ChronoUnit.HOURS))
        .build());

    JsonNode root = checkCert(0, "--revocation", "ocsp");

    assertThat(root.get("findings")).as("the CRL says revoked, but ocsp reads no CRL").isEmpty();
    assertThat(root.get("revocationChecked").asBoolean()).isTrue();
    JsonNode revocation = root.get("revocation");
    assertThat(revocation.get("mode").asText()).isEqualTo("ocsp");
    assertThat(revocation.get("checked").asBoolean()).isTrue();
    assertThat(revocation.get("crls")).isEmpty();
    assertThat(revocation.get("note").asText())
        .startsWith("OCSP checked, no CRL fetched")
        .contains("no certificate below the trust anchor names an OCSP responder")
        .doesNotContain("no OCSP checker", "OCSP is not checked");
    assertThat(server.requestCount(leafPath)).isZero();

    Cli.Result text = Cli.run("check-cert", "--chain", chain.toString(), "--trust", rootPem.toString(),
        "--name", HOST, "--revocation", "ocsp");
    assertThat(text.exit()).as(text.out()).isZero();
    assertThat(text.out()).contains("Revocation  OCSP checked, no CRL fetched")
        .doesNotContain("no OCSP checker", "OCSP is not checked", "CRL URL", "no CRL: no certificate");
    assertThat(server.requestCount(leafPath)).isZero();
  }

  @Test
  void allChecksTheCrlsAndOcsp() throws IOException {
    server.publish(leafPath, pki.newCrl(pki.intermediate())
        .revoke(leaf.certificate(), RevocationReason.KEY_COMPROMISE, Instant.now().minus(1, ChronoUnit.HOURS))
        .build());

    JsonNode root = checkCert(1, "--revocation", "all");

    assertThat(codes(root)).containsExactly("CERT_REVOKED");
    JsonNode revocation = root.get("revocation");
    assertThat(revocation.get("mode").asText()).isEqualTo("all");
    assertThat(revocation.get("checked").asBoolean()).isTrue();
    assertThat(revocation.get("crls")).hasSize(2);
    assertThat(revocation.get("note").asText()).startsWith("CRLs and OCSP checked")
        .contains("no certificate below the trust anchor names an OCSP responder")
        .doesNotContain("OCSP is not checked");
  }

  @Test
  void textHasTheRevocationTable() throws IOException {
    server.publish(leafPath, pki.newCrl(pki.intermediate())
        .revoke(leaf.certificate(), RevocationReason.KEY_COMPROMISE, Instant.now().minus(1, ChronoUnit.HOURS))
        .build());

    Cli.Result r = Cli.run("check-cert", "--chain", chain.toString(), "--trust", rootPem.toString(), "--name", HOST,
        "--revocation", "crl");

    assertThat(r.exit()).as(r.out()).isEqualTo(1);
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .contains("Revocation  checked (the CRLs the path names: see Revocation below)")
        .contains("Revocation    2 CRL URLs, every one OK")
        .containsPattern("URL +Status +HTTP +Latency +Size +thisUpdate +nextUpdate +Entries")
        .containsPattern(Pattern.quote(server.uri(leafPath).toString()) + " +OK +200 +\\d+ ms +\\d")
        .contains("for CN=" + HOST + ": The CRL is current")
        .containsPattern("ERROR +CERT_REVOKED");
    assertThat(r.out().indexOf("Revocation    2 CRL URLs")).isLessThan(r.out().indexOf("Findings      1"));
  }

  @Test
  void unreachableTableShowsTheStatusAndTheReason() throws IOException {
    server.fault(leafPath, CrlFault.SERVER_ERROR);

    Cli.Result r = Cli.run("check-cert", "--chain", chain.toString(), "--trust", rootPem.toString(), "--name", HOST,
        "--revocation", "crl");

    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out())
        .contains("Revocation    2 CRL URLs, 1 not OK")
        .containsPattern(Pattern.quote(server.uri(leafPath).toString()) + " +UNAVAILABLE +500 ")
        .containsPattern("WARNING +CRL_UNAVAILABLE");
  }
}
