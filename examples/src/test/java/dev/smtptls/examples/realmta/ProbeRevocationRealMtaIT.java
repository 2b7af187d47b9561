package dev.smtptls.examples.realmta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smtptls.examples.cli.SmtpTlsCommand;
import dev.smtptls.testkit.crl.CrlFault;
import dev.smtptls.testkit.crl.CrlServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x509.CRLReason;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code smtptls probe --revocation crl}, in-process, against the real Postfix that {@code
 * bench/postfix/postfix-lab.sh} starts: every probe makes the real STARTTLS handshake with Postfix,
 * captures the lab's chain (leaf and intermediate, each naming a CRL on {@code crlBaseUrl}), and
 * fetches the CRLs from the testkit's {@link CrlServer}, which serves what each test publishes
 * (CRLs signed at test time with the lab's own CA keys) or its faults.
 *
 * <p>The certificates name the lab's {@code crlPort}, chosen free when the lab started, and {@code
 * CrlServer} binds port 0: a {@link PortRelay} holds the lab's port on the lab's address and hands
 * each connection to the current test's server. Fails, never skips, without the lab ({@code
 * -Dsmtptls.postfix.dir}).
 */
@Tag("real-mta")
class ProbeRevocationRealMtaIT {

  private static final String LEAF_CRL = "/intermediate.crl";
  private static final String ROOT_CRL = "/root.crl";
  /** Beyond the 64 MiB cap of the CLI's fetcher, bounded; the client gives up well before. */
  private static final long OVERSIZE_BYTES = 96L << 20;
  /** The codes a revocation check can add to a probe. */
  private static final Set<String> REVOCATION_CODES = Set.of("CERT_REVOKED", "CRL_UNAVAILABLE", "CRL_EXPIRED",
      "CRL_INVALID", "CERT_NO_REVOCATION_POINT", "OCSP_UNAVAILABLE", "OCSP_REVOKED");
  /** The lab's leaves live 30 days: CERT_EXPIRES_SOON (a warning) is expected and beside the point here. */
  private static final String EXPIRES_SOON = "CERT_EXPIRES_SOON";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static @Nullable PostfixLab lab;
  private static @Nullable LabCa intermediate;
  private static @Nullable LabCa root;
  private static @Nullable PortRelay relay;

  private CrlServer crls;

  @BeforeAll
  static void findLab() throws IOException, GeneralSecurityException {
    PostfixLab l = PostfixLab.load();
    intermediate = LabCa.read(l.intermediateCertPem(), l.intermediateKeyPem());
    root = LabCa.read(l.rootPem(), l.rootKeyPem());
    try {
      relay = PortRelay.bind(l.address(), l.crlPort());
    } catch (IOException e) {
      fail("cannot bind the lab's CRL port " + l.crlBaseUrl() + " (" + e + "): something else took it since"
          + " postfix-lab.sh chose it; restart the lab", e);
    }
    lab = l;
  }

  @AfterAll
  static void closeRelay() {
    PortRelay r = relay;
    if (r != null) {
      r.close();
    }
  }

  @BeforeEach
  void startCrlServer() throws IOException, GeneralSecurityException {
    // SLOW sends the last byte after 20 s: far beyond the 500 ms --timeout of the slow test, and
    // closing the server ends the wait at once.
    crls = CrlServer.builder().slowDelay(Duration.ofSeconds(20)).oversizeBytes(OVERSIZE_BYTES).start();
    relay().forwardTo(crls.port());
    // The intermediate's CRL is healthy in every test, so each shows the leaf's CRL only.
    crls.publish(ROOT_CRL, root().newCrl().der());
  }

  @AfterEach
  void stopCrlServer() {
    relay().forwardTo(0);
    crls.close();
  }

  // ---------------------------------------------------------------- the cases of issue 4

