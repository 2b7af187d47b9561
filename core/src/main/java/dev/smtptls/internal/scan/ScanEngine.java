package dev.smtptls.internal.scan;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
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
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One running scan, whatever it scans: a coordinator thread pulls entries from the input only as
 * slots free up (at most {@code concurrency} entries run and at most {@code buffer} more wait), a
 * job runs each entry on the executor and hands its results to {@link #deliver}, which calls the
 * consumer one result at a time. {@link #cancel()} stops pulling, drops waiting entries and
 * interrupts running jobs; a job or consumer that throws cancels the scan and surfaces from {@link
 * #await()}. Thread-safe.
 *
 * <p>A job may limit how many jobs at once run a part keyed by, say, a destination address ({@link
 * #runLimited}): past the limit the part waits in the buffer, without a thread, and runs on the
 * thread of a part with the same key that completes.
 *
 * @param <I> an input entry
 * @param <R> a result
 */
public final class ScanEngine<I, R> {

  /**
   * The engine's own counts.
   *
   * @param pulled entries taken from the input
   * @param notStarted entries taken but dropped unprocessed because the scan was cancelled
   * @param inFlight jobs running now
   * @param elapsed time since the scan started (to its end once done)
   * @param cancelled whether the scan was cancelled or failed
   * @param done whether the scan has ended: no job runs and none will start
   */
  public record Progress(long pulled, long notStarted, int inFlight, Duration elapsed, boolean cancelled, boolean done) {}

  private final String name;
  private final int concurrency;
  private final int buffer;
  private final int perKey;
  private final Executor executor;
  private final @Nullable ExecutorService ownedPool;
  private final Iterator<? extends I> inputs;
  private final Consumer<? super R> tally;
  private final Consumer<? super R> sink;
  private final long startNanos = System.nanoTime();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  // Guarded by lock.
  private @Nullable Consumer<? super I> job;
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
  private final Map<Object, Integer> active = new HashMap<>();
  private final Map<Object, ArrayDeque<Runnable>> waiting = new HashMap<>();
  private final Set<Thread> threads = new HashSet<>();
  private @Nullable Thread coordinator;

  // Serialises the tally and the consumer.
  private final Object sinkLock = new Object();

  /**
   * A scan, not yet begun.
   *
   * @param name the name of the coordinator thread and the prefix of the pool's threads
   * @param concurrency jobs at once at most
   * @param buffer entries that may wait (parked by {@link #runLimited}) beyond the running ones
   * @param perKey parts with one key at once at most ({@link #runLimited})
   * @param executor runs the jobs; null for a pool of {@code poolThreads} daemon threads, shut down
   *     at the end
   * @param poolThreads the size of that pool
   * @param inputs the entries, read from the coordinator thread only
   * @param tally counts each result before the consumer sees it, under the same lock
   * @param sink the consumer of results
   */
  public ScanEngine(
      String name,
      int concurrency,
      int buffer,
      int perKey,
      @Nullable Executor executor,
      int poolThreads,
      Iterator<? extends I> inputs,
      Consumer<? super R> tally,
      Consumer<? super R> sink) {
    this.name = requireNonNull(name, "name");
    this.concurrency = concurrency;
    this.buffer = buffer;
    this.perKey = perKey;
    if (executor == null) {
      ExecutorService pool =
          Executors.newFixedThreadPool(
              poolThreads,
              r -> {
                Thread t = new Thread(r, name + "-worker");
                t.setDaemon(true);
                return t;
              });
      this.ownedPool = pool;
      this.executor = pool;
    } else {
      this.ownedPool = null;
      this.executor = executor;
    }
    this.inputs = requireNonNull(inputs, "inputs");
    this.tally = requireNonNull(tally, "tally");
    this.sink = requireNonNull(sink, "sink");
  }

  /**
   * Starts the coordinator thread.
   *
   * @param job what to do with each entry, on a thread of the executor
   */
  public void begin(Consumer<? super I> job) {
    Thread t = new Thread(this::coordinate, name);
    t.setDaemon(true);
    lock.lock();
    try {
      this.job = requireNonNull(job, "job");
      coordinator = t;
    } finally {
      lock.unlock();
    }
    t.start();
  }

  /** {@return the executor the jobs run on: the caller's, or the scan's own pool} */
  public Executor executor() {
    return executor;
  }

  /**
   * Stops the scan: no new job starts, parked parts are dropped (counted as not started), running
   * jobs are interrupted. Returns at once. Idempotent, and safe from inside the consumer.
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

  /** {@return whether the scan was cancelled or failed} */
  public boolean isCancelled() {
    lock.lock();
    try {
      return cancelled;
    } finally {
      lock.unlock();
    }
  }

  /** {@return whether the scan has ended} */
  public boolean isDone() {
    lock.lock();
    try {
      return done;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for the end.
   *
   * @throws InterruptedException if the waiting thread is interrupted (the scan goes on)
   * @throws CompletionException if reading the input, a job or the consumer threw; the cause is
   *     what was thrown
   */
  public void await() throws InterruptedException {
    lock.lock();
    try {
      while (!done) {
        changed.await();
      }
    } finally {
      lock.unlock();
    }
    throwIfFailed();
  }

  /**
   * Waits at most {@code timeout} for the end.
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

  /**
   * Waits for the end; an interrupt of the waiting thread cancels the scan, waits for it to wind
   * down and returns with the interrupt flag set.
   *
   * @throws CompletionException if reading the input, a job or the consumer threw (and the caller
   *     was not interrupted)
   */
  public void join() {
    try {
      await();
    } catch (InterruptedException e) {
      cancel();
      lock.lock();
      try {
        while (!done) {
          changed.awaitUninterruptibly();
        }
      } finally {
        lock.unlock();
      }
      Thread.currentThread().interrupt();
    }
  }

  private void throwIfFailed() {
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
  }

  /** {@return the engine's counts now} */
  public Progress progress() {
    lock.lock();
    try {
      long end = done ? endNanos : System.nanoTime();
      return new Progress(pulled, notStarted, working, Duration.ofNanos(end - startNanos), cancelled, done);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Reads what the tally counted, consistently: under the lock the tally and the consumer run with.
   *
   * @param read reads the counts
   * @param <T> what it makes of them
   * @return what {@code read} returned
   */
  public <T> T tallied(Supplier<T> read) {
    synchronized (sinkLock) {
      return read.get();
    }
  }

  /**
   * Hands a result to the tally and the consumer, one result at a time over the whole scan. A
   * consumer that throws cancels the scan.
   *
   * @param result the result
   */
  public void deliver(R result) {
    synchronized (sinkLock) {
      tally.accept(result);
      try {
        sink.accept(result);
      } catch (RuntimeException e) {
        fail(e);
      }
    }
  }

  /**
   * Runs {@code part} now if fewer than {@code perKey} parts with this key run, else parks it (it
   * then runs later on the thread of a part with the same key that completes, or is dropped by
   * {@link #cancel()}). A part is dropped at once when the scan is cancelled. Called by a job.
   *
   * @param key e.g. the destination address
   * @param part what to run; it delivers its own result
   */
  public void runLimited(Object key, Runnable part) {
    lock.lock();
    try {
      if (cancelled) {
        notStarted++;
        return;
      }
      int n = active.getOrDefault(key, 0);
      if (n >= perKey) {
        waiting.computeIfAbsent(key, k -> new ArrayDeque<>()).add(part);
        parked++;
        return;
      }
      active.put(key, n + 1);
    } finally {
      lock.unlock();
    }
    Runnable current = part;
    while (current != null) {
      boolean ran = false;
      try {
        current.run();
        ran = true;
      } finally {
        current = ran ? following(key) : null;
        if (!ran) {
          leave(key);
        }
      }
    }
  }

  /** The part parked next for this key, taking over the slot; or null, giving the slot up. */
  private @Nullable Runnable following(Object key) {
    lock.lock();
    try {
      ArrayDeque<Runnable> queue = waiting.get(key);
      if (!cancelled && queue != null && !queue.isEmpty()) {
        Runnable next = queue.poll();
        parked--;
        if (queue.isEmpty()) {
          waiting.remove(key);
        }
        return next;
      }
    } finally {
      lock.unlock();
    }
    leave(key);
    return null;
  }

  private void leave(Object key) {
    lock.lock();
    try {
      int n = active.getOrDefault(key, 1) - 1;
      if (n <= 0) {
        active.remove(key);
      } else {
        active.put(key, n);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Cancels the scan because of {@code t}, which {@link #await()} then throws wrapped.
   *
   * @param t what went wrong
   */
  public void fail(Throwable t) {
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
        I next;
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

  // ---- a worker: one entry

  private void work(I input) {
    Thread me = Thread.currentThread();
    Consumer<? super I> j;
    lock.lock();
    try {
      threads.add(me);
      j = cancelled ? null : job;
      if (j == null) {
        notStarted++;
      }
    } finally {
      lock.unlock();
    }
    try {
      if (j != null) {
        j.accept(input);
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
}
