package dev.smtptls.internal.cert;

import java.text.Normalizer;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Internationalised domain names: U-labels to A-labels (RFC 5891 section 4.4, Punycode per RFC
 * 3492).
 *
 * <p>{@link java.net.IDN} implements IDNA2003 (Unicode 3.2 with nameprep), which maps {@code ß}
 * to {@code ss} and {@code ς} to {@code σ} and refuses every code point assigned after Unicode
 * 3.2. Certificates and DNS carry IDNA2008 A-labels ({@code straße.de} is {@code
 * xn--strae-oqa.de}), so the conversion here follows IDNA2008 as UTS 46 non-transitional
 * processing applies it: map the IDNA full stops, NFKC, lower case, NFC, then Punycode for each
 * non-ASCII label. Labels with code points that cannot be in a host name (symbols, emoji,
 * punctuation, joiners) are refused rather than encoded.
 */
final class NameIdna {

  private static final int BASE = 36;
  private static final int T_MIN = 1;
  private static final int T_MAX = 26;
  private static final int SKEW = 38;
  private static final int DAMP = 700;
  private static final int INITIAL_BIAS = 72;
  private static final int INITIAL_N = 128;

  private NameIdna() {}

  /**
   * The A-label form of a domain name that contains non-ASCII characters, or null if it cannot be
   * one. The result is lower case but not otherwise validated: the caller checks LDH syntax.
   */
  static @Nullable String toAscii(String name) {
    String mapped =
        name.replace('\u3002', '.').replace('\uff0e', '.').replace('\uff61', '.');
    mapped = Normalizer.normalize(mapped, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    mapped = Normalizer.normalize(mapped, Normalizer.Form.NFC);
    StringBuilder out = new StringBuilder(mapped.length() + 16);
    int start = 0;
    while (true) {
      int dot = mapped.indexOf('.', start);
      int end = dot < 0 ? mapped.length() : dot;
      String label = mapped.substring(start, end);
      if (isAscii(label)) {
        out.append(label);
      } else {
        if (!isHostNameUnicode(label)) {
          return null;
        }
        String encoded = punycode(label);
        if (encoded == null) {
          return null;
        }
        out.append("xn--").append(encoded);
      }
      if (dot < 0) {
        return out.toString();
      }
      out.append('.');
      start = dot + 1;
    }
  }

  static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** Letters, digits, combining marks and hyphen: what IDNA2008 can allow in a label. */
  private static boolean isHostNameUnicode(String label) {
    for (int i = 0; i < label.length(); ) {
      int cp = label.codePointAt(i);
      i += Character.charCount(cp);
      if (cp < 0x80) {
        continue; // ASCII is checked by the caller's LDH rules
      }
      int type = Character.getType(cp);
      boolean allowed =
          Character.isLetterOrDigit(cp)
              || type == Character.NON_SPACING_MARK
              || type == Character.COMBINING_SPACING_MARK
              || type == Character.ENCLOSING_MARK;
      if (!allowed) {
        return false;
      }
    }
    return true;
  }

  /**
   * Punycode (RFC 3492 section 6.3) of one label, without the {@code xn--} prefix, or null on
   * overflow.
   */
  static @Nullable String punycode(String label) {
    int[] input = label.codePoints().toArray();
    StringBuilder out = new StringBuilder(input.length + 8);
    int basic = 0;
    for (int cp : input) {
      if (cp < 0x80) {
        out.append((char) cp);
        basic++;
      }
    }
    int handled = basic;
    if (basic > 0) {
      out.append('-');
    }
    int n = INITIAL_N;
    int delta = 0;
    int bias = INITIAL_BIAS;
    while (handled < input.length) {
      int m = Integer.MAX_VALUE;
      for (int cp : input) {
        if (cp >= n && cp < m) {
          m = cp;
        }
      }
      if (m - n > (Integer.MAX_VALUE - delta) / (handled + 1)) {
        return null;
      }
      delta += (m - n) * (handled + 1);
      n = m;
      for (int cp : input) {
        if (cp < n && ++delta == 0) {
          return null;
        }
        if (cp == n) {
          int q = delta;
          for (int k = BASE; ; k += BASE) {
            int t = k <= bias ? T_MIN : Math.min(k - bias, T_MAX);
            if (q < t) {
              break;
            }
            out.append(digit(t + (q - t) % (BASE - t)));
            q = (q - t) / (BASE - t);
          }
          out.append(digit(q));
          bias = adapt(delta, handled + 1, handled == basic);
          delta = 0;
          handled++;
        }
      }
      delta++;
      n++;
    }
    return out.toString();
  }

  private static int adapt(int delta, int points, boolean first) {
    int d = first ? delta / DAMP : delta / 2;
    d += d / points;
    int k = 0;
    while (d > ((BASE - T_MIN) * T_MAX) / 2) {
      d /= BASE - T_MIN;
      k += BASE;
    }
    return k + (BASE - T_MIN + 1) * d / (d + SKEW);
  }

  private static char digit(int d) {
    return (char) (d < 26 ? 'a' + d : '0' + d - 26);
  }
}
