package dev.smtptls.internal.inspect;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Ends a probe's blocking I/O when its deadline passes or its thread is interrupted, by closing
 * the socket under it. Blocking socket reads in Java ignore interrupts and a TLS handshake can be
 * dripped a byte at a time past any read timeout; closing the socket ends both. One daemon thread
 * serves every probe in the JVM.
 */
final class Watchdog implements AutoCloseable {

  /** Why the watchdog fired. */
  enum Reason {
    DEADLINE,
    INTERRUPTED
  }

  private static final long POLL_MILLIS = 50;
  private static final ScheduledThreadPoolExecutor TIMER = createTimer();

  private final Thread thread;
  private final long deadlineNanos;
  private volatile @Nullable Closeable target;
  private volatile @Nullable Reason fired;
  private final ScheduledFuture<?> task;

  private Watchdog(Thread thread, long deadlineNanos) {
    this.thread = thread;
    this.deadlineNanos = deadlineNanos;
    this.task = TIMER.scheduleWithFixedDelay(this::check, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * Watches the calling thread until {@link #close()}.
   *
   * @param deadlineNanos a {@link System#nanoTime()} value
   * @return the watchdog
   */
  static Watchdog watchCurrentThread(long deadlineNanos) {
    return new Watchdog(Thread.currentThread(), deadlineNanos);
  }

  /** Sets the socket to close when the watchdog fires; closes it at once if it already has. */
  void guard(Closeable closeable) {
    this.target = closeable;
    if (fired != null) {
      closeQuietly(closeable);
    }
  }

  /** {@return why the watchdog fired, or null if it has not} */
  @Nullable Reason fired() {
    return fired;
  }

  private void check() {
    if (fired != null) {
      return;
    }
    Reason r = null;
    if (thread.isInterrupted()) {
      r = Reason.INTERRUPTED;
    } else if (System.nanoTime() - deadlineNanos >= 0) {
      r = Reason.DEADLINE;
    }
    if (r != null) {
      fired = r;
      Closeable c = target;
      if (c != null) {
        closeQuietly(c);
      }
    }
  }

  @Override
  public void close() {
    task.cancel(false);
  }

  static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException | RuntimeException ignored) {
      // Closing is best effort: the probe is ending anyway.
    }
  }

  private static ScheduledThreadPoolExecutor createTimer() {
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread th = new Thread(r, "smtptls-watchdog");
              th.setDaemon(true);
              return th;
            });
    t.setRemoveOnCancelPolicy(true);
    return t;
  }
}
