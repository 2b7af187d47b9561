package dev.smtptls.connector;

import static java.util.Objects.requireNonNull;

import java.security.cert.X509Certificate;
import javax.security.auth.x500.X500Principal;

/**
 * A certificate as an Exchange connector's {@code TlsCertificateName} names it: {@code
 * "<I>issuer<S>subject"} (Exchange 2013 and later; Microsoft's {@code Set-SendConnector} and {@code
 * Set-ReceiveConnector} reference; {@code reference/exchange-postfix-tls.md}). The value is built
 * from {@code Get-ExchangeCertificate}'s {@code Issuer} and {@code Subject}:
 *
 * <pre>{@code
 * $cert = Get-ExchangeCertificate -Thumbprint <thumbprint>
 * Set-ReceiveConnector "<name>" -TlsCertificateName ("<I>" + $cert.Issuer + "<S>" + $cert.Subject)
 * }</pre>
 *
 * <p>Distinguished names compare as X.500 names ({@link X500Principal#equals}), so spacing and
 * case of attribute values written differently still match.
 *
 * @param issuer the issuer's distinguished name
 * @param subject the subject's distinguished name
 */
public record ExchangeCertificateName(X500Principal issuer, X500Principal subject) {

  /** Validates. */
  public ExchangeCertificateName {
    requireNonNull(issuer, "issuer");
    requireNonNull(subject, "subject");
  }

  /**
   * Parses {@code "<I>issuer<S>subject"}.
   *
   * @param parameter the parameter being read, for the error message
   * @param value the text
   * @return the name
   * @throws IllegalArgumentException naming the parameter when the text is not of that form or a
   *     distinguished name does not parse
   */
  public static ExchangeCertificateName parse(String parameter, String value) {
    requireNonNull(value, parameter);
    String v = value.trim();
    int s = v.indexOf("<S>");
    if (!v.startsWith("<I>") || s < 0) {
      throw new IllegalArgumentException(parameter + " must read \"<I>issuer<S>subject\": " + value);
    }
    String issuer = v.substring(3, s).trim();
    String subject = v.substring(s + 3).trim();
    if (issuer.isEmpty() || subject.isEmpty()) {
      throw new IllegalArgumentException(parameter + " has an empty issuer or subject: " + value);
    }
    try {
      return new ExchangeCertificateName(new X500Principal(issuer), new X500Principal(subject));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(parameter + " has a malformed distinguished name: " + value, e);
    }
  }

  /**
   * The name of a certificate.
   *
   * @param certificate the certificate
   * @return its issuer and subject
   */
  public static ExchangeCertificateName of(X509Certificate certificate) {
    return new ExchangeCertificateName(certificate.getIssuerX500Principal(), certificate.getSubjectX500Principal());
  }

  /**
   * Whether a certificate is the one named.
   *
   * @param certificate the certificate
   * @return true when its issuer and subject equal these
   */
  public boolean names(X509Certificate certificate) {
    return issuer.equals(certificate.getIssuerX500Principal()) && subject.equals(certificate.getSubjectX500Principal());
  }

  /** {@return {@code "<I>issuer<S>subject"}, the distinguished names written as Windows shows them (RFC 1779, ", " between attributes)} */
  @Override
  public String toString() {
    return "<I>" + issuer.getName(X500Principal.RFC1779) + "<S>" + subject.getName(X500Principal.RFC1779);
  }
}
