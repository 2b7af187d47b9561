package dev.smtptls.dns;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one DNS block list said about an address (RFC 5782).
 *
 * @param zone the block list's zone, e.g. {@code "zen.spamhaus.org"}, without a trailing dot
 * @param query the name asked, without a trailing dot, e.g. {@code "2.0.0.127.zen.spamhaus.org"}
 * @param listed whether the address is listed; {@code null} when the lookup failed
 * @param codes the A answers seen, e.g. {@code ["127.0.0.2"]}, in answer order; empty when not
 *     listed or when no answer arrived
 * @param reason for {@link #LISTED}: the TXT reason (several strings joined), or {@code null} when
 *     the list publishes none; for {@link #ERROR}: what went wrong, in words; {@code null} for
 *     {@link #NOT_LISTED}
 * @param status {@link #LISTED}, {@link #NOT_LISTED} or {@link #ERROR}
 */
public record DnsblLookup(
    String zone,
    String query,
    @Nullable Boolean listed,
    List<String> codes,
    @Nullable String reason,
    String status) {

  /** The status of a lookup that found the address listed. */
  public static final String LISTED = "LISTED";

  /** The status of a lookup that found the address not listed (NXDOMAIN or no A record). */
  public static final String NOT_LISTED = "NOT_LISTED";

  /**
   * The status of a lookup that failed: a DNS failure (SERVFAIL, timeout, ...), or an answer that
   * is not a listing (outside {@code 127.0.0.0/8}, or a {@code 127.255.255.x} "query refused"
   * code).
   */
  public static final String ERROR = "ERROR";

  /**
   * Validates and copies.
   *
   * @throws IllegalArgumentException if {@code status} is not one of the three, or disagrees with
   *     {@code listed}
   */
  public DnsblLookup {
    requireNonNull(zone, "zone");
    requireNonNull(query, "query");
    codes = List.copyOf(codes);
    requireNonNull(status, "status");
    Boolean expected =
        switch (status) {
          case LISTED -> Boolean.TRUE;
          case NOT_LISTED -> Boolean.FALSE;
          case ERROR -> null;
          default -> throw new IllegalArgumentException("unknown status: " + status);
        };
    if (!java.util.Objects.equals(expected, listed)) {
      throw new IllegalArgumentException("listed=" + listed + " with status " + status);
    }
  }
}
