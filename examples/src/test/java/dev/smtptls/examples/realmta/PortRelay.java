package dev.smtptls.examples.realmta;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on a given address and port that forwards every connection, byte for byte, to a
 * port on the loopback address ({@code 127.0.0.1}, where {@code CrlServer} binds) that can be
 * changed between tests.
 *
 * <p>Why: the lab's certificates name {@code http://127.0.0.1:crlPort/...}, a port the lab chose
 * free when it started, but the testkit's {@code CrlServer} always binds port 0. The relay holds
 * the lab's port and hands each connection to the test's current {@code CrlServer}, so the CRLs,
 * the faults and the request counts are the testkit's own. It adds nothing and removes nothing:
 * when one side closes or fails, the other is closed, so a client that gives up on an oversize
 * stream ends the server's writing, and closing the server ends the client's wait.
 */
final class PortRelay implements AutoCloseable {

  private final ServerSocket listener;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger threads = new AtomicInteger();
  private volatile int targetPort;

  private PortRelay(ServerSocket listener) {
    this.listener = listener;
  }

  /**
   * Binds {@code address:port} and starts accepting.
   *
   * @param address a literal address, e.g. 127.0.0.1
   * @param port the port to hold
   * @return the running relay; until {@link #forwardTo} every connection is closed at once
   * @throws IOException if the port cannot be bound
   */
  static PortRelay bind(InetAddress address, int port) throws IOException {
    ServerSocket s = new ServerSocket();
    try {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(address, port), 64);
    } catch (IOException e) {
      s.close();
      throw e;
    }
    PortRelay relay = new PortRelay(s);
    daemon("relay-accept-" + port, relay::acceptLoop).start();
    return relay;
  }

  /**
   * Sends new connections to {@code 127.0.0.1:port} from now on, and closes the connections to the
   * previous target (a client's pooled connection must not reach an old server).
   *
   * @param port the target port on the loopback address, or 0 to close new connections at once
   */
  void forwardTo(int port) {
    targetPort = port;
    for (Socket s : open) {
      closeQuietly(s);
    }
  }

  @Override
  public void close() {
    closeQuietly(listener);
    for (Socket s : open) {
      closeQuietly(s);
    }
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        if (listener.isClosed()) {
          return;
        }
        throw new UncheckedIOException(e);
      }
      int port = targetPort;
      open.add(client);
      if (port == 0) {
        closeQuietly(client);
        continue;
      }
      Socket upstream = new Socket();
      open.add(upstream);
      try {
        upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
      } catch (IOException e) {
        closeQuietly(client);
        closeQuietly(upstream);
        continue;
      }
      int n = threads.incrementAndGet();
      AtomicInteger finished = new AtomicInteger();
      daemon("relay-up-" + n, () -> pump(client, upstream, finished)).start();
      daemon("relay-down-" + n, () -> pump(upstream, client, finished)).start();
    }
  }

  /**
   * Copies from one socket to the other until EOF, then half-closes (both sockets are closed when
   * both directions have ended), or until an error, then closes both at once.
   */
  private void pump(Socket from, Socket to, AtomicInteger finished) {
    byte[] buffer = new byte[64 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        out.flush();
      }
      to.shutdownOutput();
      if (finished.incrementAndGet() == 2) {
        closeBoth(from, to);
      }
    } catch (IOException e) {
      closeBoth(from, to);
    }
  }

  private void closeBoth(Socket a, Socket b) {
    closeQuietly(a);
    closeQuietly(b);
  }

  private void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // closing: nothing left to do
    }
    if (c instanceof Socket s) {
      open.remove(s);
    }
  }

  private static Thread daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
