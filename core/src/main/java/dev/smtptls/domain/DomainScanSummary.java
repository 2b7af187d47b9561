package dev.smtptls.domain;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Counts over a domain scan, so far or at its end ({@link DomainScanHandle#summary()}).
 *
 * @param pulled entries taken from the input
 * @param results results delivered (each entry gets at most one)
 * @param inputErrors results for entries that are not domain names
 * @param withErrorFindings domain reports with at least one {@code ERROR} finding
 * @param aborted domain reports cut short by cancellation
 * @param notStarted entries taken from the input but dropped uninspected because the scan was
 *     cancelled; they get no result
 * @param probes SMTP probes made (connections attempted) over all domains
 * @param probesReused MX addresses whose report was another domain's probe, reused instead of
 *     probing again
 * @param inFlight domains being inspected now
 * @param elapsed time since the scan started
 * @param cancelled whether the scan was cancelled (or failed)
 * @param done whether the scan has ended: no inspection runs and none will start
 */
public record DomainScanSummary(
    long pulled,
    long results,
    long inputErrors,
    long withErrorFindings,
    long aborted,
    long notStarted,
    long probes,
    long probesReused,
    int inFlight,
    Duration elapsed,
    boolean cancelled,
    boolean done) {

  /** Validates. */
  public DomainScanSummary {
    requireNonNull(elapsed, "elapsed");
  }

  /** {@return results per second over the elapsed time (0 before any time has passed)} */
  public double ratePerSecond() {
    long nanos = elapsed.toNanos();
    return nanos <= 0 ? 0 : results * 1e9 / nanos;
  }

  /** {@return whether any result had an error finding or was not a domain name} */
  public boolean hasErrors() {
    return withErrorFindings > 0 || inputErrors > 0;
  }
}
