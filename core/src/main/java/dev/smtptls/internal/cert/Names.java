package dev.smtptls.internal.cert;

import java.util.Locale;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x509.GeneralName;
import org.jspecify.annotations.Nullable;

/** Syntax rules and text forms of the names in certificates (RFC 5280 4.2.1.6, RFC 5952). */
final class Names {

  private Names() {}

  /** Why a subjectAltName entry is malformed, or null when it is well formed. */
  static @Nullable String malformedSan(GeneralName g) {
    switch (g.getTagNo()) {
      case GeneralName.dNSName -> {
        String s = text(g);
        return validDnsName(s, true) ? null : "dNSName '" + printable(s) + "'";
      }
      case GeneralName.iPAddress -> {
        byte[] b = ASN1OctetString.getInstance(g.getName()).getOctets();
        return b.length == 4 || b.length == 16 ? null : "iPAddress of " + b.length + " octets";
      }
      case GeneralName.rfc822Name -> {
        String s = text(g);
        return ascii(s) && s.indexOf('@') > 0 ? null : "rfc822Name '" + printable(s) + "'";
      }
      case GeneralName.uniformResourceIdentifier -> {
        String s = text(g);
        return ascii(s) && !s.isEmpty() ? null : "URI '" + printable(s) + "'";
      }
      default -> {
        return null;
      }
    }
  }

  static String text(GeneralName g) {
    return g.getName() instanceof ASN1String s ? s.getString() : g.getName().toString();
  }

  static boolean ascii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 80; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return b.toString();
  }

  /**
   * Whether {@code s} is a host name in the preferred name syntax (letters, digits, hyphens;
   * RFC 1034 3.5 as modified by RFC 1123 2.1). The left-most label may hold a wildcard when
   * {@code wildcardAllowed}; whether a wildcard matches anything is for name matching to decide.
   */
  static boolean validDnsName(String s, boolean wildcardAllowed) {
    if (s.isEmpty() || s.length() > 253 || !ascii(s)) {
      return false;
    }
    String body = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    String[] labels = body.split("\\.", -1);
    for (int i = 0; i < labels.length; i++) {
      String label = labels[i];
      if (label.isEmpty() || label.length() > 63) {
        return false;
      }
      for (int k = 0; k < label.length(); k++) {
        char c = label.charAt(k);
        boolean ok =
            (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '-'
                || (c == '*' && i == 0 && wildcardAllowed);
        if (!ok) {
          return false;
        }
      }
    }
    return true;
  }

  static String lower(String s) {
    String l = s.toLowerCase(Locale.ROOT);
    return l.endsWith(".") ? l.substring(0, l.length() - 1) : l;
  }

  /** Dotted decimal for IPv4, RFC 5952 text for IPv6. */
  static String ipText(byte[] a) {
    if (a.length == 4) {
      return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
    }
    if (a.length != 16) {
      return "(" + a.length + " octets)";
    }
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    if (bestLen < 2) {
      bestStart = -1;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        b.append("::");
        i += bestLen - 1;
        continue;
      }
      if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
        b.append(':');
      }
      b.append(Integer.toHexString(g[i]));
    }
    return b.toString();
  }

  /** Whether the text looks like an IP address literal (so it is not compared as a DNS name). */
  static boolean looksLikeIp(String s) {
    return s.indexOf(':') >= 0 || s.matches("[0-9]+(\\.[0-9]+){3}");
  }
}
