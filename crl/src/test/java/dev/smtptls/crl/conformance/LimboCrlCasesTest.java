package dev.smtptls.crl.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.cert.CertificateReport;
import dev.smtptls.cert.PeerIdentity;
import dev.smtptls.crl.CrlRevocationChecker;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import dev.smtptls.trust.TrustSources;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The {@code crl::*} SERVER cases of x509-limbo ({@code ../shared/conformance/limbo/limbo-core.json})
 * through {@link CertificateChecker} with a {@link CrlRevocationChecker} that holds the case's CRLs
 * ({@code crls}, PEM) and fetches nothing. Core's {@code LimboConformanceTest} runs without
 * revocation and lists the four cases that need it as known failures; this test is where they
 * pass. A case is accepted when no finding is an {@code ERROR} and no CRL finding says the
 * status cannot be determined ({@code CRL_UNAVAILABLE}, {@code CRL_EXPIRED}, {@code CRL_INVALID}).
 * The limbo leaves name no CRL distribution point; the checker then uses the given CRLs of the
 * leaf's issuer (RFC 5280 §6.3: CRLs obtained by other means), and its {@code
 * CERT_NO_REVOCATION_POINT} warning does not count against a case.
 */
class LimboCrlCasesTest {

  private static final Set<FindingCode> UNDETERMINED =
      EnumSet.of(FindingCode.CRL_UNAVAILABLE, FindingCode.CRL_EXPIRED, FindingCode.CRL_INVALID);

  private static final List<String> CASES = List.of(
      "crl::revoked-certificate-with-crl",
      "crl::crlnumber-missing",
      "crl::certificate-not-on-crl",
      "crl::certificate-serial-on-crl-different-issuer",
      "crl::crlnumber-critical",
      "crl::issuer-missing-crlsign",
      "crl::issuer-no-keyusage-extension",
      "crl::issuer-valid-crlsign-and-keycertsign");

  private static X509Certificate parse(String pem) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  private static List<X509Certificate> parseAll(JsonNode array) throws Exception {
    List<X509Certificate> out = new ArrayList<>();
    for (JsonNode n : array) {
      out.add(parse(n.asText()));
    }
    return out;
  }

  /** Whether the case's chain is accepted, and why not. */
  record Verdict(boolean accepted, String why) {}

  static Verdict evaluate(JsonNode tc) throws Exception {
    List<byte[]> crls = new ArrayList<>();
    for (JsonNode n : tc.path("crls")) {
      crls.add(n.asText().getBytes(StandardCharsets.US_ASCII));
    }
    CrlRevocationChecker revocation = CrlRevocationChecker.builder()
        .staticCrls(crls.toArray(new byte[0][]))
        .fetch(false)
        .build();
    JsonNode vt = tc.path("validation_time");
    Instant time = vt.isNull() || vt.isMissingNode() ? Instant.now() : OffsetDateTime.parse(vt.asText()).toInstant();
    List<X509Certificate> presented = new ArrayList<>();
    presented.add(parse(tc.path("peer_certificate").asText()));
    presented.addAll(parseAll(tc.path("untrusted_intermediates")));
    JsonNode peer = tc.path("expected_peer_name");
    PeerIdentity identity = peer.isObject() ? PeerIdentity.of(peer.path("value").asText()) : PeerIdentity.none();
    CertificateReport report = CertificateChecker.builder()
        .trustSource(TrustSources.anchors("limbo", parseAll(tc.path("trusted_certs"))))
        .at(time)
        .checkTrustAnchorForm(true)
        .expiresSoonThreshold(Duration.ZERO)
        .revocationChecker(revocation)
        .build()
        .check(presented, identity);
    for (Finding f : report.findings()) {
      if (f.severity() == Severity.ERROR || UNDETERMINED.contains(f.code())) {
        return new Verdict(false, f.code() + ": " + f.message());
      }
    }
    return new Verdict(true, "");
  }

  @Test
  void allCrlServerCasesAgree() throws Exception {
    Path file = Conformance.dir("limbo").resolve("limbo-core.json");
    if (!Files.isRegularFile(file)) {
      fail("x509-limbo data not found: " + file);
    }
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    List<String> seen = new ArrayList<>();
    List<String> mismatches = new ArrayList<>();
    StringBuilder b = new StringBuilder("\n=== x509-limbo crl::* SERVER cases with CrlRevocationChecker ===\n");
    int agreed = 0;
    for (JsonNode tc : root.path("testcases")) {
      String id = tc.path("id").asText();
      if (!id.startsWith("crl::") || !"SERVER".equals(tc.path("validation_kind").asText())) {
        continue;
      }
      seen.add(id);
      boolean expected = "SUCCESS".equals(tc.path("expected_result").asText());
      Verdict v = evaluate(tc);
      boolean ok = v.accepted() == expected;
      if (ok) {
        agreed++;
      } else {
        mismatches.add(id + " (" + (v.accepted() ? "accepted" : "refused: " + v.why()) + ")");
      }
      b.append(String.format("  %s %-50s expected %-7s %s%n", ok ? "ok" : "XX", id,
          expected ? "SUCCESS" : "FAILURE", v.accepted() ? "accepted" : "refused: " + v.why()));
    }
    b.append(String.format("  %d/%d agree%n", agreed, seen.size()));
    System.out.print(b);
    assertThat(seen).as("crl::* SERVER cases in limbo-core.json").containsExactlyInAnyOrderElementsOf(CASES);
    assertThat(mismatches).as("crl::* cases that disagree").isEmpty();
  }
}
