package dev.smtptls.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smtptls.testkit.crl.CrlServer;
import dev.smtptls.testkit.ocsp.OcspFault;
import dev.smtptls.testkit.ocsp.OcspResponder;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.RevocationReason;
import dev.smtptls.testkit.pki.TestPki;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code smtptls check-cert --revocation ocsp|all} in-process against the testkit's {@link
 * OcspResponder} (and, for {@code all}, its {@link CrlServer}) on 127.0.0.1, port 0: a revoked
 * answer is {@code OCSP_REVOKED}, a good one gives no finding, a responder that gives no usable
 * answer is {@code OCSP_UNAVAILABLE}, a warning that the strict profile makes an error.
 */
class CheckCertOcspTest {

  private static final String HOST = "mx.ocsp.test";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static CrlServer crls;
  private static TestPki pki;

  @TempDir Path dir;

  private OcspResponder ocsp;
  private Path rootPem;

  @BeforeAll
  static void startCrlServer() {
    crls = CrlServer.start();
    // The intermediate names a healthy /root.crl, so that --revocation all finds only what the leaf's do.
    pki = TestPki.builder().crlDistributionPoint(crls.uri("/root.crl")).build();
    crls.publish("/root.crl", pki.newCrl(pki.root()).build());
  }

  @AfterAll
  static void stopCrlServer() {
    crls.close();
  }

  @BeforeEach
  void startResponder() throws IOException {
    ocsp = OcspResponder.start(pki.intermediate());
    rootPem = Files.writeString(dir.resolve("root.pem"), pki.root().certificatePem(), StandardCharsets.US_ASCII);
  }

  @AfterEach
  void stopResponder() {
    ocsp.close();
  }

  private IssuedCertificate leafAnswering(URI responder) {
    return pki.newLeaf().dnsNames(HOST).ocspUrl(responder).issue();
  }

  private Path chain(IssuedCertificate leaf) throws IOException {
    return Files.writeString(dir.resolve("chain.pem"), leaf.chainPem(), StandardCharsets.US_ASCII);
  }

  private List<String> args(Path chain, boolean json, String... extra) {
    List<String> args = new ArrayList<>(List.of("check-cert", "--chain", chain.toString(),
        "--trust", rootPem.toString(), "--name", HOST, "--timeout", "5s"));
    if (json) {
      args.add("--json");
    }
    args.addAll(List.of(extra));
    return args;
  }

