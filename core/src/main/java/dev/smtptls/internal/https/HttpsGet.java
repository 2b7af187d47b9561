package dev.smtptls.internal.https;

import dev.smtptls.dns.MtaStsFetchStatus;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * One bounded HTTPS GET over an {@link SSLSocket}, for the MTA-STS policy fetch (RFC 8461 §3.3).
 *
 * <p>Why not the JDK's {@code HttpClient}: it resolves the host name with the system resolver,
 * and offers no hook to connect to an address resolved elsewhere while keeping the name for SNI,
 * the certificate check and the {@code Host} header. The library's rule is one resolver (the
 * configured {@code DnsResolver}), so this small HTTP/1.1 client connects to the addresses the
 * caller resolved itself. It sends one request with {@code Connection: close}, follows no
 * redirect, and reads the response with {@link HttpResponseReader}: header block and body capped;
 * Content-Length, chunked and close-delimited bodies.
 *
 * <p>The certificate is checked by the caller's {@link ChainVerifier} right after the handshake,
 * before any byte of the request is sent: the JDK's trust manager is not used, so the trust
 * anchors, the validation time and the name rules are those of the library's {@code
 * CertificateChecker}.
 *
 * <p>Bounds: each connect and read waits at most the timeout; the whole fetch, the handshake
 * included (which a server can drip past any read timeout), ends at the deadline, when a shared
 * daemon timer closes the socket. Nothing here throws for what the server does.
 */
public final class HttpsGet {

  /** The cap of the status line and header block: {@value} bytes. */
  public static final int MAX_HEADER_BYTES = 16 * 1024;

  private static final ScheduledThreadPoolExecutor TIMER = createTimer();

  /** Judges the chain the server presented. */
  @FunctionalInterface
  public interface ChainVerifier {
    /**
     * Judges a chain.
     *
     * @param chain the chain as presented, leaf first
     * @return what is wrong with it, or null if it is valid
     */
    @Nullable String problem(List<X509Certificate> chain);
  }

  /**
   * How the GET ended.
   *
   * @param status the fetch status
   * @param httpStatus the HTTP status, or null if no response arrived
   * @param bytes body bytes received
   * @param detail what happened, in words
   * @param contentType the Content-Type of a 200 response, or null
   * @param body the body of a 200 response within the cap, or null
   */
  public record Response(
      MtaStsFetchStatus status,
      @Nullable Integer httpStatus,
      long bytes,
      String detail,
      @Nullable String contentType,
      byte @Nullable [] body) {}

  private HttpsGet() {}

  /**
   * Fetches {@code https://host[:port]path} from the first of {@code addresses} that accepts a
   * connection.
   *
   * @param host the host name: SNI, the name the verifier checks, the Host header
   * @param port the TCP port
   * @param path the absolute path
   * @param addresses where the host is, in the order to try
   * @param verifier the certificate check
   * @param timeout the bound of each connect and read
   * @param deadlineNanos a {@link System#nanoTime()} value: the end of the whole fetch
   * @param maxBodyBytes the body cap
   * @return the response; never throws for the network or the server
   */
  public static Response get(
      String host,
      int port,
      String path,
      List<InetAddress> addresses,
      ChainVerifier verifier,
      Duration timeout,
      long deadlineNanos,
      int maxBodyBytes) {
    List<String> failures = new ArrayList<>();
    boolean allTimedOut = true;
    for (InetAddress address : addresses) {
      String where = describe(address, port);
      long remaining = deadlineNanos - System.nanoTime();
      if (remaining <= 0) {
        return failure(MtaStsFetchStatus.TIMEOUT, "the deadline passed before " + where + " was tried"
            + (failures.isEmpty() ? "" : "; " + String.join("; ", failures)));
      }
      Socket socket = new Socket();
      AtomicBoolean fired = new AtomicBoolean();
      ScheduledFuture<?> killer = TIMER.schedule(() -> {
        fired.set(true);
        closeQuietly(socket);
      }, remaining, TimeUnit.NANOSECONDS);
      try {
        try {
          socket.connect(new InetSocketAddress(address, port), millis(timeout, deadlineNanos));
        } catch (SocketTimeoutException e) {
          failures.add(where + ": no connection within " + timeout.toMillis() + " ms");
          continue;
        } catch (IOException e) {
          if (fired.get()) {
            return failure(MtaStsFetchStatus.TIMEOUT, where + ": the fetch's deadline passed while connecting");
          }
          allTimedOut = false;
          failures.add(where + ": " + words(e));
          continue;
        }
        return exchange(socket, fired, where, host, port, path, verifier, timeout, maxBodyBytes);
      } finally {
        killer.cancel(false);
        closeQuietly(socket);
      }
    }
    if (addresses.isEmpty()) {
      return failure(MtaStsFetchStatus.NO_ADDRESS, host + " has no address");
    }
    return failure(allTimedOut ? MtaStsFetchStatus.TIMEOUT : MtaStsFetchStatus.CONNECT_FAILED,
        String.join("; ", failures));
  }

