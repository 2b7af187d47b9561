package dev.smtptls.cert;

import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/**
 * A certificate as a mail administrator reads it: subject, issuer, serial, validity, thumbprints
 * (SHA-1 upper-case hex, as {@code Get-ExchangeCertificate} shows {@code Thumbprint}) and the SAN
 * dNSName entries.
 *
 * @param subject subject DN (RFC 2253)
 * @param issuer issuer DN (RFC 2253)
 * @param serialNumber serial in lower-case hex
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param sha1 SHA-1 of the DER, upper-case hex, no separators
 * @param sha256 SHA-256 of the DER, upper-case hex, no separators
 * @param dnsNames the subjectAltName dNSName entries in order
 * @param selfSigned whether subject equals issuer and the key verifies its own signature
 */
public record CertificateInfo(
    String subject,
    String issuer,
    String serialNumber,
    Instant notBefore,
    Instant notAfter,
    String sha1,
    String sha256,
    List<String> dnsNames,
    boolean selfSigned) {

  /** Validates and copies. */
  public CertificateInfo {
    requireNonNull(subject, "subject");
    requireNonNull(issuer, "issuer");
    requireNonNull(serialNumber, "serialNumber");
    requireNonNull(notBefore, "notBefore");
    requireNonNull(notAfter, "notAfter");
    requireNonNull(sha1, "sha1");
    requireNonNull(sha256, "sha256");
    dnsNames = List.copyOf(dnsNames);
  }

  /**
   * Summarises a certificate.
   *
   * @param cert the certificate
   * @return its summary
   */
  public static CertificateInfo of(X509Certificate cert) {
    return new CertificateInfo(
        cert.getSubjectX500Principal().getName(X500Principal.RFC2253),
        cert.getIssuerX500Principal().getName(X500Principal.RFC2253),
        cert.getSerialNumber().toString(16),
        cert.getNotBefore().toInstant(),
        cert.getNotAfter().toInstant(),
        thumbprint(cert, "SHA-1"),
        thumbprint(cert, "SHA-256"),
        dnsNames(cert),
        isSelfSigned(cert));
  }

  /**
   * The upper-case hex digest of the certificate's DER encoding.
   *
   * @param cert the certificate
   * @param algorithm {@code "SHA-1"} or {@code "SHA-256"}
   * @return the thumbprint
   * @throws IllegalArgumentException if the algorithm is unknown or the certificate cannot be encoded
   */
  public static String thumbprint(X509Certificate cert, String algorithm) {
    try {
      byte[] digest = MessageDigest.getInstance(algorithm).digest(cert.getEncoded());
      return HexFormat.of().withUpperCase().formatHex(digest);
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalArgumentException("cannot compute " + algorithm + " thumbprint", e);
    }
  }

  /**
   * The subjectAltName dNSName entries (type 2).
   *
   * @param cert the certificate
   * @return the names in order; empty when there are none or the extension cannot be parsed
   */
  public static List<String> dnsNames(X509Certificate cert) {
    Collection<List<?>> sans;
    try {
      sans = cert.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return List.of();
    }
    if (sans == null) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (List<?> san : sans) {
      if (san.size() >= 2 && Integer.valueOf(2).equals(san.get(0)) && san.get(1) instanceof String s) {
        names.add(s);
      }
    }
    return names;
  }

  private static boolean isSelfSigned(X509Certificate cert) {
    if (!cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
      return false;
    }
    try {
      cert.verify(cert.getPublicKey());
      return true;
    } catch (java.security.GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
