package dev.smtptls.internal.cert;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Mozilla's Public Suffix List (ICANN and private sections), shipped as the resource {@code
 * public_suffix_list.dat} next to this class (source, version and licence in the README there)
 * and loaded once, on first use.
 *
 * <p>Only one question is asked of it: is a domain itself a public suffix, so that a wildcard
 * over it ({@code *.co.uk}, {@code *.s3.amazonaws.com}) must not match (RFC 9525 section 6.3 leaves
 * it to policy; CA/Browser Forum BR 3.2.2.6 and browsers refuse it). A domain is a public suffix
 * when the list's algorithm (https://publicsuffix.org/list/) gives it as its own public suffix:
 * it is listed, or a wildcard rule covers it ({@code *.ck} covers {@code foo.ck}) and no
 * exception rule frees it ({@code !www.ck}), or it is a single label (the implicit rule {@code
 * *}).
 */
final class PublicSuffixList {

  static final String RESOURCE = "public_suffix_list.dat";

  private static final byte EXACT = 1;
  private static final byte WILDCARD_CHILDREN = 2;
  private static final byte EXCEPTION = 4;

  /** Rule flags by domain (lower-case A-labels): {@code *.ck} is stored as {@code ck}. */
  private final Map<String, Byte> rules;

  private PublicSuffixList(Map<String, Byte> rules) {
    this.rules = rules;
  }

  /** The shipped list; loaded by the first call. */
  static PublicSuffixList shipped() {
    return Shipped.LIST;
  }

  /** The rules in the list's text format; for tests of the format and for the shipped list. */
  static PublicSuffixList parse(BufferedReader reader) throws IOException {
    Map<String, Byte> rules = new HashMap<>(16_384);
    String line;
    while ((line = reader.readLine()) != null) {
      String rule = firstToken(line);
      if (rule.isEmpty() || rule.startsWith("//")) {
        continue;
      }
      byte flag = EXACT;
      if (rule.startsWith("!")) {
        flag = EXCEPTION;
        rule = rule.substring(1);
      } else if (rule.startsWith("*.")) {
        flag = WILDCARD_CHILDREN;
        rule = rule.substring(2);
      }
      String domain = toAscii(rule);
      if (domain == null || domain.isEmpty()) {
        continue; // a rule we cannot read cannot make a wildcard match either way
      }
      rules.merge(domain, flag, (a, b) -> (byte) (a | b));
    }
    return new PublicSuffixList(rules);
  }

  /** How many domains carry a rule. */
  int size() {
    return rules.size();
  }

  /**
   * Whether {@code domain} (lower case, A-labels, no trailing dot) is itself a public suffix.
   */
  boolean isPublicSuffix(String domain) {
    Byte own = rules.get(domain);
    int flags = own == null ? 0 : own;
    if ((flags & EXCEPTION) != 0) {
      return false;
    }
    if ((flags & EXACT) != 0) {
      return true;
    }
    int dot = domain.indexOf('.');
    if (dot < 0) {
      return true; // the implicit rule "*": every top-level label is a public suffix
    }
    Byte parent = rules.get(domain.substring(dot + 1));
    return parent != null && (parent & WILDCARD_CHILDREN) != 0;
  }

  private static String firstToken(String line) {
    int from = 0;
    int to = line.length();
    while (from < to && Character.isWhitespace(line.charAt(from))) {
      from++;
    }
    int end = from;
    while (end < to && !Character.isWhitespace(line.charAt(end))) {
      end++;
    }
    return line.substring(from, end);
  }

  private static String toAscii(String rule) {
    if (NameIdna.isAscii(rule)) {
      return rule.toLowerCase(Locale.ROOT);
    }
    String ascii = NameIdna.toAscii(rule);
    return ascii == null ? "" : ascii;
  }

  /** Holder idiom: the class initialiser runs once, on first use, and is thread-safe. */
  private static final class Shipped {
    static final PublicSuffixList LIST = load();

    private static PublicSuffixList load() {
      try (InputStream in = PublicSuffixList.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(
              "resource " + RESOURCE + " is missing from the smtptls-core jar");
        }
        return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + RESOURCE, e);
      }
    }
  }
}
