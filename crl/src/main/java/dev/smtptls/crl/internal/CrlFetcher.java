package dev.smtptls.crl.internal;

import static java.util.Objects.requireNonNull;

import dev.smtptls.crl.internal.FetchResult.Failed;
import dev.smtptls.crl.internal.FetchResult.Failure;
import dev.smtptls.crl.internal.FetchResult.Fetched;
import dev.smtptls.crl.internal.FetchResult.NotModified;
import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import dev.smtptls.internal.http.BoundedBody;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Clock;
import java.time.Duration;
import java.util.Hashtable;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.naming.AuthenticationException;
import javax.naming.CommunicationException;
import javax.naming.CompositeName;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import javax.naming.NoPermissionException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import org.jspecify.annotations.Nullable;

/**
 * Fetches CRLs from {@code http:} and {@code ldap:} locations (RFC 5280 §4.2.1.13), bounded in
 * time and size, and says what went wrong in words an administrator understands.
 *
 * <p>HTTP goes through the JDK's {@link HttpClient} (HTTP/1.1): a connect timeout, then the
 * answer, headers and the whole body, within the read timeout (a server that drips bytes is
 * cut off when it runs out); a size cap (a larger {@code Content-Length} is refused before any
 * byte of the body is read, a longer stream is cut as soon as it passes the cap: the body is
 * collected one network buffer at a time and never held beyond the cap); a 2xx
 * status required; redirects followed only from {@code http:} to {@code http:}, at most
 * {@value #MAX_REDIRECTS} hops ("no redirect to another scheme"). With a validator from an earlier
 * fetch the request is conditional ({@code If-None-Match}, {@code If-Modified-Since}) and a
 * {@code 304} gives {@link NotModified}.
 *
 * <p>{@code ldap:} URLs (RFC 4516) are read through JNDI: anonymously, the attribute the URL
 * names (by default {@code certificateRevocationList;binary}) of the entry it names, with the same
 * connect and read timeouts. JNDI reads the whole LDAP answer before the size cap is checked.
 * An {@code ldap:///} URL without a server (as Active Directory Certificate Services writes them)
 * fails with {@link Failure#LDAP}: only a member of that domain can follow it.
 *
 * <p>Any other scheme gives {@link Failure#UNSUPPORTED_SCHEME}. Remote failures are results,
 * never exceptions. An interrupted fetch returns promptly a {@link Failure#IO} "interrupted"
 * result with the thread's interrupt flag set.
 *
 * <p>Host names are resolved by the JDK (the system resolver) for now, not through smtptls's
 * {@code DnsResolver}: routing CRL fetches through the configured resolver arrives with a later
 * change.
 *
 * <p>Immutable and thread-safe; one instance can serve any number of concurrent fetches.
 */
public final class CrlFetcher {

  /** The default size cap: {@value} bytes (64 MiB). */
  public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;

  /** The default connect timeout: 5 s. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** The default read timeout (the answer, headers and whole body): 20 s. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(20);

  /** Redirects followed ({@code http:} to {@code http:} only) before giving up. */
  public static final int MAX_REDIRECTS = 3;

  private static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final long maxBytes;
  private final Clock clock;
  private final HttpClient http;

  /**
   * A fetcher.
   *
   * @param connectTimeout how long to wait for a TCP connection
   * @param readTimeout how long to wait, once connected, for the answer: the headers and the whole
   *     body
   * @param maxBytes the size cap: a larger CRL fails with {@link Failure#TOO_LARGE}
   * @param clock gives {@code fetchedAt}; latencies are measured with {@link System#nanoTime()}
   * @throws IllegalArgumentException if a timeout is not positive, or {@code maxBytes} is not
   *     between 1 and about 2 GiB (the largest Java array)
   */
  public CrlFetcher(Duration connectTimeout, Duration readTimeout, long maxBytes, Clock clock) {
    this.connectTimeout = positive(connectTimeout, "connectTimeout");
    this.readTimeout = positive(readTimeout, "readTimeout");
    if (maxBytes < 1 || maxBytes > MAX_ARRAY) {
      throw new IllegalArgumentException("maxBytes must be between 1 and " + MAX_ARRAY + ", got " + maxBytes);
    }
    this.maxBytes = maxBytes;
    this.clock = requireNonNull(clock, "clock");
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(connectTimeout)
            .build();
  }

