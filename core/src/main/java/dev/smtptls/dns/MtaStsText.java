package dev.smtptls.dns;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Helpers shared by the MTA-STS and TLS-RPT parsers: TXT text, names and field syntax. */
final class MtaStsText {

  private MtaStsText() {}

  /** The texts of the TXT records that start with {@code prefix}, each record's strings joined. */
  static List<String> txtStartingWith(List<DnsRecord> records, String prefix) {
    List<String> out = new ArrayList<>();
    for (DnsRecord r : records) {
      String text = unquote(r.data());
      if (text.startsWith(prefix)) {
        out.add(text);
      }
    }
    return out;
  }

  /**
   * The strings of a TXT record in presentation form ({@code "a" "b"}, with backslash escapes),
   * concatenated into one text as RFC 8461 §3.1 and RFC 8460 §3 require; data without quotes is
   * taken as is.
   */
  static String unquote(String data) {
    String d = data.trim();
    if (!d.startsWith("\"")) {
      return d;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean inString = false;
    for (int i = 0; i < d.length(); i++) {
      char c = d.charAt(i);
      if (c == '"') {
        inString = !inString;
      } else if (!inString) {
        continue; // white space between the strings
      } else if (c == '\\' && i + 1 < d.length()) {
        char n = d.charAt(i + 1);
        if (i + 3 < d.length() && isDigit(n) && isDigit(d.charAt(i + 2)) && isDigit(d.charAt(i + 3))) {
          out.write(Integer.parseInt(d.substring(i + 1, i + 4)) & 0xFF);
          i += 3;
        } else {
          out.write(n);
          i++;
        }
      } else {
        byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** WSP of RFC 5234: space and horizontal tab. */
  static String stripWsp(String s) {
    int b = 0;
    int e = s.length();
    while (b < e && (s.charAt(b) == ' ' || s.charAt(b) == '\t')) {
      b++;
    }
    while (e > b && (s.charAt(e - 1) == ' ' || s.charAt(e - 1) == '\t')) {
      e--;
    }
    return s.substring(b, e);
  }

  /** An extension field name: {@code (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")}. */
  static boolean isFieldName(String name) {
    if (name.isEmpty() || name.length() > 32 || !isAlnum(name.charAt(0))) {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!isAlnum(c) && c != '_' && c != '-' && c != '.') {
        return false;
      }
    }
    return true;
  }

  /** An extension value: {@code 1*(%x21-3A / %x3C / %x3E-7E)}: visible ASCII but "=" and ";". */
  static boolean isFieldValue(String value) {
    if (value.isEmpty()) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x21 || c > 0x7E || c == '=' || c == ';') {
        return false;
      }
    }
    return true;
  }

  static boolean isAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  /**
   * {@return a mail domain in canonical form: lower case, no trailing dot}
   *
   * @throws IllegalArgumentException if it is not a domain name of at least one label
   */
  static String domain(String domain, String what) {
    String d = domain.trim().toLowerCase(Locale.ROOT);
    if (d.endsWith(".")) {
      d = d.substring(0, d.length() - 1);
    }
    if (!isHostName(d)) {
      throw new IllegalArgumentException(what + " is not a domain name: \"" + domain + "\"");
    }
    return d;
  }

  /** LDH labels of 1 to 63 octets (underscores tolerated), at most 253 octets, no empty label. */
  static boolean isHostName(String name) {
    if (name.isEmpty() || name.length() > 253) {
      return false;
    }
    for (String label : name.split("\\.", -1)) {
      if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
        return false;
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        if (!isAlnum(c) && c != '-' && c != '_') {
          return false;
        }
      }
    }
    return true;
  }

  /** {@return the name lower-cased, without a trailing dot} */
  static String canonical(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }
}
