package dev.smtptls.testkit.mtasts;

import static java.util.Objects.requireNonNull;

import dev.smtptls.testkit.pki.IssuedCertificate;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * A real HTTPS server for MTA-STS tests, yours and ours: TLS with a {@code TestPki} certificate on
 * {@code 127.0.0.1} (or another loopback address), port 0, answering every request with the
 * scripted {@link PolicyResponse} and closing the connection. Point a {@code MockDnsServer} A
 * record for {@code mta-sts.<domain>} at {@link #address()} and the checker's port at {@link
 * #port()}.
 *
 * <pre>{@code
 * TestPki pki = TestPki.create();
 * try (MtaStsPolicyServer https = MtaStsPolicyServer.builder()
 *         .certificate(pki.leaf("mta-sts.example.test"))
 *         .start()) {
 *   https.respond(PolicyResponse.policy("version: STSv1\nmode: enforce\nmx: mx.example.test\nmax_age: 86400\n"));
 *   // ... fetch; then
 *   assertThat(https.requests()).extracting(PolicyRequest::sni).containsExactly("mta-sts.example.test");
 * }
 * }</pre>
 *
 * <p>{@link #requests()} records each request read (method, target, {@code Host}, SNI); {@link
 * #serverNames()} the SNI of every handshake, a request sent or not (recorded as the ClientHello
 * arrives, so a client that hangs up right after its handshake is on record). Stalls ({@link
 * PolicyResponse.Fault}) wait until {@link #close()} (at most {@value #MAX_STALL_SECONDS} s), never
 * on a timer of their own: the client's timeout ends the test. Bounds: a request head of at most
 * {@value #MAX_REQUEST_HEAD} bytes, read with the read timeout; at most {@value #MAX_CONNECTIONS}
 * connections at once (more are closed). Thread-safe; serves on daemon threads.
 */
public final class MtaStsPolicyServer implements AutoCloseable {

  /** The longest request head read: {@value} bytes. */
  public static final int MAX_REQUEST_HEAD = 16 * 1024;

  /** The most connections served at once: {@value}. */
  public static final int MAX_CONNECTIONS = 32;

  /** The longest a stall lasts if the server is not closed: {@value} s. */
  public static final int MAX_STALL_SECONDS = 120;

  private static final int CHUNK = 4096;

  private final SSLContext sslContext;
  private final InetAddress bindAddress;
  private final Duration readTimeout;
  private final ServerSocket serverSocket;
  private final ExecutorService workers;
  private final CountDownLatch closing = new CountDownLatch(1);
  private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final List<PolicyRequest> requests = new CopyOnWriteArrayList<>();
  private final List<String> serverNames = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile PolicyResponse response = PolicyResponse.status(404);

  private MtaStsPolicyServer(Builder b, IssuedCertificate certificate) {
    this.bindAddress = b.bindAddress;
    this.readTimeout = b.readTimeout;
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(new KeyManager[] {certificate.keyManager()}, null, null);
      this.sslContext = ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make the server's TLS context", e);
    }
    try {
      ServerSocket ss = new ServerSocket();
      ss.bind(new InetSocketAddress(bindAddress, b.port), 64);
      this.serverSocket = ss;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind " + bindAddress.getHostAddress(), e);
    }
    this.workers = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "mta-sts-policy-server");
      t.setDaemon(true);
      return t;
    });
    workers.execute(this::acceptLoop);
  }

  /** {@return a builder} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the bound port} */
  public int port() {
    return serverSocket.getLocalPort();
  }

  /** {@return the bound address} */
  public InetAddress address() {
    return bindAddress;
  }

  /**
   * Sets what every following request gets. Until called, the server answers 404.
   *
   * @param r the response
   * @return this server
   */
  public MtaStsPolicyServer respond(PolicyResponse r) {
    this.response = requireNonNull(r, "response");
    return this;
  }

  /** {@return the requests read so far, in order} */
  public List<PolicyRequest> requests() {
    return List.copyOf(requests);
  }

  /** {@return the SNI name of every handshake, recorded as its ClientHello arrives (an empty string for a completed handshake without SNI)} */
  public List<String> serverNames() {
    return List.copyOf(serverNames);
  }

  /** {@return the TCP connections accepted so far} */
  public int connectionCount() {
    return connections.get();
  }

  private void acceptLoop() {
    while (closing.getCount() > 0) {
      Socket s;
      try {
        s = serverSocket.accept();
      } catch (IOException e) {
        return;
      }
      connections.incrementAndGet();
      if (!slots.tryAcquire()) {
        closeQuietly(s);
        continue;
      }
      open.add(s);
      PolicyResponse r = response;
      try {
        workers.execute(() -> {
          try {
            serve(s, r);
          } finally {
            open.remove(s);
            closeQuietly(s);
            slots.release();
          }
        });
      } catch (RuntimeException e) {
        open.remove(s);
        closeQuietly(s);
        slots.release();
      }
    }
  }

  private void serve(Socket plain, PolicyResponse r) {
    try {
      plain.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, readTimeout.toMillis())));
      if (r.faultKind() == PolicyResponse.Fault.STALL_HANDSHAKE) {
        stall();
        return;
      }
      SSLSocket tls = (SSLSocket) sslContext.getSocketFactory().createSocket(plain, null, plain.getPort(), false);
      tls.setUseClientMode(false);
      // The SNI is recorded while the ClientHello is read, before the server answers it: by the
      // time the client's handshake is done (and it may hang up at once), the name is on record.
      AtomicBoolean named = new AtomicBoolean();
      SSLParameters params = tls.getSSLParameters();
      params.setSNIMatchers(List.of(new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
        @Override
        public boolean matches(SNIServerName name) {
          if (named.compareAndSet(false, true)) {
            serverNames.add(name instanceof SNIHostName h ? h.getAsciiName() : "");
          }
          return true;
        }
      }));
      tls.setSSLParameters(params);
      open.add(tls);
      try {
        tls.startHandshake();
        String sni = sni(tls.getSession());
        if (named.compareAndSet(false, true)) {
          serverNames.add(sni == null ? "" : sni);
        }
        InputStream in = new BufferedInputStream(tls.getInputStream());
        PolicyRequest request = readRequest(in, sni);
        if (request == null) {
          return;
        }
        requests.add(request);
        switch (r.faultKind()) {
          case STALL_RESPONSE -> {
            stall();
            return;
          }
          case DISCONNECT -> {
            return;
          }
          default -> writeResponse(tls.getOutputStream(), r);
        }
      } finally {
        open.remove(tls);
        closeQuietly(tls);
      }
    } catch (IOException e) {
      // the client went away or the handshake failed: nothing to answer
    }
  }

  private static @Nullable String sni(SSLSession session) {
    if (session instanceof ExtendedSSLSession ext) {
      for (SNIServerName n : ext.getRequestedServerNames()) {
        if (n instanceof SNIHostName h) {
          return h.getAsciiName();
        }
      }
    }
    return null;
  }

  private static @Nullable PolicyRequest readRequest(InputStream in, @Nullable String sni) throws IOException {
    String requestLine = readLine(in, new int[] {MAX_REQUEST_HEAD});
    if (requestLine == null) {
      return null;
    }
    int[] budget = {MAX_REQUEST_HEAD - requestLine.length()};
    String host = null;
    while (true) {
      String line = readLine(in, budget);
      if (line == null || line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("host") && host == null) {
        host = line.substring(colon + 1).trim();
      }
    }
    String[] parts = requestLine.split(" ", 3);
    return new PolicyRequest(parts[0], parts.length > 1 ? parts[1] : "", parts.length > 2 ? parts[2] : "", host, sni);
  }

  private static @Nullable String readLine(InputStream in, int[] budget) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
      }
      if (--budget[0] < 0) {
        throw new IOException("request head too long");
      }
      if (b == '\n') {
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      line.write(b);
    }
  }

  private void writeResponse(OutputStream out, PolicyResponse r) throws IOException {
    byte[] body = r.bodyUnsafe();
    StringBuilder head = new StringBuilder("HTTP/1.1 ").append(r.statusCode()).append(' ').append(r.reason()).append("\r\n");
    for (Map.Entry<String, String> h : r.headers().entrySet()) {
      head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
    }
    switch (r.framing()) {
      case CONTENT_LENGTH -> head.append("Content-Length: ").append(body.length).append("\r\n");
      case CHUNKED -> head.append("Transfer-Encoding: chunked\r\n");
      case CLOSE -> {
        // the end of the connection ends the body
      }
    }
    head.append("Connection: close\r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    boolean stallBody = r.faultKind() == PolicyResponse.Fault.STALL_BODY;
    int end = stallBody ? body.length / 2 : body.length;
    if (r.framing() == PolicyResponse.Framing.CHUNKED) {
      for (int off = 0; off < end; off += CHUNK) {
        int n = Math.min(CHUNK, end - off);
        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body, off, n);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      if (!stallBody) {
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      }
    } else {
      out.write(body, 0, end);
    }
    out.flush();
    if (stallBody) {
      stall();
    }
  }

  private void stall() {
    try {
      closing.await(MAX_STALL_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops: ends every stall and connection and releases the port, promptly. Idempotent. */
  @Override
  public void close() {
    if (closing.getCount() == 0) {
      return;
    }
    closing.countDown();
    closeQuietly(serverSocket);
    open.forEach(MtaStsPolicyServer::closeQuietly);
    workers.shutdownNow();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // closing is best effort
    }
  }

  /** Builds an {@link MtaStsPolicyServer}. Not thread-safe. */
  public static final class Builder {
    private @Nullable IssuedCertificate certificate;
    private InetAddress bindAddress = InetAddress.getLoopbackAddress();
    private int port;
    private Duration readTimeout = Duration.ofSeconds(5);

    private Builder() {}

    /**
     * The certificate and chain the server presents. Required.
     *
     * @param issued a {@code TestPki} certificate, e.g. {@code pki.leaf("mta-sts.example.test")}
     * @return this builder
     */
    public Builder certificate(IssuedCertificate issued) {
      this.certificate = requireNonNull(issued, "certificate");
      return this;
    }

    /**
     * The address to bind. Default {@code 127.0.0.1}.
     *
     * @param address a loopback address
     * @return this builder
     * @throws IllegalArgumentException if not a loopback address
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
     * The port to listen on; 0 (the default) lets the system choose, which {@link
     * MtaStsPolicyServer#port()} tells. A fixed port is for tests that serve several policy hosts
     * on one port at different loopback addresses, as senders fetch every policy from port 443:
     * take it from a server started on port 0.
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
     * How long the server waits for each read of a request. Default 5 s.
     *
     * @param timeout positive
     * @return this builder
     */
    public Builder readTimeout(Duration timeout) {
      requireNonNull(timeout, "readTimeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("readTimeout must be positive: " + timeout);
      }
      this.readTimeout = timeout;
      return this;
    }

    /**
     * Binds and starts serving.
     *
     * @return the running server; close it
     * @throws IllegalStateException if no certificate was set
     * @throws UncheckedIOException if the address cannot be bound
     */
    public MtaStsPolicyServer start() {
      if (certificate == null) {
        throw new IllegalStateException("a certificate is required");
      }
      return new MtaStsPolicyServer(this, certificate);
    }
  }
}
