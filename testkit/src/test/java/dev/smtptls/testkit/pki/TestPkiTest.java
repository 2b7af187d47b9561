package dev.smtptls.testkit.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class TestPkiTest {
  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final TestPki PKI = TestPki.builder().clock(CLOCK).build();
  private static final TestPki SYSTEM_PKI = TestPki.create();
  private static final TestPki RSA_PKI =
      TestPki.builder().clock(CLOCK).keyType(KeyType.RSA_2048).build();

  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  @Test
  void defaultLeafChainValidatesAgainstRoot() throws Exception {
    IssuedCertificate leaf = SYSTEM_PKI.leaf("mx.example.test", "*.example.test");

    validate(leaf.chain(), SYSTEM_PKI.root(), null);

    assertThat(leaf.chain())
        .containsExactly(leaf.certificate(), SYSTEM_PKI.intermediate().certificate());
    assertThat(SYSTEM_PKI.root().chain()).containsExactly(SYSTEM_PKI.root().certificate());
    assertThat(SYSTEM_PKI.root().isSelfSigned()).isTrue();
    assertThat(SYSTEM_PKI.intermediate().isSelfSigned()).isFalse();
  }

  @Test
  void defaultRootAndIntermediateHaveTheDocumentedNamesAndValidity() {
    X509Certificate root = PKI.root().certificate();
    X509Certificate inter = PKI.intermediate().certificate();

    assertThat(root.getSubjectX500Principal().getName()).isEqualTo("CN=smtptls Test Root");
    assertThat(root.getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
    assertThat(inter.getSubjectX500Principal().getName())
        .isEqualTo("CN=smtptls Test Intermediate");
    assertThat(inter.getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
    assertThat(root.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
    assertThat(inter.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
    assertThat(inter.getKeyUsage()[5]).as("keyCertSign").isTrue();
    assertThat(inter.getKeyUsage()[6]).as("cRLSign").isTrue();
    assertThat(inter.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofDays(1)));
    assertThat(inter.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(3650)));
    assertThat(PKI.root().publicKey()).isInstanceOf(ECPublicKey.class);
  }

  @Test
  void leafHasRequestedNamesAndDefaultExtensions() throws Exception {
    IssuedCertificate leaf = PKI.leaf("mx.example.test", "*.example.test");
    X509Certificate cert = leaf.certificate();

    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=mx.example.test");
    assertThat(dnsNames(cert)).containsExactly("mx.example.test", "*.example.test");
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThat(cert.getKeyUsage()[0]).as("digitalSignature").isTrue();
    assertThat(cert.getKeyUsage()[2]).as("keyEncipherment (EC key)").isFalse();
    assertThat(cert.getExtendedKeyUsage()).containsExactly(SERVER_AUTH, CLIENT_AUTH);
    assertThat(cert.getExtensionValue(Extension.subjectKeyIdentifier.getId())).isNotNull();
    assertThat(cert.getExtensionValue(Extension.authorityKeyIdentifier.getId())).isNotNull();
    assertThat(cert.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofDays(1)));
    assertThat(cert.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(90)));
    assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
    cert.verify(PKI.intermediate().publicKey());
  }

  @Test
  void customLeafHasSubjectDnsAndIpNames() throws Exception {
    X509Certificate cert = PKI.newLeaf()
        .subject("CN=mx.example.test,O=Example")
        .dnsNames("a.example.test", "b.example.test")
        .ipAddresses("127.0.0.1", "::1")
        .issue()
        .certificate();

    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=mx.example.test,O=Example");
    assertThat(dnsNames(cert)).containsExactly("a.example.test", "b.example.test");
    List<String> ips = new ArrayList<>();
    for (List<?> san : cert.getSubjectAlternativeNames()) {
      if ((Integer) san.get(0) == 7) {
        ips.add((String) san.get(1));
      }
    }
    assertThat(ips).containsExactly("127.0.0.1", "0:0:0:0:0:0:0:1");
  }

  @Test
  void commonNameOnlyLeafHasNoSubjectAltName() throws Exception {
    X509Certificate cert = PKI.newLeaf().commonName("legacy.example.test").issue().certificate();

    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=legacy.example.test");
    assertThat(cert.getSubjectAlternativeNames()).isNull();
  }

  @Test
  void expiredAndNotYetValidAreRelativeToThePkiClock() throws Exception {
    X509Certificate expired = PKI.newLeaf().dnsNames("old.example.test").expired().issue()
        .certificate();
    X509Certificate future = PKI.newLeaf().dnsNames("new.example.test").notYetValid().issue()
        .certificate();

    assertThat(expired.getNotAfter().toInstant()).isBefore(NOW);
    assertThatThrownBy(() -> expired.checkValidity(Date.from(NOW)))
        .isInstanceOf(CertificateExpiredException.class);
    assertThat(future.getNotBefore().toInstant()).isAfter(NOW);
    assertThatThrownBy(() -> future.checkValidity(Date.from(NOW)))
        .isInstanceOf(CertificateNotYetValidException.class);
    PKI.leaf("ok.example.test").certificate().checkValidity(Date.from(NOW));
  }

  @Test
  void expiredLeafFailsPathValidationAtTheClockTime() {
    IssuedCertificate expired = PKI.newLeaf().dnsNames("old.example.test").expired().issue();

    assertThatThrownBy(() -> validate(expired.chain(), PKI.root(), NOW))
        .isInstanceOf(CertPathValidatorException.class);
  }

  @Test
  void explicitValidityIsWrittenToTheSecond() {
    Instant from = Instant.parse("2020-01-01T00:00:00Z");
    Instant to = Instant.parse("2060-01-01T00:00:00Z");

    X509Certificate cert =
        PKI.newLeaf().dnsNames("a.example.test").validity(from, to).issue().certificate();

    assertThat(cert.getNotBefore().toInstant()).isEqualTo(from);
    assertThat(cert.getNotAfter().toInstant()).isEqualTo(to);
  }

  @Test
  void selfSignedLeafVerifiesWithItsOwnKey() throws Exception {
    IssuedCertificate leaf = PKI.newLeaf().dnsNames("self.example.test").selfSigned().issue();
    X509Certificate cert = leaf.certificate();

    cert.verify(cert.getPublicKey());
    assertThat(cert.getIssuerX500Principal()).isEqualTo(cert.getSubjectX500Principal());
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThat(leaf.chain()).containsExactly(cert);
    assertThat(leaf.isSelfSigned()).isTrue();
  }

  @Test
  void rsa1024KeyIs1024BitsAndGetsKeyEncipherment() {
    X509Certificate cert =
        PKI.newLeaf().dnsNames("weak.example.test").keyType(KeyType.RSA_1024).issue()
            .certificate();

    assertThat(cert.getPublicKey()).isInstanceOf(RSAPublicKey.class);
    assertThat(((RSAPublicKey) cert.getPublicKey()).getModulus().bitLength()).isEqualTo(1024);
    assertThat(cert.getKeyUsage()[2]).as("keyEncipherment").isTrue();
  }

  @Test
  void ecP384KeyIsOnP384AndItsCertificatesAreSignedWithSha384() {
    TestPki p384 = TestPki.builder().clock(CLOCK).keyType(KeyType.EC_P384).build();

    X509Certificate cert = p384.leaf("mx.example.test").certificate();

    assertThat(((ECPublicKey) cert.getPublicKey()).getParams().getCurve().getField().getFieldSize())
        .isEqualTo(384);
    assertThat(cert.getSigAlgName()).isEqualTo("SHA384withECDSA");
  }

  @Test
  void sha1WithRsaSignatureFromAnRsaIssuer() throws Exception {
    IssuedCertificate leaf = RSA_PKI.newLeaf()
        .dnsNames("sha1.example.test")
        .signatureAlgorithm("SHA1withRSA")
        .issue();

    assertThat(leaf.certificate().getSigAlgName()).isEqualTo("SHA1withRSA");
    leaf.certificate().verify(RSA_PKI.intermediate().publicKey());
    assertThat(RSA_PKI.intermediate().certificate().getSigAlgName()).isEqualTo("SHA256withRSA");
  }

  @Test
  void rsaSignatureFromAnEcIssuerIsRefusedWithTheReason() {
    LeafBuilder builder =
        PKI.newLeaf().dnsNames("sha1.example.test").signatureAlgorithm("SHA1withRSA");

    assertThatThrownBy(builder::issue)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SHA1withRSA")
        .hasMessageContaining("RSA signing key")
        .hasMessageContaining("EC key");
  }

  @Test
  void crlDistributionPointsAndAiaCarryTheGivenUris() throws Exception {
    URI http = URI.create("http://crl.example.test/inter.crl");
    URI ldap = URI.create("ldap://ldap.example.test/cn=inter?certificateRevocationList");
    URI ocsp = URI.create("http://ocsp.example.test/");
    URI caIssuers = URI.create("http://ca.example.test/inter.cer");

    X509Certificate cert = PKI.newLeaf()
        .dnsNames("mx.example.test")
        .crlDistributionPoints(http, ldap)
        .ocspUrl(ocsp)
        .caIssuersUrl(caIssuers)
        .issue()
        .certificate();

    assertThat(crlDistributionPoints(cert)).containsExactly(http.toString(), ldap.toString());
    AuthorityInformationAccess aia = AuthorityInformationAccess.getInstance(
        extension(cert, Extension.authorityInfoAccess.getId()));
    List<String> ocspUrls = new ArrayList<>();
    List<String> caIssuersUrls = new ArrayList<>();
    for (AccessDescription description : aia.getAccessDescriptions()) {
      String uri = uri(description.getAccessLocation());
      if (description.getAccessMethod().equals(AccessDescription.id_ad_ocsp)) {
        ocspUrls.add(uri);
      } else if (description.getAccessMethod().equals(AccessDescription.id_ad_caIssuers)) {
        caIssuersUrls.add(uri);
      }
    }
    assertThat(ocspUrls).containsExactly(ocsp.toString());
    assertThat(caIssuersUrls).containsExactly(caIssuers.toString());
  }

  @Test
  void pkiDefaultCrlDistributionPointGoesIntoIntermediateAndLeavesButNotRoot() throws Exception {
    URI crl = URI.create("http://127.0.0.1:8080/test.crl");
    TestPki pki = TestPki.builder().clock(CLOCK).crlDistributionPoint(crl).build();

    assertThat(crlDistributionPoints(pki.intermediate().certificate()))
        .containsExactly(crl.toString());
    assertThat(crlDistributionPoints(pki.leaf("mx.example.test").certificate()))
        .containsExactly(crl.toString());
    assertThat(crlDistributionPoints(
            pki.newIntermediate("CN=Other Intermediate").issue().certificate()))
        .containsExactly(crl.toString());
    assertThat(pki.root().certificate()
            .getExtensionValue(Extension.cRLDistributionPoints.getId())).isNull();
    assertThat(pki.newLeaf().dnsNames("no-crl.example.test").crlDistributionPoints().issue()
            .certificate().getExtensionValue(Extension.cRLDistributionPoints.getId())).isNull();
  }

  @Test
  void extendedKeyUsageCanBeReplacedOrLeftOut() throws Exception {
    X509Certificate clientOnly = PKI.newLeaf().dnsNames("client.example.test")
        .extendedKeyUsages(CLIENT_AUTH).issue().certificate();
    X509Certificate none = PKI.newLeaf().dnsNames("any.example.test")
        .noExtendedKeyUsage().issue().certificate();

    assertThat(clientOnly.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
    assertThat(none.getExtendedKeyUsage()).isNull();
  }

  @Test
  void otherIntermediateWithPathLengthZeroIssuesValidLeaves() throws Exception {
    IssuedCertificate ca2 = SYSTEM_PKI.newIntermediate("CN=Other Intermediate")
        .issuedBy(SYSTEM_PKI.root()).pathLength(0).issue();
    IssuedCertificate leaf = SYSTEM_PKI.newLeaf().dnsNames("mx.example.test").issuedBy(ca2).issue();

    assertThat(ca2.certificate().getBasicConstraints()).isZero();
    assertThat(ca2.certificate().getSubjectX500Principal().getName())
        .isEqualTo("CN=Other Intermediate");
    assertThat(leaf.chain()).containsExactly(leaf.certificate(), ca2.certificate());
    validate(leaf.chain(), SYSTEM_PKI.root(), null);
  }

  @Test
  void pathLengthZeroIntermediateCannotIssueAnotherCa() {
    IssuedCertificate ca2 = SYSTEM_PKI.newIntermediate("CN=Limited").pathLength(0).issue();
    IssuedCertificate ca3 = SYSTEM_PKI.newIntermediate("CN=Too Deep").issuedBy(ca2).issue();
    IssuedCertificate leaf = SYSTEM_PKI.newLeaf().dnsNames("mx.example.test").issuedBy(ca3).issue();

    assertThat(leaf.chain())
        .containsExactly(leaf.certificate(), ca3.certificate(), ca2.certificate());
    assertThatThrownBy(() -> validate(leaf.chain(), SYSTEM_PKI.root(), null))
        .isInstanceOf(CertPathValidatorException.class);
  }

  @Test
  void leafFromAnotherRootDoesNotValidateAgainstThisRoot() {
    IssuedCertificate otherRoot = SYSTEM_PKI.newRoot("CN=Untrusted Root").issue();
    IssuedCertificate leaf =
        SYSTEM_PKI.newLeaf().dnsNames("mx.example.test").issuedBy(otherRoot).issue();

    assertThat(otherRoot.isSelfSigned()).isTrue();
    assertThat(leaf.chain()).containsExactly(leaf.certificate());
    assertThatThrownBy(() -> validate(leaf.chain(), SYSTEM_PKI.root(), null))
        .isInstanceOf(CertPathValidatorException.class);
  }

  @Test
  void crlVerifiesWithIssuerKeyAndListsOnlyTheRevokedCertificate() throws Exception {
    IssuedCertificate revoked = PKI.leaf("revoked.example.test");
    IssuedCertificate good = PKI.leaf("good.example.test");
    Instant at = NOW.minus(Duration.ofHours(2));

    X509CRL crl = PKI.newCrl(PKI.intermediate())
        .revoke(revoked.certificate(), RevocationReason.KEY_COMPROMISE, at)
        .thisUpdate(NOW.minus(Duration.ofHours(1)))
        .nextUpdate(NOW.plus(Duration.ofDays(1)))
        .crlNumber(42)
        .build();

    crl.verify(PKI.intermediate().publicKey());
    assertThat(crl.getIssuerX500Principal())
        .isEqualTo(PKI.intermediate().certificate().getSubjectX500Principal());
    assertThat(crl.isRevoked(revoked.certificate())).isTrue();
    assertThat(crl.isRevoked(good.certificate())).isFalse();
    assertThat(crl.getThisUpdate().toInstant()).isEqualTo(NOW.minus(Duration.ofHours(1)));
    assertThat(crl.getNextUpdate().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(1)));
    assertThat(crl.getRevokedCertificate(revoked.certificate()).getRevocationDate().toInstant())
        .isEqualTo(at);
    ASN1Primitive reason = ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(
            crl.getRevokedCertificate(revoked.certificate())
                .getExtensionValue(Extension.reasonCode.getId()))
        .getOctets());
    assertThat(CRLReason.getInstance(reason).getValue().intValue())
        .isEqualTo(RevocationReason.KEY_COMPROMISE.code());
    ASN1Primitive number = ASN1Primitive.fromByteArray(
        ASN1OctetString.getInstance(crl.getExtensionValue(Extension.cRLNumber.getId()))
            .getOctets());
    assertThat(org.bouncycastle.asn1.ASN1Integer.getInstance(number).getValue().longValue())
        .isEqualTo(42L);
  }

  @Test
  void defaultCrlUpdateTimesComeFromThePkiClock() throws Exception {
    X509CRL crl = PKI.newCrl(PKI.root()).build();

    crl.verify(PKI.root().publicKey());
    assertThat(crl.getThisUpdate().toInstant()).isEqualTo(NOW);
    assertThat(crl.getNextUpdate().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(7)));
    assertThat(crl.getRevokedCertificates()).isNull();
  }

  @Test
  void revokingTheSameCertificateTwiceIsRefused() {
    IssuedCertificate leaf = PKI.leaf("twice.example.test");
    CrlBuilder builder = PKI.newCrl(PKI.intermediate()).revoke(leaf.certificate());

    assertThatThrownBy(() -> builder.revoke(leaf.certificate()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already listed");
  }

  @Test
  void pemRoundTripsThroughCertificateFactory() throws Exception {
    IssuedCertificate leaf = PKI.leaf("mx.example.test");
    CertificateFactory factory = CertificateFactory.getInstance("X.509");

    X509Certificate single = (X509Certificate) factory.generateCertificate(
        new ByteArrayInputStream(leaf.certificatePem().getBytes(StandardCharsets.US_ASCII)));
    List<java.security.cert.Certificate> chain = new ArrayList<>(factory.generateCertificates(
        new ByteArrayInputStream(leaf.chainPem().getBytes(StandardCharsets.US_ASCII))));
    X509CRL crl = PKI.newCrl(PKI.intermediate()).revoke(leaf.certificate()).build();
    X509CRL parsedCrl = (X509CRL) factory.generateCRL(
        new ByteArrayInputStream(TestPki.pem(crl).getBytes(StandardCharsets.US_ASCII)));

    assertThat(single).isEqualTo(leaf.certificate());
    assertThat(chain).containsExactlyElementsOf(leaf.chain());
    assertThat(parsedCrl).isEqualTo(crl);
    assertThat(leaf.certificatePem())
        .startsWith("-----BEGIN CERTIFICATE-----\n")
        .endsWith("-----END CERTIFICATE-----\n");
    assertThat(TestPki.pem(PKI.root().certificate(), PKI.intermediate().certificate()))
        .isEqualTo(PKI.root().certificatePem() + PKI.intermediate().certificatePem());
  }

  @Test
  void privateKeyPemIsPkcs8AndMatchesTheCertificate() throws Exception {
    IssuedCertificate leaf = PKI.leaf("mx.example.test");
    String pem = leaf.privateKeyPem();

    assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n")
        .endsWith("-----END PRIVATE KEY-----\n");
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PrivateKey key = KeyFactory.getInstance("EC")
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(key);
    signer.update(new byte[] {1, 2, 3});
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(leaf.certificate().getPublicKey());
    verifier.update(new byte[] {1, 2, 3});
    assertThat(verifier.verify(signature)).isTrue();
  }

  @Test
  void serialNumbersArePositiveLargeAndUnique() {
    Set<java.math.BigInteger> serials = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      java.math.BigInteger serial = PKI.leaf("s" + i + ".example.test").certificate()
          .getSerialNumber();
      assertThat(serial.signum()).isPositive();
      assertThat(serial.bitLength()).isGreaterThanOrEqualTo(64);
      serials.add(serial);
    }
    assertThat(serials).hasSize(20);
  }

  @Test
  void trustManagerAndKeyManagerServeTheChain() throws Exception {
    IssuedCertificate leaf = PKI.leaf("mx.example.test");

    assertThat(PKI.trustManager().getAcceptedIssuers()).containsExactly(PKI.root().certificate());
    assertThat(leaf.keyManager().getCertificateChain("smtptls"))
        .containsExactlyElementsOf(leaf.chain());
    assertThat(leaf.keyManager().getPrivateKey("smtptls")).isEqualTo(leaf.privateKey());
  }

  @Test
  void misuseNamesWhatIsWrong() {
    assertThatThrownBy(() -> PKI.newLeaf().expired().notYetValid())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("expired()");
    assertThatThrownBy(() -> PKI.newLeaf().selfSigned().issuedBy(PKI.root()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("selfSigned()");
    assertThatThrownBy(() -> PKI.newLeaf().issue())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("subject");
    assertThatThrownBy(() -> PKI.newLeaf().ipAddresses("mx.example.test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("IPv4 or IPv6");
    assertThatThrownBy(() -> PKI.newLeaf().subject("not a name"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("subject");
    assertThatThrownBy(() -> PKI.newLeaf().crlDistributionPoints(URI.create("crl/relative")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("absolute");
    assertThatThrownBy(() -> PKI.newLeaf().validity(NOW, NOW.minusSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("notAfter");
    assertThatThrownBy(() -> PKI.newRoot("CN=Root 2").issuedBy(PKI.root()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("self-signed");
    assertThatThrownBy(() -> TestPki.builder().clock(CLOCK).clock(CLOCK))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("clock");
    assertThatThrownBy(() -> RevocationReason.ofCode(7))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void validate(List<X509Certificate> chain, IssuedCertificate root, @Nullable Instant at)
      throws Exception {
    CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(chain);
    PKIXParameters parameters =
        new PKIXParameters(Set.of(new TrustAnchor(root.certificate(), null)));
    parameters.setRevocationEnabled(false);
    if (at != null) {
      parameters.setDate(Date.from(at));
    }
    CertPathValidator.getInstance("PKIX").validate(path, parameters);
  }

  private static List<String> dnsNames(X509Certificate cert) throws Exception {
    List<String> names = new ArrayList<>();
    for (List<?> san : cert.getSubjectAlternativeNames()) {
      if ((Integer) san.get(0) == 2) {
        names.add((String) san.get(1));
      }
    }
    return names;
  }

  private static ASN1Primitive extension(X509Certificate cert, String oid) throws Exception {
    byte[] value = cert.getExtensionValue(oid);
    assertThat(value).as("extension " + oid).isNotNull();
    return ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(value).getOctets());
  }

  private static List<String> crlDistributionPoints(X509Certificate cert) throws Exception {
    List<String> uris = new ArrayList<>();
    CRLDistPoint points =
        CRLDistPoint.getInstance(extension(cert, Extension.cRLDistributionPoints.getId()));
    for (DistributionPoint point : points.getDistributionPoints()) {
      for (GeneralName name : GeneralNames.getInstance(point.getDistributionPoint().getName())
          .getNames()) {
        uris.add(uri(name));
      }
    }
    return uris;
  }

  private static String uri(GeneralName name) {
    assertThat(name.getTagNo()).isEqualTo(GeneralName.uniformResourceIdentifier);
    return name.getName().toString();
  }
}
