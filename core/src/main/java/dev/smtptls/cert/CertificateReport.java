package dev.smtptls.cert;

import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link CertificateChecker} found: the chain as presented, the verdict of each trust
 * source side by side, and all findings (the first trust source's path findings, then names,
 * dates, order and revocation) — every problem, not the first.
 *
 * @param presented the chain as presented, leaf first
 * @param checkedAt the validation time
 * @param trust one result per trust source, in the order they were configured
 * @param findings every finding, most important first within each kind
 */
public record CertificateReport(
    List<X509Certificate> presented, Instant checkedAt, List<TrustResult> trust, List<Finding> findings) {

  /** Copies. */
  public CertificateReport {
    presented = List.copyOf(presented);
    trust = List.copyOf(trust);
    findings = List.copyOf(findings);
  }

  /**
   * The presented chain as summaries (subject, issuer, thumbprints, names), computed when asked:
   * a fleet scan that only needs the verdict does not pay for the thumbprints.
   *
   * @return one summary per presented certificate, leaf first
   */
  public List<CertificateInfo> certificates() {
    return presented.stream().map(CertificateInfo::of).toList();
  }

  /** {@return true when no finding is an ERROR: a strict receiver would accept the chain} */
  public boolean valid() {
    return findings.stream().noneMatch(f -> f.severity() == Severity.ERROR);
  }

  /** {@return the validated path of the first trust source, leaf first; empty when there is none} */
  public List<X509Certificate> path() {
    return trust.isEmpty() || !trust.get(0).trusted() ? List.of() : trust.get(0).path();
  }

  /**
   * The first finding with a code.
   *
   * @param code the code
   * @return the finding, or empty
   */
  public Optional<Finding> finding(FindingCode code) {
    return findings.stream().filter(f -> f.code() == code).findFirst();
  }

  /**
   * Whether a finding with this code was made.
   *
   * @param code the code
   * @return true if present
   */
  public boolean has(FindingCode code) {
    return finding(code).isPresent();
  }
}
