package dev.smtptls.testkit.smtp;

import static java.util.Objects.requireNonNull;

import dev.smtptls.inspect.SmtpTarget;
import dev.smtptls.internal.tls.FixedKeyManager;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * A scriptable SMTP server with STARTTLS on {@code 127.0.0.1}, port 0, for tests: yours and
 * ours. It speaks through the same bounded SMTP engine as the probe, presents any chain you hand
 * it (by default a {@link TestPki} leaf for its FQDN), and behaves as a {@link SmtpBehaviour}
 * says: healthy, STARTTLS missing or refused, a failing handshake, a firewall masking the
 * dialogue, a tarpit, an oversized reply. It never accepts mail: {@code RCPT} gets {@code 451}.
 *
 * <pre>{@code
 * try (MockSmtpServer server = MockSmtpServer.builder()
 *     .behaviour(SmtpBehaviour.startTlsRefused())
 *     .build()
 *     .start()) {
 *   InspectionReport report = SmtpTlsInspector.create().inspect(server.target());
 *   assertThat(report.has(FindingCode.STARTTLS_REFUSED)).isTrue();
 * }
 * }</pre>
 *
 * <p>Thread-safe. Each connection is served on its own daemon thread; at most {@value
 * #MAX_CONNECTIONS} at once (more are closed at once). {@link #close()} ends every connection.
 */
public final class MockSmtpServer implements AutoCloseable {

  /** Concurrent connections served; more are closed on accept. */
  public static final int MAX_CONNECTIONS = 64;

  private final String fqdn;
  private final List<X509Certificate> chain;
  private final @Nullable X509Certificate trustAnchor;
  private final Duration readTimeout;
  private volatile SmtpBehaviour behaviour;
  private final SelectionCountingKeyManager keyManager;
  private final SSLContext sslContext;
  private final boolean sessionResumption;
  private final InetAddress bindAddress;
  private final int port;
  private final List<String> commands = new CopyOnWriteArrayList<>();
  private final List<String> serverNames = new CopyOnWriteArrayList<>();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connections = new AtomicInteger();
  private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
  private final Object live = new Object();
  // Guarded by live.
  private int liveNow;
  private int livePeak;
  private boolean holdingGreetings;
  private @Nullable ServerSocket serverSocket;
  private @Nullable ExecutorService workers;
  private volatile boolean closed;

  private MockSmtpServer(Builder b, String fqdn, PrivateKey key, List<X509Certificate> chain, @Nullable X509Certificate anchor) {
    this.fqdn = fqdn;
    this.chain = List.copyOf(chain);
    this.trustAnchor = anchor;
    this.readTimeout = b.readTimeout;
    this.bindAddress = b.bindAddress;
    this.port = b.port;
    this.behaviour = b.behaviour;
    this.keyManager = new SelectionCountingKeyManager(new FixedKeyManager(key, this.chain));
    this.sslContext = serverContext(keyManager);
    this.sessionResumption = b.sessionResumption;
  }

  /** {@return a builder: FQDN {@code mx.smtptls.test}, a fresh TestPki leaf, healthy behaviour} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds {@code 127.0.0.1} on an ephemeral port and starts serving.
   *
   * @return this server
   * @throws IllegalStateException if already started or closed
   * @throws UncheckedIOException if the port cannot be bound
   */
  public synchronized MockSmtpServer start() {
    if (serverSocket != null || closed) {
      throw new IllegalStateException("already started");
    }
    try {
      ServerSocket ss = new ServerSocket();
      ss.bind(new InetSocketAddress(bindAddress, port), 128);
      serverSocket = ss;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind " + bindAddress.getHostAddress(), e);
    }
    ExecutorService w =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "mock-smtp-" + port());
              t.setDaemon(true);
              return t;
            });
    workers = w;
    w.execute(this::acceptLoop);
    return this;
  }

  private void acceptLoop() {
    ServerSocket ss = requireStarted();
    while (!closed) {
      Socket s;
      try {
        s = ss.accept();
      } catch (IOException e) {
        return;
      }
      connections.incrementAndGet();
      if (!slots.tryAcquire()) {
        closeQuietly(s);
        continue;
      }
      open.add(s);
      SmtpBehaviour b = behaviour;
      ExecutorService w = workers;
      if (w == null) {
        closeQuietly(s);
        return;
      }
      Live conn = new Live();
      // Without resumption each connection has a context of its own: no session cache or ticket
      // key of an earlier connection, so whatever a client offers to resume is not recognised.
      SSLContext ctx = sessionResumption ? sslContext : serverContext(keyManager);
      try {
        w.execute(
            () -> {
              try {
                new MockSmtpConnection(
                        s, b, fqdn, ctx, readTimeout, commands::add, serverNames::add, this::handshakeEnded, () -> closed,
                        conn)
                    .serve();
              } catch (IOException e) {
                // the socket failed before the dialogue began: nothing to serve
              } finally {
                conn.quit();
                open.remove(s);
                closeQuietly(s);
                slots.release();
              }
            });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        conn.quit();
        open.remove(s);
        closeQuietly(s);
        slots.release();
        return;
      }
    }
  }

  /**
   * Changes the behaviour for connections accepted from now on.
   *
   * @param b the behaviour
   */
  public void behave(SmtpBehaviour b) {
    this.behaviour = requireNonNull(b, "behaviour");
  }

  /** {@return the current behaviour} */
  public SmtpBehaviour behaviour() {
    return behaviour;
  }

  /**
   * Where a client should go: the server's FQDN as host (so SNI and name checks see it), the
   * bound port, and the bound address ({@code 127.0.0.1} by default) to connect to: no name is
   * ever resolved.
   *
   * @return the target
   * @throws IllegalStateException if not started
   */
  public SmtpTarget target() {
    return new SmtpTarget(fqdn, port(), bindAddress);
  }

  /** {@return the bound port} */
  public int port() {
    return requireStarted().getLocalPort();
  }

  /** {@return the FQDN in the greeting and EHLO reply} */
  public String fqdn() {
    return fqdn;
  }

  /** {@return the chain presented in the handshake, leaf first} */
  public List<X509Certificate> certificateChain() {
    return chain;
  }

  /** {@return the root of the default TestPki chain, or null when a chain was handed in} */
  public @Nullable X509Certificate trustAnchor() {
    return trustAnchor;
  }

  /** {@return every command line received, over all connections, in order} */
  public List<String> receivedCommands() {
    return List.copyOf(commands);
  }

  /** {@return the SNI host names clients sent in their TLS handshakes, over all connections, in order} */
  public List<String> receivedServerNames() {
    return List.copyOf(serverNames);
  }

  /** Forgets the commands and server names received so far (the extension does this before each test). */
  public void clearReceivedCommands() {
    commands.clear();
    serverNames.clear();
  }

  /** {@return the number of connections accepted so far} */
  public int connectionCount() {
    return connections.get();
  }

  /**
   * {@return the connections open now} A connection counts from its accept until the client says
   * {@code QUIT} (counted out before the {@code 221}, so a client that awaits the reply has seen
   * it counted out) or the connection ends.
   */
  public int openConnections() {
    synchronized (live) {
      return liveNow;
    }
  }

  /** {@return the most connections open at once so far, as {@link #openConnections()} counts them} */
  public int peakConnections() {
    synchronized (live) {
      return livePeak;
    }
  }

  /**
   * Waits until at least {@code n} connections are open at once.
   *
   * @param n the connections
   * @param timeout the longest wait
   * @return whether they were
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitOpenConnections(int n, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    synchronized (live) {
      while (liveNow < n) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(live, left);
      }
      return true;
    }
  }

  /**
   * Holds back the greeting of every connection, open or accepted from now on, until {@link
   * #releaseGreetings()}, the server closes, or the read timeout passes (the greeting then goes):
   * connections stay open together, so a test can see how many a client opens at once without
   * sleeping.
   */
  public void holdGreetings() {
    synchronized (live) {
      holdingGreetings = true;
    }
  }

  /** Lets every held greeting go, and those of connections accepted from now on. */
  public void releaseGreetings() {
    synchronized (live) {
      holdingGreetings = false;
      live.notifyAll();
    }
  }

  /** One served connection as {@link #openConnections()} counts it. */
  private final class Live implements MockSmtpConnection.Events {
    // Guarded by live.
    private boolean counted = true;

    Live() {
      synchronized (live) {
        liveNow++;
        livePeak = Math.max(livePeak, liveNow);
        live.notifyAll();
      }
    }

    @Override
    public void beforeGreeting() throws InterruptedException {
      long end = System.nanoTime() + readTimeout.toNanos();
      synchronized (live) {
        while (holdingGreetings && !closed) {
          long left = end - System.nanoTime();
          if (left <= 0) {
            return;
          }
          TimeUnit.NANOSECONDS.timedWait(live, left);
        }
      }
    }

    @Override
    public void quit() {
      synchronized (live) {
        if (counted) {
          counted = false;
          liveNow--;
          live.notifyAll();
        }
      }
    }
  }

  /**
   * The full TLS handshakes so far: those in which the server selected its certificate to present
   * (counted before it sends it, so a client's finished handshake is always counted). A handshake
   * that resumes an earlier session presents none and is not counted, so handshakes minus this
   * count is the number resumed.
   *
   * @return the count, over all connections
   */
  public int fullHandshakeCount() {
    return keyManager.selections();
  }

  private void handshakeEnded(SSLSocket socket) {
    keyManager.forget(socket);
  }

  /** Stops listening and closes every open connection. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    synchronized (live) {
      live.notifyAll();
    }
    if (serverSocket != null) {
      closeQuietly(serverSocket);
    }
    for (Socket s : new ArrayList<>(open)) {
      closeQuietly(s);
    }
    ExecutorService w = workers;
    if (w != null) {
      w.shutdownNow();
      try {
        w.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private ServerSocket requireStarted() {
    ServerSocket ss = serverSocket;
    if (ss == null) {
      throw new IllegalStateException("not started: call start()");
    }
    return ss;
  }

  static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  private static SSLContext serverContext(KeyManager keys) {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(new KeyManager[] {keys}, null, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot use this key and chain for TLS: " + e.getMessage(), e);
    }
  }

  /** Builds a {@link MockSmtpServer}. */
  public static final class Builder {
    private String fqdn = "mx.smtptls.test";
    private @Nullable PrivateKey key;
    private @Nullable List<X509Certificate> chain;
    private SmtpBehaviour behaviour = SmtpBehaviour.healthy();
    private Duration readTimeout = Duration.ofSeconds(30);
    private InetAddress bindAddress = InetAddress.getLoopbackAddress();
    private int port;
    private boolean sessionResumption = true;

    private Builder() {}

    /**
     * The port to listen on; 0 (the default) lets the system choose a free one, which {@link
     * #port()} then tells. A fixed port is for the few tests that need several servers on one
     * port at different loopback addresses (as the MX hosts of one domain are probed on port
     * 25): take it from a server started on port 0.
     *
     * @param port 0 to 65535
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * The loopback address to listen on: {@code 127.0.0.1} (default) or {@code ::1}.
     *
     * @param address a loopback address
     * @return this builder
     * @throws IllegalArgumentException if it is not a loopback address: the testkit never listens
     *     beyond this machine
     */
    public Builder bindAddress(InetAddress address) {
      requireNonNull(address, "bindAddress");
      if (!address.isLoopbackAddress()) {
        throw new IllegalArgumentException("bindAddress must be a loopback address: " + address);
      }
      this.bindAddress = address;
      return this;
    }

    /**
     * The FQDN in the greeting and EHLO reply, and the name of the default certificate.
     *
     * @param name a host name
     * @return this builder
     * @throws IllegalArgumentException if blank or containing white space
     */
    public Builder fqdn(String name) {
      requireNonNull(name, "fqdn");
      if (name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("fqdn must be one word: '" + name + "'");
      }
      this.fqdn = name;
      return this;
    }

    /**
     * The key and chain to present (leaf first, then intermediates), whatever their validity.
     *
     * @param privateKey the leaf's key
     * @param certificates the chain as sent in the handshake
     * @return this builder
     * @throws IllegalArgumentException if the chain is empty
     */
    public Builder certificate(PrivateKey privateKey, List<X509Certificate> certificates) {
      requireNonNull(privateKey, "privateKey");
      requireNonNull(certificates, "certificates");
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException("the chain needs at least the leaf");
      }
      this.key = privateKey;
      this.chain = List.copyOf(certificates);
      return this;
    }

    /**
     * The key and chain of a {@link TestPki} certificate.
     *
     * @param issued the certificate
     * @return this builder
     */
    public Builder certificate(IssuedCertificate issued) {
      return certificate(issued.privateKey(), issued.chain());
    }

    /**
     * The initial behaviour.
     *
     * @param b the behaviour
     * @return this builder
     */
    public Builder behaviour(SmtpBehaviour b) {
      this.behaviour = requireNonNull(b, "behaviour");
      return this;
    }

    /**
     * How long the server waits for each client command before closing. Default 30 s.
     *
     * @param d a positive duration
     * @return this builder
     */
    public Builder readTimeout(Duration d) {
      requireNonNull(d, "readTimeout");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("readTimeout must be positive: " + d);
      }
      this.readTimeout = d;
      return this;
    }

    /**
     * Whether clients may resume TLS sessions: on by default, as the JDK's server does (TLS 1.3
     * tickets; TLS 1.2 tickets or session IDs). Off gives every connection a TLS context of its
     * own, as a server that keeps no sessions and whose ticket key changes: whatever a client
     * offers to resume is not recognised and every handshake is full ({@link
     * MockSmtpServer#fullHandshakeCount()}).
     *
     * @param enabled whether to let clients resume
     * @return this builder
     */
    public Builder sessionResumption(boolean enabled) {
      this.sessionResumption = enabled;
      return this;
    }

    /** {@return the server, not yet started} */
    public MockSmtpServer build() {
      if (key != null && chain != null) {
        return new MockSmtpServer(this, fqdn, key, chain, null);
      }
      TestPki pki = TestPki.create();
      IssuedCertificate leaf = pki.leaf(fqdn);
      return new MockSmtpServer(this, fqdn, leaf.privateKey(), leaf.chain(), pki.root().certificate());
    }
  }
}
