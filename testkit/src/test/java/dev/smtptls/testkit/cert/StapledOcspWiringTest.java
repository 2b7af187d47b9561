package dev.smtptls.testkit.cert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.cert.CertificateReport;
import dev.smtptls.cert.PeerIdentity;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.spi.RevocationChecker;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.trust.TrustSources;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checker hands the stapled OCSP responses to the revocation SPI, with the validated path. */
class StapledOcspWiringTest {

  @Test
  void passesStapledResponsesToTheRevocationChecker() {
    TestPki pki = TestPki.create();
    IssuedCertificate leaf = pki.leaf("mx.example.test");
    RevocationChecker revocation = mock(RevocationChecker.class);
    byte[] stapled = {0x30, 0x03, 0x0a, 0x01, 0x00};
    when(revocation.check(any(), any(), anyMap()))
        .thenReturn(List.of(Finding.of(FindingCode.OCSP_REVOKED, "stapled says revoked", "stapled", "true")));
    CertificateChecker checker = CertificateChecker.builder()
        .trustSource(TrustSources.anchors("t", pki.root().certificate()))
        .revocationChecker(revocation)
        .build();

    CertificateReport r = checker.check(leaf.chain(), PeerIdentity.of("mx.example.test"), Map.of(leaf.certificate(), stapled));

    List<X509Certificate> path = List.of(leaf.certificate(), pki.intermediate().certificate(), pki.root().certificate());
    verify(revocation).check(eq(path), eq(r.checkedAt()), eq(Map.of(leaf.certificate(), stapled)));
    assertThat(r.has(FindingCode.OCSP_REVOKED)).isTrue();
  }
}