  @Test
  void healthyCrlGivesNoRevocationFindingAndOkRows() throws Exception {
    Instant thisUpdate = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    Instant nextUpdate = thisUpdate.plus(7, ChronoUnit.DAYS);
    crls.publish(LEAF_CRL, intermediate().newCrl().thisUpdate(thisUpdate).nextUpdate(nextUpdate).der());

    JsonNode root = probe(0, lab().tlsPort(), lab().leafSerial());

    assertThat(otherCodes(root)).as("findings %s", root.get("findings")).isEmpty();
    assertThat(root.get("certificateCheck").get("valid").asBoolean()).isTrue();
    JsonNode revocation = root.get("revocation");
    assertThat(revocation.get("mode").asText()).isEqualTo("crl");
    assertThat(revocation.get("checked").asBoolean()).isTrue();
    assertThat(revocation.get("crls").findValuesAsText("url"))
        .containsExactly(lab().crlUrl(LEAF_CRL).toString(), lab().crlUrl(ROOT_CRL).toString());
    JsonNode row = leafRow(root);
    assertThat(row.get("status").asText()).isEqualTo("OK");
    assertThat(row.get("httpStatus").asInt()).isEqualTo(200);
    assertThat(row.get("subject").asText()).isEqualTo("CN=" + lab().myhostname());
    assertThat(row.get("bytes").asLong()).isPositive();
    assertThat(row.get("thisUpdate").asText()).isEqualTo(thisUpdate.toString());
    assertThat(row.get("nextUpdate").asText()).isEqualTo(nextUpdate.toString());
    assertThat(row.get("entries").asInt()).isZero();
    assertThat(rootRow(root).get("status").asText()).isEqualTo("OK");
    assertThat(crls.requestCount(LEAF_CRL)).as("fetched once; the table re-uses it").isEqualTo(1);
    assertThat(crls.requestCount(ROOT_CRL)).isEqualTo(1);
  }

  @Test
  void revokedLeafIsCertRevokedWithUrlReasonAndDate() throws Exception {
    Instant revokedAt = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    crls.publish(LEAF_CRL, intermediate().newCrl()
        .revoke(lab().revokedSerial(), CRLReason.keyCompromise, revokedAt)
        .der());

    JsonNode revoked = probe(1, lab().revokedPort(), lab().revokedSerial());

    assertThat(otherCodes(revoked)).as("findings %s", revoked.get("findings")).containsExactly("CERT_REVOKED");
    JsonNode f = only(revoked, "CERT_REVOKED");
    assertThat(f.get("severity").asText()).isEqualTo("ERROR");
    assertThat(f.get("evidence").get("url").asText()).isEqualTo(lab().crlUrl(LEAF_CRL).toString());
    assertThat(f.get("evidence").get("reason").asText()).isEqualTo("keyCompromise");
    assertThat(f.get("evidence").get("revokedAt").asText()).isEqualTo(revokedAt.toString());
    assertThat(revoked.get("certificateCheck").get("valid").asBoolean()).isFalse();
    JsonNode row = leafRow(revoked);
    assertThat(row.get("status").asText()).as("the CRL itself is fine").isEqualTo("OK");
    assertThat(row.get("entries").asInt()).isEqualTo(1);

    // The same CRL, the other leaf of the same intermediate: not on it, nothing to say.
    JsonNode good = probe(0, lab().tlsPort(), lab().leafSerial());
    assertThat(otherCodes(good)).as("findings %s", good.get("findings")).isEmpty();
    assertThat(leafRow(good).get("entries").asInt()).isEqualTo(1);
    assertThat(crls.requestCount(LEAF_CRL)).as("one fetch per probe").isEqualTo(2);
  }

