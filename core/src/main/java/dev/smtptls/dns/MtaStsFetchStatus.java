package dev.smtptls.dns;

/** How the fetch of an MTA-STS policy ended (RFC 8461 §3.3). */
public enum MtaStsFetchStatus {
  /** HTTP 200 and a body within the size cap. */
  OK,
  /** An HTTP status other than 200 and 3xx, or a response that breaks HTTP/1.1. */
  HTTP_ERROR,
  /** A 3xx redirect, which RFC 8461 §3.3 forbids senders to follow. */
  REDIRECT,
  /**
   * The TLS handshake failed, or the certificate is not valid for {@code mta-sts.<domain>} under
   * the configured trust (expired, untrusted, wrong name, ...): no request was sent.
   */
  TLS_FAILED,
  /** The body exceeds the cap (64 KiB). */
  TOO_LARGE,
  /** A connection, read or the whole fetch took longer than allowed. */
  TIMEOUT,
  /** No address of {@code mta-sts.<domain>} accepted a connection. */
  CONNECT_FAILED,
  /** {@code mta-sts.<domain>} has no A or AAAA record (or its lookup failed). */
  NO_ADDRESS
}
