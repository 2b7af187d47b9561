package dev.smtptls.dns;

import java.util.List;

/**
 * A minimal JSON writer for the TLS-RPT report: objects with keys in insertion order, strings,
 * integers and arrays of strings. Core has no JSON library, and the report needs no more.
 */
final class TlsRptJson {
  private final StringBuilder out = new StringBuilder();
  private boolean first = true;

  TlsRptJson beginObject() {
    comma();
    out.append('{');
    first = true;
    return this;
  }

  TlsRptJson endObject() {
    out.append('}');
    first = false;
    return this;
  }

  TlsRptJson beginArray() {
    comma();
    out.append('[');
    first = true;
    return this;
  }

  TlsRptJson endArray() {
    out.append(']');
    first = false;
    return this;
  }

  /** Writes {@code "key":} — the value follows. */
  TlsRptJson key(String key) {
    comma();
    quote(key, out);
    out.append(':');
    first = true; // the value takes no comma
    return this;
  }

  TlsRptJson value(String s) {
    comma();
    quote(s, out);
    first = false;
    return this;
  }

  TlsRptJson value(long n) {
    comma();
    out.append(n);
    first = false;
    return this;
  }

  TlsRptJson field(String key, String value) {
    return key(key).value(value);
  }

  TlsRptJson field(String key, long value) {
    return key(key).value(value);
  }

  TlsRptJson field(String key, List<String> values) {
    key(key).beginArray();
    values.forEach(this::value);
    return endArray();
  }

  private void comma() {
    if (!first) {
      out.append(',');
    }
    first = false;
  }

  @Override
  public String toString() {
    return out.toString();
  }

  /**
   * {@return {@code s} as a JSON string (RFC 8259 §7), quotes included} The quote, the backslash
   * and every control character below U+0020 are escaped ({@code \b \f \n \r \t} in their short
   * form, the others as {@code \}{@code u00XX}); so are U+2028 and U+2029 (valid JSON, but not
   * valid in JavaScript strings before ES2019) and unpaired surrogates, which UTF-8 cannot encode.
   * Everything else, non-ASCII included, is written as it is.
   */
  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2);
    quote(s, b);
    return b.toString();
  }

  private static void quote(String s, StringBuilder b) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1));
          if (paired) {
            b.append(c).append(s.charAt(++i));
          } else if (c < 0x20 || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c)) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
