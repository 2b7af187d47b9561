package dev.smtptls.testkit.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.cert.CheckProfile;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.SmtpTlsInspector;
import dev.smtptls.spi.RevocationChecker;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.trust.TrustSources;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The probe runs the certificate checker on what the server presents, over real TLS. */
class CertificateFindingsIT {

  private static final TestPki PKI = TestPki.create();

  private static InspectionReport probe(String fqdn, IssuedCertificate cert) {
    return probe(fqdn, cert.privateKey(), cert.chain());
  }

  private static InspectionReport probe(String fqdn, java.security.PrivateKey key, List<X509Certificate> chain) {
    SmtpTlsInspector inspector = SmtpTlsInspector.builder()
        .timeout(Duration.ofSeconds(5))
        .certificateChecker(CertificateChecker.builder()
            .trustSource(TrustSources.anchors("testkit", PKI.root().certificate()))
            .build())
        .build();
    try (MockSmtpServer server = MockSmtpServer.builder().fqdn(fqdn).certificate(key, chain).build().start()) {
      return inspector.inspect(server.target());
    }
  }

  private static List<FindingCode> codes(InspectionReport r) {
    return r.findings().stream().map(Finding::code).toList();
  }

  @Test
  void validChainHasNoCertificateFindings() {
    InspectionReport r = probe("mx.good.test", PKI.leaf("mx.good.test"));
    assertThat(r.certificateCheck()).isNotNull();
    assertThat(r.certificateCheck().valid()).isTrue();
    assertThat(codes(r)).noneMatch(c -> c.name().startsWith("CERT_"));
  }

  @Test
  void reportsExpiredCertificateWithItsThumbprint() {
    IssuedCertificate expired = PKI.newLeaf().dnsNames("mx.old.test").expired().issue();
    InspectionReport r = probe("mx.old.test", expired);
    Finding f = r.finding(FindingCode.CERT_EXPIRED).orElseThrow();
    assertThat(f.evidence("sha1")).contains(r.certificates().get(0).sha1());
    assertThat(f.severity()).isEqualTo(Severity.ERROR);
  }

  @Test
  void reportsSelfSignedCertificate() {
    IssuedCertificate self = PKI.newLeaf().dnsNames("mx.self.test").selfSigned().issue();
    InspectionReport r = probe("mx.self.test", self);
    assertThat(codes(r)).contains(FindingCode.CERT_SELF_SIGNED);
  }

  @Test
  void reportsNameMismatchAgainstTheHostAndTheAnnouncedFqdn() {
    // The server calls itself mx.wrong.test and its certificate names only www.other.test.
    InspectionReport r = probe("mx.wrong.test", PKI.leaf("www.other.test"));
    assertThat(r.finding(FindingCode.CERT_NAME_MISMATCH)).hasValueSatisfying(f -> {
      assertThat(f.evidence("expected")).contains("mx.wrong.test");
      assertThat(f.evidence().get("names")).isEqualTo(List.of("www.other.test"));
    });
  }

  @Test
  void reportsEhloNameMismatchWhenOnlyTheAnnouncedFqdnIsUncovered() {
    IssuedCertificate cert = PKI.leaf("mx.good.test");
    SmtpTlsInspector inspector = SmtpTlsInspector.builder()
        .certificateChecker(CertificateChecker.builder()
            .trustSource(TrustSources.anchors("testkit", PKI.root().certificate()))
            .build())
        .build();
    try (MockSmtpServer server = MockSmtpServer.builder().fqdn("internal-exch01.corp.local").certificate(cert).build().start()) {
      InspectionReport r = inspector.inspect(server.target(), List.of("mx.good.test"));
      assertThat(codes(r)).contains(FindingCode.CERT_EHLO_NAME_MISMATCH).doesNotContain(FindingCode.CERT_NAME_MISMATCH);
      assertThat(r.finding(FindingCode.CERT_EHLO_NAME_MISMATCH).flatMap(f -> f.evidence("expected")))
          .contains("internal-exch01.corp.local");
    }
  }

  @Test
  void wildcardCoversOneLabel() {
    InspectionReport ok = probe("mx1.wild.test", PKI.leaf("*.wild.test"));
    assertThat(codes(ok)).doesNotContain(FindingCode.CERT_NAME_MISMATCH, FindingCode.CERT_EHLO_NAME_MISMATCH);
    InspectionReport deeper = probe("a.mx1.wild.test", PKI.leaf("*.wild.test"));
    assertThat(codes(deeper)).contains(FindingCode.CERT_NAME_MISMATCH);
  }

