package dev.smtptls.internal.https;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads one HTTP/1.1 response (RFC 9112) from a stream, bounded: the status line and header block
 * together at most {@code maxHeaderBytes}, the body at most {@code maxBodyBytes}, framed by {@code
 * Transfer-Encoding: chunked}, {@code Content-Length} or the end of the connection. Interim 1xx
 * responses are skipped (at most {@value #MAX_INTERIM}). Not thread-safe; one per response.
 */
public final class HttpResponseReader {

  /** The most interim (1xx) responses skipped before the final one. */
  static final int MAX_INTERIM = 4;

  /** The longest chunk-size line read. */
  static final int MAX_CHUNK_LINE = 1024;

  /** The status line and headers of a response. */
  public record Head(int status, String reason, Map<String, List<String>> headers) {
    /** Copies. */
    public Head {
      headers = Map.copyOf(headers);
    }

    /** {@return the first value of a header (name in any case), or null} */
    public @Nullable String header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null || v.isEmpty() ? null : v.get(0);
    }
  }

  /** The response breaks HTTP/1.1. */
  public static final class MalformedResponse extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedResponse(String message) {
      super(message, null, false, false);
    }
  }

  /** The body exceeds the cap. */
  public static final class TooLarge extends Exception {
    private static final long serialVersionUID = 1L;
    private final long received;

    TooLarge(String message, long received) {
      super(message, null, false, false);
      this.received = received;
    }

    /** {@return body bytes received before the reading stopped} */
    public long received() {
      return received;
    }
  }

  private final InputStream in;
  private final int maxHeaderBytes;
  private final int maxBodyBytes;
  private long bodyBytes;

  /**
   * A reader of one response.
   *
   * @param in the stream, buffered by the caller
   * @param maxHeaderBytes the cap of the status line and headers (and of chunked trailers)
   * @param maxBodyBytes the cap of the body
   */
  public HttpResponseReader(InputStream in, int maxHeaderBytes, int maxBodyBytes) {
    this.in = in;
    this.maxHeaderBytes = maxHeaderBytes;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** {@return body bytes read so far} */
  public long bodyBytes() {
    return bodyBytes;
  }

  /**
   * Reads the status line and headers of the final response, skipping 1xx ones.
   *
   * @return the head
   * @throws IOException if the stream fails
   * @throws MalformedResponse if the response breaks HTTP/1.1 or the header block is too long
   */
  public Head readHead() throws IOException, MalformedResponse {
    for (int interim = 0; ; interim++) {
      Head h = readOneHead();
      if (h.status() >= 200 || h.status() == 101) {
        return h;
      }
      if (interim >= MAX_INTERIM) {
        throw new MalformedResponse("more than " + MAX_INTERIM + " interim (1xx) responses");
      }
    }
  }

  private Head readOneHead() throws IOException, MalformedResponse {
    int[] budget = {maxHeaderBytes};
    String statusLine = readLine(budget, "the response headers");
    if (statusLine == null) {
      throw new MalformedResponse("the server closed the connection without a response");
    }
    // status-line = HTTP-version SP status-code SP [ reason-phrase ]
    if (!statusLine.matches("HTTP/1\\.[01] [0-9]{3}( .*)?")) {
      throw new MalformedResponse("not an HTTP/1.1 status line: \"" + printable(statusLine) + "\"");
    }
    int status = Integer.parseInt(statusLine.substring(9, 12));
    String reason = statusLine.length() > 13 ? statusLine.substring(13) : "";
    Map<String, List<String>> headers = new LinkedHashMap<>();
    readFields(budget, headers, "the response headers");
    return new Head(status, reason, headers);
  }

  private void readFields(int[] budget, Map<String, List<String>> into, String what)
      throws IOException, MalformedResponse {
    while (true) {
      String line = readLine(budget, what);
      if (line == null) {
        throw new MalformedResponse("the server closed the connection inside " + what);
      }
      if (line.isEmpty()) {
        return;
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        throw new MalformedResponse("malformed header line: \"" + printable(line) + "\"");
      }
      String name = line.substring(0, colon);
      if (name.chars().anyMatch(c -> c <= ' ' || c >= 0x7F)) {
        throw new MalformedResponse("malformed header name: \"" + printable(name) + "\"");
      }
      into.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(line.substring(colon + 1).strip());
    }
  }

  /**
   * Reads the body of a 2xx response as its framing says.
   *
   * @param head the response's head
   * @return the body
   * @throws IOException if the stream fails
   * @throws MalformedResponse if the framing is broken or the body ends early
   * @throws TooLarge if the body exceeds the cap
   */
  public byte[] readBody(Head head) throws IOException, MalformedResponse, TooLarge {
    List<String> te = head.headers().getOrDefault("transfer-encoding", List.of());
    if (!te.isEmpty()) {
      String codings = String.join(",", te).toLowerCase(Locale.ROOT);
      String[] parts = codings.split(",");
      if (parts[parts.length - 1].strip().equals("chunked")) {
        return readChunked();
      }
      return readToEnd(); // RFC 9112 §6.3: a final coding other than chunked: until close
    }
    List<String> cl = head.headers().getOrDefault("content-length", List.of());
    if (!cl.isEmpty()) {
      long length = contentLength(cl);
      if (length > maxBodyBytes) {
        throw new TooLarge("Content-Length " + length + " exceeds the cap of " + maxBodyBytes + " bytes", 0);
      }
      byte[] body = in.readNBytes((int) length);
      bodyBytes = body.length;
      if (body.length < length) {
        throw new MalformedResponse(
            "the connection closed after " + body.length + " of " + length + " announced bytes");
      }
      return body;
    }
    return readToEnd();
  }

  private static long contentLength(List<String> values) throws MalformedResponse {
    long length = -1;
    for (String v : values) {
      for (String part : v.split(",")) {
        String p = part.strip();
        if (p.isEmpty() || p.length() > 18 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
          throw new MalformedResponse("invalid Content-Length: \"" + printable(v) + "\"");
        }
        long l = Long.parseLong(p);
        if (length >= 0 && l != length) {
          throw new MalformedResponse("conflicting Content-Length values: " + values);
        }
        length = l;
      }
    }
    return length;
  }

  private byte[] readToEnd() throws IOException, TooLarge {
    byte[] body = in.readNBytes(maxBodyBytes + 1);
    bodyBytes = body.length;
    if (body.length > maxBodyBytes) {
      throw new TooLarge("the body exceeds the cap of " + maxBodyBytes + " bytes", body.length);
    }
    return body;
  }

  private byte[] readChunked() throws IOException, MalformedResponse, TooLarge {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      int[] budget = {MAX_CHUNK_LINE};
      String line = readLine(budget, "a chunk-size line");
      if (line == null) {
        throw new MalformedResponse("the connection closed before the last chunk");
      }
      int semi = line.indexOf(';');
      String hex = (semi >= 0 ? line.substring(0, semi) : line).strip();
      if (hex.isEmpty() || hex.length() > 8 || !hex.chars().allMatch(HttpResponseReader::isHex)) {
        throw new MalformedResponse("invalid chunk size: \"" + printable(line) + "\"");
      }
      long size = Long.parseLong(hex, 16);
      if (size == 0) {
        readFields(new int[] {maxHeaderBytes}, new LinkedHashMap<>(), "the chunked trailers");
        return out.toByteArray();
      }
      if (out.size() + size > maxBodyBytes) {
        // Read what the cap allows plus one byte, so bytes() shows it went past the cap.
        byte[] part = in.readNBytes((int) (maxBodyBytes - out.size() + 1));
        bodyBytes = out.size() + (long) part.length;
        throw new TooLarge("the body exceeds the cap of " + maxBodyBytes + " bytes", bodyBytes);
      }
      byte[] chunk = in.readNBytes((int) size);
      out.write(chunk, 0, chunk.length);
      bodyBytes = out.size();
      if (chunk.length < size) {
        throw new MalformedResponse("the connection closed inside a chunk");
      }
      int cr = in.read();
      int lf = cr == '\r' ? in.read() : cr;
      if (lf != '\n') {
        throw new MalformedResponse("a chunk is not followed by CRLF");
      }
    }
  }

  private int limit(String what) {
    return what.equals("a chunk-size line") ? MAX_CHUNK_LINE : maxHeaderBytes;
  }

  private static boolean isHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** A line up to LF (a CR before it dropped), charged to the budget; null at end of stream. */
  private @Nullable String readLine(int[] budget, String what) throws IOException, MalformedResponse {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (line.size() == 0) {
          return null;
        }
        throw new MalformedResponse("the server closed the connection inside " + what);
      }
      if (--budget[0] < 0) {
        throw new MalformedResponse(what + " are longer than allowed (" + limit(what) + " bytes)");
      }
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
    }
  }

  /** The text with control and non-ASCII characters shown as {@code ?}, cut at 200 characters. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 200; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c >= 0x7F ? '?' : c);
    }
    return s.length() > 200 ? b + "..." : b.toString();
  }
}
