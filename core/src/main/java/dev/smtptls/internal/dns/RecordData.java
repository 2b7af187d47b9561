package dev.smtptls.internal.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import org.xbill.DNS.Address;

/** Reads the presentation form of the record types with typed accessors. Not API. */
public final class RecordData {

  /** An MX RDATA: preference and exchange. */
  public record Mx(int preference, String exchange) {}

  private RecordData() {}

  /**
   * Parses {@code "PREF EXCHANGE"}.
   *
   * @throws IllegalArgumentException if the data is not of that form
   */
  public static Mx mx(String data) {
    String[] parts = data.trim().split("\\s+");
    if (parts.length != 2) {
      throw new IllegalArgumentException("MX data is not \"preference exchange\": " + data);
    }
    int preference;
    try {
      preference = Integer.parseInt(parts[0]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("MX preference is not a number: " + data, e);
    }
    if (preference < 0 || preference > 0xFFFF) {
      throw new IllegalArgumentException("MX preference out of range: " + data);
    }
    return new Mx(preference, name(parts[1]));
  }

  /**
   * Checks a single domain name in presentation form.
   *
   * @throws IllegalArgumentException if it is empty or holds white space
   */
  public static String name(String data) {
    String n = data.trim();
    if (n.isEmpty() || n.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("not a domain name: \"" + data + "\"");
    }
    return n;
  }

  /**
   * Parses an IPv4 or IPv6 literal into its bytes; never a lookup.
   *
   * @throws IllegalArgumentException if it is not a literal of that family
   */
  public static byte[] addressBytes(boolean ipv4, String data) {
    byte[] bytes = Address.toByteArray(data.trim(), ipv4 ? Address.IPv4 : Address.IPv6);
    if (bytes == null) {
      throw new IllegalArgumentException(
          "not an " + (ipv4 ? "IPv4" : "IPv6") + " address: \"" + data + "\"");
    }
    return bytes;
  }

  /** {@return the address from the bytes of a literal; never a lookup} */
  public static InetAddress address(boolean ipv4, String data) {
    try {
      return InetAddress.getByAddress(addressBytes(ipv4, data));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("bad address length: " + data, e);
    }
  }

  /** {@return a name in a form for comparison: lower case, no trailing dot (except the root)} */
  public static String canonical(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    return n.length() > 1 && n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }
}
