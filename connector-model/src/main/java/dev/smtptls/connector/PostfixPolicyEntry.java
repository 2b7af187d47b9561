package dev.smtptls.connector;

import static java.util.Objects.requireNonNull;

import dev.smtptls.connector.PostfixClientPolicy.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a Postfix {@code smtp_tls_policy_maps} table (TLS_README "TLS policy table";
 * postconf(5)): the next-hop destination it applies to, the security level that overrides {@code
 * smtp_tls_security_level} for it, and the attributes that go with it.
 *
 * <pre>
 * [mail.example.com]:587  encrypt protocols=&gt;=TLSv1.2
 * example.net             secure match=.example.net:example.net
 * [mx.partner.test]       fingerprint match=3D:95:34:...
 * </pre>
 *
 * <p>Destinations: {@code [host]:port} or {@code [host]} (no MX lookup), a domain (MX delivery to
 * it), or {@code .domain} for its subdomains. {@code match=} values are separated by {@code :}
 * (for {@code fingerprint}, by {@code |}, as fingerprints contain colons); {@code protocols=} uses
 * {@code :} between protocols. The other attributes Postfix documents ({@code ciphers}, {@code
 * exclude}, {@code tafile}, {@code connection_reuse}, {@code servername}, {@code enable_rpk} and the
 * TLSRPT {@code policy_*} ones) are accepted and do not change the prediction.
 *
 * @param destination the lookup key, as written
 * @param level the security level
 * @param match the {@code match=} list, empty when not given (the main.cf default applies)
 * @param protocols the {@code protocols=} value, or null when not given
 */
public record PostfixPolicyEntry(String destination, Level level, List<String> match, @Nullable String protocols) {

  /** The attributes Postfix documents for policy table entries. */
  static final Set<String> ATTRIBUTES = Set.of("match", "protocols", "ciphers", "exclude", "tafile",
      "connection_reuse", "servername", "enable_rpk", "policy_type", "policy_domain", "mx_host_pattern",
      "policy_string", "policy_failure");

  /**
   * Validates.
   *
   * @throws IllegalArgumentException if the destination is blank, or the protocols are not a
   *     Postfix protocol list
   */
  public PostfixPolicyEntry {
    requireNonNull(destination, "destination");
    requireNonNull(level, "level");
    match = List.copyOf(match);
    if (destination.isBlank()) {
      throw new IllegalArgumentException("smtp_tls_policy_maps: the destination is blank");
    }
    if (protocols != null) {
      PostfixTls.allowedProtocols("smtp_tls_policy_maps protocols=", protocols);
    }
  }

  /**
   * Parses one table line: {@code destination level [name=value ...]}.
   *
   * @param line the line, without comment
   * @return the entry
   * @throws IllegalArgumentException naming the column of the problem (1-based)
   */
  public static PostfixPolicyEntry parse(String line) {
    requireNonNull(line, "line");
    List<int[]> spans = new ArrayList<>();
    int i = 0;
    while (i < line.length()) {
      while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < line.length() && !Character.isWhitespace(line.charAt(i))) {
        i++;
      }
      if (i > start) {
        spans.add(new int[] {start, i});
      }
    }
    if (spans.size() < 2) {
      int col = spans.isEmpty() ? 1 : spans.get(0)[1] + 1;
      throw new IllegalArgumentException("column " + col + ": expected \"destination level [name=value ...]\"");
    }
    String destination = text(line, spans.get(0));
    String levelText = text(line, spans.get(1));
    Level level;
    try {
      level = Level.parse("smtp_tls_policy_maps", levelText);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("column " + (spans.get(1)[0] + 1) + ": " + e.getMessage(), e);
    }
    List<String> match = List.of();
    String protocols = null;
    for (int n = 2; n < spans.size(); n++) {
      String attr = text(line, spans.get(n));
      int column = spans.get(n)[0] + 1;
      int eq = attr.indexOf('=');
      String name = eq < 0 ? attr : attr.substring(0, eq).toLowerCase(Locale.ROOT);
      if (eq <= 0 || !ATTRIBUTES.contains(name)) {
        throw new IllegalArgumentException("column " + column + ": unknown attribute \"" + attr
            + "\" (known: " + String.join(", ", ATTRIBUTES.stream().sorted().toList()) + ")");
      }
      String value = attr.substring(eq + 1);
      if (name.equals("match")) {
        match = List.of(value.split(level == Level.FINGERPRINT ? "\\|" : ":"));
      } else if (name.equals("protocols")) {
        protocols = value;
        try {
          PostfixTls.allowedProtocols("protocols=", value);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("column " + column + ": " + e.getMessage(), e);
        }
      }
    }
    return new PostfixPolicyEntry(destination, level, match, protocols);
  }

  /**
   * Whether this entry applies to a next hop. Postfix looks the next hop up as written ({@code
   * [host]:port}, {@code [host]}, or a domain) and then the parent domains as {@code .domain}.
   *
   * @param host the server's host name
   * @param port its port
   * @param nexthop the next-hop domain
   */
  boolean appliesTo(String host, int port, String nexthop) {
    String d = destination.toLowerCase(Locale.ROOT);
    String h = PostfixTls.canonical(host);
    if (d.equals("[" + h + "]:" + port) || (port == 25 && d.equals("[" + h + "]"))) {
      return true;
    }
    String n = PostfixTls.canonical(nexthop);
    if (d.startsWith(".")) {
      return n.endsWith(d);
    }
    return PostfixTls.canonical(d).equals(n);
  }

  /** The entry as a table line. */
  String line() {
    StringBuilder b = new StringBuilder(destination).append(' ').append(level.value());
    if (!match.isEmpty()) {
      b.append(" match=").append(String.join(level == Level.FINGERPRINT ? "|" : ":", match));
    }
    if (protocols != null) {
      b.append(" protocols=").append(protocols);
    }
    return b.toString();
  }

  private static String text(String line, int[] span) {
    return line.substring(span[0], span[1]);
  }
}
