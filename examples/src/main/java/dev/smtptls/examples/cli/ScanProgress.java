package dev.smtptls.examples.cli;

import dev.smtptls.domain.DomainScanSummary;
import dev.smtptls.inspect.ScanSummary;
import dev.smtptls.inspect.StartTlsOutcome.Status;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The progress bar of {@code smtptls scan} on stderr (done / total, rate, ETA), redrawn four times
 * a second in place, only when stderr is a terminal; and the summary line at the end.
 */
final class ScanProgress {

  /**
   * What the bar shows of a scan, host or domain.
   *
   * @param results results so far
   * @param rate results per second
   * @param inFlight entries being worked on now
   */
  record Counts(long results, double rate, int inFlight) {
    static Counts of(ScanSummary s) {
      return new Counts(s.results(), s.ratePerSecond(), s.inFlight());
    }

    static Counts of(DomainScanSummary s) {
      return new Counts(s.results(), s.ratePerSecond(), s.inFlight());
    }
  }

  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final long total;
  private final boolean enabled;
  private @Nullable ScheduledExecutorService ticker;

  /**
   * A progress bar.
   *
   * @param err where to draw
   * @param total the number of entries, or -1 when unknown (standard input)
   * @param enabled whether to draw at all (stderr is a terminal)
   */
  ScanProgress(PrintWriter err, long total, boolean enabled) {
    this.err = err;
    this.total = total;
    this.enabled = enabled;
  }

  void start(Supplier<Counts> counts) {
    if (!enabled) {
      return;
    }
    ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread th = new Thread(r, "smtptls-scan-progress");
      th.setDaemon(true);
      return th;
    });
    ticker = t;
    t.scheduleAtFixedRate(() -> draw(counts.get()), 0, 250, TimeUnit.MILLISECONDS);
  }

  void stop() {
    ScheduledExecutorService t = ticker;
    if (t == null) {
      return;
    }
    t.shutdownNow();
    try {
      t.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (err) {
      err.print("\r" + " ".repeat(WIDTH + 60) + "\r");
      err.flush();
    }
  }

  private void draw(Counts s) {
    synchronized (err) {
      err.print("\r" + bar(s, total));
      err.flush();
    }
  }

  /**
   * The bar, e.g. {@code [#########.....................]  300/1000  152.3/s  ETA 0:04}.
   *
   * @param s the counts so far
   * @param total the number of entries, or -1 when unknown
   * @return the text, without line end
   */
  static String bar(ScanSummary s, long total) {
    return bar(Counts.of(s), total);
  }

  static String bar(Counts s, long total) {
    double rate = s.rate();
    StringBuilder b = new StringBuilder();
    if (total > 0) {
      int filled = (int) Math.min(WIDTH, s.results() * WIDTH / total);
      b.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("]  ");
      b.append(s.results()).append('/').append(total);
    } else {
      b.append(s.results()).append(" done");
    }
    b.append(String.format(Locale.ROOT, "  %.1f/s", rate));
    if (total > 0 && rate > 0) {
      long left = (long) Math.ceil((total - s.results()) / rate);
      b.append(String.format(Locale.ROOT, "  ETA %d:%02d", left / 60, left % 60));
    }
    b.append("  ").append(s.inFlight()).append(" in flight");
    return b.toString();
  }

  /**
   * The summary printed at the end, e.g. {@code scan: 240 results in 1.2 s (200.0/s): UPGRADED
   * 100, NOT_OFFERED 140; 4 malformed lines; 140 with ERROR findings}.
   *
   * @param s the final counts
   * @return the line
   */
  static String summaryLine(ScanSummary s) {
    StringBuilder b = head(s.cancelled(), s.results(), s.results() == 1 ? " result" : " results", s.elapsed(),
        s.ratePerSecond());
    StringBuilder statuses = new StringBuilder();
    for (Status st : Status.values()) {
      long n = s.byStatus().getOrDefault(st, 0L);
      if (n > 0) {
        statuses.append(statuses.length() == 0 ? "" : ", ").append(st).append(' ').append(n);
      }
    }
    if (statuses.length() > 0) {
      b.append(": ").append(statuses);
    }
    return tail(b, s.withErrorFindings(), s.inputErrors(), s.aborted(), s.notStarted());
  }

  /**
   * The summary of a domain scan, e.g. {@code scan: 40 domains in 2.0 s (20.0/s): 2 probes, 78
   * reused; 1 with ERROR findings; 1 malformed line}.
   *
   * @param s the final counts
   * @return the line
   */
  static String summaryLine(DomainScanSummary s) {
    StringBuilder b = head(s.cancelled(), s.results(), s.results() == 1 ? " domain" : " domains", s.elapsed(),
        s.ratePerSecond());
    b.append(": ").append(s.probes()).append(s.probes() == 1 ? " probe, " : " probes, ")
        .append(s.probesReused()).append(" reused");
    return tail(b, s.withErrorFindings(), s.inputErrors(), s.aborted(), s.notStarted());
  }

  private static StringBuilder head(boolean cancelled, long results, String unit, Duration elapsed, double rate) {
    StringBuilder b = new StringBuilder("scan: ");
    if (cancelled) {
      b.append("interrupted after ");
    }
    return b.append(results).append(unit)
        .append(String.format(Locale.ROOT, " in %.1f s (%.1f/s)", elapsed.toMillis() / 1000.0, rate));
  }

  private static String tail(StringBuilder b, long withErrorFindings, long inputErrors, long aborted, long notStarted) {
    b.append("; ").append(withErrorFindings).append(" with ERROR findings");
    if (inputErrors > 0) {
      b.append("; ").append(inputErrors).append(inputErrors == 1 ? " malformed line" : " malformed lines");
    }
    if (aborted > 0) {
      b.append("; ").append(aborted).append(" cut short");
    }
    if (notStarted > 0) {
      b.append("; ").append(notStarted).append(" not started");
    }
    return b.toString();
  }
}
