package dev.smtptls.internal.https;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpResponseReaderTest {

  private static HttpResponseReader reader(String response, int maxBody) {
    return new HttpResponseReader(
        new ByteArrayInputStream(response.getBytes(StandardCharsets.ISO_8859_1)), 256, maxBody);
  }

  private static String body(String response, int maxBody) throws Exception {
    HttpResponseReader r = reader(response, maxBody);
    return new String(r.readBody(r.readHead()), StandardCharsets.ISO_8859_1);
  }

  @Test
  void readsContentLengthBodyAndHeaders() throws Exception {
    HttpResponseReader r = reader("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhelloEXTRA", 64);
    HttpResponseReader.Head h = r.readHead();
    assertThat(h.status()).isEqualTo(200);
    assertThat(h.reason()).isEqualTo("OK");
    assertThat(h.header("content-type")).isEqualTo("text/plain");
    assertThat(new String(r.readBody(h), StandardCharsets.US_ASCII)).isEqualTo("hello");
    assertThat(r.bodyBytes()).isEqualTo(5);
  }

  @Test
  void readsChunkedBodyWithExtensionsAndTrailers() throws Exception {
    assertThat(body("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5;ext=1\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: 1\r\n\r\n", 64)).isEqualTo("hello world");
  }

  @Test
  void readsCloseDelimitedBodyAndBareLfLines() throws Exception {
    assertThat(body("HTTP/1.0 200 OK\nContent-Type: text/plain\n\nversion: STSv1\n", 64)).isEqualTo("version: STSv1\n");
  }

  @Test
  void skipsInterimResponses() throws Exception {
    HttpResponseReader r = reader("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\n\r\n", 64);
    assertThat(r.readHead().status()).isEqualTo(404);
  }

  @Test
  void refusesBodiesOverTheCapWhateverTheirFraming() throws Exception {
    assertThatThrownBy(() -> body("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n01234567890", 10))
        .isInstanceOf(HttpResponseReader.TooLarge.class).hasMessageContaining("Content-Length 11");
    assertThatThrownBy(() -> body("HTTP/1.1 200 OK\r\n\r\n01234567890", 10))
        .isInstanceOf(HttpResponseReader.TooLarge.class)
        .satisfies(e -> assertThat(((HttpResponseReader.TooLarge) e).received()).isEqualTo(11));
    assertThatThrownBy(() -> body("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n6\r\n678901\r\n0\r\n\r\n", 10))
        .isInstanceOf(HttpResponseReader.TooLarge.class)
        .satisfies(e -> assertThat(((HttpResponseReader.TooLarge) e).received()).isEqualTo(11));
    assertThat(body("HTTP/1.1 200 OK\r\n\r\n0123456789", 10)).isEqualTo("0123456789");
  }

  @Test
  void refusesAHeaderBlockOverTheCap() {
    String big = "HTTP/1.1 200 OK\r\nX: " + "a".repeat(300) + "\r\n\r\n";
    assertThatThrownBy(() -> reader(big, 10).readHead())
        .isInstanceOf(HttpResponseReader.MalformedResponse.class).hasMessageContaining("longer than allowed (256 bytes)");
  }

  @Test
  void reportsBrokenResponses() {
    assertThatThrownBy(() -> reader("", 10).readHead()).hasMessageContaining("without a response");
    assertThatThrownBy(() -> reader("SSH-2.0-OpenSSH\r\n", 10).readHead()).hasMessageContaining("not an HTTP/1.1 status line");
    assertThatThrownBy(() -> reader("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n", 10).readHead())
        .hasMessageContaining("inside the response headers");
    assertThatThrownBy(() -> body("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 10))
        .hasMessageContaining("conflicting Content-Length");
    assertThatThrownBy(() -> body("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", 10))
        .hasMessageContaining("invalid Content-Length");
    assertThatThrownBy(() -> body("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel", 10))
        .hasMessageContaining("after 3 of 5 announced bytes");
    assertThatThrownBy(() -> body("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 10))
        .hasMessageContaining("invalid chunk size");
    assertThatThrownBy(() -> body("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc", 10))
        .hasMessageContaining("not followed by CRLF");
    assertThatThrownBy(() -> body("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n", 10))
        .hasMessageContaining("before the last chunk");
  }
}