  @Test
  void notFoundIsCrlUnavailableWith404() throws Exception {
    // Nothing published at the leaf's CRL: the server answers 404.

    JsonNode lenient = probe(0, lab().tlsPort(), lab().leafSerial());

    assertThat(otherCodes(lenient)).as("findings %s", lenient.get("findings")).containsExactly("CRL_UNAVAILABLE");
    JsonNode f = only(lenient, "CRL_UNAVAILABLE");
    assertThat(f.get("severity").asText()).isEqualTo("WARNING");
    assertThat(f.get("evidence").get("url").asText()).isEqualTo(lab().crlUrl(LEAF_CRL).toString());
    assertThat(f.get("evidence").get("reason").asText()).contains("404");
    JsonNode row = leafRow(lenient);
    assertThat(row.get("status").asText()).isEqualTo("UNAVAILABLE");
    assertThat(row.get("httpStatus").asInt()).isEqualTo(404);
    assertThat(row.get("detail").asText()).contains("404");
    assertThat(rootRow(lenient).get("status").asText()).isEqualTo("OK");

    // A strict receiver (Exchange 2013+, Exchange Online) does not trust what it cannot check.
    JsonNode strict = probe(1, lab().tlsPort(), lab().leafSerial(), "--profile", "strict");
    assertThat(only(strict, "CRL_UNAVAILABLE").get("severity").asText()).isEqualTo("ERROR");
    assertThat(strict.get("certificateCheck").get("valid").asBoolean()).isFalse();
    assertThat(crls.requestCount(LEAF_CRL)).isEqualTo(2);
  }

  @Test
  void crlSlowerThanTheTimeoutIsCrlUnavailable() throws Exception {
    crls.publish(LEAF_CRL, intermediate().newCrl().der());
    crls.fault(LEAF_CRL, CrlFault.SLOW);

    JsonNode root = probe(0, lab().tlsPort(), lab().leafSerial(), "--timeout", "500ms");

    assertThat(otherCodes(root)).as("findings %s", root.get("findings")).containsExactly("CRL_UNAVAILABLE");
    JsonNode f = only(root, "CRL_UNAVAILABLE");
    assertThat(f.get("evidence").get("url").asText()).isEqualTo(lab().crlUrl(LEAF_CRL).toString());
    assertThat(f.get("evidence").get("reason").asText()).contains("within 500 ms");
    assertThat(leafRow(root).get("status").asText()).isEqualTo("UNAVAILABLE");
    assertThat(crls.requestCount(LEAF_CRL)).isEqualTo(1);
  }

  @Test
  void oversizeCrlIsCrlUnavailableLargerThanTheCap() throws Exception {
    crls.fault(LEAF_CRL, CrlFault.OVERSIZE);

    JsonNode root = probe(0, lab().tlsPort(), lab().leafSerial());

    assertThat(otherCodes(root)).as("findings %s", root.get("findings")).containsExactly("CRL_UNAVAILABLE");
    JsonNode f = only(root, "CRL_UNAVAILABLE");
    assertThat(f.get("evidence").get("url").asText()).isEqualTo(lab().crlUrl(LEAF_CRL).toString());
    assertThat(f.get("evidence").get("reason").asText()).contains("larger than");
    assertThat(leafRow(root).get("status").asText()).isEqualTo("UNAVAILABLE");
    assertThat(crls.requestCount(LEAF_CRL)).isEqualTo(1);
    assertThat(crls.bytesSent(LEAF_CRL)).as("the client gave up before the end of the stream")
        .isLessThan(OVERSIZE_BYTES);
  }

  @Test
  void staleCrlIsCrlExpired() throws Exception {
    Instant now = Instant.now();
    crls.publish(LEAF_CRL, intermediate().newCrl()
        .thisUpdate(now.minus(10, ChronoUnit.DAYS))
        .nextUpdate(now.minus(1, ChronoUnit.DAYS))
        .der());

    JsonNode root = probe(0, lab().tlsPort(), lab().leafSerial());

    assertThat(otherCodes(root)).as("findings %s", root.get("findings")).containsExactly("CRL_EXPIRED");
    JsonNode f = only(root, "CRL_EXPIRED");
    assertThat(f.get("evidence").get("url").asText()).isEqualTo(lab().crlUrl(LEAF_CRL).toString());
    assertThat(leafRow(root).get("status").asText()).isEqualTo("EXPIRED");
    assertThat(crls.requestCount(LEAF_CRL)).isEqualTo(1);
  }

