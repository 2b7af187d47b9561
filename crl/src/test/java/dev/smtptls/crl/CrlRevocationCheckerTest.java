package dev.smtptls.crl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.cert.CertificateReport;
import dev.smtptls.cert.CheckProfile;
import dev.smtptls.cert.PeerIdentity;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import dev.smtptls.spi.RevocationChecker;
import dev.smtptls.testkit.crl.CrlFault;
import dev.smtptls.testkit.crl.CrlServer;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.RevocationReason;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.trust.TrustSources;
import java.net.URI;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link CrlRevocationChecker} against CRLs made by the testkit's {@link TestPki} and served by a
 * real HTTP server on 127.0.0.1 (the testkit's {@link CrlServer}, an ephemeral port), with faults.
 */
class CrlRevocationCheckerTest {

  private CrlServer server;
  private TestPki pki;
  private IssuedCertificate leaf;
  private Instant now;

  @BeforeEach
  void start() {
    server = CrlServer.builder().slowDelay(Duration.ofSeconds(5)).start();
    pki = TestPki.builder().crlDistributionPoint(uri("/root.crl")).build();
    leaf = pki.newLeaf().dnsNames("mx.example.test").crlDistributionPoints(uri("/intermediate.crl")).issue();
    now = Instant.now();
    publish("/root.crl", pki.newCrl(pki.root()).build());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private URI uri(String path) {
    return server.uri(path);
  }

  private void publish(String path, X509CRL crl) {
    server.publish(path, crl);
  }

  private List<X509Certificate> path() {
    return List.of(leaf.certificate(), pki.intermediate().certificate(), pki.root().certificate());
  }

  private static CrlRevocationChecker.Builder quick() {
    return CrlRevocationChecker.builder()
        .connectTimeout(Duration.ofSeconds(2))
        .readTimeout(Duration.ofMillis(500));
  }

  @Test
  void revokedLeafIsCertRevokedWithReasonDateAndUrl() {
    Instant revokedAt = now.minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    publish("/intermediate.crl", pki.newCrl(pki.intermediate())
        .revoke(leaf.certificate(), RevocationReason.KEY_COMPROMISE, revokedAt)
        .build());

    List<Finding> findings = quick().build().check(path(), now);

    assertThat(findings).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo(FindingCode.CERT_REVOKED);
      assertThat(f.severity()).isEqualTo(Severity.ERROR);
      assertThat(f.evidence("url")).contains(uri("/intermediate.crl").toString());
      assertThat(f.evidence("reason")).contains("keyCompromise");
      assertThat(f.evidence("revokedAt")).contains(revokedAt.toString());
      assertThat(f.evidence("subject")).contains(leaf.certificate().getSubjectX500Principal().getName());
      assertThat(f.evidence("sha1")).hasValueSatisfying(s -> assertThat(s).matches("[0-9A-F]{40}"));
    });
  }

  @Test
  void healthyCrlsGiveNoFinding() {
    publish("/intermediate.crl", pki.newCrl(pki.intermediate())
        .revoke(pki.newLeaf().dnsNames("other.example.test").issue().certificate(),
            RevocationReason.SUPERSEDED, now.minus(1, ChronoUnit.DAYS))
        .build());

    assertThat(quick().build().check(path(), now)).isEmpty();
  }

  @Test
  void notFoundIsCrlUnavailableWithTheStatusInWords() {
    List<Finding> findings = quick().build().check(path(), now);

    assertThat(findings).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo(FindingCode.CRL_UNAVAILABLE);
      assertThat(f.severity()).isEqualTo(Severity.WARNING);
      assertThat(f.evidence("url")).contains(uri("/intermediate.crl").toString());
      assertThat(f.evidence("reason")).hasValueSatisfying(r -> assertThat(r).contains("404"));
    });
  }

  @Test
  void serverErrorIsCrlUnavailable() {
    server.fault("/intermediate.crl", CrlFault.SERVER_ERROR);

    assertThat(quick().build().check(path(), now)).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo(FindingCode.CRL_UNAVAILABLE);
      assertThat(f.evidence("reason")).hasValueSatisfying(r -> assertThat(r).contains("500"));
    });
  }

  @Test
  void timeoutIsCrlUnavailable() {
    server.fault("/intermediate.crl", CrlFault.SLOW);

    assertThat(quick().build().check(path(), now)).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo(FindingCode.CRL_UNAVAILABLE);
      assertThat(f.evidence("reason")).hasValueSatisfying(r -> assertThat(r).contains("within 500 ms"));
    });
  }

  @Test
  void oversizeIsCrlUnavailable() {
    server.fault("/intermediate.crl", CrlFault.OVERSIZE);

    List<Finding> findings = quick().maxBytes(1 << 20).build().check(path(), now);

    assertThat(findings).extracting(Finding::code).contains(FindingCode.CRL_UNAVAILABLE);
    assertThat(findings).filteredOn(f -> f.evidence("url").orElse("").endsWith("/intermediate.crl"))
        .singleElement()
        .satisfies(f -> assertThat(f.evidence("reason")).hasValueSatisfying(
            r -> assertThat(r.toLowerCase(java.util.Locale.ROOT)).containsAnyOf("large", "size", "bytes")));
  }

  @Test
  void staleCrlIsCrlExpired() {
    publish("/intermediate.crl", pki.newCrl(pki.intermediate())
        .thisUpdate(now.minus(10, ChronoUnit.DAYS))
        .nextUpdate(now.minus(1, ChronoUnit.DAYS))
        .build());

    assertThat(quick().build().check(path(), now)).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo(FindingCode.CRL_EXPIRED);
      assertThat(f.evidence("url")).contains(uri("/intermediate.crl").toString());
    });
  }

  @Test
  void revocationOnAStaleButSignedCrlStillCounts() {
    publish("/intermediate.crl", pki.newCrl(pki.intermediate())
        .thisUpdate(now.minus(10, ChronoUnit.DAYS))
        .nextUpdate(now.minus(1, ChronoUnit.DAYS))
        .revoke(leaf.certificate(), RevocationReason.KEY_COMPROMISE, now.minus(9, ChronoUnit.DAYS))
        .build());

    assertThat(quick().build().check(path(), now)).extracting(Finding::code)
        .containsExactly(FindingCode.CRL_EXPIRED, FindingCode.CERT_REVOKED);
  }

  @Test
  void crlIssuedInTheFutureIsCrlInvalidButSmallClockSkewIsTolerated() {
    publish("/intermediate.crl", pki.newCrl(pki.intermediate())
        .thisUpdate(now.plus(1, ChronoUnit.DAYS))
        .nextUpdate(now.plus(8, ChronoUnit.DAYS))
        .build());
    assertThat(quick().build().check(path(), now)).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo(FindingCode.CRL_INVALID);
      assertThat(f.evidence("reason")).hasValueSatisfying(r -> assertThat(r).contains("not valid before"));
    });

    publish("/intermediate.crl", pki.newCrl(pki.intermediate()).thisUpdate(now.plus(1, ChronoUnit.MINUTES)).build());
    assertThat(quick().build().check(path(), now)).isEmpty();
  }

  @Test
  void crlSignedByAnotherKeyIsCrlInvalid() {
    TestPki impostor = TestPki.create(); // same intermediate name, other key
    publish("/intermediate.crl", impostor.newCrl(impostor.intermediate())
        .revoke(leaf.certificate(), RevocationReason.KEY_COMPROMISE, now)
        .build());

    assertThat(quick().build().check(path(), now)).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo(FindingCode.CRL_INVALID);
      assertThat(f.evidence("reason")).hasValueSatisfying(r -> assertThat(r).contains("signature"));
    });
  }

  @Test
  void crlOfAnotherIssuerIsCrlInvalid() {
    publish("/intermediate.crl", pki.newCrl(pki.root()).build());

    assertThat(quick().build().check(path(), now)).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo(FindingCode.CRL_INVALID);
      assertThat(f.evidence("reason")).hasValueSatisfying(r -> assertThat(r).contains("issued by"));
    });
  }

  @Test
  void garbageIsCrlInvalid() {
    server.publish("/intermediate.crl", "<html>not a CRL</html>".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    assertThat(quick().build().check(path(), now)).singleElement()
        .extracting(Finding::code).isEqualTo(FindingCode.CRL_INVALID);
  }

  @Test
  void noDistributionPointIsCertNoRevocationPoint() {
    TestPki bare = TestPki.create();
    IssuedCertificate l = bare.leaf("mx.example.test");
    List<X509Certificate> p = List.of(l.certificate(), bare.intermediate().certificate(), bare.root().certificate());

    List<Finding> findings = quick().build().check(p, now);

    assertThat(findings).hasSize(2).allSatisfy(f -> {
      assertThat(f.code()).isEqualTo(FindingCode.CERT_NO_REVOCATION_POINT);
      assertThat(f.severity()).isEqualTo(Severity.WARNING);
    });
    assertThat(findings.get(0).evidence("subject")).contains(l.certificate().getSubjectX500Principal().getName());
  }

  @Test
  void aFailingUrlIsReportedWhileAnotherAnswers() {
    IssuedCertificate two = pki.newLeaf().dnsNames("mx.example.test")
        .crlDistributionPoints(uri("/missing.crl"), uri("/intermediate.crl"))
        .issue();
    publish("/intermediate.crl", pki.newCrl(pki.intermediate())
        .revoke(two.certificate(), RevocationReason.KEY_COMPROMISE, now)
        .build());
    List<X509Certificate> p = List.of(two.certificate(), pki.intermediate().certificate(), pki.root().certificate());

    List<Finding> findings = quick().build().check(p, now);

    assertThat(findings).extracting(Finding::code)
        .containsExactly(FindingCode.CRL_UNAVAILABLE, FindingCode.CERT_REVOKED);
    assertThat(findings.get(0).evidence("url")).contains(uri("/missing.crl").toString());
    assertThat(findings.get(1).evidence("url")).contains(uri("/intermediate.crl").toString());
  }

  @Test
  void theCacheServesRepeatedChecks() {
    publish("/intermediate.crl", pki.newCrl(pki.intermediate()).build());
    CrlRevocationChecker checker = quick().build();

    assertThat(checker.check(path(), now)).isEmpty();
    assertThat(checker.check(path(), now)).isEmpty();

    assertThat(server.requestCount("/intermediate.crl")).isEqualTo(1);
  }

  @Test
  void staticCrlsWorkWithoutFetching() {
    X509CRL intermediateCrl = pki.newCrl(pki.intermediate())
        .revoke(leaf.certificate(), RevocationReason.CESSATION_OF_OPERATION, now)
        .build();
    X509CRL rootCrl = pki.newCrl(pki.root()).build();
    CrlRevocationChecker checker = CrlRevocationChecker.builder()
        .staticCrls(List.of(intermediateCrl, rootCrl))
        .fetch(false)
        .build();

    assertThat(checker.check(path(), now)).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo(FindingCode.CERT_REVOKED);
      assertThat(f.evidence("reason")).contains("cessationOfOperation");
    });
    assertThat(server.requestCount("/intermediate.crl")).isZero();
    assertThat(server.requestCount("/root.crl")).isZero();
  }

  @Test
  void staticModeWithoutACrlForTheIssuerCannotDetermineTheStatus() {
    CrlRevocationChecker checker = CrlRevocationChecker.builder()
        .staticCrls(List.of(pki.newCrl(pki.root()).build()))
        .fetch(false)
        .build();

    assertThat(checker.check(path(), now)).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo(FindingCode.CRL_UNAVAILABLE);
      assertThat(f.evidence("subject")).contains(leaf.certificate().getSubjectX500Principal().getName());
    });
  }

  @Test
  void reachabilityListsEveryUrlWithItsFigures() {
    publish("/intermediate.crl", pki.newCrl(pki.intermediate())
        .revoke(leaf.certificate(), RevocationReason.KEY_COMPROMISE, now)
        .build());
    IssuedCertificate two = pki.newLeaf().dnsNames("mx.example.test")
        .crlDistributionPoints(uri("/intermediate.crl"), uri("/missing.crl"))
        .issue();
    List<X509Certificate> p = List.of(two.certificate(), pki.intermediate().certificate(), pki.root().certificate());

    List<CrlReachability> rows = quick().build().reachability(p, now);

    assertThat(rows).hasSize(3);
    CrlReachability ok = rows.get(0);
    assertThat(ok.url()).isEqualTo(uri("/intermediate.crl"));
    assertThat(ok.certificate()).isEqualTo(two.certificate());
    assertThat(ok.status()).isEqualTo(CrlReachability.Status.OK);
    assertThat(ok.httpStatus()).isEqualTo(200);
    assertThat(ok.entries()).isEqualTo(1);
    assertThat(ok.bytes()).isPositive();
    assertThat(ok.thisUpdate()).isNotNull();
    assertThat(ok.nextUpdate()).isAfter(now);
    CrlReachability missing = rows.get(1);
    assertThat(missing.status()).isEqualTo(CrlReachability.Status.UNAVAILABLE);
    assertThat(missing.httpStatus()).isEqualTo(404);
    assertThat(missing.detail()).contains("404");
    CrlReachability root = rows.get(2);
    assertThat(root.url()).isEqualTo(uri("/root.crl"));
    assertThat(root.certificate()).isEqualTo(pki.intermediate().certificate());
    assertThat(root.status()).isEqualTo(CrlReachability.Status.OK);
    assertThat(root.entries()).isZero();
  }

  @Test
  void reachabilityReportsExpiredAndInvalid() {
    TestPki impostor = TestPki.create();
    publish("/intermediate.crl", impostor.newCrl(impostor.intermediate()).build());
    publish("/root.crl", pki.newCrl(pki.root())
        .thisUpdate(now.minus(10, ChronoUnit.DAYS))
        .nextUpdate(now.minus(1, ChronoUnit.DAYS))
        .build());

    List<CrlReachability> rows = quick().build().reachability(path(), now);

    assertThat(rows).extracting(CrlReachability::status)
        .containsExactly(CrlReachability.Status.INVALID, CrlReachability.Status.EXPIRED);
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
  void endToEndThroughCertificateChecker() {
    publish("/intermediate.crl", pki.newCrl(pki.intermediate())
        .revoke(leaf.certificate(), RevocationReason.KEY_COMPROMISE, now)
        .build());

    CertificateReport report = endToEnd(quick().build(), CheckProfile.DEFAULT);

    assertThat(report.valid()).isFalse();
    assertThat(report.finding(FindingCode.CERT_REVOKED)).hasValueSatisfying(
        f -> assertThat(f.evidence("reason")).contains("keyCompromise"));
  }

  @Test
  void endToEndHealthyIsValid() {
    publish("/intermediate.crl", pki.newCrl(pki.intermediate()).build());

    CertificateReport report = endToEnd(quick().build(), CheckProfile.STRICT_RECEIVER);

    assertThat(report.findings()).isEmpty();
    assertThat(report.valid()).isTrue();
  }

  @Test
  void strictReceiverRaisesAnUnavailableCrlToAnError() {
    CertificateReport lenient = endToEnd(quick().build(), CheckProfile.DEFAULT);
    CertificateReport strict = endToEnd(quick().build(), CheckProfile.STRICT_RECEIVER);

    assertThat(lenient.finding(FindingCode.CRL_UNAVAILABLE)).hasValueSatisfying(
        f -> assertThat(f.severity()).isEqualTo(Severity.WARNING));
    assertThat(lenient.valid()).isTrue();
    assertThat(strict.finding(FindingCode.CRL_UNAVAILABLE)).hasValueSatisfying(
        f -> assertThat(f.severity()).isEqualTo(Severity.ERROR));
    assertThat(strict.valid()).isFalse();
  }

  @Test
  void serviceLoaderFindsTheChecker() {
    List<Class<?>> found = new ArrayList<>();
    for (RevocationChecker c : ServiceLoader.load(RevocationChecker.class)) {
      found.add(c.getClass());
    }
    assertThat(found).contains(CrlRevocationChecker.class);
  }

  @Test
  void builderRefusesMisuse() {
    assertThatThrownBy(() -> CrlRevocationChecker.builder().maxBytes(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CrlRevocationChecker.builder().fetch(true).fetch(false))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> CrlRevocationChecker.builder().staticCrls(new byte[] {1, 2, 3}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CrlRevocationChecker().check(null, Instant.now()))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void aPathOfTheAnchorAloneNeedsNothing() {
    assertThat(new CrlRevocationChecker().check(List.of(pki.root().certificate()), now)).isEmpty();
  }
}
