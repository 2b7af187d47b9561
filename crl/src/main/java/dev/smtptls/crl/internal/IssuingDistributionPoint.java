package dev.smtptls.crl.internal;

import java.security.cert.CRLReason;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The CRL's issuing distribution point extension (RFC 5280 §5.2.5): which certificates and
 * reasons the CRL covers.
 *
 * @param fullNameUris the URIs among the {@code fullName} general names, in order
 * @param relativeName the {@code nameRelativeToCRLIssuer}, as an RFC 2253 string, or null
 * @param onlyUserCerts {@code onlyContainsUserCerts}
 * @param onlyCaCerts {@code onlyContainsCACerts}
 * @param onlyAttributeCerts {@code onlyContainsAttributeCerts}
 * @param indirectCrl {@code indirectCRL}
 * @param onlySomeReasons the reasons of {@code onlySomeReasons}; empty means all reasons
 */
public record IssuingDistributionPoint(
    List<String> fullNameUris,
    @Nullable String relativeName,
    boolean onlyUserCerts,
    boolean onlyCaCerts,
    boolean onlyAttributeCerts,
    boolean indirectCrl,
    Set<CRLReason> onlySomeReasons) {

  /**
   * Copies the collections.
   *
   * @param fullNameUris see the record
   * @param relativeName see the record
   * @param onlyUserCerts see the record
   * @param onlyCaCerts see the record
   * @param onlyAttributeCerts see the record
   * @param indirectCrl see the record
   * @param onlySomeReasons see the record
   */
  public IssuingDistributionPoint {
    fullNameUris = List.copyOf(fullNameUris);
    onlySomeReasons = Set.copyOf(onlySomeReasons);
  }
}
