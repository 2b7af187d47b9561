package dev.smtptls.dns;

/** What the MX lookup of a mail domain found. */
public enum MxStatus {
  /** MX records name the hosts that receive mail. */
  MX,
  /** A null MX (RFC 7505): the domain accepts no mail. */
  NULL_MX,
  /** No MX records, but the domain has addresses: it is its own mail host (RFC 5321 §5.1). */
  IMPLICIT,
  /** No mail host: no MX and no address, the domain does not exist, or the lookup failed. */
  NONE
}
