package dev.smtptls.dns;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * What fetching an MTA-STS policy gave.
 *
 * @param status how the fetch ended
 * @param httpStatus the HTTP status code, or null when no response arrived
 * @param bytes body bytes received (up to the cap and one chunk beyond)
 * @param detail what happened, in words: the address, the status, the reason of a failure, the
 *     {@code Location} of a redirect, the Content-Type
 */
public record MtaStsFetch(
    MtaStsFetchStatus status, @Nullable Integer httpStatus, long bytes, String detail) {

  /** Checks the fields. */
  public MtaStsFetch {
    requireNonNull(status, "status");
    requireNonNull(detail, "detail");
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must not be negative: " + bytes);
    }
  }
}
