package dev.smtptls.cert;

import dev.smtptls.finding.Finding;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Certificates read from a file: those that parsed, and a {@code CERT_MALFORMED} finding for each
 * that is DER-encoded like a certificate but breaks X.509 so that it cannot be used.
 *
 * @param certificates the usable certificates, in file order
 * @param findings one {@code CERT_MALFORMED} finding per broken certificate
 */
public record ParsedCertificates(List<X509Certificate> certificates, List<Finding> findings) {
  /** Copies. */
  public ParsedCertificates {
    certificates = List.copyOf(certificates);
    findings = List.copyOf(findings);
  }
}