  private static Response exchange(Socket socket, AtomicBoolean fired, String where, String host, int port,
      String path, ChainVerifier verifier, Duration timeout, int maxBodyBytes) {
    String stage = "the TLS handshake";
    try {
      socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
      SSLSocket tls;
      try {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new AcceptingTrustManager()}, null);
        tls = (SSLSocket) context.getSocketFactory().createSocket(socket, host, port, true);
      } catch (GeneralSecurityException e) {
        return failure(MtaStsFetchStatus.TLS_FAILED, where + ": TLS is not available: " + words(e));
      }
      SSLParameters params = tls.getSSLParameters();
      params.setServerNames(List.of(new SNIHostName(host)));
      tls.setSSLParameters(params);
      try {
        tls.startHandshake();
      } catch (SocketTimeoutException e) {
        throw e;
      } catch (IOException e) {
        if (fired.get()) {
          throw e;
        }
        return failure(MtaStsFetchStatus.TLS_FAILED, where + ": the TLS handshake failed: " + words(e));
      }
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate c : tls.getSession().getPeerCertificates()) {
        if (c instanceof X509Certificate x) {
          chain.add(x);
        }
      }
      String problem = verifier.problem(chain);
      if (problem != null) {
        return failure(MtaStsFetchStatus.TLS_FAILED,
            where + ": the certificate is not valid for " + host + ": " + problem + " (no request sent)");
      }
      stage = "the request";
      String hostHeader = port == 443 ? host : host + ":" + port;
      OutputStream out = tls.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\n"
          + "Host: " + hostHeader + "\r\n"
          + "User-Agent: smtptls\r\n"
          + "Accept: text/plain\r\n"
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      stage = "the response";
      HttpResponseReader reader =
          new HttpResponseReader(new BufferedInputStream(tls.getInputStream()), MAX_HEADER_BYTES, maxBodyBytes);
      HttpResponseReader.Head head;
      try {
        head = reader.readHead();
      } catch (HttpResponseReader.MalformedResponse e) {
        return failure(MtaStsFetchStatus.HTTP_ERROR, where + ": " + e.getMessage());
      }
      int status = head.status();
      String statusText = "HTTP " + status + (head.reason().isEmpty() ? "" : " " + HttpResponseReader.printable(head.reason()));
      if (status >= 300 && status <= 399) {
        String location = head.header("Location");
        return new Response(MtaStsFetchStatus.REDIRECT, status, 0,
            where + ": " + statusText + ", a redirect"
                + (location == null ? "" : " to " + HttpResponseReader.printable(location))
                + ", which MTA-STS senders must not follow (RFC 8461 §3.3)",
            null, null);
      }
      if (status != 200) {
        return new Response(MtaStsFetchStatus.HTTP_ERROR, status, 0,
            where + ": " + statusText + "; MTA-STS requires 200", null, null);
      }
      stage = "the body";
      String contentType = head.header("Content-Type");
      byte[] body;
      try {
        body = reader.readBody(head);
      } catch (HttpResponseReader.TooLarge e) {
        return new Response(MtaStsFetchStatus.TOO_LARGE, status, e.received(),
            where + ": " + e.getMessage(), contentType, null);
      } catch (HttpResponseReader.MalformedResponse e) {
        return new Response(MtaStsFetchStatus.HTTP_ERROR, status, reader.bodyBytes(),
            where + ": " + e.getMessage(), contentType, null);
      }
      return new Response(MtaStsFetchStatus.OK, status, body.length,
          where + ": " + statusText + ", " + body.length + " bytes, Content-Type "
              + (contentType == null ? "absent" : HttpResponseReader.printable(contentType)),
          contentType, body);
    } catch (SocketTimeoutException e) {
      return failure(MtaStsFetchStatus.TIMEOUT,
          where + ": no data within " + timeout.toMillis() + " ms during " + stage);
    } catch (IOException e) {
      if (fired.get()) {
        return failure(MtaStsFetchStatus.TIMEOUT, where + ": the fetch's deadline passed during " + stage);
      }
      MtaStsFetchStatus s = stage.equals("the TLS handshake") ? MtaStsFetchStatus.TLS_FAILED : MtaStsFetchStatus.HTTP_ERROR;
      return failure(s, where + ": " + stage + " failed: " + words(e));
    }
  }

  private static Response failure(MtaStsFetchStatus status, String detail) {
    return new Response(status, null, 0, detail, null, null);
  }

  private static int millis(Duration timeout, long deadlineNanos) {
    long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.min(timeout.toMillis(), left)));
  }

  private static String describe(InetAddress a, int port) {
    String h = a.getHostAddress();
    return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + port;
  }

  private static String words(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // best effort: the fetch is over
    }
  }

  private static ScheduledThreadPoolExecutor createTimer() {
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
      Thread th = new Thread(r, "smtptls-https-deadline");
      th.setDaemon(true);
      return th;
    });
    t.setRemoveOnCancelPolicy(true);
    return t;
  }
}
