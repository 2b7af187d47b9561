package dev.smtptls.connector;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A Postfix {@code main.cf} as postconf(5) describes its syntax, and optionally the text of the
 * table {@code smtp_tls_policy_maps} names: the client and server TLS policies they configure.
 *
 * <ul>
 *   <li>{@code name = value} lines; white space around {@code =} and at the end is dropped;
 *   <li>a line starting with white space continues the previous one (a logical line);
 *   <li>empty lines and lines whose first non-blank character is {@code #} are ignored (a {@code #}
 *       later on a line is part of the value);
 *   <li>{@code $name}, {@code ${name}} and {@code $(name)} are replaced by the value of that
 *       parameter in the same file (undefined ones by nothing, as Postfix does for unset
 *       parameters without a default here); {@code $$} is a {@code $};
 *   <li>when a parameter is set more than once, the last setting wins;
 *   <li>unknown parameters are kept and ignored by the policies.
 * </ul>
 *
 * <p>The policy table text: one entry per logical line ({@link PostfixPolicyEntry}), comments and
 * continuation lines as in main.cf.
 *
 * <pre>{@code
 * PostfixConfig cf = PostfixConfig.parse(Files.readString(Path.of("/etc/postfix/main.cf")),
 *     Files.readString(Path.of("/etc/postfix/tls_policy")));
 * PolicyVerdict v = cf.clientPolicy().evaluate(report);
 * }</pre>
 *
 * @param parameters the parameters with {@code $} references expanded, in file order of their
 *     first setting
 * @param policyMap the entries of the policy table text, empty without one
 */
public record PostfixConfig(Map<String, String> parameters, List<PostfixPolicyEntry> policyMap) {

  /** Copies. */
  public PostfixConfig {
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    policyMap = List.copyOf(policyMap);
  }

  /**
   * Parses a main.cf text.
   *
   * @param mainCf the text
   * @return the configuration
   * @throws IllegalArgumentException naming the line and column of a syntax error
   */
  public static PostfixConfig parse(String mainCf) {
    return parse(mainCf, null);
  }

