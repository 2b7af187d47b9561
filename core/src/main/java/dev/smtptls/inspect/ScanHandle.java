package dev.smtptls.inspect;

import dev.smtptls.dns.DnsAnswer;
import dev.smtptls.dns.DnsRecord;
import dev.smtptls.dns.DnsType;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.inspect.StartTlsOutcome.Status;
import dev.smtptls.internal.scan.ScanEngine;
import dev.smtptls.spi.DnsResolver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A running scan started by {@link SmtpTlsScanner#start}: follow it ({@link #summary()}), wait
 * for it ({@link #await()}) or stop it ({@link #cancel()}). Thread-safe.
 */
public final class ScanHandle {

  private final SmtpTlsInspector inspector;
  private final @Nullable DnsResolver resolver;
  private final ScanEngine<ScanInput, ScanResult> engine;

  // Guarded by the engine's delivery lock (written by count, read through engine.tallied).
  private long results;
  private long inputErrors;
  private long withErrorFindings;
  private long aborted;
  private final EnumMap<Status, Long> byStatus = new EnumMap<>(Status.class);

  ScanHandle(
      SmtpTlsInspector inspector,
      @Nullable DnsResolver resolver,
      int concurrency,
      int perAddress,
      @Nullable Executor executor,
      Iterator<ScanInput> inputs,
      Consumer<? super ScanResult> sink) {
    this.inspector = inspector;
    this.resolver = resolver;
    // A target whose address is busy waits in a buffer of N entries while others go ahead.
    this.engine =
        new ScanEngine<>("smtptls-scan", concurrency, concurrency, perAddress, executor, concurrency, inputs, this::count, sink);
  }

  void begin() {
    engine.begin(this::work);
  }

  /**
   * Stops the scan: no new probe starts, entries waiting for their address are dropped (counted
   * in {@link ScanSummary#notStarted()}), running probes are interrupted and their reports
   * delivered marked aborted. Returns at once; {@link #await()} waits for the end. Idempotent, and
   * safe from inside the result consumer.
   */
  public void cancel() {
    engine.cancel();
  }

  /** {@return whether {@link #cancel()} was called or the scan failed} */
  public boolean isCancelled() {
    return engine.isCancelled();
  }

  /** {@return whether the scan has ended: no probe runs and none will start} */
  public boolean isDone() {
    return engine.isDone();
  }

  /**
   * Waits for the end of the scan.
   *
   * @return the summary
   * @throws InterruptedException if the waiting thread is interrupted (the scan goes on)
   * @throws CompletionException if reading the input or the consumer threw; the scan was then
   *     cancelled and the cause is what was thrown
   */
  public ScanSummary await() throws InterruptedException {
    engine.await();
    return summary();
  }

  /**
   * Waits at most {@code timeout} for the end of the scan.
   *
   * @param timeout how long to wait
   * @return whether the scan has ended
   * @throws InterruptedException if the waiting thread is interrupted (the scan goes on)
   */
  public boolean await(Duration timeout) throws InterruptedException {
    return engine.await(timeout);
  }

  /** Waits for the end; an interrupt cancels the scan and stays set. */
  ScanSummary join() {
    engine.join();
    return summary();
  }

  /** {@return the counts so far (a consistent snapshot per counter group); the final ones once done} */
  public ScanSummary summary() {
    ScanEngine.Progress p = engine.progress();
    return engine.tallied(() -> new ScanSummary(p.pulled(), results, inputErrors, withErrorFindings, aborted,
        p.notStarted(), byStatus, p.inFlight(), p.elapsed(), p.cancelled(), p.done()));
  }

  /** Counts a result; called by the engine under its delivery lock. */
  private void count(ScanResult r) {
    results++;
    InspectionReport rep = r.report();
    if (rep == null) {
      inputErrors++;
    } else {
      byStatus.merge(rep.startTls().status(), 1L, Long::sum);
      if (rep.hasErrors()) {
        withErrorFindings++;
      }
      if (rep.aborted()) {
        aborted++;
      }
    }
  }

  // ---- a worker: one entry; its probe waits, parked, while its address is busy

  private void work(ScanInput input) {
    SmtpTarget target = input.target();
    if (target == null) {
      engine.deliver(new ScanResult(input, null, input.error() == null ? "malformed" : input.error()));
      return;
    }
    Resolution resolved = resolve(target);
    InetAddress address = resolved.address();
    if (address == null) {
      engine.deliver(new ScanResult(input, resolved.failure(), null));
      return;
    }
    SmtpTarget t = target.address() != null ? target : target.withAddress(address);
    engine.runLimited(address, () -> {
      InspectionReport report = inspector.inspect(t);
      Thread.interrupted();
      engine.deliver(new ScanResult(input, report, null));
    });
  }

  /** The address to probe, or a report saying the name did not resolve. */
  private record Resolution(@Nullable InetAddress address, @Nullable InspectionReport failure) {}

  private Resolution resolve(SmtpTarget target) {
    InetSocketAddress literal = target.literalSocketAddress();
    if (literal != null) {
      return new Resolution(literal.getAddress(), null);
    }
    long t0 = System.nanoTime();
    String why;
    DnsResolver r = resolver;
    if (r != null) {
      StringBuilder problems = new StringBuilder();
      for (DnsType type : List.of(DnsType.A, DnsType.AAAA)) {
        DnsAnswer answer = r.query(target.host(), type);
        List<DnsRecord> records = answer.records(type);
        if (!records.isEmpty()) {
          return new Resolution(records.get(0).address(), null);
        }
        if (problems.length() > 0) {
          problems.append("; ");
        }
        problems.append(type).append(": ").append(answer.isNoError() ? "no record" : answer.status().description());
      }
      why = problems.toString();
    } else {
      try {
        return new Resolution(InetAddress.getAllByName(target.host())[0], null);
      } catch (UnknownHostException e) {
        why = "host name not found";
      }
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    return new Resolution(null, new InspectionReport(
        target, null, inspector.clock().instant(), took, null, null, null,
        new StartTlsOutcome.NotAttempted("the host name could not be resolved"), null, null, null,
        List.of(Finding.of(FindingCode.CONNECT_FAILED,
            "The host name " + target.host() + " could not be resolved (" + why + ").",
            "step", "resolve", "reason", why)),
        List.of(), new Timings(null, null, null, null, null, took), false));
  }
}
