package dev.smtptls.inspect;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A plain SMTP server on a loopback address and an ephemeral port that counts concurrent
 * connections (its own and, through a shared counter, those of a group of servers). It offers no
 * STARTTLS, so each probe is short: greeting, EHLO, QUIT. The greeting can be held back: until a
 * latch opens, or until the server has a number of connections at once (bounded by a wait, so a
 * tail of fewer connections still proceeds).
 */
final class LoopbackSmtpServer implements AutoCloseable {

  private final ServerSocket socket;
  private final AtomicInteger groupNow;
  private final AtomicInteger groupPeak;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final AtomicInteger accepted = new AtomicInteger();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final CountDownLatch hold;
  private final int gatherUpTo;
  private int now;
  private int peak;
  private volatile boolean closed;

  /**
   * Starts serving.
   *
   * @param bind the loopback address
   * @param groupNow connections now over the group of servers
   * @param groupPeak the most ever at once over the group
   * @param hold greetings wait until this opens (pass an opened latch for no wait)
   * @param gatherUpTo greetings wait (at most 200 ms) until this many connections are open at once
   */
  LoopbackSmtpServer(InetAddress bind, AtomicInteger groupNow, AtomicInteger groupPeak, CountDownLatch hold, int gatherUpTo)
      throws IOException {
    this.socket = new ServerSocket();
    socket.bind(new InetSocketAddress(bind, 0), 512);
    this.groupNow = groupNow;
    this.groupPeak = groupPeak;
    this.hold = hold;
    this.gatherUpTo = gatherUpTo;
    Thread t = new Thread(this::acceptLoop, "loopback-smtp-accept");
    t.setDaemon(true);
    t.start();
  }

  static LoopbackSmtpServer plain(InetAddress bind, AtomicInteger groupNow, AtomicInteger groupPeak) throws IOException {
    return new LoopbackSmtpServer(bind, groupNow, groupPeak, new CountDownLatch(0), 1);
  }

  String hostPort() {
    return socket.getInetAddress().getHostAddress() + ":" + socket.getLocalPort();
  }

  SmtpTarget target() {
    return SmtpTarget.of(socket.getInetAddress().getHostAddress(), socket.getLocalPort());
  }

  int port() {
    return socket.getLocalPort();
  }

  int accepted() {
    return accepted.get();
  }

  int peak() {
    lock.lock();
    try {
      return peak;
    } finally {
      lock.unlock();
    }
  }

  /** Waits (bounded) until at least {@code n} connections have been accepted. */
  boolean awaitAccepted(int n, long seconds) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    lock.lock();
    try {
      while (accepted.get() < n) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        changed.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket s;
      try {
        s = socket.accept();
      } catch (IOException e) {
        return;
      }
      open.add(s);
      Thread t = new Thread(() -> serve(s), "loopback-smtp-conn");
      t.setDaemon(true);
      t.start();
    }
  }

  private void serve(Socket s) {
    lock.lock();
    try {
      now++;
      peak = Math.max(peak, now);
      accepted.incrementAndGet();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    groupPeak.accumulateAndGet(groupNow.incrementAndGet(), Math::max);
    boolean counted = true;
    try (s) {
      s.setSoTimeout(30_000);
      if (!hold.await(30, TimeUnit.SECONDS)) {
        return;
      }
      gather();
      OutputStream out = s.getOutputStream();
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      write(out, "220 scan.test ESMTP loopback\r\n");
      String line;
      while ((line = in.readLine()) != null) {
        String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(java.util.Locale.ROOT) : line;
        if (verb.equals("EHLO")) {
          write(out, "250-scan.test\r\n250 PIPELINING\r\n");
        } else if (verb.equals("QUIT")) {
          // Uncounted before the 221: a client that waits for it never sees itself counted twice.
          uncount();
          counted = false;
          write(out, "221 2.0.0 bye\r\n");
          return;
        } else {
          write(out, "502 5.5.2 no\r\n");
        }
      }
    } catch (IOException | InterruptedException e) {
      // the client went away, or the server closes
    } finally {
      open.remove(s);
      if (counted) {
        uncount();
      }
    }
  }

  private void uncount() {
    groupNow.decrementAndGet();
    lock.lock();
    try {
      now--;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void gather() throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
    lock.lock();
    try {
      while (now < gatherUpTo) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return;
        }
        changed.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }

  private static void write(OutputStream out, String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    closed = true;
    socket.close();
    for (Socket s : open) {
      s.close();
    }
  }
}