  /**
   * Parses a main.cf text and the text of its TLS policy table.
   *
   * @param mainCf the main.cf text
   * @param policyMap the text of the table {@code smtp_tls_policy_maps} names, or null
   * @return the configuration
   * @throws IllegalArgumentException naming the file, line and column of a syntax error
   */
  public static PostfixConfig parse(String mainCf, @Nullable String policyMap) {
    requireNonNull(mainCf, "mainCf");
    Map<String, String> raw = new LinkedHashMap<>();
    for (LogicalLine l : logicalLines(mainCf, "main.cf")) {
      String text = l.text();
      int eq = text.indexOf('=');
      if (eq < 0) {
        throw error("main.cf", l, 0, "expected \"name = value\"");
      }
      String name = text.substring(0, eq).strip();
      if (name.isEmpty()) {
        throw error("main.cf", l, 0, "a parameter name is missing before '='");
      }
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == '/')) {
          throw error("main.cf", l, text.indexOf(c), "'" + c + "' is not allowed in a parameter name");
        }
      }
      raw.remove(name); // last setting wins; keep order of the last
      raw.put(name, text.substring(eq + 1).strip());
      checkReferences(l, text, eq + 1);
    }
    Map<String, String> expanded = new LinkedHashMap<>();
    for (String name : raw.keySet()) {
      expanded.put(name, expand(name, raw, new HashSet<>()));
    }
    List<PostfixPolicyEntry> entries = new ArrayList<>();
    if (policyMap != null) {
      for (LogicalLine l : logicalLines(policyMap, "smtp_tls_policy_maps")) {
        try {
          entries.add(PostfixPolicyEntry.parse(l.text()));
        } catch (IllegalArgumentException e) {
          String m = e.getMessage() == null ? "malformed" : e.getMessage();
          int col = 1;
          if (m.startsWith("column ")) {
            int colon = m.indexOf(':');
            col = Integer.parseInt(m.substring(7, colon));
            m = m.substring(colon + 2);
          }
          throw new IllegalArgumentException("smtp_tls_policy_maps line " + l.line() + ", column "
              + (col + l.indent()) + ": " + m, e);
        }
      }
    }
    return new PostfixConfig(expanded, entries);
  }

  /**
   * The SMTP client policy: the client parameters of this file (others ignored) and the policy
   * table entries.
   *
   * @return the policy
   * @throws IllegalArgumentException if a value is one Postfix refuses, naming the parameter
   */
  public PostfixClientPolicy clientPolicy() {
    Map<String, String> p = new LinkedHashMap<>(parameters);
    String maps = p.get("smtp_tls_policy_maps");
    if (maps != null && !maps.strip().startsWith("inline:")) {
      p.remove("smtp_tls_policy_maps"); // a table file: its text is policyMap
    }
    return PostfixClientPolicy.fromParameters(p, false, policyMap);
  }

  /**
   * The SMTP server policy: {@code smtpd_tls_security_level}, {@code smtpd_tls_req_ccert}, {@code
   * myhostname}.
   *
   * @return the policy
   * @throws IllegalArgumentException if a value is one Postfix refuses, naming the parameter
   */
  public PostfixServerPolicy serverPolicy() {
    return PostfixServerPolicy.fromParameters(parameters, false);
  }

  private record LogicalLine(int line, int indent, String text) {}

  private static List<LogicalLine> logicalLines(String text, String file) {
    List<LogicalLine> out = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    int startLine = 0;
    int indent = 0;
    StringBuilder current = null;
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n];
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      if (Character.isWhitespace(line.charAt(0))) {
        if (current == null) {
          throw new IllegalArgumentException(file + " line " + (n + 1) + ", column 1: a continuation line"
              + " (starting with white space) with no line to continue");
        }
        current.append(' ').append(trimmed);
        continue;
      }
      if (current != null) {
        out.add(new LogicalLine(startLine, indent, current.toString()));
      }
      startLine = n + 1;
      indent = 0;
      current = new StringBuilder(line.stripTrailing());
    }
    if (current != null) {
      out.add(new LogicalLine(startLine, indent, current.toString()));
    }
    return out;
  }

  private static void checkReferences(LogicalLine l, String text, int from) {
    for (int i = from; i < text.length(); i++) {
      if (text.charAt(i) != '$') {
        continue;
      }
      if (i + 1 >= text.length()) {
        throw error("main.cf", l, i, "'$' at the end of the value (write $$ for a dollar sign)");
      }
      char c = text.charAt(i + 1);
      if (c == '$') {
        i++;
      } else if (c == '{' || c == '(') {
        char close = c == '{' ? '}' : ')';
        int end = text.indexOf(close, i + 2);
        if (end < 0) {
          throw error("main.cf", l, i, "unbalanced '" + c + "' in \"$" + c + "\" (no '" + close + "')");
        }
        i = end;
      }
    }
  }

  private static String expand(String name, Map<String, String> raw, Set<String> seen) {
    String value = raw.get(name);
    if (value == null || !seen.add(name)) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '$' || i + 1 >= value.length()) {
        out.append(c);
        continue;
      }
      char next = value.charAt(i + 1);
      if (next == '$') {
        out.append('$');
        i++;
      } else if (next == '{' || next == '(') {
        int end = value.indexOf(next == '{' ? '}' : ')', i + 2);
        String inner = value.substring(i + 2, end);
        // ${name?value} and ${name:value}: value when name is set / not set (postconf(5)).
        int q = inner.indexOf('?');
        int colon = inner.indexOf(':');
        if (q > 0) {
          out.append(raw.containsKey(inner.substring(0, q)) ? inner.substring(q + 1) : "");
        } else if (colon > 0) {
          out.append(raw.containsKey(inner.substring(0, colon)) ? "" : inner.substring(colon + 1));
        } else {
          out.append(expand(inner, raw, new HashSet<>(seen)));
        }
        i = end;
      } else {
        int j = i + 1;
        while (j < value.length() && (Character.isLetterOrDigit(value.charAt(j)) || value.charAt(j) == '_')) {
          j++;
        }
        if (j == i + 1) {
          out.append(c);
          continue;
        }
        out.append(expand(value.substring(i + 1, j), raw, new HashSet<>(seen)));
        i = j - 1;
      }
    }
    return out.toString();
  }

  private static IllegalArgumentException error(String file, LogicalLine l, int index, String what) {
    return new IllegalArgumentException(file + " line " + l.line() + ", column " + (index + 1) + ": " + what);
  }
}
