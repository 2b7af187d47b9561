package dev.smtptls.testkit.internal;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP server on 127.0.0.1, port 0, on daemon threads, that the testkit's CRL server and OCSP
 * responder run on: started at once, and closed promptly even while a handler simulates a slow
 * server (handlers wait on {@link #awaitClosing}, which {@link #close()} ends).
 */
public final class LoopbackHttpServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor;
  private final CountDownLatch closing = new CountDownLatch(1);

  private LoopbackHttpServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Binds 127.0.0.1 on an ephemeral port and serves every path with {@code handler}.
   *
   * @param threadName the name of the serving threads
   * @param handler the handler for "/"
   * @return the running server
   * @throws UncheckedIOException if the port cannot be bound
   */
  public static LoopbackHttpServer start(String threadName, HttpHandler handler) {
    ExecutorService executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    } catch (IOException e) {
      executor.shutdownNow();
      throw new UncheckedIOException("cannot bind 127.0.0.1", e);
    }
    server.setExecutor(executor);
    server.createContext("/", handler);
    server.start();
    return new LoopbackHttpServer(server, executor);
  }

  /** {@return the bound port} */
  public int port() {
    return server.getAddress().getPort();
  }

  /** {@return true once {@link #close()} has begun} */
  public boolean closing() {
    return closing.getCount() == 0;
  }

  /**
   * Waits up to {@code nanos}, or until the server closes.
   *
   * @param nanos the longest wait
   * @return true if the server is closing
   * @throws InterruptedException if interrupted
   */
  public boolean awaitClosing(long nanos) throws InterruptedException {
    return closing.await(nanos, TimeUnit.NANOSECONDS);
  }

  /** Stops: ends every wait and connection and the threads, promptly. Idempotent. */
  @Override
  public void close() {
    if (closing.getCount() == 0) {
      return;
    }
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
