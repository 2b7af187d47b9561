package dev.smtptls.examples.cli;

import dev.smtptls.cert.CertificateChecker;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@link CertificateChecker} that {@code --trust}, {@code --at}, {@code --profile} and
 * {@code --revocation} describe, for {@code probe} and {@code check-cert} alike.
 *
 * <p>Revocation: this version has no revocation checker (the {@code smtptls-crl} module's comes
 * with a later release), so every {@code --revocation} mode checks none, and the reports say so.
 * The checker is built with an explicit {@code null} revocation checker, never one discovered on
 * the class path, so what is checked is exactly what the reports claim.
 */
final class Checkers {

  /** The one line the text reports print about revocation while no checker exists. */
  static final String REVOCATION_NOT_CHECKED =
      "not checked: this version has no revocation checker yet (--revocation is accepted, checks nothing)";

  private Checkers() {}

  /**
   * The checker.
   *
   * @param trust the trust sources; the first decides the findings, the others are reported side by side
   * @param at the validation time, or null for now
   * @param profile the profile
   * @param revocation the requested revocation mode (none is available yet)
   * @return the checker
   */
  static CertificateChecker build(
      List<TrustArgument> trust, @Nullable Instant at, ProfileArgument profile, RevocationMode revocation) {
    CertificateChecker.Builder b = CertificateChecker.builder().profile(profile.profile());
    for (TrustArgument t : trust.isEmpty() ? List.<TrustArgument>of(new TrustArgument.SystemStore()) : trust) {
      b.trustSource(t.source());
    }
    if (at != null) {
      b.at(at);
    }
    b.revocationChecker(null); // whatever the mode: see the class comment
    return b.build();
  }

  /**
   * Whether revocation was checked for this mode; false for every mode in this version.
   *
   * @param revocation the requested mode
   * @return false
   */
  static boolean revocationChecked(RevocationMode revocation) {
    return false;
  }
}
