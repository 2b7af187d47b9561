package dev.smtptls.internal.cert;

import static java.util.Objects.requireNonNull;

import dev.smtptls.finding.FindingCode;
import java.security.cert.X509Certificate;

/**
 * One problem of a certification path.
 *
 * @param code the finding code the problem maps to
 * @param certificate the certificate the problem concerns
 * @param reason what is wrong, in words a mail administrator understands
 */
public record PathProblem(FindingCode code, X509Certificate certificate, String reason) {

  /** Validates. */
  public PathProblem {
    requireNonNull(code, "code");
    requireNonNull(certificate, "certificate");
    requireNonNull(reason, "reason");
  }
}
