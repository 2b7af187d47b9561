package dev.smtptls.domain;

import dev.smtptls.internal.scan.ScanEngine;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A running domain scan started by {@link DomainScanner#start}: follow it ({@link #summary()}),
 * wait for it ({@link #await()}) or stop it ({@link #cancel()}). Thread-safe.
 */
public final class DomainScanHandle {

  private final DomainInspector inspector;
  private final SharedProbes probes;
  private final ScanEngine<DomainScanInput, DomainScanResult> engine;

  // Guarded by the engine's delivery lock (written by count, read through engine.tallied).
  private long results;
  private long inputErrors;
  private long withErrorFindings;
  private long aborted;

  DomainScanHandle(
      DomainInspector inspector,
      SharedProbes probes,
      int concurrency,
      @Nullable Executor executor,
      Iterator<DomainScanInput> inputs,
      Consumer<? super DomainScanResult> sink) {
    this.inspector = inspector;
    this.probes = probes;
    // No entry waits unstarted (probes wait for their address inside their domain): no buffer.
    this.engine = new ScanEngine<>("smtptls-domain-scan", concurrency, 0, 1, executor,
        concurrency * inspector.concurrency(), inputs, this::count, sink);
  }

  void begin() {
    engine.begin(this::work);
  }

  /**
   * Stops the scan: no new domain starts, running inspections are interrupted (probes in flight
   * end, probes not begun are not made) and their reports delivered marked aborted. Returns at
   * once; {@link #await()} waits for the end. Idempotent, and safe from inside the result consumer.
   */
  public void cancel() {
    engine.cancel();
  }

  /** {@return whether {@link #cancel()} was called or the scan failed} */
  public boolean isCancelled() {
    return engine.isCancelled();
  }

  /** {@return whether the scan has ended: no inspection runs and none will start} */
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
  public DomainScanSummary await() throws InterruptedException {
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
  DomainScanSummary join() {
    engine.join();
    return summary();
  }

  /** {@return the counts so far (a consistent snapshot per counter group); the final ones once done} */
  public DomainScanSummary summary() {
    ScanEngine.Progress p = engine.progress();
    return engine.tallied(() -> new DomainScanSummary(p.pulled(), results, inputErrors, withErrorFindings, aborted,
        p.notStarted(), probes.probes(), probes.reused(), p.inFlight(), p.elapsed(), p.cancelled(), p.done()));
  }

  /** Counts a result; called by the engine under its delivery lock. */
  private void count(DomainScanResult r) {
    results++;
    DomainReport rep = r.report();
    if (rep == null) {
      inputErrors++;
    } else {
      if (!rep.ok()) {
        withErrorFindings++;
      }
      if (rep.aborted()) {
        aborted++;
      }
    }
  }

  private void work(DomainScanInput input) {
    String domain = input.domain();
    if (domain == null) {
      engine.deliver(new DomainScanResult(input, null, input.error() == null ? "not a domain name" : input.error()));
      return;
    }
    DomainReport report = inspector.inspect(domain, engine.executor(), probes);
    Thread.interrupted();
    engine.deliver(new DomainScanResult(input, report, null));
  }
}
