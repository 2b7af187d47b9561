package dev.smtptls.testkit.ocsp;

/**
 * How an {@link OcspResponder} misbehaves; set with {@link OcspResponder#fault}. A fault applies
 * to every request until {@linkplain OcspResponder#clearFault() cleared}.
 */
public enum OcspFault {
  /** Answers HTTP 200 with the OCSP response status {@code tryLater (3)} and no response bytes. */
  TRY_LATER,
  /** Answers HTTP 200 with the OCSP response status {@code internalError (2)}. */
  INTERNAL_ERROR,
  /** Answers HTTP 200 with the OCSP response status {@code unauthorized (6)}. */
  UNAUTHORIZED,
  /** Answers HTTP 200, {@code application/ocsp-response}, with bytes that are not DER at all. */
  MALFORMED,
  /**
   * Answers a well-formed, successful response signed by an unrelated key (made when the responder
   * starts) and carrying no certificate: a client must reject its signature.
   */
  WRONG_SIGNER,
  /** Answers a correctly signed response whose nextUpdate is a day in the past (thisUpdate 8 days). */
  STALE,
  /** Answers a correctly signed response whose nonce differs from the request's (when it had one). */
  WRONG_NONCE,
  /**
   * Answers only after the responder's {@linkplain OcspResponder.Builder#slowDelay slow delay} (30 s
   * by default), or never if it is closed first: for client timeouts.
   */
  SLOW,
  /** Answers {@code 404 Not Found}. */
  NOT_FOUND
}
