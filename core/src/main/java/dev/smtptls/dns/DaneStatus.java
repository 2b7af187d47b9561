package dev.smtptls.dns;

/** What DANE (RFC 7672) says about an MX host, or about one of its certificate chains. */
public enum DaneStatus {
  /**
   * For a {@link DaneLookup}: DNSSEC-secure TLSA records, at least one usable for SMTP; DANE applies
   * and a chain is awaited. For a {@link DaneMatch}: the chain matches a usable record.
   */
  MATCH,
  /** The presented chain matches none of the usable TLSA records: a DANE sender will not deliver. */
  MISMATCH,
  /** The host publishes no TLSA records (NXDOMAIN or NODATA): DANE does not apply. */
  NO_RECORDS,
  /**
   * The TLSA records, or the host's address records, are not DNSSEC-secure (unsigned, or not
   * validated): DANE does not apply (RFC 7672 §2.2).
   */
  INSECURE,
  /** DNSSEC validation of the TLSA or address records failed: DANE senders defer mail. */
  BOGUS,
  /**
   * Secure TLSA records exist but none is usable for SMTP (RFC 7672 §3.1): DANE senders fall back to
   * unauthenticated TLS.
   */
  UNUSABLE
}
