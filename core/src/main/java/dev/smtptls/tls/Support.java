package dev.smtptls.tls;

/** What the enumeration learnt about one protocol version, cipher suite or group. */
public enum Support {
  /** The server completed a handshake with it. */
  ACCEPTED,
  /** The server refused a handshake that offered only it (an alert, or the connection closed). */
  REJECTED,
  /** The JSSE of this JVM cannot offer it; the reason says why. Nothing was sent. */
  NOT_TESTABLE,
  /**
   * The test ended before the handshake told anything: connect failure, timeout, {@code 421}, a
   * STARTTLS refusal. The detail says what happened.
   */
  INCONCLUSIVE
}
