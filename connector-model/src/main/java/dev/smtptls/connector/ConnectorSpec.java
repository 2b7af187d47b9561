package dev.smtptls.connector;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A connector as the user names it: its kind (the {@code KIND} of {@code CONTRACT.md}), a name for
 * messages, and the product's own parameters as the strings the policy kinds' {@code
 * fromParameters} take. It comes from the command line ({@link #parse(String)}) or from a file
 * ({@link ExchangeConnectorJson}); warnings say what a reader noticed but could not act on.
 *
 * @param kind one of {@link #KINDS}
 * @param name the connector's name (its {@code Name} in a file; the spec text on the command line)
 * @param parameters the product's parameter names to their values, in the order given
 * @param warnings what the reader noticed, e.g. a connector the Hybrid Configuration Wizard
 *     manages; empty when nothing
 */
public record ConnectorSpec(
    String kind, String name, Map<String, String> parameters, List<String> warnings) {

  /** The kinds {@code CONTRACT.md} names for {@code --connector}, in its order. */
  public static final List<String> KINDS = List.of(
      "opportunistic", "forced", "exchange-send", "exchange-receive", "exo-outbound", "exo-inbound",
      "postfix", "mta-sts", "dane");

  /**
   * Validates and copies, keeping the parameters' order.
   *
   * @throws NullPointerException if an argument, key, value or warning is null
   * @throws IllegalArgumentException if {@code kind} is not one of {@link #KINDS}, {@code name} is
   *     blank, or two parameter names differ only in case
   */
  public ConnectorSpec {
    requireNonNull(kind, "kind");
    requireNonNull(name, "name");
    requireNonNull(parameters, "parameters");
    if (!KINDS.contains(kind)) {
      throw new IllegalArgumentException(
          "unknown connector kind '" + kind + "': one of " + String.join(", ", KINDS));
    }
    if (name.isBlank()) {
      throw new IllegalArgumentException("name is blank");
    }
    Map<String, String> seen = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    Map<String, String> copy = new LinkedHashMap<>();
    parameters.forEach((k, v) -> {
      requireNonNull(k, "parameter name");
      requireNonNull(v, "value of " + k);
      String before = seen.put(k, k);
      if (before != null) {
        throw new IllegalArgumentException("parameter " + k + " is given twice (as " + before + ")");
      }
      copy.put(k, v);
    });
    parameters = Collections.unmodifiableMap(copy);
    warnings = List.copyOf(requireNonNull(warnings, "warnings"));
  }

  /**
   * The value of a parameter, its name matched case-insensitively as the products do.
   *
   * @param parameter the product's parameter name
   * @return the value, or null when it is not given
   */
  public @org.jspecify.annotations.Nullable String parameter(String parameter) {
    for (Map.Entry<String, String> e : parameters.entrySet()) {
      if (e.getKey().equalsIgnoreCase(parameter)) {
        return e.getValue();
      }
    }
    return null;
  }

  /**
   * Parses the command-line form {@code KIND[:KEY=VALUE,...]} of {@code CONTRACT.md}, e.g. {@code
   * exo-outbound:TlsSettings=DomainValidation,TlsDomain=*.contoso.com}.
   *
   * <p>Escaping: a value that holds a comma (a list, such as {@code SmartHosts}) or starts with a
   * quote is written in double quotes; inside them {@code \"} is a quote and {@code \\} a
   * backslash, and everything else ({@code ,}, {@code =}, {@code *}, {@code <I>...<S>...}) is
   * literal: {@code exchange-send:SmartHosts="a.example.com,b.example.com",TlsCertificateName="<I>CN=CA,
   * O=Example<S>CN=mail.example.com"}. Unquoted values run to the next comma and may hold {@code =},
   * {@code *}, {@code <} and {@code >}. Whitespace around keys and unquoted values is dropped. A
   * value may be empty ({@code TlsDomain=}). Keys are not checked here: the policy's {@code
   * fromParameters} names an unknown one.
   *
   * @param spec the spec
   * @return the connector, named by the spec text, without warnings
   * @throws NullPointerException if {@code spec} is null
   * @throws IllegalArgumentException if the kind is unknown, a pair has no {@code =} or an empty
   *     key, a quote is not closed, text follows a closing quote, or a key is given twice
   */
  public static ConnectorSpec parse(String spec) {
    requireNonNull(spec, "spec");
    String s = spec.strip();
    int colon = s.indexOf(':');
    String kind = (colon < 0 ? s : s.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
    if (!KINDS.contains(kind)) {
      throw new IllegalArgumentException("unknown connector kind '" + kind + "' in '" + spec
          + "': one of " + String.join(", ", KINDS));
    }
    Map<String, String> params = new LinkedHashMap<>();
    Set<String> seen = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    if (colon >= 0 && !s.substring(colon + 1).isBlank()) {
      String rest = s.substring(colon + 1);
      int i = 0;
      int n = rest.length();
      while (i <= n) {
        int eq = rest.indexOf('=', i);
        int comma = rest.indexOf(',', i);
        if (eq < 0 || (comma >= 0 && comma < eq)) {
          String pair = rest.substring(i, comma < 0 ? n : comma).strip();
          throw new IllegalArgumentException("'" + pair + "' in connector spec '" + spec
              + "' has no '=' (write KEY=VALUE)");
        }
        String key = rest.substring(i, eq).strip();
        if (key.isEmpty()) {
          throw new IllegalArgumentException("empty parameter name at position " + (colon + 1 + i + 1)
              + " of connector spec '" + spec + "'");
        }
        int j = eq + 1;
        while (j < n && rest.charAt(j) == ' ') {
          j++;
        }
        String value;
        if (j < n && rest.charAt(j) == '"') {
          StringBuilder sb = new StringBuilder();
          int k = j + 1;
          boolean closed = false;
          while (k < n) {
            char c = rest.charAt(k);
            if (c == '\\' && k + 1 < n && (rest.charAt(k + 1) == '"' || rest.charAt(k + 1) == '\\')) {
              sb.append(rest.charAt(k + 1));
              k += 2;
            } else if (c == '"') {
              closed = true;
              k++;
              break;
            } else {
              sb.append(c);
              k++;
            }
          }
          if (!closed) {
            throw new IllegalArgumentException(
                "the quoted value of " + key + " in connector spec '" + spec + "' is not closed");
          }
          while (k < n && rest.charAt(k) == ' ') {
            k++;
          }
          if (k < n && rest.charAt(k) != ',') {
            throw new IllegalArgumentException("text after the closing quote of " + key
                + " in connector spec '" + spec + "' (separate pairs with ',')");
          }
          value = sb.toString();
          i = k + 1;
        } else {
          int end = rest.indexOf(',', j);
          value = rest.substring(j, end < 0 ? n : end).strip();
          i = (end < 0 ? n : end) + 1;
        }
        if (!seen.add(key)) {
          throw new IllegalArgumentException(
              "parameter " + key + " is given twice in connector spec '" + spec + "'");
        }
        params.put(key, value);
        if (i > n) {
          break;
        }
      }
    }
    return new ConnectorSpec(kind, s, params, new ArrayList<>());
  }
}
