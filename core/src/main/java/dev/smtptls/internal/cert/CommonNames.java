package dev.smtptls.internal.cert;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.GeneralName;
import org.jspecify.annotations.Nullable;

/** How a subject CN relates to the subjectAltName entries (CA/B BR 7.1.4.3). */
final class CommonNames {

  private CommonNames() {}

  /**
   * Why {@code cn} is a near miss of the SAN entries, or null when it is one of them exactly or is
   * unrelated to all of them.
   */
  static @Nullable String nearMiss(String cn, List<GeneralName> san) {
    for (GeneralName g : san) {
      if (g.getTagNo() == GeneralName.dNSName && Names.text(g).equals(cn)) {
        return null;
      }
      if (g.getTagNo() == GeneralName.iPAddress
          && Names.ipText(ASN1OctetString.getInstance(g.getName()).getOctets()).equals(cn)) {
        return null;
      }
    }
    byte[] address = lenientAddress(cn);
    if (address != null) {
      for (GeneralName g : san) {
        if (g.getTagNo() == GeneralName.iPAddress
            && Arrays.equals(ASN1OctetString.getInstance(g.getName()).getOctets(), address)) {
          return "the address of an iPAddress entry written differently (RFC 3986 / RFC 5952 text is required)";
        }
      }
      return null;
    }
    String ascii = toAscii(cn);
    for (GeneralName g : san) {
      if (g.getTagNo() != GeneralName.dNSName) {
        continue;
      }
      String entry = Names.text(g);
      if (ascii != null && entry.equalsIgnoreCase(ascii)) {
        return "a dNSName entry spelled differently (letter case or Unicode instead of the A-label)";
      }
      if (ascii != null && !entry.startsWith("*.") && siblings(ascii, entry)) {
        return "another host of the same domain as the dNSName entry '" + entry + "'";
      }
    }
    return null;
  }

  private static boolean siblings(String a, String b) {
    int da = a.indexOf('.');
    int db = b.indexOf('.');
    return da > 0 && db > 0 && a.substring(da).equalsIgnoreCase(b.substring(db));
  }

  private static @Nullable String toAscii(String cn) {
    try {
      String a = IDN.toASCII(cn, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
      return a.isEmpty() ? null : a;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Parses IPv4 in dotted (leading zeros allowed), hex or integer form, and IPv6 in any case. */
  static byte @Nullable [] lenientAddress(String s) {
    String t = s.strip();
    if (t.indexOf(':') >= 0) {
      if (!t.matches("[0-9A-Fa-f:.]+")) {
        return null;
      }
      try {
        // A string with a colon is parsed as an IPv6 literal; there is no name lookup.
        return InetAddress.getByName(t).getAddress();
      } catch (UnknownHostException | SecurityException e) {
        return null;
      }
    }
    try {
      if (t.matches("0[xX][0-9A-Fa-f]{1,8}")) {
        long v = Long.parseLong(t.substring(2), 16);
        return new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v};
      }
      if (t.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
        String[] parts = t.split("\\.", -1);
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
          int v = Integer.parseInt(parts[i]);
          if (v > 255) {
            return null;
          }
          b[i] = (byte) v;
        }
        return b;
      }
    } catch (NumberFormatException e) {
      return null;
    }
    return null;
  }
}
