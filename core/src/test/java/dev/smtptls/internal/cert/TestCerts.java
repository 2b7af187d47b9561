package dev.smtptls.internal.cert;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Small certificates made at test time with Bouncy Castle's builders and the JDK's providers (no
 * provider is registered).
 */
final class TestCerts {

  static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final AtomicLong SERIAL = new AtomicLong(1000);

  /** A certificate and its key. */
  record Issued(X509Certificate cert, KeyPair keys) {}

  private TestCerts() {}

  static KeyPair keys() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  static Issued root(String cn) throws Exception {
    return ca(cn, null, null, null);
  }

  static Issued ca(String cn, Issued issuer) throws Exception {
    return ca(cn, issuer, null, null);
  }

  static Issued ca(String cn, Issued issuer, Integer pathLen) throws Exception {
    return ca(cn, issuer, pathLen, null);
  }

  /** A CA certificate; a root when {@code issuer} is null. */
  static Issued ca(String cn, Issued issuer, Integer pathLen, NameConstraints nc) throws Exception {
    KeyPair keys = keys();
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    X500Name subject = new X500Name("CN=" + cn);
    X500Name issuerName = issuer == null ? subject : name(issuer.cert());
    KeyPair signer = issuer == null ? keys : issuer.keys();
    X509v3CertificateBuilder b = builder(issuerName, subject, keys, NOW.minusSeconds(86_400 * 365), NOW.plusSeconds(86_400 * 3650));
    b.addExtension(Extension.basicConstraints, true,
        pathLen == null ? new BasicConstraints(true) : new BasicConstraints(pathLen));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
    if (issuer != null) {
      b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuer.cert()));
    }
    if (nc != null) {
      b.addExtension(Extension.nameConstraints, true, nc);
    }
    return new Issued(sign(b, signer), keys);
  }

  static Issued leaf(String dnsName, Issued issuer) throws Exception {
    return leaf(dnsName, issuer, NOW.minusSeconds(86_400), NOW.plusSeconds(86_400 * 90), null);
  }

  static Issued leaf(String dnsName, Issued issuer, Instant notBefore, Instant notAfter, String caIssuersUrl)
      throws Exception {
    KeyPair keys = keys();
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder b =
        builder(name(issuer.cert()), new X500Name("CN=" + dnsName), keys, notBefore, notAfter);
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    b.addExtension(Extension.subjectAlternativeName, false,
        new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
    b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuer.cert()));
    if (caIssuersUrl != null) {
      b.addExtension(Extension.authorityInfoAccess, false,
          new AuthorityInformationAccess(new AccessDescription(AccessDescription.id_ad_caIssuers,
              new GeneralName(GeneralName.uniformResourceIdentifier, caIssuersUrl))));
    }
    return new Issued(sign(b, issuer.keys()), keys);
  }

  /** A self-signed server certificate. */
  static X509Certificate selfSignedLeaf(String dnsName) throws Exception {
    KeyPair keys = keys();
    X500Name subject = new X500Name("CN=" + dnsName);
    X509v3CertificateBuilder b = builder(subject, subject, keys, NOW.minusSeconds(86_400), NOW.plusSeconds(86_400));
    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    b.addExtension(Extension.subjectAlternativeName, false,
        new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
    return sign(b, keys);
  }

  static NameConstraints permitDns(String dnsName) {
    return new NameConstraints(
        new GeneralSubtree[] {new GeneralSubtree(new GeneralName(GeneralName.dNSName, dnsName))}, null);
  }

  private static X500Name name(X509Certificate c) {
    return X500Name.getInstance(c.getSubjectX500Principal().getEncoded());
  }

  private static X509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, KeyPair keys, Instant notBefore, Instant notAfter) {
    return new JcaX509v3CertificateBuilder(
        issuer, BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore), Date.from(notAfter),
        subject, keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer) throws Exception {
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }
}
