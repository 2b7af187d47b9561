package dev.smtptls.internal.cert;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Whether a certificate covers an expected name, and the names it presents, as evidence for a
 * finding ({@code CERT_NAME_MISMATCH}, {@code CERT_EHLO_NAME_MISMATCH}, {@code CERT_CN_ONLY}).
 *
 * @param expected the name asked about, as the caller gave it
 * @param matched whether a subjectAltName entry covers it (RFC 9525 section 6.3)
 * @param matchedBy the subjectAltName entry that covers it: a dNSName as presented, or an
 *     iPAddress in canonical text; null when not matched
 * @param dnsNames every subjectAltName dNSName, as presented (non-ASCII octets shown as UTF-8)
 * @param ipAddresses every subjectAltName iPAddress in canonical text (dotted decimal, RFC 5952)
 * @param commonName the subject's (last) commonName, if any; never used for matching
 * @param cnOnly not matched, but a legacy client that falls back to the commonName when there is
 *     no subjectAltName of the reference's type would have matched (RFC 6125 section 6.4.4, which
 *     RFC 9525 removed)
 */
public record NameMatch(
    String expected,
    boolean matched,
    @Nullable String matchedBy,
    List<String> dnsNames,
    List<String> ipAddresses,
    @Nullable String commonName,
    boolean cnOnly) {

  /**
   * Checks the invariants.
   *
   * @throws NullPointerException if {@code expected} or a list is null
   * @throws IllegalArgumentException if {@code matched} disagrees with {@code matchedBy}, or
   *     {@code cnOnly} is set on a match
   */
  public NameMatch {
    Objects.requireNonNull(expected, "expected");
    dnsNames = List.copyOf(dnsNames);
    ipAddresses = List.copyOf(ipAddresses);
    if (matched != (matchedBy != null)) {
      throw new IllegalArgumentException("matchedBy must be given exactly when matched");
    }
    if (matched && cnOnly) {
      throw new IllegalArgumentException("cnOnly describes a name that did not match");
    }
  }
}
