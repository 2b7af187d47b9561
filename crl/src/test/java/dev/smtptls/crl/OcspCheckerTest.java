package dev.smtptls.crl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.cert.CertificateInfo;
import dev.smtptls.cert.CertificateReport;
import dev.smtptls.cert.CheckProfile;
import dev.smtptls.cert.PeerIdentity;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import dev.smtptls.spi.RevocationChecker;
import dev.smtptls.testkit.ocsp.OcspFault;
import dev.smtptls.testkit.ocsp.OcspResponder;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.RevocationReason;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.trust.TrustSources;
import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.URI;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link OcspChecker} against the testkit's {@link OcspResponder}: a real HTTP responder on
 * 127.0.0.1, an ephemeral port, signing with a {@link TestPki} CA or a delegated responder.
 */
class OcspCheckerTest {

  private static final String OCSP_SIGNING = "1.3.6.1.5.5.7.3.9";

  private TestPki pki;
  private OcspResponder responder;
  private IssuedCertificate leaf;

  @BeforeEach
  void start() {
    pki = TestPki.create();
    responder = OcspResponder.builder(pki.intermediate()).slowDelay(Duration.ofSeconds(10)).start();
    leaf = leafFor(responder.uri());
  }

  @AfterEach
  void stop() {
    responder.close();
  }

  private IssuedCertificate leafFor(URI ocsp) {
    return pki.newLeaf().dnsNames("mx.example.test").ocspUrl(ocsp).issue();
  }

  private List<X509Certificate> path() {
    return List.of(leaf.certificate(), pki.intermediate().certificate(), pki.root().certificate());
  }

