package dev.smtptls.internal.cert;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import dev.smtptls.internal.http.BoundedBody;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Fetches the issuer certificate(s) an AIA caIssuers URL (RFC 5280 §4.2.2.1) points to: {@code
 * http:} only, within one timeout for the connection, the answer and the whole body, at most
 * {@value #MAX_BYTES} bytes, as DER, PEM or a PKCS#7 "certs-only" bundle. Redirects are followed
 * from {@code http:} to {@code http:} only, at most {@value #MAX_REDIRECTS} hops, within the same
 * timeout. Failures are results, never exceptions; an interrupted fetch returns promptly with the
 * thread's interrupt flag set. Host names are resolved by the JDK (not yet through smtptls's
 * {@code DnsResolver}). Immutable and thread-safe.
 */
public final class AiaFetcher {

  /** The size cap: 64 KiB. */
  public static final int MAX_BYTES = 64 * 1024;

  /** Redirects followed ({@code http:} to {@code http:}) before giving up. */
  public static final int MAX_REDIRECTS = 3;

  /** What one fetch gave: the certificates, or why there are none. */
  public record Fetch(String url, List<X509Certificate> certificates, @Nullable String failure) {
    /** Validates and copies. */
    public Fetch {
      requireNonNull(url, "url");
      certificates = List.copyOf(certificates);
    }

    static Fetch failed(String url, String why) {
      return new Fetch(url, List.of(), why);
    }

    /** {@return whether certificates arrived} */
    public boolean ok() {
      return failure == null;
    }
  }

  private final Duration timeout;
  private final HttpClient http;

  /**
   * A fetcher.
   *
   * @param timeout the bound of one fetch: connection, answer and body
   * @throws IllegalArgumentException if the timeout is not positive
   */
  public AiaFetcher(Duration timeout) {
    requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    this.timeout = timeout;
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(timeout)
        .build();
  }

  /** {@return the bound of one fetch} */
  public Duration timeout() {
    return timeout;
  }

  /**
   * Fetches the certificates at a caIssuers URL.
   *
   * @param url the URL as the certificate gives it
   * @return the certificates or the failure; never throws
   */
  public Fetch fetch(String url) {
    requireNonNull(url, "url");
    if (Thread.currentThread().isInterrupted()) {
      return Fetch.failed(url, "interrupted");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (java.net.URISyntaxException e) {
      return Fetch.failed(url, "not a valid URL");
    }
    if (!isHttp(uri)) {
      return Fetch.failed(url, "only http: URLs are followed");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    URI current = uri;
    for (int hop = 0; ; hop++) {
      String where = current.equals(uri) ? "" : " (after a redirect to " + current + ")";
      if (current.getHost() == null) {
        return Fetch.failed(url, "the URL names no host" + where);
      }
      HttpRequest request;
      try {
        request = HttpRequest.newBuilder(current)
            .GET()
            .timeout(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))
            .header("Accept", "application/pkix-cert, application/pkcs7-mime, */*;q=0.5")
            .header("User-Agent", "smtptls")
            .build();
      } catch (IllegalArgumentException e) {
        return Fetch.failed(url, "the URL cannot be requested" + where);
      }
      CompletableFuture<HttpResponse<BoundedBody>> pending = http.sendAsync(request, BoundedBody.handler(MAX_BYTES));
      HttpResponse<BoundedBody> response;
      try {
        response = pending.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        abandon(pending);
        return Fetch.failed(url, "no answer within " + duration(timeout) + where);
      } catch (InterruptedException e) {
        abandon(pending);
        Thread.currentThread().interrupt();
        return Fetch.failed(url, "interrupted");
      } catch (ExecutionException e) {
        return Fetch.failed(url, why(e.getCause() == null ? e : e.getCause(), current) + where);
      }
      int status = response.statusCode();
      if (status >= 300 && status < 400 && status != 304) {
        response.body().cancel();
        Optional<String> location = response.headers().firstValue("Location");
        if (location.isEmpty() || location.get().isBlank()) {
          return Fetch.failed(url, "HTTP " + status + " without a Location" + where);
        }
        URI target;
        try {
          target = current.resolve(location.get().trim());
        } catch (IllegalArgumentException e) {
          return Fetch.failed(url, "HTTP " + status + " to an invalid location" + where);
        }
        if (!isHttp(target)) {
          return Fetch.failed(url, "HTTP " + status + " to " + target + ": only http: URLs are followed");
        }
        if (hop >= MAX_REDIRECTS) {
          return Fetch.failed(url, "more than " + MAX_REDIRECTS + " redirects");
        }
        current = target;
        continue;
      }
      if (status < 200 || status > 299) {
        response.body().cancel();
        return Fetch.failed(url, "HTTP " + status + reasonPhrase(status) + where);
      }
      return read(url, response.body(), deadline, where);
    }
  }

  private Fetch read(String url, BoundedBody body, long deadline, String where) {
    if (body.announced().isPresent() && body.announced().getAsLong() > MAX_BYTES) {
      body.cancel();
      return Fetch.failed(url, "too large: larger than 64 KiB (the server announces "
          + body.announced().getAsLong() + " bytes)" + where);
    }
    byte[] bytes;
    try {
      bytes = body.done().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      body.cancel();
      return Fetch.failed(url, "the certificate did not arrive within " + duration(timeout) + where);
    } catch (InterruptedException e) {
      body.cancel();
      Thread.currentThread().interrupt();
      return Fetch.failed(url, "interrupted");
    } catch (ExecutionException e) {
      body.cancel();
      if (e.getCause() instanceof BoundedBody.TooLarge) {
        return Fetch.failed(url, "too large: larger than 64 KiB" + where);
      }
      return Fetch.failed(url, "the connection broke before the whole answer arrived" + where);
    }
    if (body.announced().isPresent() && bytes.length < body.announced().getAsLong()) {
      return Fetch.failed(url, "the connection closed after " + bytes.length + " of "
          + body.announced().getAsLong() + " bytes" + where);
    }
    return parse(url, bytes);
  }

  /**
   * Parses DER, PEM (one or more) or PKCS#7 certs-only.
   *
   * @param url where the bytes came from
   * @param bytes the body
   * @return the X.509 certificates, or a "not a certificate" failure
   */
  static Fetch parse(String url, byte[] bytes) {
    if (bytes.length == 0) {
      return Fetch.failed(url, "not a certificate: the answer is empty");
    }
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      List<X509Certificate> certs = new ArrayList<>();
      for (Certificate c : cf.generateCertificates(new ByteArrayInputStream(bytes))) {
        if (c instanceof X509Certificate x) {
          certs.add(x);
        }
      }
      if (certs.isEmpty()) {
        return Fetch.failed(url, "not a certificate: the answer holds no X.509 certificate");
      }
      return new Fetch(url, certs, null);
    } catch (CertificateException | RuntimeException e) {
      return Fetch.failed(url, "not a certificate: the answer is neither DER, PEM nor PKCS#7");
    }
  }

  private String why(Throwable t, URI current) {
    if (t instanceof HttpConnectTimeoutException) {
      return "no connection within " + duration(timeout);
    }
    if (t instanceof HttpTimeoutException) {
      return "no answer within " + duration(timeout);
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof UnresolvedAddressException || c instanceof UnknownHostException) {
        return "host name not found: " + current.getHost();
      }
      if (c instanceof InterruptedException || c instanceof InterruptedIOException) {
        Thread.currentThread().interrupt();
        return "interrupted";
      }
      if (c instanceof ConnectException) {
        return "cannot connect to " + current.getHost() + (current.getPort() > 0 ? ":" + current.getPort() : "");
      }
      if (c == c.getCause()) {
        break;
      }
    }
    return "the connection broke (" + t.getClass().getSimpleName() + ")";
  }

  private static String reasonPhrase(int status) {
    return switch (status) {
      case 401 -> " Unauthorized";
      case 403 -> " Forbidden";
      case 404 -> " Not Found";
      case 410 -> " Gone";
      case 500 -> " Internal Server Error";
      case 502 -> " Bad Gateway";
      case 503 -> " Service Unavailable";
      case 504 -> " Gateway Timeout";
      default -> "";
    };
  }

  private static boolean isHttp(URI uri) {
    String scheme = uri.getScheme();
    return scheme != null && scheme.toLowerCase(Locale.ROOT).equals("http");
  }

  static String duration(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000 || ms % 1000 != 0) {
      return ms + " ms";
    }
    long s = ms / 1000;
    return s + (s == 1 ? " second" : " seconds");
  }

  private static void abandon(CompletableFuture<HttpResponse<BoundedBody>> pending) {
    pending.cancel(true);
    // If the answer arrives anyway, release its connection.
    var unused = pending.thenAccept(r -> r.body().cancel());
  }
}
