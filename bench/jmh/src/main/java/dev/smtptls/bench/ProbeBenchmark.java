package dev.smtptls.bench;

import dev.smtptls.cert.CertificateReport;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.SmtpTarget;
import dev.smtptls.inspect.SmtpTlsInspector;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One warm STARTTLS probe, {@link SmtpTlsInspector#inspect(SmtpTarget)}, against a testkit
 * {@code MockSmtpServer} in the same JVM on {@code 127.0.0.1} (port 0; the chain, leaf {@code
 * mx.bench.test} + intermediate with EC P-256 keys, made in {@link #setUp}). Average time per
 * probe; with {@code -prof gc} the allocation per probe ({@code gc.alloc.rate.norm}, client and
 * server together); with {@code -prof dev.smtptls.bench.ClientCostProfiler} also the client's
 * allocation and CPU time per probe apart from the server's (and the rest of the JVM's).
 *
 * <ul>
 *   <li>{@link #mode}: {@code full} is the default probe (greeting, EHLO, STARTTLS, handshake,
 *       EHLO over TLS, QUIT without waiting for its reply); {@code fast} leaves out the EHLO over
 *       TLS ({@code ehloAfterTls(false)}), as {@code smtptls probe --fast}.
 *   <li>{@link #check}: {@code pki} checks the captured chain with a {@code CertificateChecker}
 *       whose one anchor is the test root, revocation off; {@code none} checks nothing ({@code
 *       certificateChecker(null)}).
 * </ul>
 *
 * <p>The server shares the machine's cores with the client: the time per probe is the client's
 * and the server's work on one connection, plus the loopback round trips.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
// The JDK's EC arithmetic (handshake and signatures, on both sides) takes ~15 s of probing to be
// compiled on two busy cores: a probe costs 3-4 times more CPU before.
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 5, time = 2)
public class ProbeBenchmark {

  /** {@code full} (EHLO after TLS) or {@code fast} (none). */
  @Param({"full", "fast"})
  public String mode;

  /** {@code pki} (the chain checked against the test root) or {@code none}. */
  @Param({"pki", "none"})
  public String check;

  private LoopbackLab lab;
  private SmtpTlsInspector inspector;
  private SmtpTarget target;
  private boolean ehloAfterTls;
  private boolean checked;

  @Setup(Level.Trial)
  public void setUp() {
    ehloAfterTls = switch (mode) {
      case "full" -> true;
      case "fast" -> false;
      default -> throw new IllegalArgumentException("mode must be full or fast: " + mode);
    };
    checked = switch (check) {
      case "pki" -> true;
      case "none" -> false;
      default -> throw new IllegalArgumentException("check must be pki or none: " + check);
    };
    lab = LoopbackLab.start(1);
    inspector = SmtpTlsInspector.builder()
        .ehloAfterTls(ehloAfterTls)
        .certificateChecker(checked ? lab.checker() : null)
        .build();
    target = lab.targets(1).get(0);
    InspectionReport report = probe();
    if (checked) {
      CertificateReport cert = report.certificateCheck();
      if (cert == null || !cert.valid()) {
        throw new IllegalStateException("the chain did not check out: " + report.findings());
      }
    } else if (report.certificateCheck() != null) {
      throw new IllegalStateException("a certificate check ran with certificateChecker(null)");
    }
    if ((report.ehloAfterTls() != null) != ehloAfterTls) {
      throw new IllegalStateException("ehloAfterTls(" + ehloAfterTls + ") not honoured: " + report.ehloAfterTls());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    lab.close();
  }

  /**
   * One probe.
   *
   * @return the report (consumed by JMH)
   */
  @Benchmark
  public InspectionReport probe() {
    InspectionReport report = inspector.inspect(target);
    lab.forgetCommands();
    if (!report.tlsUpgraded()) {
      throw new IllegalStateException("probe failed: " + report.startTls() + " " + report.findings());
    }
    return report;
  }
}
