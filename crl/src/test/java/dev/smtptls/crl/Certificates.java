package dev.smtptls.crl;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates with extension shapes the testkit's {@code TestPki} does not make (names relative to
 * the CRL issuer, Freshest CRL, cRLIssuer, reasons, malformed values), built with Bouncy Castle at
 * test time.
 */
final class Certificates {

  static final String ISSUER = "CN=Test CA,O=smtptls,C=DE";

  private static final KeyPair KEYS = keyPair();

  private Certificates() {}

  /** A certificate issued by {@link #ISSUER} carrying the given extensions. */
  static X509Certificate withExtensions(Extension... extensions) {
    try {
      Instant now = Instant.now();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              // The JDK's parser, so that the DER order matches the RFC 2253 text.
              X500Name.getInstance(new javax.security.auth.x500.X500Principal(ISSUER).getEncoded()),
              BigInteger.valueOf(now.toEpochMilli()),
              Date.from(now.minus(Duration.ofDays(1))),
              Date.from(now.plus(Duration.ofDays(30))),
              new X500Name("CN=mx1.example.org"),
              KEYS.getPublic());
      for (Extension e : extensions) {
        b.addExtension(e);
      }
      return new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(KEYS.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException("test certificate", e);
    }
  }

  /** A non-critical extension with a well-formed value. */
  static Extension extension(org.bouncycastle.asn1.ASN1ObjectIdentifier oid, ASN1Encodable value) {
    try {
      return new Extension(oid, false, new DEROctetString(value));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A non-critical extension whose value is the given raw octets, well-formed or not. */
  static Extension rawExtension(org.bouncycastle.asn1.ASN1ObjectIdentifier oid, byte[] value) {
    return new Extension(oid, false, new DEROctetString(value));
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
