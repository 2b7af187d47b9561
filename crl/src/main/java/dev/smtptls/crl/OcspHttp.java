package dev.smtptls.crl;

import static java.util.Objects.requireNonNull;

import dev.smtptls.internal.http.BoundedBody;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Posts an OCSP request (RFC 6960 Appendix A.1: {@code POST}, {@code application/ocsp-request})
 * with the JDK's {@link HttpClient}, bounded as the CRL fetcher is: a connect timeout, one
 * deadline (connect + read timeout) for the headers and the whole body, a size cap checked
 * against {@code Content-Length} before the body and while it streams, no redirects (RFC 5019
 * responders answer directly). Failures are results in words, never exceptions.
 */
final class OcspHttp {

  /** What came back: a body, or a failure in words. */
  record Result(byte @Nullable [] body, @Nullable String failure) {
    static Result failed(String why) {
      return new Result(null, why);
    }
  }

  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final long maxBytes;
  private final HttpClient http;

  OcspHttp(Duration connectTimeout, Duration readTimeout, long maxBytes) {
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    this.maxBytes = maxBytes;
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(connectTimeout)
        .build();
  }

  Result post(URI uri, byte[] request) {
    requireNonNull(uri, "uri");
    if (uri.getHost() == null) {
      return Result.failed("the URL names no host");
    }
    long start = System.nanoTime();
    long deadline = start + connectTimeout.toNanos() + readTimeout.toNanos();
    HttpRequest req;
    try {
      req = HttpRequest.newBuilder(uri)
          .POST(HttpRequest.BodyPublishers.ofByteArray(request))
          .timeout(connectTimeout.plus(readTimeout))
          .header("Content-Type", "application/ocsp-request")
          .header("Accept", "application/ocsp-response")
          .header("User-Agent", "smtptls-ocsp")
          .build();
    } catch (IllegalArgumentException e) {
      return Result.failed("the URL cannot be requested: " + e.getMessage());
    }
    CompletableFuture<HttpResponse<BoundedBody>> pending = http.sendAsync(req, BoundedBody.handler(maxBytes));
    try {
      HttpResponse<BoundedBody> response = pending.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      int status = response.statusCode();
      if (status < 200 || status > 299) {
        response.body().cancel();
        return Result.failed("HTTP " + status + phrase(status));
      }
      BoundedBody body = response.body();
      try {
        return new Result(body.done().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS), null);
      } catch (TimeoutException e) {
        body.cancel();
        return Result.failed("no complete answer within " + duration(connectTimeout.plus(readTimeout)));
      }
    } catch (TimeoutException e) {
      pending.cancel(true);
      return Result.failed("no complete answer within " + duration(connectTimeout.plus(readTimeout)));
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      return Result.failed("interrupted before the answer arrived");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return Result.failed(words(uri, cause));
    }
  }

  private String words(URI uri, Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof BoundedBody.TooLarge) {
        return "the answer is larger than " + maxBytes + " bytes";
      }
      if (c instanceof HttpConnectTimeoutException) {
        return "no connection within " + duration(connectTimeout);
      }
      if (c instanceof HttpTimeoutException) {
        return "no complete answer within " + duration(connectTimeout.plus(readTimeout));
      }
      if (c instanceof UnknownHostException || c instanceof UnresolvedAddressException) {
        return "host name not found: " + uri.getHost();
      }
      if (c instanceof ConnectException) {
        return "connection refused (" + uri.getHost() + " port " + port(uri) + ")";
      }
      if (c.getCause() == c) {
        break;
      }
    }
    String m = t.getMessage();
    return "the connection failed" + (m == null || m.isBlank() ? " (" + t.getClass().getSimpleName() + ")" : ": " + m);
  }

  private static int port(URI uri) {
    return uri.getPort() == -1 ? 80 : uri.getPort();
  }

  static String duration(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  private static String phrase(int status) {
    return switch (status) {
      case 400 -> " Bad Request";
      case 403 -> " Forbidden";
      case 404 -> " Not Found";
      case 405 -> " Method Not Allowed";
      case 500 -> " Internal Server Error";
      case 502 -> " Bad Gateway";
      case 503 -> " Service Unavailable";
      case 504 -> " Gateway Timeout";
      default -> status >= 300 && status < 400 ? " (a redirect, not followed)" : "";
    };
  }
}