  /**
   * {@return a fetcher with a 5 s connect timeout, a 20 s read timeout, a 64 MiB cap and the
   * system clock}
   */
  public static CrlFetcher defaults() {
    return new CrlFetcher(
        DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, DEFAULT_MAX_BYTES, Clock.systemUTC());
  }

  /** {@return the connect timeout} */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** {@return the read timeout: the answer, headers and whole body} */
  public Duration readTimeout() {
    return readTimeout;
  }

  /** {@return the size cap in bytes} */
  public long maxBytes() {
    return maxBytes;
  }

  /**
   * Fetches a CRL; conditionally when a validator from an earlier fetch is given.
   *
   * @param uri an {@code http:} or {@code ldap:} URL
   * @param etag the {@code ETag} of the copy the caller holds, sent as {@code If-None-Match}
   *     (HTTP only)
   * @param lastModified the {@code Last-Modified} of the copy the caller holds, sent as {@code
   *     If-Modified-Since} (HTTP only)
   * @return the body, not-modified, or the failure; never null
   */
  public FetchResult fetch(URI uri, @Nullable String etag, @Nullable String lastModified) {
    requireNonNull(uri, "uri");
    long start = System.nanoTime();
    if (Thread.currentThread().isInterrupted()) {
      return interrupted(uri, start);
    }
    String scheme = uri.getScheme();
    String lower = scheme == null ? "" : scheme.toLowerCase(Locale.ROOT);
    return switch (lower) {
      case "http" -> fetchHttp(uri, etag, lastModified, start);
      case "ldap" -> fetchLdap(uri, start);
      case "" -> failed(uri, Failure.UNSUPPORTED_SCHEME,
          "not a URL (no scheme): CRLs are fetched from http: and ldap: URLs only", null, start);
      default -> failed(uri, Failure.UNSUPPORTED_SCHEME,
          lower + ": is not fetched: CRLs are fetched from http: and ldap: URLs only", null, start);
    };
  }

  // ---------------------------------------------------------------- HTTP

