package dev.smtptls.testkit.crl;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.smtptls.testkit.pki.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.HttpURLConnection;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CrlServerTest {
  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final byte[] BYTES = "not really a CRL".getBytes(US_ASCII);

  /** An answer, read with java.base's HttpURLConnection (the testkit module does not read java.net.http). */
  @SuppressWarnings("ArrayRecordComponent")
  private record Response(int statusCode, Map<String, List<String>> headerMap, byte[] body) {
    Response headers() {
      return this;
    }

    Optional<String> firstValue(String name) {
      return headerMap.entrySet().stream()
          .filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst();
    }
  }

  private static Response get(URI uri, String... headers) throws Exception {
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(java.net.Proxy.NO_PROXY);
    c.setInstanceFollowRedirects(false);
    c.setUseCaches(false);
    c.setConnectTimeout((int) BOUND.toMillis());
    c.setReadTimeout((int) BOUND.toMillis());
    for (int i = 0; i < headers.length; i += 2) {
      c.setRequestProperty(headers[i], headers[i + 1]);
    }
    try {
      int status = c.getResponseCode();
      InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      byte[] body = in == null ? new byte[0] : in.readAllBytes();
      return new Response(status, c.getHeaderFields(), body);
    } finally {
      c.disconnect();
    }
  }

  @Test
  void servesPublishedCrlWithValidatorsAndCountsRequests() throws Exception {
    TestPki pki = TestPki.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    X509CRL crl = pki.newCrl(pki.intermediate()).build();
    try (CrlServer server = CrlServer.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).start()) {
      URI uri = server.publish("/intermediate.crl", crl);
      assertThat(uri).isEqualTo(URI.create("http://127.0.0.1:" + server.port() + "/intermediate.crl"));
      assertThat(server.uri("/intermediate.crl")).isEqualTo(uri);

      Response r = get(uri, "X-Test", "one");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(crl.getEncoded());
      X509CRL parsed = (X509CRL) CertificateFactory.getInstance("X.509")
          .generateCRL(new java.io.ByteArrayInputStream(r.body()));
      assertThat(parsed.getIssuerX500Principal()).isEqualTo(pki.intermediate().certificate().getSubjectX500Principal());
      assertThat(r.headers().firstValue("ETag")).hasValueSatisfying(e -> assertThat(e).startsWith("\"").endsWith("\""));
      assertThat(r.headers().firstValue("Last-Modified")).hasValue("Sun, 1 Jun 2025 12:00:00 GMT");
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/pkix-crl");
      assertThat(server.requestCount("/intermediate.crl")).isEqualTo(1);
      assertThat(server.lastRequestHeaders("/intermediate.crl")).containsEntry("x-test", List.of("one"));
      assertThat(server.requestCount("/other.crl")).isZero();
      assertThat(server.lastRequestHeaders("/other.crl")).isEmpty();
    }
  }

  @Test
  void answersConditionalRequestsWith304WhenTheyMatch() throws Exception {
    try (CrlServer server = CrlServer.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).start()) {
      URI uri = server.publish("/a.crl", BYTES);
      Response first = get(uri);
      String etag = first.headers().firstValue("ETag").orElseThrow();
      String lastModified = first.headers().firstValue("Last-Modified").orElseThrow();

      assertThat(get(uri, "If-None-Match", etag).statusCode()).isEqualTo(304);
      assertThat(get(uri, "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
      assertThat(get(uri, "If-Modified-Since", lastModified).statusCode()).isEqualTo(304);
      assertThat(get(uri, "If-Modified-Since", "Sat, 31 May 2025 12:00:00 GMT").statusCode()).isEqualTo(200);
      // If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2)
      assertThat(get(uri, "If-None-Match", "\"other\"", "If-Modified-Since", lastModified).statusCode()).isEqualTo(200);

      server.publish("/a.crl", "new bytes".getBytes(US_ASCII));
      Response changed = get(uri, "If-None-Match", etag);
      assertThat(changed.statusCode()).isEqualTo(200);
      assertThat(changed.body()).isEqualTo("new bytes".getBytes(US_ASCII));
      assertThat(changed.headers().firstValue("ETag")).isNotEqualTo(first.headers().firstValue("ETag"));
      assertThat(server.requestCount("/a.crl")).isEqualTo(7);
    }
  }

  @Test
  void faultsAnswerAsTheySay() throws Exception {
    try (CrlServer server = CrlServer.start()) {
      URI uri = server.publish("/a.crl", BYTES);
      assertThat(get(server.uri("/unpublished.crl")).statusCode()).isEqualTo(404);

      server.fault("/a.crl", CrlFault.NOT_FOUND);
      assertThat(get(uri).statusCode()).isEqualTo(404);
      server.fault("/a.crl", CrlFault.SERVER_ERROR);
      assertThat(get(uri).statusCode()).isEqualTo(500);
      server.fault("/a.crl", CrlFault.REDIRECT_TO_HTTPS);
      Response redirect = get(uri);
      assertThat(redirect.statusCode()).isEqualTo(302);
      assertThat(redirect.headers().firstValue("Location"))
          .hasValue("https://127.0.0.1:" + server.port() + "/a.crl");

      server.clearFault("/a.crl");
      assertThat(get(uri).body()).isEqualTo(BYTES);
      assertThat(server.requestCount("/a.crl")).isEqualTo(4);
    }
  }

  @Test
  void redirectsToAnotherPath() throws Exception {
    try (CrlServer server = CrlServer.start()) {
      server.publish("/b.crl", BYTES);
      URI from = server.redirect("/a.crl", URI.create("/b.crl"));
      Response r = get(from);
      assertThat(r.statusCode()).isEqualTo(302);
      assertThat(r.headers().firstValue("Location")).hasValue(server.uri("/b.crl").toString());
    }
  }

  @Test
  void slowSendsTheWholeBodyOnlyAfterTheDelay() throws Exception {
    Duration delay = Duration.ofMillis(300);
    try (CrlServer server = CrlServer.builder().slowDelay(delay).start()) {
      URI uri = server.publish("/a.crl", BYTES);
      server.fault("/a.crl", CrlFault.SLOW);
      long start = System.nanoTime();
      Response r = get(uri);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(delay);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(BYTES);
    }
  }

  @Test
  void truncatedSendsHalfThenCloses() throws Exception {
    byte[] body = new byte[1000];
    Arrays.fill(body, (byte) 'x');
    try (CrlServer server = CrlServer.start()) {
      server.publish("/a.crl", body);
      server.fault("/a.crl", CrlFault.TRUNCATED);
      String response = rawGet(server, "/a.crl");
      assertThat(response).startsWith("HTTP/1.1 200").contains("Content-length: 1000");
      String sent = response.substring(response.indexOf("\r\n\r\n") + 4);
      assertThat(sent).hasSize(500);
    }
  }

  @Test
  void oversizeStreamsWithoutLength() throws Exception {
    try (CrlServer server = CrlServer.builder().oversizeBytes(1 << 20).start()) {
      server.fault("/big.crl", CrlFault.OVERSIZE);
      Response r = get(server.uri("/big.crl"));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Length")).isEmpty();
      assertThat(r.body()).hasSize(1 << 20);
      assertThat(server.bytesSent("/big.crl")).isEqualTo(1 << 20);
    }
  }

  @Test
  void closeEndsAHangingRequestPromptly() throws Exception {
    CrlServer server = CrlServer.builder().slowDelay(Duration.ofHours(1)).start();
    server.publish("/a.crl", BYTES);
    server.fault("/a.crl", CrlFault.SLOW);
    // The headers come at once; the body waits for the delay.
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      s.setSoTimeout((int) BOUND.toMillis());
      s.getOutputStream().write("GET /a.crl HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(US_ASCII));
      InputStream in = s.getInputStream();
      byte[] head = new byte[12];
      int n = in.readNBytes(head, 0, head.length);
      assertThat(new String(head, 0, n, US_ASCII)).isEqualTo("HTTP/1.1 200");
      assertTimeoutPreemptively(BOUND, server::close);
      // the connection ends without the body
      assertThat(new String(in.readAllBytes(), US_ASCII)).doesNotContain("not really a CRL");
    }
    server.close(); // idempotent
  }

  @Test
  void rejectsPathsThatAreNotPlainAbsolutePaths() {
    try (CrlServer server = CrlServer.start()) {
      assertThatThrownBy(() -> server.publish("a.crl", BYTES)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> server.uri("/a.crl?x=1")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> CrlServer.builder().slowDelay(Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static String rawGet(CrlServer server, String path) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      s.setSoTimeout((int) BOUND.toMillis());
      OutputStream out = s.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(US_ASCII));
      out.flush();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      s.getInputStream().transferTo(all); // ends when the server closes the connection
      return all.toString(US_ASCII);
    }
  }
}