  @Test
  void crlSignedByTheRootInsteadOfTheIntermediateIsCrlInvalid() throws Exception {
    // Names the intermediate as issuer (and its key identifier), but the root's key signed it.
    crls.publish(LEAF_CRL, intermediate().newCrl().signedWith(root()).der());

    JsonNode root = probe(0, lab().tlsPort(), lab().leafSerial());

    assertThat(otherCodes(root)).as("findings %s", root.get("findings")).containsExactly("CRL_INVALID");
    JsonNode f = only(root, "CRL_INVALID");
    assertThat(f.get("evidence").get("url").asText()).isEqualTo(lab().crlUrl(LEAF_CRL).toString());
    assertThat(f.get("evidence").get("reason").asText()).contains("signature");
    assertThat(leafRow(root).get("status").asText()).isEqualTo("INVALID");
    assertThat(crls.requestCount(LEAF_CRL)).isEqualTo(1);
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Runs {@code smtptls probe HOST:PORT --address ADDR --trust ROOT --revocation crl --json} in
   * process; checks the exit code, that stderr is empty, that STARTTLS was upgraded with Postfix,
   * and that Postfix presented the leaf with the given serial.
   */
  private JsonNode probe(int expectedExit, int port, BigInteger expectedLeafSerial, String... extra)
      throws IOException {
    PostfixLab l = lab();
    List<String> args = new ArrayList<>(List.of("probe", l.myhostname() + ":" + port,
        "--address", l.address().getHostAddress(), "--trust", l.rootPem().toString(),
        "--revocation", "crl", "--json"));
    args.addAll(List.of(extra));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = SmtpTlsCommand.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
    assertThat(err.toString()).as("stderr of %s", args).isEmpty();
    assertThat(exit).as("exit code of %s; stdout: %s", args, out).isEqualTo(expectedExit);
    JsonNode root = JSON.readTree(out.toString());
    assertThat(root.get("startTls").get("status").asText()).as("STARTTLS with Postfix; %s", out).isEqualTo("UPGRADED");
    JsonNode certificates = root.get("certificates");
    assertThat(certificates).as("chain from Postfix").hasSize(2);
    assertThat(serial(certificates.get(0).get("serialNumber").asText()))
        .as("the leaf Postfix presented on port %d", port).isEqualTo(expectedLeafSerial);
    return root;
  }

  /** A serial as the report prints it: hex, possibly with colons. */
  private static BigInteger serial(String text) {
    return new BigInteger(text.replace(":", ""), 16);
  }

  /** The finding codes, without CERT_EXPIRES_SOON (the lab's leaves live 30 days). */
  private static List<String> otherCodes(JsonNode root) {
    List<String> codes = new ArrayList<>(root.get("findings").findValuesAsText("code"));
    codes.remove(EXPIRES_SOON);
    assertThat(codes).as("only revocation findings are expected of the lab").allMatch(REVOCATION_CODES::contains);
    return codes;
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

  private static JsonNode leafRow(JsonNode root) {
    return row(root, lab().crlUrl(LEAF_CRL).toString());
  }

  private static JsonNode rootRow(JsonNode root) {
    return row(root, lab().crlUrl(ROOT_CRL).toString());
  }

  private static JsonNode row(JsonNode root, String url) {
    JsonNode revocation = root.get("revocation");
    assertThat(revocation.get("checked").asBoolean()).isTrue();
    for (JsonNode row : revocation.get("crls")) {
      if (row.get("url").asText().equals(url)) {
        return row;
      }
    }
    throw new AssertionError("no row for " + url + " in " + revocation);
  }

  private static PostfixLab lab() {
    PostfixLab l = lab;
    return l != null ? l : fail("the Postfix lab was not found (see the @BeforeAll failure)");
  }

  private static LabCa intermediate() {
    LabCa ca = intermediate;
    return ca != null ? ca : fail("the lab's intermediate was not read (see the @BeforeAll failure)");
  }

  private static LabCa root() {
    LabCa ca = root;
    return ca != null ? ca : fail("the lab's root was not read (see the @BeforeAll failure)");
  }

  private static PortRelay relay() {
    PortRelay r = relay;
    return r != null ? r : fail("the CRL port was not bound (see the @BeforeAll failure)");
  }
}
