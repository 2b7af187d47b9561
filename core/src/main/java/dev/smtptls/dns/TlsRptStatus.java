package dev.smtptls.dns;

/** What a domain's TLS-RPT record amounts to. */
public enum TlsRptStatus {
  /** No {@code v=TLSRPTv1} TXT record at {@code _smtp._tls.<domain>} (or its lookup failed). */
  NONE,
  /** One well-formed record: senders send reports to its {@code rua}. */
  VALID,
  /** A malformed record, or more than one: senders send no reports (RFC 8460 §3). */
  INVALID
}
