package dev.smtptls.tls;

/** Whose preference picks the cipher suite of a protocol version. */
public enum CipherOrder {
  /** The server picks by its own order ({@code tls_preempt_cipherlist = yes} in Postfix). */
  SERVER,
  /** The server takes the first suite the client offers that it accepts. */
  CLIENT,
  /** Fewer than two suites are accepted: there is no order to learn. */
  NOT_APPLICABLE,
  /** The order tests were inconclusive. */
  UNKNOWN
}
