package dev.smtptls.domain;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.jspecify.annotations.Nullable;

/**
 * Whether an address can be reached from the internet, for {@code MX_ADDRESS_NOT_PUBLIC}.
 *
 * <p>Not public: unspecified, loopback, link-local, multicast, RFC 1918 and RFC 6598 (shared)
 * ranges, {@code 0.0.0.0/8}, the documentation ranges ({@code 192.0.2.0/24}, {@code
 * 198.51.100.0/24}, {@code 203.0.113.0/24}, {@code 2001:db8::/32}), benchmarking {@code
 * 198.18.0.0/15}, {@code 240.0.0.0/4}, unique-local {@code fc00::/7} and the IPv4-mapped or
 * discard-only IPv6 forms of those. Pure arithmetic on the bytes: never a lookup.
 */
public final class AddressScope {

  private AddressScope() {}

  /**
   * {@return why the address is not public, e.g. {@code "loopback"}, or null when it is}
   *
   * @param address the address
   */
  public static @Nullable String nonPublicReason(InetAddress address) {
    if (address.isAnyLocalAddress()) {
      return "unspecified";
    }
    if (address.isLoopbackAddress()) {
      return "loopback";
    }
    if (address.isLinkLocalAddress()) {
      return "link-local";
    }
    if (address.isMulticastAddress()) {
      return "multicast";
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      return v4(b[0] & 0xFF, b[1] & 0xFF, b[2] & 0xFF);
    }
    if (address instanceof Inet6Address) {
      int first = b[0] & 0xFF;
      if ((first & 0xFE) == 0xFC) {
        return "unique-local (fc00::/7)";
      }
      if (first == 0x20 && (b[1] & 0xFF) == 0x01 && (b[2] & 0xFF) == 0x0D && (b[3] & 0xFF) == 0xB8) {
        return "documentation (2001:db8::/32)";
      }
      if ((first & 0xE0) != 0x20) {
        return "not global unicast (outside 2000::/3)";
      }
    }
    return null;
  }

  /** {@return whether the address is reachable from the internet} @param address the address */
  public static boolean isPublic(InetAddress address) {
    return nonPublicReason(address) == null;
  }

  private static @Nullable String v4(int a, int b, int c) {
    if (a == 0) {
      return "this network (0.0.0.0/8)";
    }
    if (a == 10 || (a == 172 && (b & 0xF0) == 16) || (a == 192 && b == 168)) {
      return "private (RFC 1918)";
    }
    if (a == 100 && (b & 0xC0) == 64) {
      return "shared address space (100.64.0.0/10)";
    }
    if ((a == 192 && b == 0 && c == 2) || (a == 198 && b == 51 && c == 100) || (a == 203 && b == 0 && c == 113)) {
      return "documentation (RFC 5737)";
    }
    if (a == 198 && (b & 0xFE) == 18) {
      return "benchmarking (198.18.0.0/15)";
    }
    if (a == 192 && b == 0 && c == 0) {
      return "IETF protocol assignments (192.0.0.0/24)";
    }
    if (a >= 240) {
      return "reserved (240.0.0.0/4)";
    }
    return null;
  }
}
