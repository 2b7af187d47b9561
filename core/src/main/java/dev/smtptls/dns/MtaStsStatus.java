package dev.smtptls.dns;

/** What a domain's MTA-STS amounts to. */
public enum MtaStsStatus {
  /** No {@code v=STSv1} TXT record at {@code _mta-sts.<domain>}: the domain does not use MTA-STS. */
  NONE,
  /** The record and the policy are well-formed and the policy was fetched as RFC 8461 requires. */
  VALID,
  /**
   * The record announces a policy that could not be fetched, or the record lookup itself failed:
   * senders without a cached policy deliver without MTA-STS.
   */
  UNAVAILABLE,
  /**
   * The record or the policy is malformed (or there are several records, or the policy is not
   * served as {@code text/plain}): senders ignore the policy.
   */
  INVALID
}
