package dev.smtptls.connector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Parameter handling shared by the Postfix, MTA-STS and DANE policies' {@code fromParameters}. */
final class PostfixParameters {

  private PostfixParameters() {}

  /**
   * Lower-cases the keys; an unknown key is an error naming it and the known ones when strict,
   * and dropped otherwise.
   */
  static Map<String, String> normalise(Map<String, String> parameters, List<String> known, boolean strict, String kind) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : parameters.entrySet()) {
      String key = e.getKey().trim().toLowerCase(Locale.ROOT);
      if (!known.contains(key)) {
        if (strict) {
          throw new IllegalArgumentException("unknown " + kind + " parameter \"" + e.getKey() + "\" (known: "
              + String.join(", ", known) + ")");
        }
        continue;
      }
      out.put(key, e.getValue() == null ? "" : e.getValue());
    }
    return out;
  }

  /** A postconf list: separated by commas and/or white space. */
  static List<String> list(String value) {
    List<String> out = new ArrayList<>();
    for (String s : value.trim().split("[\\s,]+")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return List.copyOf(out);
  }

  /** Whether {@code compatibility_level} (e.g. {@code 3.6}, {@code 3.11}) is at least major.minor. */
  static boolean compatibilityAtLeast(@Nullable String value, int major, int minor) {
    if (value == null || value.isBlank()) {
      return false;
    }
    String[] parts = value.trim().split("\\.");
    try {
      int ma = Integer.parseInt(parts[0]);
      int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
      return ma > major || (ma == major && mi >= minor);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("compatibility_level is not a release level such as 3.6: " + value, e);
    }
  }

  /** Whether a postconf boolean is yes (yes/no, true/false, case-insensitive). */
  static boolean bool(String parameter, String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "yes", "true" -> true;
      case "no", "false", "" -> false;
      default -> throw new IllegalArgumentException(parameter + " must be yes or no: " + value);
    };
  }

  /**
   * The entries of an {@code inline:{ key = value, { key = value, with comma }, ... }} table
   * (postconf(5) "inline" map type, Postfix 3.0), as policy table entries.
   */
  static List<PostfixPolicyEntry> inlineTable(String parameter, String value) {
    String v = value.trim();
    if (!v.startsWith("inline:{") || !v.endsWith("}")) {
      throw new IllegalArgumentException(parameter + ": expected inline:{ key = value, ... }: " + value);
    }
    String body = v.substring("inline:{".length(), v.length() - 1);
    List<String> items = new ArrayList<>();
    int depth = 0;
    StringBuilder cur = new StringBuilder();
    for (char c : body.toCharArray()) {
      if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth--;
      } else if (c == ',' && depth == 0) {
        items.add(cur.toString());
        cur.setLength(0);
        continue;
      }
      cur.append(c);
    }
    items.add(cur.toString());
    List<PostfixPolicyEntry> out = new ArrayList<>();
    for (String item : items) {
      String it = item.trim();
      if (it.startsWith("{") && it.endsWith("}")) {
        it = it.substring(1, it.length() - 1).trim();
      }
      if (it.isEmpty()) {
        continue;
      }
      int eq = it.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(parameter + ": inline entry \"" + it + "\" is not key = value");
      }
      try {
        out.add(PostfixPolicyEntry.parse(it.substring(0, eq).trim() + " " + it.substring(eq + 1).trim()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(parameter + ": inline entry \"" + it + "\": " + e.getMessage(), e);
      }
    }
    return List.copyOf(out);
  }
}
