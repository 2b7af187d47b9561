package dev.smtptls.examples.cli;

import dev.smtptls.cert.CertificateChecker;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@link CertificateChecker} that {@code --trust}, {@code --at}, {@code --profile} and
 * {@code --revocation} describe, for {@code probe} and {@code check-cert} alike.
 *
 * <p>Revocation: the checker is given exactly the revocation checker of the {@link Revocation}
 * (a {@code CrlRevocationChecker} for {@code crl}, an {@code OcspChecker} for {@code ocsp}, both
 * combined for {@code all}, none for {@code none}), never one discovered on the class path, so
 * what is checked is exactly what the reports claim.
 */
final class Checkers {

  private Checkers() {}

  /**
   * The checker.
   *
   * @param trust the trust sources; the first decides the findings, the others are reported side by side
   * @param at the validation time, or null for now
   * @param profile the profile
   * @param revocation the revocation check ({@link Revocation#checker()}, possibly none)
   * @return the checker
   */
  static CertificateChecker build(
      List<TrustArgument> trust, @Nullable Instant at, ProfileArgument profile, Revocation revocation) {
    CertificateChecker.Builder b = CertificateChecker.builder().profile(profile.profile());
    for (TrustArgument t : trust.isEmpty() ? List.<TrustArgument>of(new TrustArgument.SystemStore()) : trust) {
      b.trustSource(t.source());
    }
    if (at != null) {
      b.at(at);
    }
    b.revocationChecker(revocation.checker()); // explicit, null included: see the class comment
    return b.build();
  }
}