  /** Runs {@code check-cert --json ...}; stdout one JSON object, stderr empty. */
  private JsonNode checkCert(int expectedExit, Path chain, String... extra) throws IOException {
    Cli.Result r = Cli.run(args(chain, true, extra).toArray(String[]::new));
    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).as("exit code; stdout: %s", r.out()).isEqualTo(expectedExit);
    return JSON.readTree(r.out());
  }

  private static List<String> codes(JsonNode root) {
    return root.get("findings").findValuesAsText("code");
  }

  @Test
  void revokedAnswerIsOcspRevokedWithUrlReasonAndDate() throws IOException {
    IssuedCertificate leaf = leafAnswering(ocsp.uri());
    Instant revokedAt = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    ocsp.revoked(leaf.certificate(), RevocationReason.KEY_COMPROMISE, revokedAt);
    Path chain = chain(leaf);
    int rootCrlFetches = crls.requestCount("/root.crl"); // the CRL server is shared by the class's tests

    JsonNode root = checkCert(1, chain, "--revocation", "ocsp");

    assertThat(root.get("valid").asBoolean()).isFalse();
    assertThat(codes(root)).containsExactly("OCSP_REVOKED");
    JsonNode f = root.get("findings").get(0);
    assertThat(f.get("severity").asText()).isEqualTo("ERROR");
    assertThat(f.get("evidence").get("url").asText()).isEqualTo(ocsp.uri().toString());
    assertThat(f.get("evidence").get("reason").asText()).isEqualTo("keyCompromise");
    assertThat(f.get("evidence").get("revokedAt").asText()).isEqualTo(revokedAt.toString());
    assertThat(f.get("evidence").get("subject").asText()).isEqualTo("CN=" + HOST);
    assertThat(root.get("revocationChecked").asBoolean()).isTrue();
    JsonNode revocation = root.get("revocation");
    assertThat(revocation.get("mode").asText()).isEqualTo("ocsp");
    assertThat(revocation.get("checked").asBoolean()).isTrue();
    assertThat(revocation.get("crls")).as("ocsp fetches no CRL").isEmpty();
    // The intermediate names a CRL but no responder: the note says it was not asked.
    assertThat(revocation.get("note").asText()).startsWith("OCSP checked, no CRL fetched")
        .contains("1 of 2 certificates below the trust anchor names an OCSP responder, so the other was not asked");
    assertThat(ocsp.requestCount()).isEqualTo(1);
    assertThat(crls.requestCount("/root.crl")).as("ocsp fetches no CRL").isEqualTo(rootCrlFetches);

    Cli.Result text = Cli.run(args(chain, false, "--revocation", "ocsp").toArray(String[]::new));
    assertThat(text.exit()).as(text.out()).isEqualTo(1);
    assertThat(text.err()).isEmpty();
    assertThat(text.out()).contains("Revocation  OCSP checked, no CRL fetched")
        .containsPattern("ERROR +OCSP_REVOKED")
        .doesNotContain("CRL URL", "no OCSP checker");
  }

  @Test
  void goodAnswerGivesNoFindingEvenForAStrictReceiver() throws IOException {
    IssuedCertificate leaf = leafAnswering(ocsp.uri());
    ocsp.good(leaf.certificate());

    JsonNode root = checkCert(0, chain(leaf), "--revocation", "ocsp", "--profile", "strict");

    assertThat(root.get("valid").asBoolean()).isTrue();
    assertThat(root.get("findings")).isEmpty();
    assertThat(codes(root)).noneMatch(c -> c.startsWith("OCSP_"));
    assertThat(root.get("revocation").get("checked").asBoolean()).isTrue();
    assertThat(ocsp.requestCount()).isEqualTo(1);
  }

  @Test
  void notFoundIsOcspUnavailableAWarningByDefaultAnErrorWhenStrict() throws IOException {
    IssuedCertificate leaf = leafAnswering(ocsp.uri());
    ocsp.good(leaf.certificate());
    ocsp.fault(OcspFault.NOT_FOUND);
    Path chain = chain(leaf);

    JsonNode lenient = checkCert(0, chain, "--revocation", "ocsp");
    assertThat(codes(lenient)).containsExactly("OCSP_UNAVAILABLE");
    JsonNode f = lenient.get("findings").get(0);
    assertThat(f.get("severity").asText()).isEqualTo("WARNING");
    assertThat(f.get("evidence").get("url").asText()).isEqualTo(ocsp.uri().toString());
    assertThat(f.get("evidence").get("reason").asText()).contains("404");
    assertThat(lenient.get("valid").asBoolean()).isTrue();

    JsonNode strict = checkCert(1, chain, "--revocation", "ocsp", "--profile", "strict");
    assertThat(codes(strict)).containsExactly("OCSP_UNAVAILABLE");
    assertThat(strict.get("findings").get(0).get("severity").asText()).isEqualTo("ERROR");
    assertThat(strict.get("valid").asBoolean()).isFalse();
    assertThat(ocsp.requestCount()).isEqualTo(2);
  }

  @Test
  void closedResponderPortIsOcspUnavailable() throws IOException {
    URI gone;
    try (OcspResponder stopped = OcspResponder.start(pki.intermediate())) {
      gone = stopped.uri();
    } // closed: nothing listens on that port any more
    Path chain = chain(leafAnswering(gone));

    JsonNode root = checkCert(0, chain, "--revocation", "ocsp");

    assertThat(codes(root)).containsExactly("OCSP_UNAVAILABLE");
    JsonNode f = root.get("findings").get(0);
    assertThat(f.get("severity").asText()).isEqualTo("WARNING");
    assertThat(f.get("evidence").get("url").asText()).isEqualTo(gone.toString());
    assertThat(f.get("evidence").get("reason").asText()).isNotBlank();
    checkCert(1, chain, "--revocation", "ocsp", "--profile", "strict");
  }

  @Test
  void allWithARevokedCrlEntryAndAGoodOcspAnswerIsCertRevoked() throws IOException {
    String leafCrl = "/all/intermediate.crl";
    IssuedCertificate leaf = pki.newLeaf().dnsNames(HOST).crlDistributionPoints(crls.uri(leafCrl))
        .ocspUrl(ocsp.uri()).issue();
    Instant revokedAt = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    crls.publish(leafCrl, pki.newCrl(pki.intermediate())
        .revoke(leaf.certificate(), RevocationReason.KEY_COMPROMISE, revokedAt)
        .build());
    ocsp.good(leaf.certificate());

    JsonNode root = checkCert(1, chain(leaf), "--revocation", "all");

    assertThat(codes(root)).containsExactly("CERT_REVOKED");
    JsonNode f = root.get("findings").get(0);
    assertThat(f.get("evidence").get("url").asText()).isEqualTo(crls.uri(leafCrl).toString());
    assertThat(f.get("evidence").get("reason").asText()).isEqualTo("keyCompromise");
    assertThat(f.get("evidence").get("revokedAt").asText()).isEqualTo(revokedAt.toString());
    JsonNode revocation = root.get("revocation");
    assertThat(revocation.get("mode").asText()).isEqualTo("all");
    assertThat(revocation.get("checked").asBoolean()).isTrue();
    assertThat(revocation.get("note").asText()).startsWith("CRLs and OCSP checked")
        .doesNotContain("not checked");
    // The reachability table stays CRL rows: the leaf's CRL, then the intermediate's.
    assertThat(revocation.get("crls").findValuesAsText("url"))
        .containsExactly(crls.uri(leafCrl).toString(), crls.uri("/root.crl").toString());
    assertThat(revocation.get("crls").findValuesAsText("status")).containsOnly("OK");
    // Both checkers ran: the CRL was fetched once (the table is answered from the cache), OCSP asked once.
    assertThat(crls.requestCount(leafCrl)).isEqualTo(1);
    assertThat(ocsp.requestCount()).isEqualTo(1);
  }

  @Test
  void allWithAHealthyCrlAndARevokedOcspAnswerIsOcspRevoked() throws IOException {
    String leafCrl = "/all-ocsp/intermediate.crl";
    IssuedCertificate leaf = pki.newLeaf().dnsNames(HOST).crlDistributionPoints(crls.uri(leafCrl))
        .ocspUrl(ocsp.uri()).issue();
    crls.publish(leafCrl, pki.newCrl(pki.intermediate()).build());
    ocsp.revoked(leaf.certificate(), RevocationReason.SUPERSEDED, Instant.now().minus(1, ChronoUnit.HOURS));

    JsonNode root = checkCert(1, chain(leaf), "--revocation", "all");

    assertThat(codes(root)).containsExactly("OCSP_REVOKED");
    assertThat(root.get("findings").get(0).get("evidence").get("reason").asText()).isEqualTo("superseded");
    assertThat(root.get("revocation").get("crls").findValuesAsText("status")).containsExactly("OK", "OK");
  }

  @Test
  void ocspIsNotAskedWithoutAValidatedPath() throws IOException {
    IssuedCertificate leaf = leafAnswering(ocsp.uri());
    ocsp.revoked(leaf.certificate(), RevocationReason.KEY_COMPROMISE, Instant.now().minus(1, ChronoUnit.HOURS));
    Path otherRoot = Files.writeString(dir.resolve("other-root.pem"), TestPki.create().root().certificatePem(),
        StandardCharsets.US_ASCII);
    Path chain = chain(leaf);

    Cli.Result r = Cli.run("check-cert", "--json", "--chain", chain.toString(), "--trust", otherRoot.toString(),
        "--name", HOST, "--revocation", "ocsp");

    assertThat(r.exit()).as(r.out()).isEqualTo(1);
    JsonNode root = JSON.readTree(r.out());
    assertThat(codes(root)).contains("CERT_UNTRUSTED").doesNotContain("OCSP_REVOKED", "OCSP_UNAVAILABLE");
    assertThat(root.get("revocation").get("checked").asBoolean()).isFalse();
    assertThat(root.get("revocation").get("note").asText()).startsWith("not checked: there is no trusted path");
    assertThat(ocsp.requestCount()).isZero();
  }
}
