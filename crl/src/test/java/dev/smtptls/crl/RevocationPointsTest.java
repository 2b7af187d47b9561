package dev.smtptls.crl;

import static dev.smtptls.crl.Certificates.extension;
import static dev.smtptls.crl.Certificates.rawExtension;
import static dev.smtptls.crl.Certificates.withExtensions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.security.cert.CRLReason;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.ReasonFlags;
import org.bouncycastle.asn1.DERUTF8String;
import org.junit.jupiter.api.Test;

class RevocationPointsTest {

  private static GeneralName uri(String u) {
    return new GeneralName(GeneralName.uniformResourceIdentifier, u);
  }

  private static GeneralName directory(String rfc2253) {
    return new GeneralName(X500Name.getInstance(new X500Principal(rfc2253).getEncoded()));
  }

  private static org.bouncycastle.asn1.x509.DistributionPoint fullName(GeneralName... names) {
    return new org.bouncycastle.asn1.x509.DistributionPoint(
        new DistributionPointName(new GeneralNames(names)), null, null);
  }

  private static DistributionPointName relative(String cn) {
    RDN rdn = new RDN(BCStyle.CN, new DERUTF8String(cn));
    return new DistributionPointName(DistributionPointName.NAME_RELATIVE_TO_CRL_ISSUER, rdn.toASN1Primitive());
  }

  private static Extension crlDp(org.bouncycastle.asn1.x509.DistributionPoint... points) {
    return extension(Extension.cRLDistributionPoints, new CRLDistPoint(points));
  }

  @Test
  void readsFullNameUrisAndMarksTheOnesThatAreNotFetched() {
    X509Certificate cert = withExtensions(crlDp(
        fullName(
            uri("http://crl.example.org/ca.crl"),
            uri("ldap://ldap.example.org/cn=Test%20CA?certificateRevocationList;binary"),
            uri("https://crl.example.org/ca.crl"),
            directory("CN=CRL Entry,O=smtptls"))));

    RevocationPoints points = RevocationPoints.of(cert);

    assertThat(points.problems()).isEmpty();
    assertThat(points.hasAny()).isTrue();
    assertThat(points.crlDistributionPoints()).hasSize(1);
    DistributionPoint dp = points.crlDistributionPoints().get(0);
    assertThat(dp.fullName()).extracting(Location::kind).containsExactly(
        Location.Kind.HTTP, Location.Kind.LDAP, Location.Kind.OTHER_URI, Location.Kind.DIRECTORY_NAME);
    assertThat(dp.fullName().get(3).value()).isEqualTo("CN=CRL Entry,O=smtptls");
    assertThat(dp.relativeName()).isNull();
    assertThat(dp.coversAllReasons()).isTrue();
    assertThat(dp.indirect()).isFalse();
    assertThat(points.crlUris()).containsExactly(
        URI.create("http://crl.example.org/ca.crl"),
        URI.create("ldap://ldap.example.org/cn=Test%20CA?certificateRevocationList;binary"));
  }

  @Test
  void resolvesARelativeNameAgainstTheCertificateIssuer() {
    X509Certificate cert = withExtensions(crlDp(
        new org.bouncycastle.asn1.x509.DistributionPoint(relative("CRL1"), null, null)));

    DistributionPoint dp = RevocationPoints.of(cert).crlDistributionPoints().get(0);

    // RFC 5280 §4.2.1.13: the fragment is appended to the issuer's DN (RFC 2253 lists it first).
    assertThat(dp.relativeName()).isEqualTo("CN=CRL1," + Certificates.ISSUER);
    assertThat(dp.fullName()).isEmpty();
    assertThat(dp.uris()).isEmpty();
    assertThat(RevocationPoints.of(cert).hasAny()).isTrue();
  }

  @Test
  void resolvesARelativeNameAgainstTheCrlIssuerWhenPresent() {
    X509Certificate cert = withExtensions(crlDp(
        new org.bouncycastle.asn1.x509.DistributionPoint(
            relative("Partition 7"), null, new GeneralNames(directory("CN=Indirect CRL Issuer,O=Other")))));

    DistributionPoint dp = RevocationPoints.of(cert).crlDistributionPoints().get(0);

    assertThat(dp.relativeName()).isEqualTo("CN=Partition 7,CN=Indirect CRL Issuer,O=Other");
    assertThat(dp.indirect()).isTrue();
    assertThat(dp.crlIssuer()).containsExactly(
        new Location(Location.Kind.DIRECTORY_NAME, "CN=Indirect CRL Issuer,O=Other"));
  }

