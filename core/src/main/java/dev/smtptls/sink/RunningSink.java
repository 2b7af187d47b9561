package dev.smtptls.sink;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * A listening {@link SmtpTlsSink}: its {@linkplain #address() address}, and the {@link
 * SenderReport} of each connection as it ends, taken in order with {@link #next(Duration)}.
 * {@link #close()} stops listening and ends every open connection (their reports end {@code
 * SINK_CLOSED}). Thread-safe.
 *
 * <p>Reports wait in a queue of at most {@value #MAX_QUEUED}; when nobody takes them, the oldest
 * is dropped ({@link #droppedReports()} counts them), so an unattended sink's memory stays bounded.
 */
public final class RunningSink implements AutoCloseable {

  /** Reports kept until taken; beyond this the oldest are dropped. */
  public static final int MAX_QUEUED = 10_000;

  private final SmtpTlsSink sink;
  private final ServerSocket serverSocket;
  private final SSLContext ssl;
  private final ExecutorService workers;
  private final ScheduledExecutorService timer;
  private final Semaphore slots;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final BlockingQueue<SenderReport> reports = new LinkedBlockingQueue<>(MAX_QUEUED);
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicLong droppedReports = new AtomicLong();
  private final InetSocketAddress address;
  private volatile boolean closed;

  RunningSink(SmtpTlsSink sink, ServerSocket serverSocket, SSLContext ssl) {
    this.sink = sink;
    this.serverSocket = serverSocket;
    this.ssl = ssl;
    this.slots = new Semaphore(sink.maxConnections());
    this.address = new InetSocketAddress(serverSocket.getInetAddress(), serverSocket.getLocalPort());
    String name = "smtptls-sink-" + address.getPort();
    this.workers = Executors.newCachedThreadPool(r -> daemon(r, name));
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-timer"));
    Thread acceptor = daemon(this::acceptLoop, name + "-accept");
    acceptor.start();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** {@return the address and port the sink listens on (the port the system chose for port 0)} */
  public InetSocketAddress address() {
    return address;
  }

  /** {@return the sink's configuration} */
  public SmtpTlsSink sink() {
    return sink;
  }

  /** {@return connections accepted so far, refused ones included} */
  public int connections() {
    return accepted.get();
  }

  /** {@return reports dropped because the queue was full} */
  public long droppedReports() {
    return droppedReports.get();
  }

  /** {@return whether {@link #close()} was called} */
  public boolean isClosed() {
    return closed;
  }

  /**
   * The report of the next connection to end, waiting at most {@code timeout} for one.
   *
   * @param timeout how long to wait; zero returns at once
   * @return the report, or empty when none ended in time
   * @throws InterruptedException if interrupted while waiting
   * @throws IllegalArgumentException if the timeout is negative
   */
  public Optional<SenderReport> next(Duration timeout) throws InterruptedException {
    requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative: " + timeout);
    }
    long nanos;
    try {
      nanos = timeout.toNanos();
    } catch (ArithmeticException e) {
      nanos = Long.MAX_VALUE;
    }
    return Optional.ofNullable(reports.poll(nanos, TimeUnit.NANOSECONDS));
  }

  private void acceptLoop() {
    while (!closed) {
      Socket s;
      try {
        s = serverSocket.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      accepted.incrementAndGet();
      if (!slots.tryAcquire()) {
        publish(SinkSession.refused(sink, s));
        closeQuietly(s);
        continue;
      }
      open.add(s);
      try {
        workers.execute(() -> serve(s));
      } catch (RejectedExecutionException e) {
        open.remove(s);
        closeQuietly(s);
        slots.release();
        return;
      }
    }
  }

  private void serve(Socket s) {
    SinkSession session = new SinkSession(sink, s, ssl, () -> closed);
    ScheduledFuture<?> expiry = null;
    try {
      expiry = timer.schedule(session::expire, sink.sessionTimeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // closing: the session ends at once anyway
    }
    try {
      publish(session.serve());
    } finally {
      if (expiry != null) {
        expiry.cancel(false);
      }
      open.remove(s);
      closeQuietly(s);
      slots.release();
    }
  }

  private void publish(SenderReport r) {
    while (!reports.offer(r)) {
      if (reports.poll() != null) {
        droppedReports.incrementAndGet();
      }
    }
  }

  /** Stops listening and closes every open connection; waits briefly for their reports. Idempotent. */
  @Override
  public void close() {
    closed = true;
    closeQuietly(serverSocket);
    for (Socket s : new ArrayList<>(open)) {
      closeQuietly(s);
    }
    workers.shutdown();
    timer.shutdownNow();
    try {
      if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public String toString() {
    return "RunningSink[" + address + (closed ? ", closed" : "") + "]";
  }
}
