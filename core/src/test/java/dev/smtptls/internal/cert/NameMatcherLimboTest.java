package dev.smtptls.internal.cert;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The x509-limbo name cases ({@code webpki::san::*}, {@code webpki::cn::*}) run through {@link
 * NameMatcher} alone, plus a sweep over every SERVER case to show that names never cause a false
 * rejection and that no certificate makes the matcher throw.
 *
 * <p>The data lives outside the project, in {@code shared/conformance/limbo/} beside the
 * repository (DESIGN.md, "Testing"); the test fails, rather than skips, when it is absent.
 */
class NameMatcherLimboTest {

  /**
   * FAILURE cases whose failure is not about names: the expected name IS covered by a
   * subjectAltName entry, and the chain fails for a profile rule that the validator checks. Here
   * the right answer for names is "matched, by that entry, never by the CN".
   */
  private static final Map<String, String> NAMES_MATCH_BUT_CHAIN_FAILS =
      Map.ofEntries(
          // CA/Browser Forum BR 7.1.4.3: the CN must be a character-for-character copy of a SAN
          // entry (IPs in RFC 3986 / RFC 5952 text). The SAN entry itself matches.
          Map.entry("webpki::cn::ipv4-hex-mismatch", "CN 0xC0A80101 not canonical; SAN IP matches"),
          Map.entry("webpki::cn::ipv4-leading-zeros-mismatch", "CN with leading zeros; SAN IP matches"),
          Map.entry("webpki::cn::ipv6-uppercase-mismatch", "CN upper case; SAN IP matches"),
          Map.entry("webpki::cn::ipv6-uncompressed-mismatch", "CN uncompressed; SAN IP matches"),
          Map.entry("webpki::cn::ipv6-non-rfc5952-mismatch", "CN not RFC 5952; SAN IP matches"),
          Map.entry("webpki::cn::punycode-not-in-san", "CN is another name; SAN matches"),
          Map.entry("webpki::cn::utf8-vs-punycode-mismatch", "CN is a U-label; SAN A-label matches"),
          Map.entry("webpki::cn::not-in-san", "CN not among the SANs; SAN matches"),
          Map.entry("webpki::cn::case-mismatch", "CN differs in case; SAN matches"),
          // BR 7.1.2.7.12: SAN must not be critical when the subject is non-empty.
          Map.entry(
              "webpki::san::san-critical-with-nonempty-subject", "critical SAN; SAN matches"));

  /**
   * FAILURE cases that are about names and where the CN alone would have matched: the legacy
   * fallback (RFC 6125 6.4.4) that RFC 9525 removed, reported as {@code cnOnly}.
   */
  private static final List<String> CN_ONLY = List.of("webpki::san::no-san");

  private static final ObjectMapper JSON = new ObjectMapper();

  @TestFactory
  Stream<DynamicTest> webpkiNameCasesMatchAsLimboExpects() throws IOException {
    List<JsonNode> cases = new ArrayList<>();
    for (JsonNode testcase : load("limbo-core.json").get("testcases")) {
      String id = testcase.get("id").asText();
      if (id.startsWith("webpki::san::") || id.startsWith("webpki::cn::")) {
        cases.add(testcase);
      }
    }
    // All of the two groups (19 san, 9 cn): a changed data set must be looked at.
    List<String> ids = cases.stream().map(c -> c.get("id").asText()).toList();
    assertThat(ids).hasSize(28).containsAll(NAMES_MATCH_BUT_CHAIN_FAILS.keySet()).containsAll(CN_ONLY);
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.get("id").asText(), () -> check(c)));
  }

  private static void check(JsonNode testcase) throws CertificateException {
    String id = testcase.get("id").asText();
    X509Certificate cert = certificate(testcase.get("peer_certificate").asText());
    String expected = testcase.get("expected_peer_name").get("value").asText();
    boolean success = "SUCCESS".equals(testcase.get("expected_result").asText());

    NameMatch match = NameMatcher.match(cert, expected);

    if (success || NAMES_MATCH_BUT_CHAIN_FAILS.containsKey(id)) {
      assertThat(match.matched()).as(id + " should match").isTrue();
      // A SAN entry matched, never the CN (the webpki::cn cases all have a non-conforming CN).
      assertThat(concat(match.dnsNames(), match.ipAddresses())).contains(match.matchedBy());
      assertThat(match.cnOnly()).isFalse();
    } else {
      assertThat(match.matched()).as(id + " must not match").isFalse();
      assertThat(match.cnOnly()).as(id + " cnOnly").isEqualTo(CN_ONLY.contains(id));
    }
  }

  @Test
  void namesNeverRejectASuccessCaseAndNeverThrowInTheCoreSet() throws IOException {
    assertThat(sweep(load("limbo-core.json"))).isEmpty();
  }

  @Test
  void namesNeverRejectASuccessCaseAndNeverThrowInTheFullSet() throws IOException {
    assertThat(sweep(load("limbo-full.json.gz"))).isEmpty();
  }

  /** The SERVER SUCCESS cases whose expected names do not match. */
  private static List<String> sweep(JsonNode limbo) {
    List<String> rejected = new ArrayList<>();
    int checked = 0;
    for (JsonNode testcase : limbo.get("testcases")) {
      JsonNode peerName = testcase.get("expected_peer_name");
      if (!"SERVER".equals(testcase.get("validation_kind").asText()) || peerName.isNull()) {
        continue;
      }
      X509Certificate cert;
      try {
        cert = certificate(testcase.get("peer_certificate").asText());
      } catch (CertificateException e) {
        continue; // certificates the JDK cannot parse never reach the matcher
      }
      NameMatch match = NameMatcher.match(cert, peerName.get("value").asText());
      checked++;
      if ("SUCCESS".equals(testcase.get("expected_result").asText()) && !match.matched()) {
        rejected.add(testcase.get("id").asText() + " " + match);
      }
    }
    assertThat(checked).isPositive();
    return rejected;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static X509Certificate certificate(String pem) throws CertificateException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    return (X509Certificate)
        factory.generateCertificate(new ByteArrayInputStream(pem.getBytes(US_ASCII)));
  }

  private static JsonNode load(String file) throws IOException {
    Path path = limboDirectory().resolve(file);
    try (InputStream raw = Files.newInputStream(path);
        InputStream in = file.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
      return JSON.readTree(in);
    }
  }

  /** {@code shared/conformance/limbo} in the work tree's folder or any folder above it. */
  private static Path limboDirectory() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared/conformance/limbo");
      if (Files.isRegularFile(candidate.resolve("limbo-core.json"))) {
        return candidate;
      }
    }
    return fail("x509-limbo data not found: expected shared/conformance/limbo beside the repository");
  }
}