  @Test
  void readsReasonsAsJdkCrlReasons() {
    X509Certificate cert = withExtensions(crlDp(
        new org.bouncycastle.asn1.x509.DistributionPoint(
            new DistributionPointName(new GeneralNames(uri("http://crl.example.org/keys.crl"))),
            new ReasonFlags(ReasonFlags.keyCompromise | ReasonFlags.cACompromise | ReasonFlags.aACompromise),
            null),
        fullName(uri("http://crl.example.org/other.crl"))));

    List<DistributionPoint> dps = RevocationPoints.of(cert).crlDistributionPoints();

    assertThat(dps.get(0).reasons()).containsExactlyInAnyOrder(
        CRLReason.KEY_COMPROMISE, CRLReason.CA_COMPROMISE, CRLReason.AA_COMPROMISE);
    assertThat(dps.get(0).coversAllReasons()).isFalse();
    assertThat(dps.get(1).reasons()).isEmpty();
    assertThat(RevocationPoints.of(cert).crlUris()).containsExactly(
        URI.create("http://crl.example.org/keys.crl"), URI.create("http://crl.example.org/other.crl"));
  }

  @Test
  void readsFreshestCrlAsDeltaPoints() {
    X509Certificate cert = withExtensions(
        crlDp(fullName(uri("http://crl.example.org/base.crl"))),
        extension(Extension.freshestCRL, new CRLDistPoint(new org.bouncycastle.asn1.x509.DistributionPoint[] {
            fullName(uri("http://crl.example.org/delta.crl"))})));

    RevocationPoints points = RevocationPoints.of(cert);

    assertThat(points.crlUris()).containsExactly(URI.create("http://crl.example.org/base.crl"));
    assertThat(points.deltaCrlUris()).containsExactly(URI.create("http://crl.example.org/delta.crl"));
  }

