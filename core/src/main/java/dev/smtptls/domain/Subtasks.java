package dev.smtptls.domain;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;

/**
 * The probes and lookups of one domain: at most {@code helpers} of them run on an executor while
 * the thread inspecting the domain runs the others itself as it waits ({@link #await}). So a
 * domain never needs more than its own thread to make progress (a scan's executor only needs a
 * thread per domain in flight, however busy), and at most {@code helpers + 1} of its tasks run at
 * once. {@link #abort()} interrupts the running tasks; the tasks not yet started still run, with
 * their thread's interrupt flag set, so every task completes promptly with what it reports when
 * interrupted (an aborted probe, a lookup that failed). Not thread-safe beyond that: one thread
 * submits and awaits.
 */
final class Subtasks {

  private final Executor executor;
  private final int helpers;
  // Guarded by this.
  private final ArrayDeque<FutureTask<?>> queue = new ArrayDeque<>();
  private final Set<Thread> running = new HashSet<>();
  private int draining;
  private boolean aborted;
  // Only the awaiting thread touches this.
  private boolean interrupted;

  /**
   * A group.
   *
   * @param executor where the helpers run
   * @param helpers tasks at most on the executor at once (0: the awaiting thread runs them all)
   */
  Subtasks(Executor executor, int helpers) {
    this.executor = executor;
    this.helpers = helpers;
  }

  /**
   * Queues a task, and starts a helper for it if fewer than {@code helpers} run.
   *
   * @throws RejectedExecutionException if the executor refuses a helper
   */
  <T> Future<T> submit(Callable<T> task) {
    FutureTask<T> f = new FutureTask<>(task);
    boolean start;
    synchronized (this) {
      queue.add(f);
      start = draining < helpers;
      if (start) {
        draining++;
      }
    }
    if (start) {
      try {
        executor.execute(this::drain);
      } catch (RejectedExecutionException e) {
        synchronized (this) {
          draining--;
        }
        throw e;
      }
    }
    return f;
  }

  /**
   * The result of a task, running queued tasks on this thread until it is done. An interrupt of
   * this thread aborts the group and is remembered ({@link #interrupted()}).
   *
   * @throws RuntimeException or {@link Error} if the task threw one (a bug: tasks report failures)
   */
  <T> T await(Future<T> future) {
    while (true) {
      if (!future.isDone() && runOne()) {
        continue;
      }
      try {
        return future.get();
      } catch (InterruptedException e) {
        noteInterrupt();
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (cause instanceof RuntimeException re) {
          throw re;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException(cause);
      }
    }
  }

  /** {@return whether the awaiting thread was interrupted: the group was then aborted} */
  boolean interrupted() {
    return interrupted;
  }

  /** Interrupts the running tasks; the queued ones will run interrupted. Idempotent. */
  synchronized void abort() {
    aborted = true;
    for (Thread t : running) {
      t.interrupt();
    }
  }

  private void noteInterrupt() {
    interrupted = true;
    abort();
  }

  /** Runs one queued task on the awaiting thread; false when none is queued. */
  private boolean runOne() {
    FutureTask<?> next;
    synchronized (this) {
      next = queue.poll();
      if (next == null) {
        return false;
      }
      if (aborted) {
        Thread.currentThread().interrupt();
      }
    }
    next.run();
    if (Thread.interrupted()) {
      noteInterrupt();
    }
    return true;
  }

  /** A helper: runs queued tasks until none is left. */
  private void drain() {
    Thread me = Thread.currentThread();
    while (true) {
      FutureTask<?> next;
      synchronized (this) {
        next = queue.poll();
        if (next == null) {
          draining--;
          return;
        }
        running.add(me);
        if (aborted) {
          me.interrupt();
        }
      }
      try {
        next.run();
      } finally {
        synchronized (this) {
          running.remove(me);
        }
        // Neither an abort nor a task's restored interrupt may leak into the next task or the pool.
        Thread.interrupted();
      }
    }
  }
}
