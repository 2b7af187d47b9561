package dev.smtptls.crl;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.security.cert.CRLReason;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One {@code DistributionPoint} of a certificate's CRL Distribution Points extension (RFC 5280
 * §4.2.1.13) or Freshest CRL extension (§5.2.6, same syntax).
 *
 * <p>The {@code distributionPoint} field is either a {@code fullName} (a list of names, typically
 * {@code http:} and {@code ldap:} URIs) or a {@code nameRelativeToCRLIssuer}. §4.2.1.13 resolves
 * the relative form by appending the fragment to the cRLIssuer's distinguished name when the
 * cRLIssuer field is present, and to the certificate issuer's name otherwise; {@link
 * #relativeName()} holds that resolved DN.
 *
 * @param fullName the fullName entries in order; empty when the point has none
 * @param relativeName the resolved distinguished name (RFC 2253) when the point was given as a
 *     nameRelativeToCRLIssuer, else null
 * @param crlIssuer the cRLIssuer names (an indirect CRL, RFC 5280 §5); empty when absent, in
 *     which case the certificate issuer signs the CRL
 * @param reasons the reasons the CRL covers; empty when the field is absent, which means all
 *     reasons (§4.2.1.13: "If the DistributionPoint omits the reasons field, the CRL MUST include
 *     revocation information for all reasons"). {@link CRLReason#UNUSED} stands for the {@code
 *     unused} bit 0.
 */
public record DistributionPoint(
    List<Location> fullName,
    @Nullable String relativeName,
    List<Location> crlIssuer,
    Set<CRLReason> reasons) {

  /**
   * Validates and copies.
   *
   * @throws NullPointerException if a list, the set or an element is null
   * @throws IllegalArgumentException if both a fullName and a relativeName are given (the field is
   *     a CHOICE)
   */
  public DistributionPoint {
    fullName = List.copyOf(requireNonNull(fullName, "fullName"));
    crlIssuer = List.copyOf(requireNonNull(crlIssuer, "crlIssuer"));
    requireNonNull(reasons, "reasons");
    if (!fullName.isEmpty() && relativeName != null) {
      throw new IllegalArgumentException(
          "fullName and relativeName exclude each other (DistributionPointName is a CHOICE)");
    }
    EnumSet<CRLReason> copy = EnumSet.noneOf(CRLReason.class);
    for (CRLReason r : reasons) {
      copy.add(requireNonNull(r, "reasons element"));
    }
    reasons = Collections.unmodifiableSet(copy);
  }

  /** {@return true when the point covers every revocation reason (no reasons field)} */
  public boolean coversAllReasons() {
    return reasons.isEmpty();
  }

  /** {@return true when a cRLIssuer other than the certificate issuer signs this point's CRL} */
  public boolean indirect() {
    return !crlIssuer.isEmpty();
  }

  /**
   * The URIs a fetcher may use, in the certificate's order: the {@code http:} and {@code ldap:}
   * fullName entries that parse.
   *
   * @return the URIs, possibly empty
   */
  public List<URI> uris() {
    return fullName.stream()
        .filter(Location::fetchable)
        .map(l -> l.uri().orElseThrow())
        .toList();
  }
}