  @Test
  void readsOcspAndCaIssuersFromAuthorityInformationAccess() {
    AuthorityInformationAccess aia = AuthorityInformationAccess.getInstance(new DERSequence(new AccessDescription[] {
        new AccessDescription(AccessDescription.id_ad_ocsp, uri("http://ocsp.example.org")),
        new AccessDescription(AccessDescription.id_ad_caIssuers, uri("http://ca.example.org/ca.cer")),
        new AccessDescription(AccessDescription.id_ad_caIssuers, uri("ldap://ldap.example.org/cn=CA?cACertificate")),
        // id-ad-caRepository (RFC 5280 §4.2.2.2) is not about revocation.
        new AccessDescription(new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.6.1.5.5.7.48.5"), uri("http://repo.example.org/"))}));
    X509Certificate cert = withExtensions(extension(Extension.authorityInfoAccess, aia));

    RevocationPoints points = RevocationPoints.of(cert);

    assertThat(points.problems()).isEmpty();
    assertThat(points.ocspUris()).containsExactly(URI.create("http://ocsp.example.org"));
    assertThat(points.caIssuersUris()).containsExactly(
        URI.create("http://ca.example.org/ca.cer"), URI.create("ldap://ldap.example.org/cn=CA?cACertificate"));
    assertThat(points.crlDistributionPoints()).isEmpty();
    assertThat(points.hasAny()).as("an OCSP responder is a revocation point").isTrue();
  }

  @Test
  void caIssuersAloneIsNoRevocationPoint() {
    AuthorityInformationAccess aia = new AuthorityInformationAccess(
        AccessDescription.id_ad_caIssuers, uri("http://ca.example.org/ca.cer"));
    X509Certificate cert = withExtensions(extension(Extension.authorityInfoAccess, aia));

    assertThat(RevocationPoints.of(cert).hasAny()).isFalse();
  }

  @Test
  void certificateWithoutExtensionsHasNoPoints() {
    RevocationPoints points = RevocationPoints.of(withExtensions());

    assertThat(points.hasAny()).isFalse();
    assertThat(points.problems()).isEmpty();
    assertThat(points.crlUris()).isEmpty();
    assertThat(points.ocspUris()).isEmpty();
  }

  @Test
  void truncatedCrlDistributionPointsBecomeAProblemNotAnException() {
    AuthorityInformationAccess aia = new AuthorityInformationAccess(
        AccessDescription.id_ad_ocsp, uri("http://ocsp.example.org"));
    // SEQUENCE claiming 16 octets, holding 2.
    X509Certificate cert = withExtensions(
        rawExtension(Extension.cRLDistributionPoints, new byte[] {0x30, 0x10, 0x30, 0x00}),
        extension(Extension.authorityInfoAccess, aia));

    RevocationPoints points = RevocationPoints.of(cert);

    assertThat(points.crlDistributionPoints()).isEmpty();
    assertThat(points.problems()).singleElement().asString()
        .startsWith("cRLDistributionPoints (2.5.29.31) is malformed");
    assertThat(points.ocspUris()).as("the other extensions are still read")
        .containsExactly(URI.create("http://ocsp.example.org"));
  }

  @Test
  void wronglyShapedEntriesAreSkippedAndReported() {
    X509Certificate cert = withExtensions(extension(Extension.cRLDistributionPoints, new DERSequence(
        new org.bouncycastle.asn1.ASN1Encodable[] {
            new ASN1Integer(7), fullName(uri("http://crl.example.org/ok.crl"))})));

    RevocationPoints points = RevocationPoints.of(cert);

    assertThat(points.crlUris()).containsExactly(URI.create("http://crl.example.org/ok.crl"));
    assertThat(points.problems()).singleElement().asString()
        .startsWith("cRLDistributionPoints entry 1 is malformed");
  }

  @Test
  void malformedAuthorityInformationAccessBecomesAProblem() {
    X509Certificate cert = withExtensions(
        rawExtension(Extension.authorityInfoAccess, new byte[] {0x04, 0x01, 0x00}),
        crlDp(fullName(uri("http://crl.example.org/ca.crl"))));

    RevocationPoints points = RevocationPoints.of(cert);

    assertThat(points.ocsp()).isEmpty();
    assertThat(points.caIssuers()).isEmpty();
    assertThat(points.problems()).singleElement().asString().contains("authorityInfoAccess");
    assertThat(points.crlUris()).containsExactly(URI.create("http://crl.example.org/ca.crl"));
  }

  @Test
  void keepsAUriThatDoesNotParseAndSaysSo() {
    X509Certificate cert = withExtensions(crlDp(fullName(uri("http://crl example.org/a b.crl"))));

    RevocationPoints points = RevocationPoints.of(cert);

    Location l = points.crlDistributionPoints().get(0).fullName().get(0);
    assertThat(l.kind()).isEqualTo(Location.Kind.HTTP);
    assertThat(l.fetchable()).isFalse();
    assertThat(points.crlUris()).isEmpty();
    assertThat(points.problems()).singleElement().asString().contains("does not parse");
  }

  @Test
  void readsOtherGeneralNamesAsMarkedEntries() {
    X509Certificate cert = withExtensions(crlDp(fullName(
        new GeneralName(GeneralName.dNSName, "crl.example.org"),
        new GeneralName(GeneralName.iPAddress, "192.0.2.7"))));

    List<Location> names = RevocationPoints.of(cert).crlDistributionPoints().get(0).fullName();

    assertThat(names).containsExactly(
        new Location(Location.Kind.OTHER_NAME, "dNSName:crl.example.org"),
        new Location(Location.Kind.OTHER_NAME, "iPAddress:192.0.2.7"));
  }

  @Test
  void classifiesUriSchemesCaseInsensitively() {
    assertThat(Location.ofUri("HTTP://crl.example.org/x.crl").kind()).isEqualTo(Location.Kind.HTTP);
    assertThat(Location.ofUri("LDAP://x/").kind()).isEqualTo(Location.Kind.LDAP);
    assertThat(Location.ofUri("ftp://x/y.crl").kind()).isEqualTo(Location.Kind.OTHER_URI);
    assertThat(Location.ofUri("file:/etc/x.crl").fetchable()).isFalse();
  }

  @Test
  void distributionPointNameIsAChoice() {
    assertThatThrownBy(() -> new DistributionPoint(
            List.of(Location.ofUri("http://a/")), "CN=x", List.of(), Set.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fullName and relativeName");
  }

  @Test
  void recordsAreImmutable() {
    RevocationPoints points = RevocationPoints.of(withExtensions(crlDp(fullName(uri("http://a/b.crl")))));

    assertThatThrownBy(() -> points.crlDistributionPoints().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> points.crlDistributionPoints().get(0).reasons().add(CRLReason.SUPERSEDED))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
