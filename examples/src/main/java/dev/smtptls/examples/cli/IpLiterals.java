package dev.smtptls.examples.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Parses IP address literals without ever asking DNS: {@link InetAddress#getByName} looks a name
 * up when the text is not a literal, so the text is checked first and an IPv6 literal is handed
 * over in brackets, which the JDK parses as a literal or refuses.
 */
final class IpLiterals {

  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

  private IpLiterals() {}

  /**
   * Parses {@code 192.0.2.1}, {@code 2001:db8::1} or {@code [2001:db8::1]}.
   *
   * @param text the literal
   * @return the address
   * @throws IllegalArgumentException when the text is not an IP literal
   */
  static InetAddress parse(String text) {
    String t = text.strip();
    if (t.startsWith("[") && t.endsWith("]")) {
      t = t.substring(1, t.length() - 1);
    }
    var v4 = IPV4.matcher(t);
    if (v4.matches()) {
      byte[] bytes = new byte[4];
      for (int i = 0; i < 4; i++) {
        int octet = Integer.parseInt(v4.group(i + 1));
        if (octet > 255) {
          throw notLiteral(text);
        }
        bytes[i] = (byte) octet;
      }
      try {
        return InetAddress.getByAddress(bytes);
      } catch (UnknownHostException e) {
        throw new IllegalStateException("four bytes are always an IPv4 address", e);
      }
    }
    if (t.indexOf(':') >= 0 && IPV6.matcher(t).matches()) {
      try {
        // In brackets the JDK parses an IPv6 literal or fails; it never resolves.
        return InetAddress.getByName("[" + t + "]");
      } catch (UnknownHostException e) {
        throw notLiteral(text);
      }
    }
    throw notLiteral(text);
  }

  /**
   * An address as text: IPv4 dotted, IPv6 in brackets (so that a port may follow).
   *
   * @param address the address
   * @return e.g. {@code 127.0.0.1} or {@code [::1]}
   */
  static String show(java.net.InetAddress address) {
    String h = address.getHostAddress();
    return h.indexOf(':') >= 0 ? "[" + h + "]" : h;
  }

  private static IllegalArgumentException notLiteral(String text) {
    return new IllegalArgumentException("'" + text + "' is not an IP address (write 192.0.2.1 or 2001:db8::1)");
  }
}