  @Test
  void reportsMissingIntermediate() {
    IssuedCertificate leaf = PKI.leaf("mx.lonely.test");
    InspectionReport r = probe("mx.lonely.test", leaf.privateKey(), List.of(leaf.certificate()));
    assertThat(r.finding(FindingCode.CERT_CHAIN_INCOMPLETE)).isPresent();
  }

  @Test
  void reportsEveryProblemNotTheFirst() {
    IssuedCertificate bad = PKI.newLeaf().dnsNames("www.elsewhere.test").expired().selfSigned().issue();
    InspectionReport r = probe("mx.many.test", bad);
    assertThat(codes(r)).contains(FindingCode.CERT_EXPIRED, FindingCode.CERT_SELF_SIGNED, FindingCode.CERT_NAME_MISMATCH);
  }

  @Test
  void warnsOfCertificatesThatExpireSoon() {
    Instant now = Instant.now();
    IssuedCertificate soon = PKI.newLeaf().dnsNames("mx.soon.test").validity(now.minus(Duration.ofDays(80)), now.plus(Duration.ofDays(5))).issue();
    InspectionReport r = probe("mx.soon.test", soon);
    assertThat(r.finding(FindingCode.CERT_EXPIRES_SOON)).hasValueSatisfying(f -> {
      assertThat(f.severity()).isEqualTo(Severity.WARNING);
      assertThat(f.evidence("notAfter")).isPresent();
    });
    assertThat(r.certificateCheck().valid()).isTrue();
  }

  @Test
  void warnsOfChainsSentOutOfOrder() {
    IssuedCertificate inter2 = PKI.newIntermediate("CN=Second Intermediate").issuedBy(PKI.intermediate()).issue();
    IssuedCertificate leaf = PKI.newLeaf().dnsNames("mx.order.test").issuedBy(inter2).issue();
    // The server sends leaf, then the top intermediate before the one that issued the leaf.
    List<X509Certificate> unordered = List.of(leaf.certificate(), PKI.intermediate().certificate(), inter2.certificate());
    InspectionReport r = probe("mx.order.test", leaf.privateKey(), unordered);
    assertThat(codes(r)).contains(FindingCode.CERT_CHAIN_ORDER).doesNotContain(FindingCode.CERT_UNTRUSTED);
    assertThat(r.certificateCheck().path()).hasSize(4);
  }

  @Test
  void noCheckerMeansNoCertificateFindings() {
    SmtpTlsInspector inspector = SmtpTlsInspector.builder().certificateChecker(null).build();
    try (MockSmtpServer server = MockSmtpServer.builder().certificate(PKI.newLeaf().dnsNames("x.test").selfSigned().issue()).build().start()) {
      InspectionReport r = inspector.inspect(server.target());
      assertThat(r.certificateCheck()).isNull();
      assertThat(codes(r)).noneMatch(c -> c.name().startsWith("CERT_"));
    }
  }

  @Test
  void strictProfileRaisesRevocationWarningsToErrors() {
    // A revocation checker (an SPI seam) that cannot reach the CRL: a warning by default, an
    // error for a strict receiver such as Exchange Online, which refuses what it cannot check.
    RevocationChecker unreachable = (path, at) -> List.of(Finding.of(FindingCode.CRL_UNAVAILABLE,
        "no CRL", "url", "http://crl.test/ca.crl", "reason", "connection refused"));
    IssuedCertificate cert = PKI.leaf("mx.strict.test");
    for (CheckProfile profile : CheckProfile.values()) {
      SmtpTlsInspector inspector = SmtpTlsInspector.builder()
          .certificateChecker(CertificateChecker.builder()
              .trustSource(TrustSources.anchors("testkit", PKI.root().certificate()))
              .revocationChecker(unreachable)
              .profile(profile)
              .build())
          .build();
      try (MockSmtpServer server = MockSmtpServer.builder().fqdn("mx.strict.test").certificate(cert).build().start()) {
        InspectionReport r = inspector.inspect(server.target());
        Finding f = r.finding(FindingCode.CRL_UNAVAILABLE).orElseThrow();
        assertThat(f.severity()).as(profile.name())
            .isEqualTo(profile == CheckProfile.STRICT_RECEIVER ? Severity.ERROR : Severity.WARNING);
        assertThat(r.certificateCheck().valid()).isEqualTo(profile != CheckProfile.STRICT_RECEIVER);
      }
    }
  }
}
