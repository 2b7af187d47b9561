package dev.smtptls.crl.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import dev.smtptls.crl.internal.FetchResult.Failed;
import dev.smtptls.crl.internal.FetchResult.Failure;
import dev.smtptls.crl.internal.FetchResult.Fetched;
import dev.smtptls.crl.internal.FetchResult.NotModified;
import dev.smtptls.testkit.crl.CrlFault;
import dev.smtptls.testkit.crl.CrlServer;
import dev.smtptls.testkit.pki.TestPki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CrlFetcherTest {
  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final TestPki PKI = TestPki.builder().clock(CLOCK).build();
  private static final Duration SHORT = Duration.ofMillis(300);

  /** Short timeouts for the failure tests; generous ones where the answer must arrive. */
  private final CrlFetcher quick = new CrlFetcher(SHORT, SHORT, 1 << 20, CLOCK);
  private final CrlFetcher patient = new CrlFetcher(Duration.ofSeconds(5), Duration.ofSeconds(10), 1 << 20, CLOCK);

  private CrlServer server;

  @BeforeEach
  void start() {
    server = CrlServer.builder().slowDelay(Duration.ofSeconds(30)).clock(CLOCK).start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void fetchesTheBytesAsPublished() throws Exception {
    X509CRL crl = PKI.newCrl(PKI.intermediate()).build();
    URI uri = server.publish("/intermediate.crl", crl);

    FetchResult r = patient.fetch(uri, null, null);

    assertThat(r).isInstanceOf(Fetched.class);
    Fetched f = (Fetched) r;
    assertThat(f.uri()).isEqualTo(uri);
    assertThat(f.body()).isEqualTo(crl.getEncoded());
    assertThat(f.size()).isEqualTo(crl.getEncoded().length);
    assertThat(f.httpStatus()).isEqualTo(200);
    assertThat(f.etag()).isNotBlank();
    assertThat(f.lastModified()).isEqualTo("Sun, 1 Jun 2025 12:00:00 GMT");
    assertThat(f.fetchedAt()).isEqualTo(NOW);
    assertThat(f.latency()).isPositive();
    assertThat(server.lastRequestHeaders("/intermediate.crl"))
        .doesNotContainKey("If-None-Match")
        .doesNotContainKey("If-Modified-Since");
  }

  @Test
  void conditionalRequestGetsNotModified() {
    URI uri = server.publish("/a.crl", PKI.newCrl(PKI.intermediate()).build());
    Fetched first = (Fetched) patient.fetch(uri, null, null);

    FetchResult again = patient.fetch(uri, first.etag(), first.lastModified());

    assertThat(again).isInstanceOf(NotModified.class);
    assertThat(again.uri()).isEqualTo(uri);
    assertThat(server.lastRequestHeaders("/a.crl"))
        .containsEntry("If-None-Match", java.util.List.of(first.etag()))
        .containsEntry("If-Modified-Since", java.util.List.of(first.lastModified()));
    assertThat(patient.fetch(uri, "\"stale\"", null)).isInstanceOf(Fetched.class);
  }

  @Test
  void notFoundIsAnHttpStatusFailure() {
    FetchResult r = patient.fetch(server.uri("/missing.crl"), null, null);

    assertThat(r).asInstanceOf(type(Failed.class)).satisfies(f -> {
      assertThat(f.failure()).isEqualTo(Failure.HTTP_STATUS);
      assertThat(f.detail()).isEqualTo("HTTP 404 Not Found");
      assertThat(f.httpStatus()).isEqualTo(404);
    });
  }

  @Test
  void serverErrorIsAnHttpStatusFailure() {
    server.publish("/a.crl", new byte[] {1});
    server.fault("/a.crl", CrlFault.SERVER_ERROR);

    FetchResult r = patient.fetch(server.uri("/a.crl"), null, null);

    assertThat(r).asInstanceOf(type(Failed.class)).satisfies(f -> {
      assertThat(f.failure()).isEqualTo(Failure.HTTP_STATUS);
      assertThat(f.detail()).isEqualTo("HTTP 500 Internal Server Error");
      assertThat(f.httpStatus()).isEqualTo(500);
    });
  }

  @Test
  void closedPortIsAConnectFailure() throws IOException {
    URI uri = URI.create("http://127.0.0.1:" + closedPort() + "/a.crl");

    FetchResult r = patient.fetch(uri, null, null);

    assertThat(r).asInstanceOf(type(Failed.class)).satisfies(f -> {
      assertThat(f.failure()).isEqualTo(Failure.CONNECT);
      assertThat(f.detail()).isEqualTo("connection refused");
      assertThat(f.httpStatus()).isNull();
    });
  }

  @Test
  void slowBodyIsCutAtTheReadTimeout() {
    server.publish("/a.crl", PKI.newCrl(PKI.intermediate()).build());
    server.fault("/a.crl", CrlFault.SLOW);
    long start = System.nanoTime();

    FetchResult r = quick.fetch(server.uri("/a.crl"), null, null);

    assertThat(r).asInstanceOf(type(Failed.class)).satisfies(f -> {
      assertThat(f.failure()).isEqualTo(Failure.TIMEOUT);
      // normally "the CRL did not arrive within 300 ms (n of m received)"; on a very busy
      // machine the headers themselves may be late: "no answer within 300 ms"
      assertThat(f.detail()).contains("within 300 ms");
      assertThat(f.httpStatus()).isEqualTo(200);
    });
    // Bounded: the slow server would take 30 s; generous slack for a busy machine.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void noAnswerAtAllIsATimeout() throws IOException {
    // A socket that accepts connections (the backlog) but never answers.
    try (ServerSocket silent = new ServerSocket()) {
      silent.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      URI uri = URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/a.crl");

      FetchResult r = quick.fetch(uri, null, null);

      assertThat(r).asInstanceOf(type(Failed.class)).satisfies(f -> {
        assertThat(f.failure()).isEqualTo(Failure.TIMEOUT);
        assertThat(f.detail()).isEqualTo("no answer within 300 ms");
      });
    }
  }

  @Test
  void oversizeStreamIsCutAtTheCap() {
    server.fault("/big.crl", CrlFault.OVERSIZE); // streams 1 GiB without a Content-Length

    FetchResult r = patient.fetch(server.uri("/big.crl"), null, null);

    assertThat(r).asInstanceOf(type(Failed.class)).satisfies(f -> {
      assertThat(f.failure()).isEqualTo(Failure.TOO_LARGE);
      assertThat(f.detail()).isEqualTo("larger than 1 MiB");
    });
    // The fetcher stopped reading at the cap: the server could write only what the socket
    // buffers held beyond it, nowhere near its 1 GiB.
    assertThat(server.bytesSent("/big.crl")).isLessThan(64L << 20);
  }

  @Test
  void announcedOversizeIsRefusedBeforeReading() {
    byte[] big = new byte[(1 << 20) + 1];
    URI uri = server.publish("/big.crl", big);

    FetchResult r = patient.fetch(uri, null, null);

    assertThat(r).asInstanceOf(type(Failed.class)).satisfies(f -> {
      assertThat(f.failure()).isEqualTo(Failure.TOO_LARGE);
      assertThat(f.detail()).isEqualTo("larger than 1 MiB (the server announces 1.0 MiB)");
    });
  }

  @Test
  void exactlyTheCapIsFetched() {
    byte[] body = new byte[1 << 20];
    Arrays.fill(body, (byte) 7);
    URI uri = server.publish("/cap.crl", body);

    assertThat(patient.fetch(uri, null, null))
        .asInstanceOf(type(Fetched.class))
        .satisfies(f -> assertThat(f.body()).isEqualTo(body));
  }

  @Test
  void truncatedBodyIsAnIoFailureInWords() {
    byte[] body = new byte[10_000];
    server.publish("/a.crl", body);
    server.fault("/a.crl", CrlFault.TRUNCATED);

    FetchResult r = patient.fetch(server.uri("/a.crl"), null, null);

    assertThat(r).asInstanceOf(type(Failed.class)).satisfies(f -> {
      assertThat(f.failure()).isEqualTo(Failure.IO);
      // "... after 4.9 KiB of 9.8 KiB" when the headers were handed over before the cut,
      // "... before the whole CRL arrived" when the client saw both in one go
      assertThat(f.detail()).startsWith("the server closed the connection ")
          .containsAnyOf("after 4.9 KiB of 9.8 KiB", "before the whole CRL arrived");
    });
  }

  @Test
  void redirectToHttpsIsNotFollowed() {
    server.publish("/a.crl", new byte[] {1});
    server.fault("/a.crl", CrlFault.REDIRECT_TO_HTTPS);

    FetchResult r = patient.fetch(server.uri("/a.crl"), null, null);

    assertThat(r).asInstanceOf(type(Failed.class)).satisfies(f -> {
      assertThat(f.failure()).isEqualTo(Failure.REDIRECT);
      assertThat(f.detail()).startsWith("redirect to https: not followed");
      assertThat(f.httpStatus()).isEqualTo(302);
    });
    assertThat(server.requestCount("/a.crl")).isEqualTo(1);
  }

  @Test
  void redirectFromHttpToHttpIsFollowed() {
    byte[] body = "crl".getBytes(US_ASCII);
    server.publish("/real.crl", body);
    URI uri = server.redirect("/moved.crl", URI.create("/real.crl"));

    FetchResult r = patient.fetch(uri, null, null);

    assertThat(r).asInstanceOf(type(Fetched.class)).satisfies(f -> {
      assertThat(f.uri()).isEqualTo(uri);
      assertThat(f.body()).isEqualTo(body);
    });
  }

  @Test
  void redirectLoopEndsAfterThreeHops() {
    server.redirect("/a.crl", URI.create("/b.crl"));
    server.redirect("/b.crl", URI.create("/a.crl"));

    FetchResult r = patient.fetch(server.uri("/a.crl"), null, null);

    assertThat(r).asInstanceOf(type(Failed.class)).satisfies(f -> {
      assertThat(f.failure()).isEqualTo(Failure.REDIRECT);
      assertThat(f.detail()).startsWith("more than 3 redirects");
    });
    assertThat(server.requestCount("/a.crl") + server.requestCount("/b.crl")).isEqualTo(4);
  }

  @Test
  void otherSchemesAreNotFetched() {
    assertThat(patient.fetch(URI.create("https://127.0.0.1/a.crl"), null, null))
        .asInstanceOf(type(Failed.class))
        .satisfies(f -> {
          assertThat(f.failure()).isEqualTo(Failure.UNSUPPORTED_SCHEME);
          assertThat(f.detail()).startsWith("https: is not fetched");
        });
    assertThat(patient.fetch(URI.create("ftp://127.0.0.1/a.crl"), null, null))
        .asInstanceOf(type(Failed.class))
        .extracting(Failed::failure)
        .isEqualTo(Failure.UNSUPPORTED_SCHEME);
    assertThat(patient.fetch(URI.create("a.crl"), null, null))
        .asInstanceOf(type(Failed.class))
        .extracting(Failed::failure)
        .isEqualTo(Failure.UNSUPPORTED_SCHEME);
  }

  @Test
  void interruptedFetchReturnsPromptlyWithTheFlagSet() throws Exception {
    server.publish("/a.crl", new byte[100]);
    server.fault("/a.crl", CrlFault.SLOW);
    CompletableFuture<FetchResult> result = new CompletableFuture<>();
    CompletableFuture<Boolean> flag = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      result.complete(patient.fetch(server.uri("/a.crl"), null, null));
      flag.complete(Thread.currentThread().isInterrupted());
    });
    t.start();
    // wait until the request is at the server, then interrupt
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.requestCount("/a.crl") == 0) {
      assertThat(System.nanoTime()).as("the request reached the server").isLessThan(deadline);
      Thread.onSpinWait();
    }
    t.interrupt();

    assertThat(result.get(10, TimeUnit.SECONDS)).asInstanceOf(type(Failed.class)).satisfies(f -> {
      assertThat(f.failure()).isEqualTo(Failure.IO);
      assertThat(f.detail()).contains("interrupted");
    });
    assertThat(flag.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void rejectsNonsenseConfiguration() {
    assertThatThrownBy(() -> new CrlFetcher(Duration.ZERO, SHORT, 1, CLOCK))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CrlFetcher(SHORT, SHORT, 0, CLOCK))
        .isInstanceOf(IllegalArgumentException.class);
    CrlFetcher defaults = CrlFetcher.defaults();
    assertThat(defaults.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(defaults.readTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(defaults.maxBytes()).isEqualTo(64L << 20);
  }

  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return s.getLocalPort();
    }
  }
}
