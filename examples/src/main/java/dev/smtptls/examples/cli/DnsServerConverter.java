package dev.smtptls.examples.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converts {@code --dns HOST[:PORT]}: an IP literal ({@code 192.0.2.53}, {@code 2001:db8::53},
 * {@code [2001:db8::53]:5353}, {@code 127.0.0.1:5353}), port 53 by default. A host name is refused:
 * finding the DNS server's address would itself need a DNS server.
 */
public final class DnsServerConverter implements ITypeConverter<InetSocketAddress> {

  /** The DNS port: {@value}. */
  public static final int DEFAULT_PORT = 53;

  /** Creates the converter (picocli instantiates it). */
  public DnsServerConverter() {}

  @Override
  public InetSocketAddress convert(String value) {
    try {
      return parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }

  /**
   * Parses a DNS server's address.
   *
   * @param value {@code IP}, {@code IPv4:PORT} or {@code [IPv6]:PORT}
   * @return the resolved address and port
   * @throws IllegalArgumentException naming what is wrong
   */
  public static InetSocketAddress parse(String value) {
    String v = value.strip();
    String host = v;
    String port = null;
    if (v.startsWith("[")) {
      int close = v.indexOf(']');
      if (close < 0) {
        throw bad(value, "no closing ']'");
      }
      host = v.substring(1, close);
      String rest = v.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw bad(value, "expected ':PORT' after ']'");
        }
        port = rest.substring(1);
      }
      if (host.indexOf(':') < 0) {
        throw bad(value, "brackets are for IPv6 addresses");
      }
    } else if (v.indexOf(':') >= 0 && v.indexOf(':') == v.lastIndexOf(':')) {
      // One colon: IPv4:PORT (an IPv6 literal has at least two).
      host = v.substring(0, v.indexOf(':'));
      port = v.substring(v.indexOf(':') + 1);
    }
    InetAddress address;
    try {
      address = IpLiterals.parse(host);
    } catch (IllegalArgumentException e) {
      throw bad(value, "not an IP address (write 192.0.2.53, 192.0.2.53:5353 or [2001:db8::53]:5353;"
          + " a host name would itself need a DNS server)");
    }
    int p = DEFAULT_PORT;
    if (port != null) {
      if (!port.matches("\\d{1,5}")) {
        throw bad(value, "the port is not a number");
      }
      p = Integer.parseInt(port);
      if (p < 1 || p > 65535) {
        throw bad(value, "the port is out of 1..65535");
      }
    }
    return new InetSocketAddress(address, p);
  }

  private static IllegalArgumentException bad(String value, String why) {
    return new IllegalArgumentException("'" + value + "' is not a DNS server: " + why);
  }
}
