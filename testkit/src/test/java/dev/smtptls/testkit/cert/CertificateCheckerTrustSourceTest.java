package dev.smtptls.testkit.cert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.cert.CertificateReport;
import dev.smtptls.cert.PeerIdentity;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.spi.TrustSource;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.trust.TrustSources;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The checker parses a source's anchors once, yet follows a source whose anchors change. */
class CertificateCheckerTrustSourceTest {

  private static final TestPki PKI = TestPki.create();
  private static final TestPki OTHER = TestPki.create();

  @Test
  void followsASourceWhoseAnchorsChange() {
    AtomicReference<List<X509Certificate>> anchors = new AtomicReference<>(List.of(OTHER.root().certificate()));
    TrustSource changing = new TrustSource() {
      @Override public String name() {
        return "changing";
      }

      @Override public List<X509Certificate> anchors() {
        return anchors.get();
      }
    };
    CertificateChecker checker = CertificateChecker.builder().trustSource(changing).revocationChecker(null).build();
    IssuedCertificate leaf = PKI.leaf("mx.example.test");

    CertificateReport before = checker.check(leaf.chain(), PeerIdentity.of("mx.example.test"));
    assertThat(before.has(FindingCode.CERT_UNTRUSTED)).isTrue();

    anchors.set(List.of(OTHER.root().certificate(), PKI.root().certificate()));
    CertificateReport after = checker.check(leaf.chain(), PeerIdentity.of("mx.example.test"));
    assertThat(after.valid()).isTrue();
    assertThat(after.path()).endsWith(PKI.root().certificate());
  }

  @Test
  void reportsEachTrustSourceSideBySide() {
    CertificateChecker checker = CertificateChecker.builder()
        .trustSource(TrustSources.anchors("exchange-online", OTHER.root().certificate()))
        .trustSource(TrustSources.composite("postfix", TrustSources.anchors("a", OTHER.root().certificate()),
            TrustSources.anchors("b", PKI.root().certificate())))
        .revocationChecker(null)
        .build();
    CertificateReport r = checker.check(PKI.leaf("mx.example.test").chain(), PeerIdentity.of("mx.example.test"));
    assertThat(r.trust()).extracting(t -> t.trustSource() + "=" + t.trusted())
        .containsExactly("exchange-online=false", "postfix=true");
    // The first source decides the findings.
    assertThat(r.has(FindingCode.CERT_UNTRUSTED)).isTrue();
    // The composite keeps returning one list while its parts are unchanged, so parsed anchors are reused.
    TrustSource composite = checker.trustSources().get(1);
    assertThat(composite.anchors()).isSameAs(composite.anchors());
  }
}
