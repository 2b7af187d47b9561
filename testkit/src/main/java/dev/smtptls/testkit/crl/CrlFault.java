package dev.smtptls.testkit.crl;

/**
 * How a {@link CrlServer} misbehaves for one path; set with {@link CrlServer#fault}. A stale CRL
 * or one signed by the wrong key is not a fault: publish those bytes (see {@link CrlServer}).
 */
public enum CrlFault {
  /** Answers {@code 404 Not Found}. */
  NOT_FOUND,
  /** Answers {@code 500 Internal Server Error}. */
  SERVER_ERROR,
  /**
   * Answers {@code 200} with the headers at once and a {@code Content-Length}, then drips the body
   * in small pieces so that its last byte leaves only after the server's {@linkplain
   * CrlServer.Builder#slowDelay slow delay}: a per-read timeout never fires, only a deadline for
   * the whole body does.
   */
  SLOW,
  /**
   * Answers {@code 200} with the full {@code Content-Length}, sends the first half of the body,
   * then closes the connection.
   */
  TRUNCATED,
  /**
   * Answers {@code 200} without a {@code Content-Length} (chunked) and streams zero bytes up to
   * the server's {@linkplain CrlServer.Builder#oversizeBytes oversize limit} (1 GiB by default),
   * far more than any sensible cap, until the client goes away.
   */
  OVERSIZE,
  /** Answers {@code 302 Found} with a {@code Location} on {@code https:} (same host, port and path). */
  REDIRECT_TO_HTTPS
}
