package dev.smtptls.dns;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates for the DANE tests, made at test time with Bouncy Castle's builders. */
final class DaneCerts {

  static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final AtomicLong SERIAL = new AtomicLong(5000);

  /** A certificate and its key. */
  record Issued(X509Certificate cert, KeyPair keys) {}

  private DaneCerts() {}

  static KeyPair keys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  static Issued root(String cn) throws Exception {
    KeyPair k = keys();
    X500Name subject = new X500Name("CN=" + cn);
    X509v3CertificateBuilder b =
        builder(subject, subject, k, NOW.minusSeconds(86_400 * 365), NOW.plusSeconds(86_400 * 3650));
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign));
    return new Issued(sign(b, k), k);
  }

  static Issued intermediate(String cn, Issued issuer) throws Exception {
    KeyPair k = keys();
    X509v3CertificateBuilder b =
        builder(
            name(issuer.cert()),
            new X500Name("CN=" + cn),
            k,
            NOW.minusSeconds(86_400 * 30),
            NOW.plusSeconds(86_400 * 365));
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign));
    return new Issued(sign(b, issuer.keys()), k);
  }

  static Issued leaf(String dnsName, Issued issuer) throws Exception {
    return leaf(dnsName, issuer, NOW.minusSeconds(86_400), NOW.plusSeconds(86_400 * 90));
  }

  static Issued leaf(String dnsName, Issued issuer, Instant notBefore, Instant notAfter)
      throws Exception {
    KeyPair k = keys();
    X509v3CertificateBuilder b =
        builder(name(issuer.cert()), new X500Name("CN=" + dnsName), k, notBefore, notAfter);
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
    return new Issued(sign(b, issuer.keys()), k);
  }

  /** The TLSA data for {@code cert} with this selector and matching type. */
  static String data(X509Certificate cert, int selector, int matchingType) throws Exception {
    byte[] selected =
        selector == 0
            ? cert.getEncoded()
            : Certificate.getInstance(cert.getEncoded()).getSubjectPublicKeyInfo().getEncoded();
    byte[] out =
        switch (matchingType) {
          case 0 -> selected;
          case 1 -> MessageDigest.getInstance("SHA-256").digest(selected);
          default -> MessageDigest.getInstance("SHA-512").digest(selected);
        };
    return HexFormat.of().formatHex(out);
  }

  private static X500Name name(X509Certificate c) {
    return X500Name.getInstance(c.getSubjectX500Principal().getEncoded());
  }

  private static X509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, KeyPair keys, Instant notBefore, Instant notAfter) {
    return new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(notBefore),
        Date.from(notAfter),
        subject,
        keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer) throws Exception {
    return new JcaX509CertificateConverter()
        .getCertificate(
            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }
}
