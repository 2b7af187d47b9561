package dev.smtptls.testkit.mtasts;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link MtaStsPolicyServer} answers: a status, headers, a body and how it is framed, or a
 * fault. Immutable; the {@code with...} methods return copies.
 *
 * <pre>{@code
 * server.respond(PolicyResponse.policy("version: STSv1\nmode: enforce\nmx: mx.example.test\nmax_age: 86400\n"));
 * server.respond(PolicyResponse.status(404));
 * server.respond(PolicyResponse.redirect("https://elsewhere.example.test/.well-known/mta-sts.txt"));
 * server.respond(PolicyResponse.oversize(70_000));
 * server.respond(PolicyResponse.policy(body).withContentType("text/html"));
 * server.respond(PolicyResponse.policy(body).withFraming(PolicyResponse.Framing.CHUNKED));
 * server.respond(PolicyResponse.fault(PolicyResponse.Fault.STALL_RESPONSE));
 * }</pre>
 */
public final class PolicyResponse {

  /** How the body is delimited (RFC 9112 §6). */
  public enum Framing {
    /** A {@code Content-Length} header. */
    CONTENT_LENGTH,
    /** {@code Transfer-Encoding: chunked}, in chunks of at most 4096 bytes. */
    CHUNKED,
    /** No length: the body ends when the server closes the connection. */
    CLOSE
  }

  /** A misbehaviour instead of (or in the middle of) the response. */
  public enum Fault {
    /** No fault: the response is sent whole. */
    NONE,
    /** Accept the TCP connection but never start the TLS handshake. */
    STALL_HANDSHAKE,
    /** Complete TLS, read the request, then send nothing. */
    STALL_RESPONSE,
    /** Send the headers and half the body, then nothing more. */
    STALL_BODY,
    /** Complete TLS, read the request, then close the connection without a response. */
    DISCONNECT
  }

  private final int status;
  private final String reason;
  private final Map<String, String> headers;
  private final byte[] body;
  private final Framing framing;
  private final Fault fault;

  private PolicyResponse(int status, String reason, Map<String, String> headers, byte[] body, Framing framing,
      Fault fault) {
    this.status = status;
    this.reason = reason;
    this.headers = headers;
    this.body = body;
    this.framing = framing;
    this.fault = fault;
  }

  /**
   * {@return 200 with {@code Content-Type: text/plain} and the body, framed by Content-Length}
   *
   * @param body the policy text, sent as UTF-8
   */
  public static PolicyResponse policy(String body) {
    requireNonNull(body, "body");
    return new PolicyResponse(200, "OK", Map.of("Content-Type", "text/plain"),
        body.getBytes(StandardCharsets.UTF_8), Framing.CONTENT_LENGTH, Fault.NONE);
  }

  /**
   * {@return a response with this status and a short text body}
   *
   * @param status 100 to 599
   */
  public static PolicyResponse status(int status) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be 100 to 599: " + status);
    }
    return new PolicyResponse(status, reason(status), Map.of("Content-Type", "text/plain"),
        ("status " + status + "\n").getBytes(StandardCharsets.US_ASCII), Framing.CONTENT_LENGTH, Fault.NONE);
  }

  /**
   * {@return 301 with a {@code Location} header}
   *
   * @param location where it points
   */
  public static PolicyResponse redirect(String location) {
    requireNonNull(location, "location");
    return status(301).withHeader("Location", location);
  }

  /**
   * {@return 200 text/plain with a body of {@code bytes} bytes of policy-like text, chunked (so
   * the client learns the size only by reading)}
   *
   * @param bytes the body size, 0 or more
   */
  public static PolicyResponse oversize(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must not be negative: " + bytes);
    }
    byte[] b = new byte[bytes];
    Arrays.fill(b, (byte) 'x');
    return new PolicyResponse(200, "OK", Map.of("Content-Type", "text/plain"), b, Framing.CHUNKED, Fault.NONE);
  }

  /**
   * {@return a fault on a 200 text/plain response with a small body}
   *
   * @param fault the fault
   */
  public static PolicyResponse fault(Fault fault) {
    return policy("version: STSv1\nmode: none\nmax_age: 0\n".repeat(4)).withFault(fault);
  }

  /**
   * {@return a copy with this Content-Type, or without one when null}
   *
   * @param contentType the header value, or null for no header
   */
  public PolicyResponse withContentType(@Nullable String contentType) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.remove("Content-Type");
    if (contentType != null) {
      h.put("Content-Type", contentType);
    }
    return new PolicyResponse(status, reason, Map.copyOf(h), body, framing, fault);
  }

  /**
   * {@return a copy with one more header (replacing one of the same name)}
   *
   * @param name the header name
   * @param value the value
   */
  public PolicyResponse withHeader(String name, String value) {
    requireNonNull(name, "name");
    requireNonNull(value, "value");
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new PolicyResponse(status, reason, Map.copyOf(h), body, framing, fault);
  }

  /**
   * {@return a copy with this framing}
   *
   * @param f the framing
   */
  public PolicyResponse withFraming(Framing f) {
    return new PolicyResponse(status, reason, headers, body, requireNonNull(f, "framing"), fault);
  }

  /**
   * {@return a copy with this fault}
   *
   * @param f the fault
   */
  public PolicyResponse withFault(Fault f) {
    return new PolicyResponse(status, reason, headers, body, framing, requireNonNull(f, "fault"));
  }

  /** {@return the status code} */
  public int statusCode() {
    return status;
  }

  /** {@return the reason phrase} */
  public String reason() {
    return reason;
  }

  /** {@return the headers besides the framing and {@code Connection: close}} */
  public Map<String, String> headers() {
    return headers;
  }

  /** {@return a copy of the body} */
  public byte[] body() {
    return body.clone();
  }

  /** {@return the framing} */
  public Framing framing() {
    return framing;
  }

  /** {@return the fault} */
  public Fault faultKind() {
    return fault;
  }

  byte[] bodyUnsafe() {
    return body;
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 301 -> "Moved Permanently";
      case 302 -> "Found";
      case 307 -> "Temporary Redirect";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
  }

  @Override
  public String toString() {
    return "PolicyResponse[" + status + ", " + body.length + " bytes, " + framing + ", " + fault + "]";
  }
}
