package dev.smtptls.inspect;

import dev.smtptls.dns.DnsAnswer;
import dev.smtptls.dns.DnsRecord;
import dev.smtptls.dns.DnsType;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.inspect.StartTlsOutcome.Status;
import dev.smtptls.spi.DnsResolver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A running scan started by {@link SmtpTlsScanner#start}: follow it ({@link #summary()}), wait
 * for it ({@link #await()}) or stop it ({@link #cancel()}). Thread-safe.
 */
public final class ScanHandle {

  private final SmtpTlsInspector inspector;
  private final @Nullable DnsResolver resolver;
  private final int concurrency;
  private final int perAddress;
  private final int buffer;
  private final Executor executor;
  private final @Nullable ExecutorService ownedPool;
  private final Iterator<ScanInput> inputs;
  private final Consumer<? super ScanResult> sink;
  private final long startNanos = System.nanoTime();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  // Guarded by lock.
  private int working;
  private int parked;
  private boolean pulling;
  private boolean inputDone;
  private boolean cancelled;
  private boolean done;
  private long pulled;
  private long notStarted;
  private long endNanos;
  private @Nullable Throwable failure;
  private final Map<InetAddress, Integer> active = new HashMap<>();
  private final Map<InetAddress, ArrayDeque<Parked>> waiting = new HashMap<>();
  private final Set<Thread> threads = new HashSet<>();
  private @Nullable Thread coordinator;

  // Guarded by sinkLock.
  private final Object sinkLock = new Object();
  private long results;
  private long inputErrors;
  private long withErrorFindings;
  private long aborted;
  private final EnumMap<Status, Long> byStatus = new EnumMap<>(Status.class);

  private record Parked(ScanInput input, SmtpTarget target, InetAddress address) {}

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
    this.concurrency = concurrency;
    this.perAddress = perAddress;
    this.buffer = concurrency;
    if (executor == null) {
      ExecutorService pool =
          Executors.newFixedThreadPool(
              concurrency,
              r -> {
                Thread t = new Thread(r, "smtptls-scan-probe");
                t.setDaemon(true);
                return t;
              });
      this.ownedPool = pool;
      this.executor = pool;
    } else {
      this.ownedPool = null;
      this.executor = executor;
    }
    this.inputs = inputs;
    this.sink = sink;
  }

  void begin() {
    Thread t = new Thread(this::coordinate, "smtptls-scan");
    t.setDaemon(true);
    lock.lock();
    try {
      coordinator = t;
    } finally {
      lock.unlock();
    }
    t.start();
  }

  /**
   * Stops the scan: no new probe starts, entries waiting for their address are dropped (counted
   * in {@link ScanSummary#notStarted()}), running probes are interrupted and their reports
   * delivered marked aborted. Returns at once; {@link #await()} waits for the end. Idempotent, and
   * safe from inside the result consumer.
   */
  public void cancel() {
    lock.lock();
    try {
      if (cancelled) {
        return;
      }
      cancelled = true;
      notStarted += parked;
      parked = 0;
      waiting.clear();
      for (Thread t : threads) {
        t.interrupt();
      }
      Thread c = coordinator;
      if (c != null && pulling) {
        c.interrupt();
      }
      checkDone();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** {@return whether {@link #cancel()} was called or the scan failed} */
  public boolean isCancelled() {
    lock.lock();
    try {
      return cancelled;
    } finally {
      lock.unlock();
    }
  }

  /** {@return whether the scan has ended: no probe runs and none will start} */
  public boolean isDone() {
    lock.lock();
    try {
      return done;
    } finally {
      lock.unlock();
    }
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
    lock.lock();
    try {
      while (!done) {
        changed.await();
      }
    } finally {
      lock.unlock();
    }
    return finalSummary();
  }

  /**
   * Waits at most {@code timeout} for the end of the scan.
   *
   * @param timeout how long to wait
   * @return whether the scan has ended
   * @throws InterruptedException if the waiting thread is interrupted (the scan goes on)
   */
  public boolean await(Duration timeout) throws InterruptedException {
    long left = timeout.toNanos();
    lock.lock();
    try {
      while (!done) {
        if (left <= 0) {
          return false;
        }
        left = changed.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  void awaitUninterruptibly() {
    lock.lock();
    try {
      while (!done) {
        changed.awaitUninterruptibly();
      }
    } finally {
      lock.unlock();
    }
  }

  private ScanSummary finalSummary() {
    Throwable f;
    lock.lock();
    try {
      f = failure;
    } finally {
      lock.unlock();
    }
    if (f != null) {
      throw new CompletionException(f);
    }
    return summary();
  }

  /** {@return the counts so far (a consistent snapshot per counter group); the final ones once done} */
  public ScanSummary summary() {
    long p;
    long ns;
    int inFlight;
    boolean c;
    boolean d;
    long end;
    lock.lock();
    try {
      p = pulled;
      ns = notStarted;
      inFlight = working;
      c = cancelled;
      d = done;
      end = done ? endNanos : System.nanoTime();
    } finally {
      lock.unlock();
    }
    synchronized (sinkLock) {
      return new ScanSummary(p, results, inputErrors, withErrorFindings, aborted, ns, byStatus, inFlight,
          Duration.ofNanos(end - startNanos), c, d);
    }
  }

  // ---- the coordinator: pulls entries as slots free up

  private void coordinate() {
    try {
      while (true) {
        lock.lock();
        try {
          while (!cancelled && (working >= concurrency || working + parked >= concurrency + buffer)) {
            changed.await();
          }
          if (cancelled) {
            return;
          }
          pulling = true;
        } finally {
          lock.unlock();
        }
        ScanInput next;
        try {
          if (!inputs.hasNext()) {
            return;
          }
          next = inputs.next();
        } catch (RuntimeException e) {
          fail(e);
          return;
        } finally {
          lock.lock();
          try {
            pulling = false;
            Thread.interrupted(); // an interrupt meant for a blocked read is spent
          } finally {
            lock.unlock();
          }
        }
        lock.lock();
        try {
          pulled++;
          if (cancelled) {
            notStarted++;
            return;
          }
          working++;
        } finally {
          lock.unlock();
        }
        try {
          executor.execute(() -> work(next));
        } catch (RejectedExecutionException e) {
          lock.lock();
          try {
            working--;
            notStarted++;
          } finally {
            lock.unlock();
          }
          fail(e);
          return;
        }
      }
    } catch (InterruptedException e) {
      cancel();
    } finally {
      lock.lock();
      try {
        inputDone = true;
        checkDone();
      } finally {
        lock.unlock();
      }
    }
  }

  private void fail(Throwable t) {
    lock.lock();
    try {
      if (failure == null) {
        failure = t;
      }
    } finally {
      lock.unlock();
    }
    cancel();
  }

  /** Called with the lock held. */
  private void checkDone() {
    if (done || working > 0 || (!inputDone && !cancelled) || parked > 0) {
      return;
    }
    done = true;
    endNanos = System.nanoTime();
    changed.signalAll();
    if (ownedPool != null) {
      ownedPool.shutdown();
    }
  }

  // ---- a worker: one entry, then any entry parked behind it for the same address

  private void work(ScanInput input) {
    Thread me = Thread.currentThread();
    lock.lock();
    boolean skip;
    try {
      threads.add(me);
      skip = cancelled;
      if (skip) {
        notStarted++;
      }
    } finally {
      lock.unlock();
    }
    if (skip) {
      release(me);
      return;
    }
    try {
      SmtpTarget target = input.target();
      if (target == null) {
        deliver(new ScanResult(input, null, input.error() == null ? "malformed" : input.error()));
        return;
      }
      Resolution resolved = resolve(target);
      InetAddress address = resolved.address();
      if (address == null) {
        deliver(new ScanResult(input, resolved.failure(), null));
        return;
      }
      SmtpTarget t = target.address() != null ? target : target.withAddress(address);
      lock.lock();
      try {
        if (cancelled) {
          notStarted++;
          return;
        }
        int n = active.getOrDefault(address, 0);
        if (n >= perAddress) {
          waiting.computeIfAbsent(address, a -> new ArrayDeque<>()).add(new Parked(input, t, address));
          parked++;
          return;
        }
        active.put(address, n + 1);
      } finally {
        lock.unlock();
      }
      Parked current = new Parked(input, t, address);
      while (current != null) {
        InspectionReport report = inspector.inspect(current.target());
        Thread.interrupted();
        Parked following = null;
        lock.lock();
        try {
          ArrayDeque<Parked> queue = waiting.get(current.address());
          if (!cancelled && queue != null && !queue.isEmpty()) {
            following = queue.poll();
            parked--;
            if (queue.isEmpty()) {
              waiting.remove(current.address());
            }
          } else {
            int n = active.getOrDefault(current.address(), 1) - 1;
            if (n <= 0) {
              active.remove(current.address());
            } else {
              active.put(current.address(), n);
            }
          }
        } finally {
          lock.unlock();
        }
        deliver(new ScanResult(current.input(), report, null));
        current = following;
      }
    } catch (RuntimeException | Error e) {
      fail(e);
    } finally {
      release(me);
    }
  }

  private void release(Thread me) {
    lock.lock();
    try {
      threads.remove(me);
      working--;
      // An interrupt from cancel() must not leak into the pool thread's next task.
      Thread.interrupted();
      checkDone();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void deliver(ScanResult r) {
    synchronized (sinkLock) {
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
      try {
        sink.accept(r);
      } catch (RuntimeException e) {
        fail(e);
      }
    }
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
