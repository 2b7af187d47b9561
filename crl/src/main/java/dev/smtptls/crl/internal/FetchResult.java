package dev.smtptls.crl.internal;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What one {@link CrlFetcher#fetch fetch} of a CRL location gave: the body, "not modified" for a
 * conditional request, or a failure in words an administrator understands. Remote failures are
 * values, never exceptions.
 */
public sealed interface FetchResult {

  /** {@return the location asked for (before any redirect)} */
  URI uri();

  /** {@return how long the fetch took, from the start to the last byte or the failure} */
  Duration latency();

  /**
   * A complete body with a 2xx status (HTTP), or the attribute value (LDAP).
   *
   * @param uri the location asked for (before any redirect)
   * @param body the bytes as received: not parsed, never more than the fetcher's size cap. The
   *     array is the fetcher's own; do not modify it
   * @param httpStatus the HTTP status (2xx), or 200 for an LDAP read
   * @param latency from the start of the fetch to the last byte
   * @param etag the {@code ETag} response header, for a later conditional request
   * @param lastModified the {@code Last-Modified} response header, for a later conditional request
   * @param fetchedAt when the last byte arrived, by the fetcher's clock
   */
  @SuppressWarnings("ArrayRecordComponent") // the body as fetched; equality is not needed
  record Fetched(
      URI uri,
      byte[] body,
      int httpStatus,
      Duration latency,
      @Nullable String etag,
      @Nullable String lastModified,
      Instant fetchedAt)
      implements FetchResult {

    /** Validates. */
    public Fetched {
      requireNonNull(uri, "uri");
      requireNonNull(body, "body");
      requireNonNull(latency, "latency");
      requireNonNull(fetchedAt, "fetchedAt");
    }

    /** {@return the size of the body in bytes} */
    public int size() {
      return body.length;
    }

    /** {@return a short form without the body bytes} */
    @Override
    public String toString() {
      return "Fetched[" + uri + ", " + body.length + " bytes, HTTP " + httpStatus + ", "
          + latency.toMillis() + " ms, etag=" + etag + ", lastModified=" + lastModified
          + ", fetchedAt=" + fetchedAt + "]";
    }
  }

  /**
   * The server answered a conditional request with {@code 304 Not Modified}: the copy the caller
   * holds is still current.
   *
   * @param uri the location asked for
   * @param latency from the start of the fetch to the answer
   * @param fetchedAt when the answer arrived, by the fetcher's clock
   */
  record NotModified(URI uri, Duration latency, Instant fetchedAt) implements FetchResult {

    /** Validates. */
    public NotModified {
      requireNonNull(uri, "uri");
      requireNonNull(latency, "latency");
      requireNonNull(fetchedAt, "fetchedAt");
    }
  }

  /**
   * The CRL could not be fetched.
   *
   * @param uri the location asked for
   * @param failure the kind of failure, for code that decides
   * @param detail what happened, in words a mail administrator understands: {@code HTTP 404 Not
   *     Found}, {@code connection refused}, {@code no answer within 5 s}, {@code larger than 64
   *     MiB}, {@code redirect to https: not followed}
   * @param httpStatus the HTTP status when the server answered with one
   * @param latency from the start of the fetch to the failure
   */
  record Failed(URI uri, Failure failure, String detail, @Nullable Integer httpStatus, Duration latency)
      implements FetchResult {

    /** Validates. */
    public Failed {
      requireNonNull(uri, "uri");
      requireNonNull(failure, "failure");
      requireNonNull(detail, "detail");
      requireNonNull(latency, "latency");
    }
  }

  /** Why a fetch failed. */
  enum Failure {
    /** The host name was not found. */
    DNS,
    /** No connection: refused, unreachable, or the URL names no host. */
    CONNECT,
    /** No connection, no answer or not the whole body within the configured time. */
    TIMEOUT,
    /** The HTTP server answered with a status other than 2xx (or a 304 never asked for). */
    HTTP_STATUS,
    /** The CRL is larger than the size cap. */
    TOO_LARGE,
    /** A redirect to another scheme, or too many redirects: not followed. */
    REDIRECT,
    /** Not an {@code http:} or {@code ldap:} URL. */
    UNSUPPORTED_SCHEME,
    /** The LDAP server answered, but without the CRL (no such entry, no such attribute, an error). */
    LDAP,
    /** The connection broke, the body was cut short, or the fetch was interrupted. */
    IO
  }
}
