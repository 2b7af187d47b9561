package dev.smtptls.examples.cli;

import static java.util.Objects.requireNonNull;

import dev.smtptls.cert.CertificateReport;
import dev.smtptls.crl.CrlReachability;
import dev.smtptls.crl.CrlRevocationChecker;
import dev.smtptls.crl.OcspChecker;
import dev.smtptls.crl.RevocationPoints;
import dev.smtptls.spi.RevocationChecker;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@code --revocation} asks for and what is checked of it, for {@code probe}, {@code
 * check-cert} and the demo alike.
 *
 * <ul>
 *   <li>{@code none}: no revocation checker.
 *   <li>{@code crl}: a fetching {@link CrlRevocationChecker}, its timeouts the command's
 *       {@code --timeout}.
 *   <li>{@code ocsp}: an {@link OcspChecker}, its connect and read timeouts the command's
 *       {@code --timeout}; no CRL is fetched, so the reachability table is empty.
 *   <li>{@code all}: both, one after the other ({@link OcspChecker#combined}): the CRLs, then OCSP.
 * </ul>
 *
 * <p>One instance is shared by the certificate checker and the report, so that the reachability
 * table ({@link #outcome}) is answered from the CRL checker's cache: no CRL is fetched twice.
 */
public final class Revocation {

  private final RevocationMode mode;
  private final @Nullable CrlRevocationChecker crl;
  private final @Nullable OcspChecker ocsp;
  private final @Nullable RevocationChecker checker;

  private Revocation(RevocationMode mode, @Nullable CrlRevocationChecker crl, @Nullable OcspChecker ocsp) {
    this.mode = requireNonNull(mode, "mode");
    this.crl = crl;
    this.ocsp = ocsp;
    if (crl != null && ocsp != null) {
      this.checker = OcspChecker.combined(crl, ocsp);
    } else if (crl != null) {
      this.checker = crl;
    } else {
      this.checker = ocsp;
    }
  }

  /**
   * The revocation check a mode asks for, with the given bound on each fetch.
   *
   * @param mode the mode
   * @param timeout the longest wait to connect to a CRL server or an OCSP responder, and to read a
   *     whole CRL or OCSP answer
   * @return the revocation check
   */
  public static Revocation of(RevocationMode mode, Duration timeout) {
    requireNonNull(timeout, "timeout");
    return switch (mode) {
      case NONE -> new Revocation(mode, null, null);
      case CRL -> new Revocation(mode, crlChecker(timeout), null);
      case OCSP -> new Revocation(mode, null, ocspChecker(timeout));
      case ALL -> new Revocation(mode, crlChecker(timeout), ocspChecker(timeout));
    };
  }

  private static CrlRevocationChecker crlChecker(Duration timeout) {
    return CrlRevocationChecker.builder().connectTimeout(timeout).readTimeout(timeout).build();
  }

  private static OcspChecker ocspChecker(Duration timeout) {
    return OcspChecker.builder().connectTimeout(timeout).readTimeout(timeout).build();
  }

  /**
   * A revocation check with a given CRL checker (the demo's, with its short timeouts).
   *
   * @param crl the checker
   * @return the revocation check, mode {@code crl}
   */
  public static Revocation crl(CrlRevocationChecker crl) {
    return new Revocation(RevocationMode.CRL, requireNonNull(crl, "crl"), null);
  }

  /** {@return no revocation check, mode {@code none}} */
  public static Revocation none() {
    return new Revocation(RevocationMode.NONE, null, null);
  }

  /** {@return the mode asked for} */
  public RevocationMode mode() {
    return mode;
  }

  /**
   * The checker to give the certificate checker: the CRL checker for {@code crl}, the OCSP checker
   * for {@code ocsp}, both combined for {@code all}.
   *
   * @return the checker, or null when nothing is checked ({@code none})
   */
  public @Nullable RevocationChecker checker() {
    return checker;
  }

  /**
   * What came of the revocation check of one certificate report.
   *
   * @param mode the mode asked for
   * @param checked whether revocation was checked: a checker ran on a validated path
   * @param note what was checked, or what was not and why, in one sentence; null when the CRLs
   *     were checked, as asked, and nothing else was asked
   * @param crls the reachability table: one row per certificate of the path and CRL URL it names;
   *     empty when no CRL was checked (nothing checked, or {@code --revocation ocsp})
   */
  public record Outcome(RevocationMode mode, boolean checked, @Nullable String note, List<CrlReachability> crls) {
    /** Copies. */
    public Outcome {
      requireNonNull(mode, "mode");
      crls = List.copyOf(crls);
    }
  }

  /**
   * The outcome for a certificate report: whether revocation was checked, a note on what was (or
   * was not), and the reachability of every CRL the validated path names (answered from the CRL
   * checker's cache, so without a second fetch of any CRL the check fetched). OCSP answers show
   * as findings ({@code OCSP_REVOKED}, {@code OCSP_UNAVAILABLE}); a good answer shows nothing.
   *
   * @param report the certificate report, or null when no chain was checked
   * @return the outcome
   */
  public Outcome outcome(@Nullable CertificateReport report) {
    if (checker == null) {
      return new Outcome(mode, false, "not checked (--revocation none)", List.of());
    }
    if (report == null) {
      return new Outcome(mode, false, "not checked: no certificate chain was received", List.of());
    }
    List<X509Certificate> path = report.path();
    if (path.isEmpty()) {
      return new Outcome(mode, false,
          "not checked: there is no trusted path, and revocation is checked on a validated path only", List.of());
    }
    CrlRevocationChecker c = crl;
    List<CrlReachability> rows = c == null ? List.of() : c.reachability(path, report.checkedAt());
    String note;
    if (ocsp == null) {
      note = null;
    } else {
      String what = c == null
          ? "OCSP checked, no CRL fetched (--revocation all fetches the CRLs too)"
          : "CRLs and OCSP checked";
      note = what + ocspCoverage(path);
    }
    return new Outcome(mode, true, note, rows);
  }

  /**
   * What OCSP left out: "; 1 of 2 certificates below the trust anchor names an OCSP responder, so
   * the other was not asked by OCSP", or "" when every one names one (the OCSP checker skips the others
   * silently).
   */
  private static String ocspCoverage(List<X509Certificate> path) {
    int below = Math.max(0, path.size() - 1); // the trust anchor's status is not asked
    int named = 0;
    for (int i = 0; i < below; i++) {
      if (!RevocationPoints.of(path.get(i)).ocspUris().isEmpty()) {
        named++;
      }
    }
    if (named == below) {
      return "";
    }
    int unasked = below - named;
    String who = named == 0
        ? "no certificate below the trust anchor names"
        : named + " of " + below + " certificates below the trust anchor " + (named == 1 ? "names" : "name");
    String rest = named == 0 ? "no OCSP responder was asked"
        : unasked == 1 ? "the other was not asked by OCSP" : "the others were not asked by OCSP";
    return "; " + who + " an OCSP responder, so " + rest;
  }
}
