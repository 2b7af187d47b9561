package dev.smtptls.bench;

import dev.smtptls.cert.CertificateReport;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.ScanInput;
import dev.smtptls.inspect.ScanResult;
import dev.smtptls.inspect.ScanSummary;
import dev.smtptls.inspect.SmtpTarget;
import dev.smtptls.inspect.SmtpTlsInspector;
import dev.smtptls.inspect.SmtpTlsScanner;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Probes per second of a scan: {@link #TARGETS} targets per operation through {@link
 * SmtpTlsScanner#run} (what {@link SmtpTlsInspector#inspectAll} does, with the concurrency set)
 * against {@link #SERVERS} testkit {@code MockSmtpServer}s in the same JVM, on {@code
 * 127.0.0.1}..{@code 127.0.0.4}, the targets spread over them in turn. Each probe is the fast one
 * ({@code ehloAfterTls(false)}, as {@code smtptls scan --fast}) with the certificate checked
 * against the test root, revocation off. The score is per probe ({@code
 * OperationsPerInvocation}), so ops/s are probes/s.
 *
 * <p>{@link #concurrency} probes at once, and as many per address ({@code perAddress}), so that
 * only the concurrency limits the scan, not its politeness. Each scan makes its own pool of
 * probe threads, as {@code inspectAll} does. The servers run on the same cores as the scan.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(ScanBenchmark.TARGETS)
@Fork(1)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class ScanBenchmark {

  /** Targets per operation. */
  public static final int TARGETS = 256;

  /** Mock servers, one per loopback address. */
  static final int SERVERS = 4;

  /** Probes in flight at most. */
  @Param({"1", "8", "32"})
  public int concurrency;

  private LoopbackLab lab;
  private SmtpTlsScanner scanner;
  private List<SmtpTarget> targets;

  @Setup(Level.Trial)
  public void setUp() {
    lab = LoopbackLab.start(SERVERS);
    SmtpTlsInspector inspector = SmtpTlsInspector.builder()
        .ehloAfterTls(false)
        .certificateChecker(lab.checker())
        .build();
    scanner = inspector.scanner().concurrency(concurrency).perAddress(concurrency).build();
    targets = lab.targets(TARGETS);
    // Every probe must get through and the chain must check out: otherwise this measures failures.
    scanner.run(ScanInput.targets(targets.iterator()), r -> {
      InspectionReport report = r.report();
      CertificateReport cert = report == null ? null : report.certificateCheck();
      if (cert == null || !cert.valid()) {
        throw new IllegalStateException("probe of " + r.input() + " failed: "
            + (report == null ? r.error() : report.startTls() + " " + report.findings()));
      }
    });
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    lab.close();
  }

  /**
   * One scan of {@link #TARGETS} targets.
   *
   * @return the summary (consumed by JMH)
   */
  @Benchmark
  public ScanSummary scan() {
    UpgradeCounter counter = new UpgradeCounter();
    ScanSummary summary = scanner.run(ScanInput.targets(targets.iterator()), counter);
    lab.forgetCommands();
    if (counter.upgraded != TARGETS) {
      throw new IllegalStateException(
          "only " + counter.upgraded + " of " + TARGETS + " probes upgraded: " + summary);
    }
    return summary;
  }

  /**
   * Counts the results whose probe upgraded to TLS. The scan calls it one result at a time, and
   * {@code run} returns after the last call.
   */
  static final class UpgradeCounter implements Consumer<ScanResult> {
    int upgraded;

    @Override
    public void accept(ScanResult r) {
      InspectionReport report = r.report();
      if (report != null && report.tlsUpgraded()) {
        upgraded++;
      }
    }
  }
}
