package dev.smtptls.dns;

/**
 * What DNSSEC says about an answer (RFC 4035 §4.3). Only a validating resolver ({@link
 * DnsResolvers#validating}) or a trusted validating server behind a plain stub (its AD bit) can
 * make an answer {@link #SECURE}.
 */
public enum DnssecStatus {
  /** The answer was validated from a trust anchor down: a chain of signatures proves it. */
  SECURE,
  /**
   * The answer is provably unsigned: a signed parent proved that there is no DS for the zone, or no
   * configured trust anchor covers the name. DANE does not apply to such records (RFC 7672 §2.1).
   */
  INSECURE,
  /**
   * Validation failed: a signature is wrong, expired or missing where one must be, or the chain of
   * trust is broken. A validating resolver answers SERVFAIL, and DANE senders defer mail.
   */
  BOGUS,
  /**
   * Not known: the answer came from a non-validating path without the AD bit, the lookup failed
   * before validation, or the validator could not decide.
   */
  INDETERMINATE
}
