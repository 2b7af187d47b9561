package dev.smtptls.cert;

import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import java.util.EnumSet;
import java.util.Set;

/**
 * How strict a {@link CertificateChecker} is. A profile may raise a warning to an error, never
 * lower an error (CONTRACT.md).
 */
public enum CheckProfile {
  /** The severities of the contract. */
  DEFAULT(EnumSet.noneOf(FindingCode.class)),
  /**
   * Exchange 2013+ and Exchange Online Protection: a certificate from a public CA, not
   * self-signed, not expired, covering the FQDN the server announces, with revocation
   * information that can be fetched. Revocation warnings become errors.
   */
  STRICT_RECEIVER(EnumSet.of(
      FindingCode.CRL_UNAVAILABLE,
      FindingCode.CRL_EXPIRED,
      FindingCode.CRL_INVALID,
      FindingCode.CERT_NO_REVOCATION_POINT,
      FindingCode.OCSP_UNAVAILABLE));

  private final Set<FindingCode> raised;

  CheckProfile(Set<FindingCode> raised) {
    this.raised = raised;
  }

  /**
   * The severity of a code under this profile.
   *
   * @param code the code
   * @return its default severity, or ERROR where this profile raises it
   */
  public Severity severity(FindingCode code) {
    return raised.contains(code) ? Severity.ERROR : code.defaultSeverity();
  }

  /** {@return true when the FQDN a server announces must be covered even if the caller names none} */
  public boolean requiresAnnouncedName() {
    return this == STRICT_RECEIVER;
  }
}
