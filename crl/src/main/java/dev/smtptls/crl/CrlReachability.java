package dev.smtptls.crl;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One row of the table an administrator needs when Exchange says it cannot check revocation:
 * one CRL distribution point URL of one certificate, whether its CRL could be fetched, how fast,
 * how big, whether it is current and correctly signed. {@link
 * CrlRevocationChecker#reachability(java.util.List, Instant)} makes the table.
 *
 * @param url the CRL URL, as the certificate names it (CRL Distribution Points or Freshest CRL)
 * @param certificate the certificate that names the URL
 * @param status what came of fetching and checking the CRL
 * @param httpStatus the HTTP status of the last response, or null when there was none (DNS or
 *     connect failure, timeout, LDAP, answered from the cache)
 * @param latency how long the last fetch took
 * @param bytes the size of the CRL in bytes; 0 when none was read
 * @param thisUpdate the CRL's thisUpdate, or null when there is no readable CRL
 * @param nextUpdate the CRL's nextUpdate, or null when absent or there is no readable CRL
 * @param entries the number of revoked certificates the CRL lists; 0 when there is no CRL
 * @param detail one sentence in words an administrator understands
 */
public record CrlReachability(
    URI url,
    X509Certificate certificate,
    Status status,
    @Nullable Integer httpStatus,
    Duration latency,
    long bytes,
    @Nullable Instant thisUpdate,
    @Nullable Instant nextUpdate,
    int entries,
    String detail) {

  /** What came of fetching and checking one CRL URL. */
  public enum Status {
    /** The CRL was fetched, is correctly signed by the certificate's issuer and is current. */
    OK,
    /** The CRL could not be fetched: DNS, connect, timeout, HTTP status, too large, ... */
    UNAVAILABLE,
    /** The CRL was fetched and is correctly signed, but its nextUpdate has passed. */
    EXPIRED,
    /** The CRL was fetched but cannot be used: unparseable, wrongly signed, wrong issuer, ... */
    INVALID
  }

  /**
   * Validates.
   *
   * @throws NullPointerException if a non-nullable component is null
   * @throws IllegalArgumentException if {@code bytes} or {@code entries} is negative
   */
  public CrlReachability {
    requireNonNull(url, "url");
    requireNonNull(certificate, "certificate");
    requireNonNull(status, "status");
    requireNonNull(latency, "latency");
    requireNonNull(detail, "detail");
    if (bytes < 0 || entries < 0) {
      throw new IllegalArgumentException("bytes and entries must not be negative");
    }
  }
}
