package dev.smtptls.internal.cert;

import org.jspecify.annotations.Nullable;

/**
 * IP literals as reference identities and iPAddress SAN entries as text.
 *
 * <p>Parsing is strict and never consults a resolver ({@link java.net.InetAddress#getByName}
 * would look a non-literal up in DNS and accepts forms such as {@code 0xC0A80101} or {@code
 * 192.168.001.001} on some platforms). IPv4 is RFC 3986's dotted decimal without leading zeros;
 * IPv6 is any RFC 4291 section 2.2 text form (upper or lower case, {@code ::}, an embedded
 * dotted-decimal IPv4 tail) without a zone.
 */
public final class NameIpAddress {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private NameIpAddress() {}

  /**
   * The address bytes of an IP literal as a caller names an expected peer: {@code 192.0.2.1},
   * {@code 2001:db8::1}, either in brackets, or an SMTP address literal ({@code [192.0.2.1]},
   * {@code [IPv6:2001:db8::1]}, RFC 5321 section 4.1.3). Null if it is not one.
   */
  static byte @Nullable [] parseReference(String s) {
    int from = 0;
    int to = s.length();
    if (to >= 2 && s.charAt(0) == '[' && s.charAt(to - 1) == ']') {
      from = 1;
      to--;
      if (to - from > 5 && s.regionMatches(true, from, "IPv6:", 0, 5)) {
        return parseV6(s, from + 5, to);
      }
    }
    return parse(s, from, to);
  }

  /** The address bytes of a bare IPv4 or IPv6 literal, or null if {@code s} is not one. */
  static byte @Nullable [] parse(String s) {
    return parse(s, 0, s.length());
  }

  private static byte @Nullable [] parse(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) == ':') {
        return parseV6(s, from, to);
      }
    }
    return parseV4(s, from, to);
  }

  private static byte @Nullable [] parseV4(String s, int from, int to) {
    byte[] out = new byte[4];
    int part = 0;
    int i = from;
    while (true) {
      int start = i;
      int value = 0;
      while (i < to && i - start < 4) {
        char c = s.charAt(i);
        if (c < '0' || c > '9') {
          break;
        }
        value = value * 10 + (c - '0');
        i++;
      }
      int digits = i - start;
      if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
        return null;
      }
      out[part++] = (byte) value;
      if (part == 4) {
        return i == to ? out : null;
      }
      if (i >= to || s.charAt(i) != '.') {
        return null;
      }
      i++;
    }
  }

  private static byte @Nullable [] parseV6(String s, int from, int to) {
    if (to - from < 2) {
      return null;
    }
    int[] groups = new int[8];
    int count = 0;
    int compressedAt = -1;
    int i = from;
    if (s.charAt(i) == ':') {
      if (s.charAt(i + 1) != ':') {
        return null;
      }
      compressedAt = 0;
      i += 2;
    }
    while (i < to) {
      if (count == 8) {
        return null;
      }
      int start = i;
      int value = 0;
      int digit;
      while (i < to && i - start < 5 && (digit = Character.digit(s.charAt(i), 16)) >= 0
          && s.charAt(i) < 0x80) {
        value = (value << 4) | digit;
        i++;
      }
      if (i < to && s.charAt(i) == '.') {
        if (count > 6) {
          return null;
        }
        byte[] v4 = parseV4(s, start, to);
        if (v4 == null) {
          return null;
        }
        groups[count++] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
        groups[count++] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
        i = to;
        break;
      }
      int digits = i - start;
      if (digits == 0 || digits > 4) {
        return null;
      }
      groups[count++] = value;
      if (i == to) {
        break;
      }
      if (s.charAt(i) != ':') {
        return null;
      }
      i++;
      if (i < to && s.charAt(i) == ':') {
        if (compressedAt >= 0) {
          return null;
        }
        compressedAt = count;
        i++;
      } else if (i == to) {
        return null; // a single trailing colon
      }
    }
    if (compressedAt < 0 ? count != 8 : count > 7) {
      return null;
    }
    byte[] out = new byte[16];
    int zeros = 8 - count;
    for (int g = 0, k = 0; g < 8; g++) {
      int value;
      if (compressedAt >= 0 && g >= compressedAt && g < compressedAt + zeros) {
        value = 0;
      } else {
        value = groups[k++];
      }
      out[2 * g] = (byte) (value >>> 8);
      out[2 * g + 1] = (byte) value;
    }
    return out;
  }

  /**
   * The canonical text of an address: dotted decimal for IPv4, RFC 5952 for IPv6 (lower case,
   * no leading zeros, the first longest run of two or more zero groups as {@code ::}, IPv4-mapped
   * addresses as {@code ::ffff:192.0.2.1}).
   */
  public static String text(byte[] address) {
    StringBuilder out = new StringBuilder(39);
    if (address.length == 4) {
      appendV4(out, address, 0);
      return out.toString();
    }
    if (address.length != 16) {
      throw new IllegalArgumentException("not an IP address: " + address.length + " bytes");
    }
    if (isV4Mapped(address)) {
      out.append("::ffff:");
      appendV4(out, address, 12);
      return out.toString();
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int g = 0; g < 8; ) {
      if (group(address, g) != 0) {
        g++;
        continue;
      }
      int start = g;
      while (g < 8 && group(address, g) == 0) {
        g++;
      }
      if (g - start > bestLength) {
        bestStart = start;
        bestLength = g - start;
      }
    }
    for (int g = 0; g < 8; g++) {
      if (g == bestStart) {
        out.append("::");
        g += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      appendHex(out, group(address, g));
    }
    return out.toString();
  }

  private static boolean isV4Mapped(byte[] a) {
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
  }

  private static int group(byte[] a, int g) {
    return ((a[2 * g] & 0xff) << 8) | (a[2 * g + 1] & 0xff);
  }

  private static void appendV4(StringBuilder out, byte[] a, int from) {
    for (int i = 0; i < 4; i++) {
      if (i > 0) {
        out.append('.');
      }
      out.append(a[from + i] & 0xff);
    }
  }

  private static void appendHex(StringBuilder out, int value) {
    boolean started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      int nibble = (value >>> shift) & 0xf;
      if (nibble != 0 || started || shift == 0) {
        out.append(HEX[nibble]);
        started = true;
      }
    }
  }
}
