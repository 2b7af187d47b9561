package dev.smtptls.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smtptls.cert.CertificateInfo;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code smtptls check-cert} in-process on chains from the testkit's PKI: exit 0 for a good
 * chain, 1 with the right codes for each fault (CERT_MALFORMED included), 2 for a file that is
 * not a certificate at all; the JSON of CONTRACT.md key for key.
 */
class CheckCertCommandTest {

  private static final String HOST = "mx.example.test";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static TestPki pki;
  private static IssuedCertificate good;

  @TempDir Path dir;

  @BeforeAll
  static void pki() {
    pki = TestPki.create();
    good = pki.leaf(HOST);
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
  }

  private Path root() throws IOException {
    return write("root.pem", pki.root().certificatePem());
  }

  /** Runs {@code check-cert --json}, checks stdout is exactly one JSON object and stderr empty. */
  private static JsonNode json(int expectedExit, String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of("check-cert", "--json"));
    all.addAll(List.of(args));
    Cli.Result r = Cli.run(all.toArray(String[]::new));
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

  private static List<String> codes(JsonNode root) {
    return root.get("findings").findValuesAsText("code");
  }

  /** A usage error: exit 2, nothing on stdout, exactly one line on stderr naming the file. */
  private static void assertUsageError(Cli.Result r, String culprit) {
    assertThat(r.exit()).as("exit code; stderr: %s", r.err()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0)).startsWith("smtptls check-cert: ").contains(culprit)
        .doesNotContain("Exception");
  }

  @Test
  void validChainWithItsRootTrustedIsExitZeroWithEveryContractKey() throws IOException {
    Path chain = write("chain.pem", good.chainPem());
    JsonNode root = json(0, "--chain", chain.toString(), "--trust", root().toString(), "--name", HOST,
        "--ehlo-name", HOST);

    assertThat(keys(root)).containsAll(Set.of("valid", "certificates", "path", "findings"));
    assertThat(root.get("valid").asBoolean()).isTrue();
    assertThat(root.get("findings")).isEmpty();
    assertThat(root.get("tool").get("name").asText()).isEqualTo("smtptls");

    JsonNode certs = root.get("certificates");
    assertThat(certs).hasSize(2);
    JsonNode leaf = certs.get(0);
    assertThat(keys(leaf)).containsExactlyInAnyOrder(
        "subject", "issuer", "serialNumber", "notBefore", "notAfter", "sha1", "sha256", "dnsNames", "selfSigned");
    assertThat(leaf.get("sha1").asText()).isEqualTo(CertificateInfo.thumbprint(good.certificate(), "SHA-1"))
        .matches("[0-9A-F]{40}");
    assertThat(leaf.get("dnsNames").toString()).contains(HOST);
    assertThat(leaf.get("selfSigned").asBoolean()).isFalse();

    JsonNode path = root.get("path");
    assertThat(path.isArray()).isTrue();
    assertThat(path).hasSize(3);
    assertThat(path.get(0).asText()).isEqualTo("CN=" + HOST);
    assertThat(path.get(2).asText()).isEqualTo(TestPki.DEFAULT_ROOT_NAME);

    JsonNode trust = root.get("trust");
    assertThat(trust).hasSize(1);
    assertThat(keys(trust.get(0))).contains("trustSource", "trusted", "path");
    assertThat(trust.get(0).get("trustSource").asText()).isEqualTo("root.pem");
    assertThat(trust.get(0).get("trusted").asBoolean()).isTrue();
  }

  @Test
  void eachTrustSourceIsReportedSideBySideAndTheFirstDecides() throws IOException {
    Path chain = write("chain.pem", good.chainPem());
    JsonNode root = json(0, "--chain", chain.toString(), "--trust", root().toString(), "--trust", "system");
    JsonNode trust = root.get("trust");
    assertThat(trust).hasSize(2);
    assertThat(trust.get(0).get("trusted").asBoolean()).isTrue();
    assertThat(trust.get(1).get("trustSource").asText()).isEqualTo("system");
    assertThat(trust.get(1).get("trusted").asBoolean()).as("the test root is in no system store").isFalse();
    assertThat(codes(root)).isEmpty();
  }

  @Test
  void withoutTrustTheSystemStoreDecides() throws IOException {
    // The whole chain up to the test root, which no system store holds.
    Path chain = write("chain.pem", good.chainPem() + pki.root().certificatePem());
    JsonNode root = json(1, "--chain", chain.toString());
    assertThat(root.get("valid").asBoolean()).isFalse();
    assertThat(root.get("path").isNull()).isTrue();
    assertThat(codes(root)).contains("CERT_UNTRUSTED");
    assertThat(root.get("trust").get(0).get("trustSource").asText()).isEqualTo("system");
  }

  @Test
  void expiredIsExitOne() throws IOException {
    Path chain = write("expired.pem", pki.newLeaf().dnsNames(HOST).expired().issue().chainPem());
    JsonNode root = json(1, "--chain", chain.toString(), "--trust", root().toString(), "--name", HOST);
    assertThat(codes(root)).contains("CERT_EXPIRED");
    JsonNode f = root.get("findings").get(codes(root).indexOf("CERT_EXPIRED"));
    assertThat(keys(f)).containsExactlyInAnyOrder("code", "severity", "message", "evidence");
    assertThat(f.get("severity").asText()).isEqualTo("ERROR");
    assertThat(f.get("evidence").get("sha1").asText()).matches("[0-9A-F]{40}");
  }

  @Test
  void atMovesTheValidationTime() throws IOException {
    Path chain = write("chain.pem", good.chainPem());
    String notAfter = good.certificate().getNotAfter().toInstant().plusSeconds(86_400).toString();
    JsonNode root = json(1, "--chain", chain.toString(), "--trust", root().toString(), "--at", notAfter);
    assertThat(codes(root)).contains("CERT_EXPIRED");
    assertThat(root.get("checkedAt").asText()).isEqualTo(notAfter);
  }

  @Test
  void selfSignedIsExitOne() throws IOException {
    Path chain = write("self.pem", pki.newLeaf().dnsNames(HOST).selfSigned().issue().chainPem());
    JsonNode root = json(1, "--chain", chain.toString(), "--trust", root().toString(), "--name", HOST);
    assertThat(codes(root)).contains("CERT_SELF_SIGNED");
    assertThat(root.get("certificates").get(0).get("selfSigned").asBoolean()).isTrue();
  }

  @Test
  void wrongNameIsExitOneWithTheNamesAsEvidence() throws IOException {
    Path chain = write("chain.pem", good.chainPem());
    JsonNode root = json(1, "--chain", chain.toString(), "--trust", root().toString(), "--name", "mail.other.test");
    assertThat(codes(root)).containsExactly("CERT_NAME_MISMATCH");
    assertThat(root.get("findings").get(0).get("evidence").get("names").toString()).contains(HOST);
    assertThat(root.get("path")).as("the path is fine; only the name is wrong").hasSize(3);
  }

  @Test
  void ehloNameNotCoveredIsExitOne() throws IOException {
    Path chain = write("chain.pem", good.chainPem());
    JsonNode root = json(1, "--chain", chain.toString(), "--trust", root().toString(), "--name", HOST,
        "--ehlo-name", "exch01.corp.example.local");
    assertThat(codes(root)).containsExactly("CERT_EHLO_NAME_MISMATCH");
  }

  @Test
  void missingIntermediateIsExitOne() throws IOException {
    Path chain = write("leaf.pem", good.certificatePem());
    JsonNode root = json(1, "--chain", chain.toString(), "--trust", root().toString(), "--name", HOST);
    assertThat(codes(root)).contains("CERT_CHAIN_INCOMPLETE");
    assertThat(root.get("path").isNull()).isTrue();
  }

  @Test
  void brokenDerCertificateIsCertMalformedExitOne() throws IOException, CertificateEncodingException {
    byte[] der = corruptVersionTag(good.certificate().getEncoded());
    Path file = Files.write(dir.resolve("broken.der"), der);
    JsonNode root = json(1, "--chain", file.toString(), "--trust", root().toString());
    assertThat(codes(root)).containsExactly("CERT_MALFORMED");
    assertThat(root.get("valid").asBoolean()).isFalse();
    assertThat(root.get("certificates")).isEmpty();
    assertThat(root.get("path").isNull()).isTrue();
    assertThat(root.get("findings").get(0).get("evidence").get("sha1").asText()).matches("[0-9A-F]{40}");
  }

  @Test
  void brokenLeafBeforeAGoodIntermediateIsNotCheckedAsIfTheIntermediateWereTheLeaf()
      throws IOException, CertificateEncodingException {
    byte[] der = corruptVersionTag(good.certificate().getEncoded());
    Path file = write("broken-chain.pem", pem(der) + pki.intermediate().certificatePem());
    JsonNode root = json(1, "--chain", file.toString(), "--trust", root().toString(), "--name", HOST);
    assertThat(codes(root)).containsExactly("CERT_MALFORMED");
    assertThat(root.get("certificates")).hasSize(1);
  }

  @Test
  void privateKeyFileIsAUsageError() throws IOException {
    Path key = write("key.pem", good.privateKeyPem());
    assertUsageError(Cli.run("check-cert", "--chain", key.toString()), key.toString());
  }

  @Test
  void emptyFileIsAUsageError() throws IOException {
    Path empty = write("empty.pem", "");
    assertUsageError(Cli.run("check-cert", "--json", "--chain", empty.toString()), empty.toString());
  }

  @Test
  void textFileIsAUsageError() throws IOException {
    Path text = write("notes.txt", "This is the certificate, I think.\nRegards\n");
    assertUsageError(Cli.run("check-cert", "--chain", text.toString()), text.toString());
  }

  @Test
  void brokenBase64IsAUsageErrorNamingTheLine() throws IOException {
    Path broken = write("broken.pem", "a bundle\n-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n");
    assertUsageError(Cli.run("check-cert", "--chain", broken.toString()), broken + ":2");
  }

  @Test
  void missingFileAndMissingChainAreUsageErrors() {
    Path missing = dir.resolve("missing.pem");
    assertUsageError(Cli.run("check-cert", "--chain", missing.toString()), missing.toString());
    assertUsageError(Cli.run("check-cert", "--name", HOST), "--chain");
  }

  @Test
  void badFlagValuesAreUsageErrors() throws IOException {
    Path chain = write("chain.pem", good.chainPem());
    assertUsageError(Cli.run("check-cert", "--chain", chain.toString(), "--profile", "lenient"), "default, strict");
    assertUsageError(Cli.run("check-cert", "--chain", chain.toString(), "--revocation", "maybe"), "none, crl, ocsp, all");
    assertUsageError(Cli.run("check-cert", "--chain", chain.toString(), "--at", "soon"), "--at");
    assertUsageError(Cli.run("check-cert", "--chain", chain.toString(), "--bogus"), "--bogus");
  }

  @Test
  void strictProfileAndEveryRevocationModeAreAccepted() throws IOException {
    Path chain = write("chain.pem", good.chainPem());
    JsonNode none = json(0, "--chain", chain.toString(), "--trust", root().toString(), "--profile", "strict",
        "--revocation", "none", "--name", HOST);
    assertThat(none.get("revocationChecked").asBoolean()).as("none checks nothing").isFalse();
    assertThat(none.get("revocation").get("mode").asText()).isEqualTo("none");
    assertThat(none.get("revocation").get("checked").asBoolean()).isFalse();
    assertThat(none.get("revocation").get("note").asText()).startsWith("not checked");
    assertThat(none.get("revocation").get("crls")).isEmpty();
    // OCSP runs, but this PKI's certificates name no OCSP responder: nothing is asked, and the note says so.
    JsonNode ocsp = json(0, "--chain", chain.toString(), "--trust", root().toString(), "--profile", "strict",
        "--revocation", "ocsp", "--name", HOST);
    assertThat(ocsp.get("revocationChecked").asBoolean()).isTrue();
    assertThat(ocsp.get("revocation").get("mode").asText()).isEqualTo("ocsp");
    assertThat(ocsp.get("revocation").get("checked").asBoolean()).isTrue();
    assertThat(ocsp.get("revocation").get("note").asText())
        .startsWith("OCSP checked, no CRL fetched")
        .contains("no certificate below the trust anchor names an OCSP responder, so no OCSP responder was asked")
        .doesNotContain("no OCSP checker");
    assertThat(ocsp.get("revocation").get("crls")).isEmpty();
    assertThat(ocsp.get("findings")).isEmpty();
    // This PKI's certificates name no CRL distribution point: a strict receiver cannot check them.
    for (String mode : List.of("crl", "all")) {
      JsonNode root = json(1, "--chain", chain.toString(), "--trust", root().toString(), "--profile", "strict",
          "--revocation", mode, "--name", HOST);
      assertThat(root.get("revocationChecked").asBoolean()).isTrue();
      assertThat(root.get("revocation").get("checked").asBoolean()).isTrue();
      assertThat(root.get("revocation").get("crls")).isEmpty();
      assertThat(codes(root)).containsOnly("CERT_NO_REVOCATION_POINT");
      assertThat(root.get("findings").findValuesAsText("severity")).containsOnly("ERROR");
    }
  }

  @Test
  void textShowsTheVerdictPathFindingsAndFixes() throws IOException {
    Path chain = write("chain.pem", good.chainPem());
    Cli.Result ok = Cli.run("check-cert", "--chain", chain.toString(), "--trust", root().toString(), "--name", HOST);
    assertThat(ok.exit()).as(ok.out()).isZero();
    assertThat(ok.err()).isEmpty();
    assertThat(ok.out())
        .contains("Certificate check", "valid: a strict receiver would accept this chain")
        .contains("CN=" + HOST, TestPki.DEFAULT_ROOT_NAME + "  (trust anchor)")
        .contains("root.pem: trusted")
        .contains(CertificateInfo.thumbprint(good.certificate(), "SHA-1"))
        .contains("Revocation  not checked")
        .contains("Findings      none");

    Path leafOnly = write("leaf.pem", good.certificatePem());
    Cli.Result bad = Cli.run("check-cert", "--chain", leafOnly.toString(), "--trust", root().toString(),
        "--name", "mail.other.test");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.out())
        .contains("NOT valid: 2 errors")
        .containsPattern("ERROR +CERT_CHAIN_INCOMPLETE")
        .containsPattern("ERROR +CERT_NAME_MISMATCH")
        .contains("fix: ");
  }

  @Test
  void helpDescribesRevocationWithOcsp() {
    Cli.Result r = Cli.run("check-cert", "--help");
    assertThat(r.exit()).isZero();
    String help = r.out().replaceAll("\\s+", " ");
    assertThat(help).contains("--chain=FILE.pem", "--trust=system|FILE.pem", "--name=NAME", "--ehlo-name=FQDN",
        "--at=INSTANT", "--revocation=none|crl|ocsp|all", "--profile=default|strict", "--json")
        .contains("--timeout=DURATION", "ocsp (ask the OCSP responder", "all (the CRLs, then OCSP)",
            "OCSP_UNAVAILABLE")
        .doesNotContain("no OCSP checker", "OCSP is not checked")
        .doesNotContain("no revocation checker yet");
  }

  /** The DER with the tag of tbsCertificate's version field ([0], 0xA0) replaced: X.509 breaks, the shape holds. */
  static byte[] corruptVersionTag(byte[] der) {
    byte[] copy = der.clone();
    int tbs = headerLength(copy, 0);
    int version = tbs + headerLength(copy, tbs);
    assertThat(copy[version] & 0xff).as("the version tag").isEqualTo(0xA0);
    copy[version] = (byte) 0xA5;
    return copy;
  }

  private static int headerLength(byte[] der, int at) {
    int len = der[at + 1] & 0xff;
    return len < 0x80 ? 2 : 2 + (len & 0x7f);
  }

  private static String pem(byte[] der) {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END CERTIFICATE-----\n";
  }
}
