package dev.smtptls.testkit.pki;

import java.io.IOException;
import java.net.URI;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.jspecify.annotations.Nullable;

/** Signs one certificate: the shared part of {@link LeafBuilder} and {@link CaBuilder}. */
final class Minter {
  private Minter() {}

  /** One extension to add; SKI and AKI are added by {@link #mint}. */
  record Ext(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {}

  static IssuedCertificate mint(
      PkiContext context,
      X500Name subject,
      KeyPair subjectKeys,
      @Nullable IssuedCertificate issuer,
      Instant[] validity,
      @Nullable String signatureAlgorithm,
      List<Ext> extensions) {
    X500Name issuerName =
        issuer == null
            ? subject
            : X500Name.getInstance(
                issuer.certificate().getSubjectX500Principal().getEncoded());
    KeyPair signerKeys = issuer == null ? subjectKeys : issuer.keyPair();
    String signerDescription =
        issuer == null ? "the self-signed certificate itself" : "issuer " + issuerName;
    String algorithm =
        Crypto.signatureAlgorithm(signatureAlgorithm, signerKeys.getPublic(), signerDescription);
    X509v3CertificateBuilder builder =
        new X509v3CertificateBuilder(
            issuerName,
            context.nextSerial(),
            Date.from(validity[0]),
            Date.from(validity[1]),
            subject,
            SubjectPublicKeyInfo.getInstance(subjectKeys.getPublic().getEncoded()));
    List<Ext> all = new ArrayList<>(extensions);
    all.add(new Ext(Extension.subjectKeyIdentifier, false,
        Crypto.subjectKeyIdentifier(subjectKeys.getPublic())));
    all.add(new Ext(Extension.authorityKeyIdentifier, false,
        Crypto.authorityKeyIdentifier(signerKeys.getPublic())));
    try {
      for (Ext ext : all) {
        builder.addExtension(ext.oid(), ext.critical(), ext.value());
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a certificate extension", e);
    }
    byte[] der;
    try {
      der = builder.build(Crypto.signer(algorithm, signerKeys.getPrivate())).getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode the certificate", e);
    }
    X509Certificate certificate = Crypto.toCertificate(der);
    List<X509Certificate> chain =
        issuer == null ? List.of(certificate) : IssuedCertificate.chainOf(certificate, issuer);
    return new IssuedCertificate(certificate, subjectKeys, chain, issuer == null);
  }

  static X500Name parseName(String name, String what) {
    Objects.requireNonNull(name, what);
    try {
      // Parsed by the JDK so that X500Principal.getName() gives back what the caller wrote.
      return X500Name.getInstance(new X500Principal(name).getEncoded());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          what + " is not an RFC 4514 distinguished name such as \"CN=mx.example.test,O=Example\": "
              + name, e);
    }
  }

  /** Each URI becomes its own distribution point with one fullName (RFC 5280, 4.2.1.13). */
  static Ext crlDistributionPoints(List<URI> uris) {
    DistributionPoint[] points = new DistributionPoint[uris.size()];
    for (int i = 0; i < points.length; i++) {
      GeneralNames names = new GeneralNames(uri(uris.get(i)));
      points[i] = new DistributionPoint(new DistributionPointName(names), null, null);
    }
    return new Ext(Extension.cRLDistributionPoints, false, new CRLDistPoint(points));
  }

  /** Authority Information Access (RFC 5280, 4.2.2.1), or null if neither URI is given. */
  static @Nullable Ext authorityInformationAccess(@Nullable URI ocsp, @Nullable URI caIssuers) {
    List<AccessDescription> descriptions = new ArrayList<>();
    if (ocsp != null) {
      descriptions.add(new AccessDescription(AccessDescription.id_ad_ocsp, uri(ocsp)));
    }
    if (caIssuers != null) {
      descriptions.add(new AccessDescription(AccessDescription.id_ad_caIssuers, uri(caIssuers)));
    }
    if (descriptions.isEmpty()) {
      return null;
    }
    return new Ext(Extension.authorityInfoAccess, false,
        new AuthorityInformationAccess(descriptions.toArray(new AccessDescription[0])));
  }

  private static GeneralName uri(URI uri) {
    return new GeneralName(GeneralName.uniformResourceIdentifier, uri.toASCIIString());
  }

  /** A dNSName must be IA5 (ASCII); anything else a test may want, wildcards included, passes. */
  static String dnsName(@Nullable String name, String what) {
    if (name == null) {
      throw new NullPointerException(what);
    }
    if (name.isBlank()) {
      throw new IllegalArgumentException(what + " is blank");
    }
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) > 0x7f) {
        throw new IllegalArgumentException(
            what + " must be ASCII (use the A-label, xn--...), got " + name);
      }
    }
    return name;
  }
}
