package dev.smtptls.testkit.crl;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.smtptls.testkit.internal.LoopbackHttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A real HTTP server on {@code 127.0.0.1}, port 0, serving CRLs for revocation tests: yours and
 * ours. It answers {@code GET} (and {@code HEAD}) with what was {@linkplain #publish published}
 * at a path, with an {@code ETag} and a {@code Last-Modified}, and answers a matching {@code
 * If-None-Match} (or, without one, {@code If-Modified-Since}) with {@code 304 Not Modified}. A
 * path can be made to misbehave with a {@link CrlFault} (404, 500, slow, truncated, oversize, a
 * redirect to {@code https:}) or to {@linkplain #redirect redirect} elsewhere. It counts requests
 * and keeps the last request's headers per path. Unpublished paths get {@code 404}.
 *
 * <pre>{@code
 * TestPki pki = TestPki.builder()
 *     .crlDistributionPoint(URI.create("http://127.0.0.1:" + port + "/intermediate.crl"))...
 * try (CrlServer server = CrlServer.start()) {
 *   URI uri = server.publish("/intermediate.crl",
 *       pki.newCrl(pki.intermediate()).revoke(leaf.certificate()).build());
 *   server.fault("/root.crl", CrlFault.NOT_FOUND);
 *   // ... check the leaf; then
 *   assertThat(server.requestCount("/intermediate.crl")).isEqualTo(1);
 * }
 * }</pre>
 *
 * <p>A stale CRL, or one signed by the wrong key, is not a fault of the server but other bytes:
 * make them with {@code TestPki} and publish them.
 *
 * <pre>{@code
 * // stale: nextUpdate already past
 * server.publish("/stale.crl", pki.newCrl(pki.intermediate())
 *     .thisUpdate(now.minus(Duration.ofDays(8))).nextUpdate(now.minus(Duration.ofDays(1))).build());
 * // signed by the wrong key: another CA with the same name signs it
 * IssuedCertificate impostor = pki.newIntermediate(TestPki.DEFAULT_INTERMEDIATE_NAME).build();
 * server.publish("/intermediate.crl", pki.newCrl(impostor).build());
 * }</pre>
 *
 * <p>Configure with {@link #builder()} (an immutable {@link Config} that can start any number of
 * servers), or take the defaults with {@link #start()}. Thread-safe. Requests are served on daemon
 * threads; every wait in the server (the slow fault) ends when the server is {@linkplain #close()
 * closed}, and {@code close()} ends every connection promptly.
 */
public final class CrlServer implements AutoCloseable {

  /** The default delay of {@link CrlFault#SLOW}: 30 s. */
  public static final Duration DEFAULT_SLOW_DELAY = Duration.ofSeconds(30);

  /** The default length of the {@link CrlFault#OVERSIZE} stream: 1 GiB. */
  public static final long DEFAULT_OVERSIZE_BYTES = 1L << 30;

  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;
  private static final int SLOW_PIECES = 10;
  private static final byte[] FILLER = new byte[1024];
  private static final byte[] ZEROS = new byte[64 * 1024];

  @SuppressWarnings("ArrayRecordComponent") // private, never compared
  private record Published(byte[] body, String etag, Instant lastModified) {}

  private static final class PathState {
    volatile @Nullable Published published;
    volatile @Nullable CrlFault fault;
    volatile @Nullable URI redirect;
    volatile Map<String, List<String>> lastHeaders = Map.of();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicLong bytesSent = new AtomicLong();
  }

  private final Config config;
  private final LoopbackHttpServer http;
  private final ConcurrentHashMap<String, PathState> paths = new ConcurrentHashMap<>();

  private CrlServer(Config config) {
    this.config = config;
    this.http = LoopbackHttpServer.start("crl-server", this::handle);
  }

  /**
   * Starts a server with the defaults: slow delay 30 s,
   * oversize stream 1 GiB, the system clock for {@code Last-Modified}.
   *
   * @return the running server
   * @throws UncheckedIOException if 127.0.0.1 cannot be bound
   */
  public static CrlServer start() {
    return builder().build().start();
  }

  /** {@return a builder with the defaults} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Publishes bytes at a path: from now on {@code GET} answers them with {@code 200}, a new
   * {@code ETag} and a {@code Last-Modified} of now (by the configured clock, whole seconds).
   *
   * @param path an absolute path, e.g. {@code /intermediate.crl}
   * @param der the bytes, usually a DER-encoded CRL (copied); any bytes will do, for tests of
   *     unparseable CRLs
   * @return the URL to fetch them from
   * @throws IllegalArgumentException if the path does not start with {@code /} or has a query or
   *     fragment
   */
  public URI publish(String path, byte[] der) {
    requireNonNull(der, "der");
    byte[] copy = der.clone();
    state(path).published = new Published(copy, etag(copy), config.clock.instant().truncatedTo(ChronoUnit.SECONDS));
    return uri(path);
  }

  /**
   * Publishes a CRL's DER encoding at a path, as {@link #publish(String, byte[])} does.
   *
   * @param path an absolute path, e.g. {@code /intermediate.crl}
   * @param crl the CRL, e.g. from {@code TestPki.newCrl(ca).build()}
   * @return the URL to fetch it from
   * @throws IllegalArgumentException if the path is not a plain absolute path, or the CRL cannot
   *     be encoded
   */
  public URI publish(String path, X509CRL crl) {
    requireNonNull(crl, "crl");
    try {
      return publish(path, crl.getEncoded());
    } catch (CRLException e) {
      throw new IllegalArgumentException("cannot encode the CRL", e);
    }
  }

  /**
   * Makes a path misbehave from the next request on; replaces any earlier fault. {@link
   * CrlFault#SLOW} and {@link CrlFault#TRUNCATED} send the published bytes (1 KiB of zeros when
   * nothing is published).
   *
   * @param path an absolute path
   * @param fault how to misbehave
   */
  public void fault(String path, CrlFault fault) {
    state(path).fault = requireNonNull(fault, "fault");
  }

  /**
   * Ends a path's fault: it serves what is published again.
   *
   * @param path an absolute path
   */
  public void clearFault(String path) {
    state(path).fault = null;
  }

  /**
   * Makes a path answer {@code 302 Found} with a {@code Location}, e.g. to another path of this
   * server or another scheme. A fault on the path wins over the redirect.
   *
   * @param path an absolute path
   * @param target where to send the client; relative targets are resolved against this server
   * @return the URL of {@code path}
   */
  public URI redirect(String path, URI target) {
    requireNonNull(target, "target");
    state(path).redirect = uri("/").resolve(target);
    return uri(path);
  }

  /**
   * {@return the URL of a path on this server: {@code http://127.0.0.1:port/path}}
   *
   * @param path an absolute path
   */
  public URI uri(String path) {
    checkPath(path);
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  /** {@return the bound port} */
  public int port() {
    return http.port();
  }

  /** {@return the configuration this server runs with} */
  public Config config() {
    return config;
  }

  /**
   * {@return how many requests arrived for a path (whatever was answered)}
   *
   * @param path an absolute path
   */
  public int requestCount(String path) {
    PathState s = paths.get(checkPath(path));
    return s == null ? 0 : s.requests.get();
  }

  /**
   * {@return the headers of the last request for a path, names case-insensitive; empty before the
   * first}
   *
   * @param path an absolute path
   */
  public Map<String, List<String>> lastRequestHeaders(String path) {
    PathState s = paths.get(checkPath(path));
    return s == null ? Map.of() : s.lastHeaders;
  }

  /**
   * {@return how many body bytes the server wrote for a path, summed over its requests: tells how
   * soon a client gave up on an {@link CrlFault#OVERSIZE} stream}
   *
   * @param path an absolute path
   */
  public long bytesSent(String path) {
    PathState s = paths.get(checkPath(path));
    return s == null ? 0 : s.bytesSent.get();
  }

  /** Stops: ends every wait and connection and the server's threads, promptly. Idempotent. */
  @Override
  public void close() {
    http.close();
  }

  // ---------------------------------------------------------------- serving

  private void handle(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getRawPath();
      PathState s = paths.computeIfAbsent(path == null || path.isEmpty() ? "/" : path, k -> new PathState());
      s.lastHeaders = copy(exchange.getRequestHeaders());
      s.requests.incrementAndGet();
      String method = exchange.getRequestMethod();
      boolean head = method.equals("HEAD");
      if (!head && !method.equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      CrlFault fault = s.fault;
      Published published = s.published;
      if (fault != null) {
        serveFault(exchange, s, fault, published, path == null ? "/" : path);
        return;
      }
      URI redirect = s.redirect;
      if (redirect != null) {
        exchange.getResponseHeaders().set("Location", redirect.toString());
        exchange.sendResponseHeaders(302, -1);
        return;
      }
      if (published == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      Headers out = exchange.getResponseHeaders();
      out.set("ETag", published.etag());
      out.set("Last-Modified", HTTP_DATE.format(ZonedDateTime.ofInstant(published.lastModified(), ZoneOffset.UTC)));
      out.set("Content-Type", "application/pkix-crl");
      if (notModified(exchange.getRequestHeaders(), published)) {
        exchange.sendResponseHeaders(304, -1);
        return;
      }
      if (head) {
        out.set("Content-Length", Integer.toString(published.body().length));
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      byte[] body = published.body();
      exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
      write(exchange.getResponseBody(), s, body, 0, body.length);
    } finally {
      exchange.close();
    }
  }

  private void serveFault(HttpExchange exchange, PathState s, CrlFault fault, @Nullable Published published, String path)
      throws IOException {
    byte[] body = published == null ? FILLER : published.body();
    switch (fault) {
      case NOT_FOUND -> exchange.sendResponseHeaders(404, -1);
      case SERVER_ERROR -> exchange.sendResponseHeaders(500, -1);
      case REDIRECT_TO_HTTPS -> {
        exchange.getResponseHeaders().set("Location", "https://127.0.0.1:" + port() + path);
        exchange.sendResponseHeaders(302, -1);
      }
      case SLOW -> serveSlow(exchange, s, body);
      case TRUNCATED -> {
        exchange.getResponseHeaders().set("Content-Type", "application/pkix-crl");
        exchange.sendResponseHeaders(200, Math.max(2, body.length));
        OutputStream out = exchange.getResponseBody();
        write(out, s, body, 0, Math.max(1, body.length / 2));
        out.flush();
        // Failing the exchange makes the server drop the connection without the rest.
        throw new IOException("truncated on purpose");
      }
      case OVERSIZE -> {
        exchange.getResponseHeaders().set("Content-Type", "application/pkix-crl");
        exchange.sendResponseHeaders(200, 0);
        OutputStream stream = exchange.getResponseBody();
        long left = config.oversizeBytes;
        while (left > 0 && !http.closing()) {
          int n = (int) Math.min(ZEROS.length, left);
          write(stream, s, ZEROS, 0, n);
          left -= n;
        }
      }
    }
  }

  private void serveSlow(HttpExchange exchange, PathState s, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/pkix-crl");
    exchange.sendResponseHeaders(200, body.length);
    OutputStream out = exchange.getResponseBody();
    out.flush();
    int pieces = Math.max(1, Math.min(SLOW_PIECES, body.length));
    long interval = Math.max(1, config.slowDelay.toNanos() / pieces);
    int sent = 0;
    for (int i = 1; i <= pieces; i++) {
      try {
        if (http.awaitClosing(interval)) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      int upTo = (int) ((long) body.length * i / pieces);
      write(out, s, body, sent, upTo - sent);
      out.flush();
      sent = upTo;
    }
  }

  private static void write(OutputStream out, PathState s, byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    s.bytesSent.addAndGet(len);
  }

  private static boolean notModified(Headers request, Published published) {
    String ifNoneMatch = request.getFirst("If-None-Match");
    if (ifNoneMatch != null) {
      for (String tag : ifNoneMatch.split(",", -1)) {
        String t = tag.trim();
        if (t.startsWith("W/")) {
          t = t.substring(2);
        }
        if (t.equals("*") || t.equals(published.etag())) {
          return true;
        }
      }
      return false;
    }
    String ifModifiedSince = request.getFirst("If-Modified-Since");
    if (ifModifiedSince != null) {
      try {
        Instant since = ZonedDateTime.parse(ifModifiedSince.trim(), HTTP_DATE).toInstant();
        return !published.lastModified().isAfter(since);
      } catch (DateTimeParseException e) {
        return false;
      }
    }
    return false;
  }

  private static Map<String, List<String>> copy(Headers headers) {
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return Collections.unmodifiableMap(copy);
  }

  private static String etag(byte[] body) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
      return "\"" + HexFormat.of().formatHex(Arrays.copyOf(digest, 16)) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }

  private PathState state(String path) {
    return paths.computeIfAbsent(checkPath(path), k -> new PathState());
  }

  private static String checkPath(String path) {
    requireNonNull(path, "path");
    if (!path.startsWith("/") || path.indexOf('?') >= 0 || path.indexOf('#') >= 0) {
      throw new IllegalArgumentException("path must start with / and have no query or fragment: " + path);
    }
    URI.create(path); // rejects characters a URL path cannot hold
    return path;
  }

  // ---------------------------------------------------------------- configuration

  /** Collects a {@link Config}. Not thread-safe. */
  public static final class Builder {
    private Duration slowDelay = DEFAULT_SLOW_DELAY;
    private long oversizeBytes = DEFAULT_OVERSIZE_BYTES;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Sets how long {@link CrlFault#SLOW} takes to send the whole body; by default 30 s. Make it
     * longer than the client's read timeout to test the timeout, shorter to make requests overlap.
     *
     * @param slowDelay a positive duration of at most one hour
     * @return this builder
     * @throws IllegalArgumentException if not positive or longer than an hour
     */
    public Builder slowDelay(Duration slowDelay) {
      requireNonNull(slowDelay, "slowDelay");
      if (slowDelay.isNegative() || slowDelay.isZero() || slowDelay.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("slowDelay must be positive and at most an hour, got " + slowDelay);
      }
      this.slowDelay = slowDelay;
      return this;
    }

    /**
     * Sets how many bytes {@link CrlFault#OVERSIZE} streams at most; by default 1 GiB.
     *
     * @param oversizeBytes a positive count
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder oversizeBytes(long oversizeBytes) {
      if (oversizeBytes <= 0) {
        throw new IllegalArgumentException("oversizeBytes must be positive, got " + oversizeBytes);
      }
      this.oversizeBytes = oversizeBytes;
      return this;
    }

    /**
     * Sets the clock that dates {@code Last-Modified} on publication; by default the system clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** {@return the immutable configuration} */
    public Config build() {
      return new Config(slowDelay, oversizeBytes, clock);
    }

    /**
     * Builds and starts a server: {@code build().start()}.
     *
     * @return the running server
     * @throws UncheckedIOException if 127.0.0.1 cannot be bound
     */
    public CrlServer start() {
      return build().start();
    }
  }

  /** An immutable, thread-safe server configuration; {@link #start()} runs a server with it. */
  public static final class Config {
    private final Duration slowDelay;
    private final long oversizeBytes;
    private final Clock clock;

    private Config(Duration slowDelay, long oversizeBytes, Clock clock) {
      this.slowDelay = slowDelay;
      this.oversizeBytes = oversizeBytes;
      this.clock = clock;
    }

    /** {@return how long {@link CrlFault#SLOW} takes to send the body} */
    public Duration slowDelay() {
      return slowDelay;
    }

    /** {@return how many bytes {@link CrlFault#OVERSIZE} streams at most} */
    public long oversizeBytes() {
      return oversizeBytes;
    }

    /** {@return the clock that dates {@code Last-Modified}} */
    public Clock clock() {
      return clock;
    }

    /**
     * Binds {@code 127.0.0.1} on an ephemeral port and starts serving.
     *
     * @return the running server; close it
     * @throws UncheckedIOException if 127.0.0.1 cannot be bound
     */
    public CrlServer start() {
      return new CrlServer(this);
    }
  }
}
