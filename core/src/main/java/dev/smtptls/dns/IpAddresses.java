package dev.smtptls.dns;

import static java.util.Objects.requireNonNull;

import dev.smtptls.internal.cert.NameIpAddress;
import java.net.InetAddress;

/** IP addresses as people and RFC 5952 write them. */
public final class IpAddresses {

  private IpAddresses() {}

  /**
   * {@return the address in its canonical text form} IPv4 dotted-decimal; IPv6 as RFC 5952 §4
   * recommends: lower-case hex, leading zeros dropped, the longest run of two or more zero groups
   * (the first of equal runs) as {@code ::}, e.g. {@code ::1} and {@code 2001:db8::25} where {@link
   * InetAddress#getHostAddress()} gives {@code 0:0:0:0:0:0:0:1}. No scope id, never a lookup.
   *
   * @param address the address
   */
  public static String text(InetAddress address) {
    requireNonNull(address, "address");
    return NameIpAddress.text(address.getAddress());
  }
}
