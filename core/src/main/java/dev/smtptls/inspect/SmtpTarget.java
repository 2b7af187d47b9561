package dev.smtptls.inspect;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where a probe goes: a host (a DNS name or an IP literal) and a port, and optionally the address
 * to connect to while the host name is kept for SNI and certificate name checks.
 *
 * @param host a DNS name (e.g. {@code mx1.example.org}) or an IP literal ({@code 192.0.2.1},
 *     {@code 2001:db8::1}); names are stored in lower case without a trailing dot
 * @param port 1 to 65535
 * @param address the address to connect to, or null to resolve {@code host}
 */
public record SmtpTarget(String host, int port, @Nullable InetAddress address) {

  /** The SMTP port (RFC 5321 §4.5.4.2... and the IANA registry). */
  public static final int SMTP_PORT = 25;

  // RFC 1123 labels; underscores tolerated since real MX names contain them.
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /**
   * Validates.
   *
   * @throws IllegalArgumentException naming what is wrong with the host or port
   */
  public SmtpTarget {
    requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535: " + port);
    }
    host = normalise(host);
  }

  /**
   * A target on a port.
   *
   * @param host name or IP literal
   * @param port the port
   * @return the target
   * @throws IllegalArgumentException if the host or port is invalid
   */
  public static SmtpTarget of(String host, int port) {
    return new SmtpTarget(host, port, null);
  }

  /**
   * A target on port 25.
   *
   * @param host name or IP literal
   * @return the target
   * @throws IllegalArgumentException if the host is invalid
   */
  public static SmtpTarget of(String host) {
    return of(host, SMTP_PORT);
  }

  /**
   * Parses {@code HOST}, {@code HOST:PORT}, {@code [IPv6]:PORT} or a bare IPv6 literal.
   *
   * @param text the text
   * @return the target (port 25 when none is given)
   * @throws IllegalArgumentException naming what is wrong
   */
  public static SmtpTarget parse(String text) {
    requireNonNull(text, "text");
    String t = text.strip();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("empty host");
    }
    if (t.startsWith("[")) {
      int close = t.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("missing ']' in " + text);
      }
      String host = t.substring(1, close);
      String rest = t.substring(close + 1);
      if (rest.isEmpty()) {
        return of(host);
      }
      if (!rest.startsWith(":")) {
        throw new IllegalArgumentException("expected ':PORT' after ']' in " + text);
      }
      return of(host, parsePort(rest.substring(1), text));
    }
    int colon = t.indexOf(':');
    if (colon >= 0 && colon == t.lastIndexOf(':')) {
      return of(t.substring(0, colon), parsePort(t.substring(colon + 1), text));
    }
    return of(t);
  }

  private static int parsePort(String p, String text) {
    try {
      int port = Integer.parseInt(p);
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be 1..65535 in " + text);
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port is not a number in " + text, e);
    }
  }

  /**
   * This target connected at a given address, keeping the host name.
   *
   * @param newAddress the address
   * @return the new target
   */
  public SmtpTarget withAddress(InetAddress newAddress) {
    return new SmtpTarget(host, port, requireNonNull(newAddress, "address"));
  }

  /** {@return true when the host is a DNS name (then it is sent as SNI and checked against the certificate)} */
  public boolean hostIsName() {
    return !isIpLiteral(host);
  }

  /**
   * The socket address to connect to: the given address, or the host when it is an IP literal.
   *
   * @return the address, or null when a name must first be resolved
   */
  public @Nullable InetSocketAddress literalSocketAddress() {
    if (address != null) {
      return new InetSocketAddress(address, port);
    }
    if (isIpLiteral(host)) {
      try {
        // A literal: InetAddress parses it without any lookup.
        return new InetSocketAddress(InetAddress.getByName(host), port);
      } catch (UnknownHostException e) {
        throw new IllegalStateException("validated literal did not parse: " + host, e);
      }
    }
    return null;
  }

  @Override
  public String toString() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return h + ":" + port + (address == null ? "" : " (" + address.getHostAddress() + ")");
  }

  private static String normalise(String host) {
    String h = host.strip();
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.isEmpty()) {
      throw new IllegalArgumentException("empty host");
    }
    if (h.indexOf(':') >= 0) {
      if (!h.matches("[0-9A-Fa-f:.]+") || !h.contains("::") && h.chars().filter(c -> c == ':').count() < 2) {
        throw new IllegalArgumentException("not an IPv6 address: " + host);
      }
      try {
        InetAddress a = InetAddress.getByName(h);
        return a.getHostAddress().toLowerCase(Locale.ROOT);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not an IPv6 address: " + host, e);
      }
    }
    if (IPV4.matcher(h).matches()) {
      for (String part : h.split("\\.")) {
        if (Integer.parseInt(part) > 255) {
          throw new IllegalArgumentException("not an IPv4 address: " + host);
        }
      }
      return h;
    }
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.length() > 253) {
      throw new IllegalArgumentException("host name longer than 253 characters");
    }
    for (String label : h.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        throw new IllegalArgumentException("not a valid host name: '" + host + "'");
      }
    }
    return h.toLowerCase(Locale.ROOT);
  }

  private static boolean isIpLiteral(String h) {
    return h.indexOf(':') >= 0 || IPV4.matcher(h).matches();
  }
}
