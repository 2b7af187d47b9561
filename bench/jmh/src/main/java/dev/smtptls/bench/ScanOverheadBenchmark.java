package dev.smtptls.bench;

import dev.smtptls.finding.FindingCode;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.ScanInput;
import dev.smtptls.inspect.ScanResult;
import dev.smtptls.inspect.ScanSummary;
import dev.smtptls.inspect.SmtpTarget;
import dev.smtptls.inspect.SmtpTlsInspector;
import dev.smtptls.inspect.SmtpTlsScanner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the scanner itself costs per target: the {@link ScanBenchmark} scan ({@value
 * ScanBenchmark#TARGETS} targets on four loopback addresses, per-address limit = concurrency)
 * through a {@link RefusingTransport} that refuses every connection at once, so each probe is
 * only its set-up and a {@code CONNECT_FAILED} report. {@link #inspectLoop} probes the same
 * targets one after another on the benchmark thread without the scanner; the difference in time
 * per target between {@link #scan} at concurrency 1 and {@link #inspectLoop} is the scheduling:
 * the input iterator, the coordinator, the pool (made per scan, as {@code inspectAll} does), the
 * per-address book-keeping and the result hand-off. Scores are per target.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ScanOverheadBenchmark {

  /** The same targets for both benchmarks: host {@code mx.bench.test}, 127.0.0.1..4, port 25. */
  static List<SmtpTarget> targets() {
    List<SmtpTarget> targets = new ArrayList<>(ScanBenchmark.TARGETS);
    for (int i = 0; i < ScanBenchmark.TARGETS; i++) {
      targets.add(new SmtpTarget(LoopbackLab.HOST, 25, LoopbackLab.loopback(1 + i % ScanBenchmark.SERVERS)));
    }
    return List.copyOf(targets);
  }

  static SmtpTlsInspector refusedInspector() {
    return SmtpTlsInspector.builder()
        .transport(RefusingTransport.INSTANCE)
        .certificateChecker(null)
        .build();
  }

  static void checkRefused(InspectionReport report) {
    if (report.tlsUpgraded() || !report.has(FindingCode.CONNECT_FAILED)) {
      throw new IllegalStateException("expected a refused connection: " + report.findings());
    }
  }

  /** The scanner over the refusing transport, at a given concurrency. */
  @State(Scope.Benchmark)
  public static class Scan {
    /** Probes in flight at most (and per address). */
    @Param({"1", "8", "32"})
    public int concurrency;

    SmtpTlsScanner scanner;
    List<SmtpTarget> targets;

    @Setup(Level.Trial)
    public void setUp() {
      scanner = refusedInspector().scanner().concurrency(concurrency).perAddress(concurrency).build();
      targets = targets();
    }
  }

  /** The inspector over the refusing transport. */
  @State(Scope.Benchmark)
  public static class Direct {
    SmtpTlsInspector inspector;
    List<SmtpTarget> targets;

    @Setup(Level.Trial)
    public void setUp() {
      inspector = refusedInspector();
      targets = targets();
    }
  }

  /**
   * One scan of the targets through the scanner.
   *
   * @param s the scanner
   * @return the summary (consumed by JMH)
   */
  @Benchmark
  @OperationsPerInvocation(ScanBenchmark.TARGETS)
  public ScanSummary scan(Scan s) {
    RefusalCounter counter = new RefusalCounter();
    ScanSummary summary = s.scanner.run(ScanInput.targets(s.targets.iterator()), counter);
    if (counter.refused != ScanBenchmark.TARGETS) {
      throw new IllegalStateException("only " + counter.refused + " results: " + summary);
    }
    return summary;
  }

  /**
   * The same targets probed one after another with {@link SmtpTlsInspector#inspect}.
   *
   * @param d the inspector
   * @param bh takes each report
   */
  @Benchmark
  @OperationsPerInvocation(ScanBenchmark.TARGETS)
  public void inspectLoop(Direct d, Blackhole bh) {
    for (SmtpTarget t : d.targets) {
      InspectionReport report = d.inspector.inspect(t);
      checkRefused(report);
      bh.consume(report);
    }
  }

  /** Checks and counts the results: each must be a refused connection. */
  static final class RefusalCounter implements Consumer<ScanResult> {
    int refused;

    @Override
    public void accept(ScanResult r) {
      InspectionReport report = r.report();
      if (report == null) {
        throw new IllegalStateException("no report: " + r.error());
      }
      checkRefused(report);
      refused++;
    }
  }
}
