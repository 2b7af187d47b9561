package dev.smtptls.testkit.pki;

/**
 * The reason a certificate was revoked, as the {@code reasonCode} CRL entry extension carries
 * it (RFC 5280, section 5.3.1). Code 7 is unused by the RFC and has no constant.
 */
public enum RevocationReason {
  /** {@code unspecified (0)}; RFC 5280 says to omit the extension rather than use it. */
  UNSPECIFIED(0),
  /** {@code keyCompromise (1)}: the subject's private key is known or suspected to be compromised. */
  KEY_COMPROMISE(1),
  /** {@code cACompromise (2)}: the issuing CA's key is compromised. */
  CA_COMPROMISE(2),
  /** {@code affiliationChanged (3)}: the subject's name or other information changed. */
  AFFILIATION_CHANGED(3),
  /** {@code superseded (4)}: the certificate was replaced by a new one. */
  SUPERSEDED(4),
  /** {@code cessationOfOperation (5)}: the certificate is no longer needed. */
  CESSATION_OF_OPERATION(5),
  /** {@code certificateHold (6)}: the certificate is temporarily suspended. */
  CERTIFICATE_HOLD(6),
  /** {@code removeFromCRL (8)}: only in delta CRLs, to lift a hold. */
  REMOVE_FROM_CRL(8),
  /** {@code privilegeWithdrawn (9)}: a privilege the certificate asserted was withdrawn. */
  PRIVILEGE_WITHDRAWN(9),
  /** {@code aACompromise (10)}: an attribute authority was compromised. */
  AA_COMPROMISE(10);

  private final int code;

  RevocationReason(int code) {
    this.code = code;
  }

  /**
   * Returns the {@code CRLReason} code of RFC 5280, section 5.3.1.
   *
   * @return the numeric reason code
   */
  public int code() {
    return code;
  }

  /**
   * Returns the reason for an RFC 5280 {@code CRLReason} code.
   *
   * @param code a reason code, 0 to 10 except 7
   * @return the reason with that code
   * @throws IllegalArgumentException if no reason has that code
   */
  public static RevocationReason ofCode(int code) {
    for (RevocationReason reason : values()) {
      if (reason.code == code) {
        return reason;
      }
    }
    throw new IllegalArgumentException("no RFC 5280 revocation reason has code " + code);
  }
}
