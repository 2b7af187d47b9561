package dev.smtptls.examples.cli;

import static java.util.Objects.requireNonNull;

import dev.smtptls.cert.CertificateReport;
import dev.smtptls.crl.CrlReachability;
import dev.smtptls.crl.CrlRevocationChecker;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@code --revocation} asks for and what this version does of it, for {@code probe}, {@code
 * check-cert} and the demo alike.
 *
 * <ul>
 *   <li>{@code none}: no revocation checker.
 *   <li>{@code crl}: a fetching {@link CrlRevocationChecker}, its timeouts the command's
 *       {@code --timeout}.
 *   <li>{@code ocsp}: this version has no OCSP checker, so nothing is checked, and the report says
 *       so ({@link Outcome#note()}); it never pretends.
 *   <li>{@code all}: the CRLs only, and the report says that OCSP was not checked.
 * </ul>
 *
 * <p>One instance is shared by the certificate checker and the report, so that the reachability
 * table ({@link #outcome}) is answered from the checker's cache: no CRL is fetched twice.
 */
public final class Revocation {

  /** What the reports say when OCSP was asked for: there is no OCSP checker in this version. */
  public static final String OCSP_NOT_CHECKED =
      "OCSP is not checked: this version of smtptls has no OCSP checker";

  private final RevocationMode mode;
  private final @Nullable CrlRevocationChecker crl;

  private Revocation(RevocationMode mode, @Nullable CrlRevocationChecker crl) {
    this.mode = requireNonNull(mode, "mode");
    this.crl = crl;
  }

  /**
   * The revocation check a mode asks for, fetching CRLs with the given bound on each fetch.
   *
   * @param mode the mode
   * @param timeout the longest wait to connect to a CRL server, and to read a whole CRL
   * @return the revocation check
   */
  public static Revocation of(RevocationMode mode, Duration timeout) {
    requireNonNull(timeout, "timeout");
    return switch (mode) {
      case NONE, OCSP -> new Revocation(mode, null);
      case CRL, ALL -> new Revocation(mode, CrlRevocationChecker.builder()
          .connectTimeout(timeout)
          .readTimeout(timeout)
          .build());
    };
  }

  /**
   * A revocation check with a given CRL checker (the demo's, with its short timeouts).
   *
   * @param crl the checker
   * @return the revocation check, mode {@code crl}
   */
  public static Revocation crl(CrlRevocationChecker crl) {
    return new Revocation(RevocationMode.CRL, requireNonNull(crl, "crl"));
  }

  /** {@return no revocation check, mode {@code none}} */
  public static Revocation none() {
    return new Revocation(RevocationMode.NONE, null);
  }

  /** {@return the mode asked for} */
  public RevocationMode mode() {
    return mode;
  }

  /** {@return the checker to give the certificate checker, or null when nothing is checked} */
  public @Nullable CrlRevocationChecker checker() {
    return crl;
  }

  /**
   * What came of the revocation check of one certificate report.
   *
   * @param mode the mode asked for
   * @param checked whether revocation was checked: a checker ran on a validated path
   * @param note what was not checked and why, in one sentence; null when everything asked for was
   *     checked
   * @param crls the reachability table: one row per certificate of the path and CRL URL it names;
   *     empty when nothing was checked
   */
  public record Outcome(RevocationMode mode, boolean checked, @Nullable String note, List<CrlReachability> crls) {
    /** Copies. */
    public Outcome {
      requireNonNull(mode, "mode");
      crls = List.copyOf(crls);
    }
  }

  /**
   * The outcome for a certificate report: whether revocation was checked, a note on what was not,
   * and the reachability of every CRL the validated path names (answered from the checker's
   * cache, so without a second fetch of any CRL the check fetched).
   *
   * @param report the certificate report, or null when no chain was checked
   * @return the outcome
   */
  public Outcome outcome(@Nullable CertificateReport report) {
    if (mode == RevocationMode.NONE) {
      return new Outcome(mode, false, "not checked (--revocation none)", List.of());
    }
    if (mode == RevocationMode.OCSP) {
      return new Outcome(mode, false, "not checked: this version of smtptls has no OCSP checker, so OCSP is not"
          + " checked, and --revocation ocsp fetches no CRL either (--revocation crl does)", List.of());
    }
    String ocsp = mode == RevocationMode.ALL ? "; " + OCSP_NOT_CHECKED + " yet" : "";
    CrlRevocationChecker c = crl;
    if (c == null) {
      return new Outcome(mode, false, "not checked" + ocsp, List.of());
    }
    if (report == null) {
      return new Outcome(mode, false, "not checked: no certificate chain was received" + ocsp, List.of());
    }
    if (report.path().isEmpty()) {
      return new Outcome(mode, false,
          "not checked: there is no trusted path, and revocation is checked on a validated path only" + ocsp,
          List.of());
    }
    List<CrlReachability> rows = c.reachability(report.path(), report.checkedAt());
    return new Outcome(mode, true, mode == RevocationMode.ALL ? "CRLs checked" + ocsp : null, rows);
  }
}