  private FetchResult fetchHttp(URI uri, @Nullable String etag, @Nullable String lastModified, long start) {
    long deadline = start + connectTimeout.toNanos() + readTimeout.toNanos();
    URI current = uri;
    for (int hop = 0; ; hop++) {
      String where = current.equals(uri) ? "" : " (after a redirect to " + current + ")";
      if (current.getHost() == null) {
        return failed(uri, Failure.CONNECT, "the URL names no host" + where, null, start);
      }
      HttpRequest request;
      try {
        HttpRequest.Builder b =
            HttpRequest.newBuilder(current)
                .GET()
                .timeout(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))
                .header("Accept", "application/pkix-crl, */*;q=0.5")
                .header("User-Agent", "smtptls-crl");
        if (etag != null) {
          b.header("If-None-Match", etag);
        }
        if (lastModified != null) {
          b.header("If-Modified-Since", lastModified);
        }
        request = b.build();
      } catch (IllegalArgumentException e) {
        return failed(uri, Failure.IO, "the URL cannot be requested: " + e.getMessage() + where, null, start);
      }
      CompletableFuture<HttpResponse<BoundedBody>> pending =
          http.sendAsync(request, BoundedBody.handler(maxBytes));
      HttpResponse<BoundedBody> response;
      try {
        response = pending.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        abandon(pending);
        return failed(uri, Failure.TIMEOUT, "no answer within " + FetchWords.duration(readTimeout) + where, null, start);
      } catch (InterruptedException e) {
        abandon(pending);
        Thread.currentThread().interrupt();
        return interrupted(uri, start);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return failedByException(uri, current, cause, where, start);
      }
      int status = response.statusCode();
      if (status == 304) {
        response.body().cancel();
        if (etag != null || lastModified != null) {
          return new NotModified(uri, elapsed(start), clock.instant());
        }
        return failed(uri, Failure.HTTP_STATUS,
            FetchWords.status(304) + " to a request that was not conditional" + where, 304, start);
      }
      if (status >= 300 && status < 400) {
        response.body().cancel();
        Optional<String> location = response.headers().firstValue("Location");
        if (location.isEmpty() || location.get().isBlank()) {
          return failed(uri, Failure.HTTP_STATUS, FetchWords.status(status) + " without a Location" + where, status, start);
        }
        URI target;
        try {
          target = current.resolve(location.get().trim());
        } catch (IllegalArgumentException e) {
          return failed(uri, Failure.REDIRECT,
              "redirect to an invalid location: not followed (" + location.get().trim() + ")", status, start);
        }
        String targetScheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!targetScheme.equals("http")) {
          return failed(uri, Failure.REDIRECT,
              "redirect to " + (targetScheme.isEmpty() ? "a location without a scheme" : targetScheme + ":")
                  + " not followed (" + FetchWords.status(status) + " to " + target
                  + "; CRLs are fetched without a change of scheme)",
              status, start);
        }
        if (hop >= MAX_REDIRECTS) {
          return failed(uri, Failure.REDIRECT,
              "more than " + MAX_REDIRECTS + " redirects: not followed (the last to " + target + ")", status, start);
        }
        current = target;
        continue;
      }
      if (status < 200 || status > 299) {
        response.body().cancel();
        return failed(uri, Failure.HTTP_STATUS, FetchWords.status(status) + where, status, start);
      }
      return readBody(uri, response, where, deadline, start);
    }
  }

  private FetchResult readBody(URI uri, HttpResponse<BoundedBody> response, String where, long deadline, long start) {
    int status = response.statusCode();
    BoundedBody body = response.body();
    OptionalLong announced = body.announced();
    if (announced.isPresent() && announced.getAsLong() > maxBytes) {
      body.cancel();
      return failed(uri, Failure.TOO_LARGE,
          "larger than " + FetchWords.size(maxBytes) + " (the server announces "
              + FetchWords.size(announced.getAsLong()) + ")" + where,
          status, start);
    }
    byte[] bytes;
    try {
      bytes = body.done().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      body.cancel();
      return failed(uri, Failure.TIMEOUT,
          "the CRL did not arrive within " + FetchWords.duration(readTimeout) + " ("
              + FetchWords.size(body.received()) + of(announced) + " received)" + where,
          status, start);
    } catch (InterruptedException e) {
      body.cancel();
      Thread.currentThread().interrupt();
      return interrupted(uri, start);
    } catch (ExecutionException e) {
      body.cancel();
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof BoundedBody.TooLarge) {
        return failed(uri, Failure.TOO_LARGE, "larger than " + FetchWords.size(maxBytes) + where, status, start);
      }
      String got = FetchWords.size(body.received()) + of(announced) + where;
      return failed(uri, Failure.IO,
          endOfStream(cause)
              ? "the server closed the connection after " + got
              : "the connection broke after " + got + reason(cause),
          status, start);
    }
    if (announced.isPresent() && bytes.length < announced.getAsLong()) {
      return failed(uri, Failure.IO,
          "the connection closed after " + FetchWords.size(bytes.length) + of(announced) + where, status, start);
    }
    return new Fetched(uri, bytes, status, elapsed(start),
        response.headers().firstValue("ETag").orElse(null),
        response.headers().firstValue("Last-Modified").orElse(null),
        clock.instant());
  }

  private static String of(OptionalLong announced) {
    return announced.isPresent() ? " of " + FetchWords.size(announced.getAsLong()) : "";
  }

  private Failed failedByException(URI uri, URI current, Throwable t, String where, long start) {
    if (t instanceof HttpConnectTimeoutException) {
      return failed(uri, Failure.TIMEOUT, "no connection within " + FetchWords.duration(connectTimeout) + where, null, start);
    }
    if (t instanceof HttpTimeoutException) {
      return failed(uri, Failure.TIMEOUT, "no answer within " + FetchWords.duration(readTimeout) + where, null, start);
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof UnresolvedAddressException || c instanceof UnknownHostException) {
        return failed(uri, Failure.DNS, "host name not found: " + current.getHost() + where, null, start);
      }
      if (c instanceof NoRouteToHostException) {
        return failed(uri, Failure.CONNECT, "no route to host" + where, null, start);
      }
      if (c instanceof SocketTimeoutException) {
        return failed(uri, Failure.TIMEOUT, "no connection within " + FetchWords.duration(connectTimeout) + where, null, start);
      }
      if (c instanceof InterruptedException || c instanceof InterruptedIOException) {
        Thread.currentThread().interrupt();
        return interrupted(uri, start);
      }
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException) {
        // The JDK's HttpClient reports a refused connection without any message.
        String message = deepestMessage(t);
        if (message == null || message.toLowerCase(Locale.ROOT).contains("refused")) {
          return failed(uri, Failure.CONNECT, "connection refused" + where, null, start);
        }
        return failed(uri, Failure.CONNECT, "cannot connect" + where + ": " + message, null, start);
      }
    }
    String message = deepestMessage(t);
    if (message != null && message.contains("received no bytes")) {
      return failed(uri, Failure.IO, "the server closed the connection without answering" + where, null, start);
    }
    if (endOfStream(t)) {
      return failed(uri, Failure.IO, "the server closed the connection before the whole CRL arrived" + where, null, start);
    }
    return failed(uri, Failure.IO, "the connection broke" + where + reason(t), null, start);
  }

  // ---------------------------------------------------------------- LDAP

  private FetchResult fetchLdap(URI uri, long start) {
    FetchLdapUrl url;
    try {
      url = FetchLdapUrl.parse(uri);
    } catch (IllegalArgumentException e) {
      return failed(uri, Failure.LDAP, String.valueOf(e.getMessage()), null, start);
    }
    if (url.host() == null) {
      return failed(uri, Failure.LDAP,
          "the ldap: URL names no server (ldap:///...): only a member of the issuing Active Directory"
              + " domain can read it; publish the CRL over http: for everyone else",
          null, start);
    }
    CompletableFuture<FetchResult> task =
        CompletableFuture.supplyAsync(() -> readLdap(uri, url, start), LdapThreads.EXECUTOR);
    // JNDI itself honours both timeouts; a little slack lets its own failure arrive first.
    long wait = connectTimeout.toNanos() + readTimeout.toNanos() + TimeUnit.SECONDS.toNanos(1);
    try {
      return task.get(wait, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      task.cancel(true);
      return failed(uri, Failure.TIMEOUT, "no answer within " + FetchWords.duration(readTimeout), null, start);
    } catch (InterruptedException e) {
      task.cancel(true);
      Thread.currentThread().interrupt();
      return interrupted(uri, start);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return failed(uri, Failure.LDAP, "the LDAP read failed" + reason(cause), null, start);
    }
  }

  // getAttributes with named attribute ids returns raw values (byte[] or String): no Java
  // object is ever deserialized (that happens only for lookup() and for searches returning objects).
  @SuppressWarnings({"BanJNDI", "JdkObsolete"}) // JNDI takes its environment as a Hashtable
  private FetchResult readLdap(URI uri, FetchLdapUrl url, long start) {
    Hashtable<String, Object> env = new Hashtable<>();
    env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
    env.put(Context.PROVIDER_URL, url.serverUrl());
    env.put(Context.SECURITY_AUTHENTICATION, "none");
    env.put(Context.REFERRAL, "ignore");
    env.put("com.sun.jndi.ldap.connect.timeout", Long.toString(Math.max(1, connectTimeout.toMillis())));
    env.put("com.sun.jndi.ldap.read.timeout", Long.toString(Math.max(1, readTimeout.toMillis())));
    env.put("com.sun.jndi.ldap.connect.pool", "false");
    env.put("java.naming.ldap.version", "3");
    env.put("java.naming.ldap.attributes.binary", url.attributeType() + " " + url.attribute());
    DirContext ctx = null;
    try {
      ctx = new InitialDirContext(env);
      Attributes attributes =
          ctx.getAttributes(new CompositeName().add(url.dn()), new String[] {url.attribute()});
      Attribute attribute = attributes.get(url.attribute());
      if (attribute == null) {
        attribute = attributes.get(url.attributeType());
      }
      if (attribute == null || attribute.size() == 0) {
        return failed(uri, Failure.LDAP,
            "the LDAP entry has no " + url.attributeType() + " attribute (" + url.dn() + ")", null, start);
      }
      Object value = attribute.get();
      if (!(value instanceof byte[] body)) {
        return failed(uri, Failure.LDAP,
            "the LDAP attribute " + url.attribute() + " is not binary: not a CRL", null, start);
      }
      if (body.length > maxBytes) {
        return failed(uri, Failure.TOO_LARGE, "larger than " + FetchWords.size(maxBytes), null, start);
      }
      return new Fetched(uri, body, 200, elapsed(start), null, null, clock.instant());
    } catch (NamingException e) {
      return ldapFailure(uri, url, e, start);
    } finally {
      if (ctx != null) {
        try {
          ctx.close();
        } catch (NamingException ignored) {
          // nothing more to release
        }
      }
    }
  }

  private Failed ldapFailure(URI uri, FetchLdapUrl url, NamingException e, long start) {
    String server = url.host() + " port " + url.port();
    for (Throwable c = e; c != null; c = next(c)) {
      if (c instanceof UnknownHostException) {
        return failed(uri, Failure.DNS, "host name not found: " + url.host(), null, start);
      }
      if (c instanceof NoRouteToHostException) {
        return failed(uri, Failure.CONNECT, "no route to host " + url.host(), null, start);
      }
      if (c instanceof ConnectException) {
        String m = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
        return failed(uri, Failure.CONNECT,
            (m.contains("refused") ? "connection refused" : "cannot connect") + " (LDAP server " + server + ")",
            null, start);
      }
      if (c instanceof SocketTimeoutException) {
        return failed(uri, Failure.TIMEOUT,
            "no connection within " + FetchWords.duration(connectTimeout) + " (LDAP server " + server + ")", null, start);
      }
    }
    String message = String.valueOf(e.getMessage());
    if (message.toLowerCase(Locale.ROOT).contains("timed out")) {
      return failed(uri, Failure.TIMEOUT,
          "no answer within " + FetchWords.duration(readTimeout) + " (LDAP server " + server + ")", null, start);
    }
    if (e instanceof NameNotFoundException) {
      return failed(uri, Failure.LDAP, "no such LDAP entry: " + url.dn(), null, start);
    }
    if (e instanceof NoPermissionException || e instanceof AuthenticationException) {
      return failed(uri, Failure.LDAP, "the LDAP server does not let anonymous clients read " + url.dn(), null, start);
    }
    if (e instanceof CommunicationException) {
      return failed(uri, Failure.IO, "the LDAP connection broke (LDAP server " + server + ")" + reason(e), null, start);
    }
    return failed(uri, Failure.LDAP, "LDAP error" + reason(e), null, start);
  }

  private static @Nullable Throwable next(Throwable t) {
    if (t instanceof NamingException naming) {
      Throwable root = naming.getRootCause();
      if (root != null && root != t) {
        return root;
      }
    }
    Throwable cause = t.getCause();
    return cause == t ? null : cause;
  }

  // ---------------------------------------------------------------- helpers

  private Failed interrupted(URI uri, long start) {
    return failed(uri, Failure.IO, "interrupted before the CRL arrived", null, start);
  }

  private static Failed failed(URI uri, Failure failure, String detail, @Nullable Integer status, long start) {
    return new Failed(uri, failure, detail, status, elapsed(start));
  }

  private static Duration elapsed(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** The JDK's HttpClient says "EOF reached while reading" when a body is cut short. */
  private static boolean endOfStream(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof EOFException
          || (c.getMessage() != null && c.getMessage().startsWith("EOF reached"))) {
        return true;
      }
    }
    return false;
  }

  private static String reason(Throwable t) {
    String m = deepestMessage(t);
    return m == null ? " (" + t.getClass().getSimpleName() + ")" : ": " + m;
  }

  private static @Nullable String deepestMessage(Throwable t) {
    String found = null;
    int depth = 0;
    for (Throwable c = t; c != null && depth < 16; c = next(c), depth++) {
      String m = c.getMessage();
      if (m != null && !m.isBlank()) {
        found = m;
      }
    }
    return found;
  }

  private static void abandon(CompletableFuture<HttpResponse<BoundedBody>> pending) {
    pending.cancel(true);
    // If the answer arrives anyway, release its connection.
    var unused = pending.thenAccept(r -> r.body().cancel());
  }

  private static Duration positive(Duration d, String name) {
    requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
    return d;
  }

  /** Daemon threads for the LDAP reads (JNDI blocks; the caller waits interruptibly). */
  private static final class LdapThreads {
    static final ExecutorService EXECUTOR =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "smtptls-crl-ldap");
              t.setDaemon(true);
              return t;
            });
  }
}