  private static OcspChecker.Builder quick() {
    return OcspChecker.builder().connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofMillis(300));
  }

  private List<Finding> check() {
    return quick().build().check(path(), Instant.now());
  }

  private Finding onlyUnavailable(List<Finding> findings) {
    assertThat(findings).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo(FindingCode.OCSP_UNAVAILABLE);
      assertThat(f.severity()).isEqualTo(Severity.WARNING);
      assertThat(f.evidence("url")).contains(responder.uri().toString());
      assertThat(f.evidence("subject")).contains("CN=mx.example.test");
      assertThat(f.evidence("sha1")).contains(CertificateInfo.thumbprint(leaf.certificate(), "SHA-1"));
    });
    return findings.get(0);
  }

  @Test
  void goodGivesNoFinding() {
    responder.good(leaf.certificate());

    assertThat(check()).isEmpty();
    assertThat(responder.requestCount()).isEqualTo(1);
    assertThat(responder.lastNonce()).isPresent();
  }

  @Test
  void revokedGivesOcspRevokedWithReasonDateAndUrl() {
    Instant revokedAt = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    responder.revoked(leaf.certificate(), RevocationReason.KEY_COMPROMISE, revokedAt);

    assertThat(check()).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo(FindingCode.OCSP_REVOKED);
      assertThat(f.severity()).isEqualTo(Severity.ERROR);
      assertThat(f.evidence("reason")).contains("keyCompromise");
      assertThat(f.evidence("revokedAt")).contains(revokedAt.toString());
      assertThat(f.evidence("url")).contains(responder.uri().toString());
      assertThat(f.evidence("subject")).contains("CN=mx.example.test");
      assertThat(f.message()).contains("keyCompromise").contains(responder.uri().toString());
    });
  }

  @Test
  void unknownIsUnavailable() {
    assertThat(onlyUnavailable(check()).evidence("reason"))
        .contains("the responder does not know this certificate");
  }

  @Test
  void tryLaterIsUnavailableWithTheStatusInWords() {
    responder.good(leaf.certificate());
    responder.fault(OcspFault.TRY_LATER);

    assertThat(onlyUnavailable(check()).evidence("reason")).hasValueSatisfying(r -> assertThat(r).contains("tryLater"));
  }

  @Test
  void internalErrorAndUnauthorizedAreUnavailable() {
    responder.good(leaf.certificate());
    responder.fault(OcspFault.INTERNAL_ERROR);
    assertThat(onlyUnavailable(check()).evidence("reason")).hasValueSatisfying(r -> assertThat(r).contains("internalError"));
    responder.fault(OcspFault.UNAUTHORIZED);
    assertThat(onlyUnavailable(check()).evidence("reason")).hasValueSatisfying(r -> assertThat(r).contains("unauthorized"));
  }

  @Test
  void malformedIsUnavailable() {
    responder.good(leaf.certificate());
    responder.fault(OcspFault.MALFORMED);

    assertThat(onlyUnavailable(check()).evidence("reason"))
        .hasValueSatisfying(r -> assertThat(r).contains("not an OCSP response"));
  }

  @Test
  void wrongSignerIsUnavailable() {
    responder.good(leaf.certificate());
    responder.fault(OcspFault.WRONG_SIGNER);

    assertThat(onlyUnavailable(check()).evidence("reason"))
        .hasValueSatisfying(r -> assertThat(r).contains("signature is not by CN=smtptls Test Intermediate"));
  }

  @Test
  void staleIsUnavailable() {
    responder.good(leaf.certificate());
    responder.fault(OcspFault.STALE);

    assertThat(onlyUnavailable(check()).evidence("reason"))
        .hasValueSatisfying(r -> assertThat(r).contains("out of date").contains("nextUpdate"));
  }

  @Test
  void responseDatedInTheFutureIsUnavailable() {
    responder.good(leaf.certificate());
    Clock behind = Clock.offset(Clock.systemUTC(), Duration.ofHours(-1));

    List<Finding> findings = quick().clock(behind).build().check(path(), Instant.now());

    assertThat(onlyUnavailable(findings).evidence("reason"))
        .hasValueSatisfying(r -> assertThat(r).contains("not valid yet"));
  }

  @Test
  void slowIsUnavailableWithinTheTimeout() {
    responder.good(leaf.certificate());
    responder.fault(OcspFault.SLOW);

    long start = System.nanoTime();
    List<Finding> findings = OcspChecker.builder()
        .connectTimeout(Duration.ofMillis(300)).readTimeout(Duration.ofMillis(300)).build()
        .check(path(), Instant.now());
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(onlyUnavailable(findings).evidence("reason"))
        .hasValueSatisfying(r -> assertThat(r).contains("no complete answer within 600 ms"));
    assertThat(took).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void notFoundIsUnavailable() {
    responder.good(leaf.certificate());
    responder.fault(OcspFault.NOT_FOUND);

    assertThat(onlyUnavailable(check()).evidence("reason"))
        .hasValueSatisfying(r -> assertThat(r).contains("HTTP 404"));
  }

  @Test
  void oversizeIsUnavailable() {
    responder.good(leaf.certificate());

    List<Finding> findings = quick().maxResponseBytes(64).build().check(path(), Instant.now());

    assertThat(onlyUnavailable(findings).evidence("reason"))
        .hasValueSatisfying(r -> assertThat(r).contains("larger than 64 bytes"));
  }

  @Test
  void refusedConnectionIsUnavailable() throws IOException {
    URI closed = closedPort();
    leaf = leafFor(closed);

    assertThat(check()).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo(FindingCode.OCSP_UNAVAILABLE);
      assertThat(f.evidence("url")).contains(closed.toString());
      assertThat(f.evidence("reason")).hasValueSatisfying(r -> assertThat(r).contains("connection refused"));
    });
  }

  @Test
  void wrongNonceIsRefusedAndAMissingOneAccepted() {
    responder.good(leaf.certificate());
    responder.fault(OcspFault.WRONG_NONCE);
    assertThat(onlyUnavailable(check()).evidence("reason"))
        .hasValueSatisfying(r -> assertThat(r).contains("nonce"));

    try (OcspResponder silent = OcspResponder.builder(pki.intermediate()).echoNonce(false).start()) {
      leaf = leafFor(silent.uri());
      silent.good(leaf.certificate());
      assertThat(check()).isEmpty();
      assertThat(silent.lastNonce()).isPresent();
    }
  }

  @Test
  void withoutNonceTheRequestCarriesNone() {
    responder.good(leaf.certificate());

    assertThat(quick().nonce(false).build().check(path(), Instant.now())).isEmpty();
    assertThat(responder.lastNonce()).isEmpty();
  }

  @Test
  void delegatedResponderWithOcspSigningIsAccepted() {
    IssuedCertificate delegate = pki.newLeaf().commonName("smtptls Test OCSP Responder")
        .issuedBy(pki.intermediate()).extendedKeyUsages(OCSP_SIGNING).issue();
    try (OcspResponder delegated =
        OcspResponder.builder(pki.intermediate()).responderCertificate(delegate).start()) {
      leaf = leafFor(delegated.uri());
      delegated.revoked(leaf.certificate(), RevocationReason.SUPERSEDED, Instant.now());

      assertThat(check()).singleElement().satisfies(f -> {
        assertThat(f.code()).isEqualTo(FindingCode.OCSP_REVOKED);
        assertThat(f.evidence("reason")).contains("superseded");
      });
    }
  }

  @Test
  void delegatedResponderWithoutOcspSigningIsRefused() {
    IssuedCertificate delegate = pki.newLeaf().commonName("smtptls Test OCSP Responder")
        .issuedBy(pki.intermediate()).issue();
    try (OcspResponder delegated =
        OcspResponder.builder(pki.intermediate()).responderCertificate(delegate).start()) {
      leaf = leafFor(delegated.uri());
      delegated.good(leaf.certificate());

      assertThat(check()).singleElement().satisfies(f -> {
        assertThat(f.code()).isEqualTo(FindingCode.OCSP_UNAVAILABLE);
        assertThat(f.evidence("reason"))
            .hasValueSatisfying(r -> assertThat(r).contains("lacks id-kp-OCSPSigning"));
      });
    }
  }

  @Test
  void delegatedResponderFromAnotherCaIsRefused() {
    IssuedCertificate otherCa = pki.newIntermediate("CN=Other Intermediate").issue();
    IssuedCertificate delegate = pki.newLeaf().commonName("Other OCSP Responder")
        .issuedBy(otherCa).extendedKeyUsages(OCSP_SIGNING).issue();
    try (OcspResponder delegated =
        OcspResponder.builder(pki.intermediate()).responderCertificate(delegate).start()) {
      leaf = leafFor(delegated.uri());
      delegated.good(leaf.certificate());

      assertThat(check()).singleElement().satisfies(f ->
          assertThat(f.evidence("reason")).hasValueSatisfying(r -> assertThat(r).contains("did not issue")));
    }
  }

  @Test
  void certificateWithoutOcspUrlGivesNothingAndAsksNobody() {
    leaf = pki.leaf("mx.example.test");

    assertThat(check()).isEmpty();
    assertThat(responder.requestCount()).isZero();
  }

  /** A leaf whose AIA names several OCSP responders (the testkit's LeafBuilder takes one). */
  private X509Certificate leafWithOcsp(URI... uris) throws Exception {
    Instant now = Instant.now();
    AccessDescription[] ads = new AccessDescription[uris.length];
    for (int i = 0; i < uris.length; i++) {
      ads[i] = new AccessDescription(AccessDescription.id_ad_ocsp,
          new GeneralName(GeneralName.uniformResourceIdentifier, uris[i].toString()));
    }
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(pki.intermediate().certificate(),
        new BigInteger(64, new SecureRandom()).setBit(63), Date.from(now.minus(Duration.ofDays(1))),
        Date.from(now.plus(Duration.ofDays(1))), new X500Principal("CN=two.example.test"), leaf.publicKey());
    b.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(ads));
    ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").setProvider(new BouncyCastleProvider())
        .build(pki.intermediate().privateKey());
    return new JcaX509CertificateConverter().getCertificate(b.build(signer));
  }

  @Test
  void aFailingFirstResponderIsReportedAndTheSecondSettlesIt() throws Exception {
    URI closed = closedPort();
    X509Certificate two = leafWithOcsp(closed, responder.uri());
    List<X509Certificate> twoPath = List.of(two, pki.intermediate().certificate(), pki.root().certificate());

    responder.revoked(two, RevocationReason.CESSATION_OF_OPERATION, Instant.now());
    assertThat(quick().build().check(twoPath, Instant.now()))
        .extracting(Finding::code, f -> f.evidence("url").orElseThrow())
        .containsExactly(tuple(FindingCode.OCSP_REVOKED, responder.uri().toString()));

    responder.good(two);
    assertThat(quick().build().check(twoPath, Instant.now())).isEmpty();

    responder.fault(OcspFault.TRY_LATER);
    assertThat(quick().build().check(twoPath, Instant.now()))
        .extracting(Finding::code, f -> f.evidence("url").orElseThrow())
        .containsExactly(tuple(FindingCode.OCSP_UNAVAILABLE, closed.toString()),
            tuple(FindingCode.OCSP_UNAVAILABLE, responder.uri().toString()));
  }

  private static URI closedPort() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    return URI.create("http://127.0.0.1:" + port + "/ocsp");
  }

  @Test
  void combinedConcatenatesInOrder() {
    Finding a = Finding.of(FindingCode.CRL_UNAVAILABLE, "a", "url", "x", "reason", "y");
    Finding b = Finding.of(FindingCode.OCSP_UNAVAILABLE, "b", "url", "x", "reason", "y");
    RevocationChecker both = OcspChecker.combined((p, at) -> List.of(a), (p, at) -> List.of(b));

    assertThat(both.check(path(), Instant.now())).containsExactly(a, b);
    assertThatThrownBy(() -> OcspChecker.combined((RevocationChecker) null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void builderRejectsBadValuesAndRepeats() {
    assertThatThrownBy(() -> OcspChecker.builder().connectTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OcspChecker.builder().maxResponseBytes(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OcspChecker.builder().nonce(true).nonce(false))
        .isInstanceOf(IllegalStateException.class);
    OcspChecker defaults = new OcspChecker();
    assertThat(defaults.maxResponseBytes()).isEqualTo(1024 * 1024);
    assertThat(defaults.nonce()).isTrue();
  }

  private CertificateReport endToEnd(RevocationChecker revocation, CheckProfile profile) {
    return CertificateChecker.builder()
        .trustSource(TrustSources.anchors("test", pki.root().certificate()))
        .profile(profile)
        .revocationChecker(revocation)
        .build()
        .check(leaf.chain(), PeerIdentity.of("mx.example.test"));
  }

  @Test
  void endToEndRevokedThroughCertificateChecker() {
    responder.revoked(leaf.certificate(), RevocationReason.KEY_COMPROMISE, Instant.now());

    CertificateReport report = endToEnd(quick().build(), CheckProfile.DEFAULT);

    assertThat(report.valid()).isFalse();
    assertThat(report.finding(FindingCode.OCSP_REVOKED)).hasValueSatisfying(
        f -> assertThat(f.evidence("reason")).contains("keyCompromise"));
  }

  @Test
  void endToEndGoodIsValidAndUnavailableIsAnErrorForStrictReceivers() {
    responder.good(leaf.certificate());
    assertThat(endToEnd(quick().build(), CheckProfile.STRICT_RECEIVER).findings()).isEmpty();

    responder.fault(OcspFault.TRY_LATER);
    CertificateReport lenient = endToEnd(quick().build(), CheckProfile.DEFAULT);
    CertificateReport strict = endToEnd(quick().build(), CheckProfile.STRICT_RECEIVER);
    assertThat(lenient.valid()).isTrue();
    assertThat(lenient.finding(FindingCode.OCSP_UNAVAILABLE)).hasValueSatisfying(
        f -> assertThat(f.severity()).isEqualTo(Severity.WARNING));
    assertThat(strict.finding(FindingCode.OCSP_UNAVAILABLE)).hasValueSatisfying(
        f -> assertThat(f.severity()).isEqualTo(Severity.ERROR));
    assertThat(strict.valid()).isFalse();
  }

  @Test
  void endToEndCombinedWithCrlChecker() {
    responder.good(leaf.certificate());
    RevocationChecker all = OcspChecker.combined(CrlRevocationChecker.builder().build(), quick().build());

    CertificateReport report = endToEnd(all, CheckProfile.DEFAULT);

    // The leaf has an OCSP URL but no CRL DP; the intermediate has neither (TestPki default).
    assertThat(report.finding(FindingCode.OCSP_UNAVAILABLE)).isEmpty();
    assertThat(report.finding(FindingCode.OCSP_REVOKED)).isEmpty();
    assertThat(responder.requestCount()).isEqualTo(1);
  }

  @Test
  void clockIsUsedForFreshness() {
    responder.good(leaf.certificate());
    Clock ahead = Clock.fixed(Instant.now().plus(Duration.ofDays(2)), ZoneOffset.UTC);

    assertThat(onlyUnavailable(quick().clock(ahead).build().check(path(), Instant.now())).evidence("reason"))
        .hasValueSatisfying(r -> assertThat(r).contains("out of date"));
  }
}
