package dev.smtptls.dns;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * Whether a certificate chain matches an MX host's TLSA records, from {@link
 * DaneChecker#match(DaneLookup, java.util.List)}.
 *
 * @param status {@link DaneStatus#MATCH} or {@link DaneStatus#MISMATCH}
 * @param matched the record the chain matched; null for a mismatch
 * @param detail what matched, or why nothing did, in words
 */
public record DaneMatch(DaneStatus status, @Nullable TlsaRecord matched, String detail) {

  /**
   * Checks the fields.
   *
   * @throws IllegalArgumentException if the status is neither MATCH nor MISMATCH, or a match lacks
   *     its record
   */
  public DaneMatch {
    requireNonNull(status, "status");
    requireNonNull(detail, "detail");
    if (status != DaneStatus.MATCH && status != DaneStatus.MISMATCH) {
      throw new IllegalArgumentException("a match is MATCH or MISMATCH, not " + status);
    }
    if ((status == DaneStatus.MATCH) != (matched != null)) {
      throw new IllegalArgumentException("a MATCH, and only a MATCH, names the record matched");
    }
  }
}
