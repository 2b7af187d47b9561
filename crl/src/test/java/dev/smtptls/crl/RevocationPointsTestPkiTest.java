package dev.smtptls.crl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.testkit.pki.TestPki;
import java.net.URI;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

/** {@link RevocationPoints} on certificates the testkit's {@link TestPki} issues. */
class RevocationPointsTestPkiTest {

  private static final TestPki PKI = TestPki.create();

  @Test
  void readsWhatTestPkiWritesIntoALeaf() {
    X509Certificate leaf = PKI.newLeaf()
        .dnsNames("mx1.example.test")
        .crlDistributionPoints(
            URI.create("http://127.0.0.1:8080/intermediate.crl"),
            URI.create("ldap://ldap.example.test/cn=Intermediate?certificateRevocationList;binary"))
        .ocspUrl(URI.create("http://127.0.0.1:8081/ocsp"))
        .caIssuersUrl(URI.create("http://127.0.0.1:8080/intermediate.cer"))
        .issue()
        .certificate();

    RevocationPoints points = RevocationPoints.of(leaf);

    assertThat(points.problems()).isEmpty();
    assertThat(points.hasAny()).isTrue();
    assertThat(points.crlDistributionPoints()).hasSize(2)
        .allSatisfy(dp -> {
          assertThat(dp.coversAllReasons()).isTrue();
          assertThat(dp.indirect()).isFalse();
        });
    assertThat(points.crlUris()).containsExactly(
        URI.create("http://127.0.0.1:8080/intermediate.crl"),
        URI.create("ldap://ldap.example.test/cn=Intermediate?certificateRevocationList;binary"));
    assertThat(points.ocspUris()).containsExactly(URI.create("http://127.0.0.1:8081/ocsp"));
    assertThat(points.caIssuersUris()).containsExactly(URI.create("http://127.0.0.1:8080/intermediate.cer"));
    assertThat(points.deltaCrlUris()).isEmpty();
  }

  @Test
  void aLeafWithoutPointsHasNone() {
    X509Certificate leaf = PKI.newLeaf().dnsNames("mx1.example.test").crlDistributionPoints().issue().certificate();

    RevocationPoints points = RevocationPoints.of(leaf);

    assertThat(points.hasAny()).as("strict receivers cannot check this certificate").isFalse();
    assertThat(points.problems()).isEmpty();
  }

  @Test
  void marksAnHttpsDistributionPointAsNotFetched() {
    X509Certificate leaf = PKI.newLeaf()
        .dnsNames("mx1.example.test")
        .crlDistributionPoints(URI.create("https://crl.example.test/ca.crl"))
        .issue()
        .certificate();

    RevocationPoints points = RevocationPoints.of(leaf);

    assertThat(points.hasAny()).isTrue();
    assertThat(points.crlDistributionPoints().get(0).fullName())
        .singleElement().satisfies(l -> assertThat(l.kind()).isEqualTo(Location.Kind.OTHER_URI));
    assertThat(points.crlUris()).isEmpty();
  }
}
