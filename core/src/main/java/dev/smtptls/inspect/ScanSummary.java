package dev.smtptls.inspect;

import static java.util.Objects.requireNonNull;

import dev.smtptls.inspect.StartTlsOutcome.Status;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counts over a scan, so far or at its end ({@link ScanHandle#summary()}).
 *
 * @param pulled entries taken from the input
 * @param results results delivered (each entry gets at most one)
 * @param inputErrors results for entries that could not be probed (malformed lines)
 * @param withErrorFindings reports with at least one {@code ERROR} finding
 * @param aborted reports of probes cut short by cancellation
 * @param notStarted entries taken from the input but dropped unprobed because the scan was
 *     cancelled; they get no result
 * @param byStatus reports by STARTTLS outcome; every status is a key
 * @param inFlight probes (and DNS look-ups) running now
 * @param elapsed time since the scan started
 * @param cancelled whether the scan was cancelled (or failed)
 * @param done whether the scan has ended: no probe runs and none will start
 */
public record ScanSummary(
    long pulled,
    long results,
    long inputErrors,
    long withErrorFindings,
    long aborted,
    long notStarted,
    Map<Status, Long> byStatus,
    int inFlight,
    Duration elapsed,
    boolean cancelled,
    boolean done) {

  /** Copies the map, adding zero counts for absent statuses. */
  public ScanSummary {
    requireNonNull(elapsed, "elapsed");
    EnumMap<Status, Long> all = new EnumMap<>(Status.class);
    for (Status s : Status.values()) {
      all.put(s, byStatus.getOrDefault(s, 0L));
    }
    byStatus = Map.copyOf(all);
  }

  /** {@return results per second over the elapsed time (0 before any time has passed)} */
  public double ratePerSecond() {
    long nanos = elapsed.toNanos();
    return nanos <= 0 ? 0 : results * 1e9 / nanos;
  }

  /** {@return whether any result had an error finding or could not be probed} */
  public boolean hasErrors() {
    return withErrorFindings > 0 || inputErrors > 0;
  }
}
