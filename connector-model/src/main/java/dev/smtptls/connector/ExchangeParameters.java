package dev.smtptls.connector;

import dev.smtptls.internal.cert.NameMatcher;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reading connector parameters as the Exchange cmdlets accept them, shared by the Exchange and
 * Exchange Online policies: case-insensitive keys, {@code $true}/{@code true}, lists, enum names.
 */
final class ExchangeParameters {

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  /** Separators of a multi-valued parameter: the cmdlets take commas; a SPEC uses ';' or '|'. */
  private static final Pattern LIST_SEPARATOR = Pattern.compile("[,;|\\s]+");

  private final Map<String, String> values = new HashMap<>();

  private ExchangeParameters() {}

  /**
   * Reads a parameter map, refusing an unknown key.
   *
   * @throws IllegalArgumentException naming an unknown key and listing the known ones
   */
  static ExchangeParameters of(Map<String, String> parameters, String kind, List<String> known) {
    Objects.requireNonNull(parameters, "parameters");
    Map<String, String> canonical = new HashMap<>();
    known.forEach(k -> canonical.put(k.toLowerCase(Locale.ROOT), k));
    ExchangeParameters p = new ExchangeParameters();
    parameters.forEach((key, value) -> {
      Objects.requireNonNull(key, "parameter name");
      Objects.requireNonNull(value, key);
      String name = canonical.get(key.trim().toLowerCase(Locale.ROOT));
      if (name == null) {
        throw new IllegalArgumentException("unknown " + kind + " parameter " + key + "; known: " + String.join(", ", known));
      }
      if (p.values.put(name, value.trim()) != null) {
        throw new IllegalArgumentException(kind + " parameter " + name + " is given twice");
      }
    });
    return p;
  }

  /** The value, or null when absent, empty or {@code $null}. */
  @Nullable String get(String name) {
    String v = values.get(name);
    return v == null || v.isEmpty() || v.equalsIgnoreCase("$null") || v.equals("null") ? null : v;
  }

  /** {@return {@code Name}, else {@code Identity}: how the cmdlets name the connector, or null} */
  @Nullable String name() {
    String name = get("Name");
    return name != null ? name : get("Identity");
  }

  @Nullable Boolean bool(String name) {
    String v = get(name);
    return v == null ? null : parseBoolean(name, v);
  }

  List<String> list(String name) {
    String v = get(name);
    if (v == null) {
      return List.of();
    }
    String inner = v.startsWith("{") && v.endsWith("}") ? v.substring(1, v.length() - 1) : v;
    List<String> out = new ArrayList<>();
    for (String item : LIST_SEPARATOR.split(inner.trim())) {
      if (!item.isEmpty()) {
        out.add(item);
      }
    }
    return out;
  }

  static boolean parseBoolean(String parameter, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "$true", "true" -> true;
      case "$false", "false" -> false;
      default -> throw new IllegalArgumentException(parameter + " must be $true or $false: " + value);
    };
  }

  static <E extends Enum<E>> E parseEnum(E[] values, Function<E, String> name, String parameter, String value) {
    Objects.requireNonNull(value, parameter);
    String v = value.trim();
    for (E e : values) {
      if (name.apply(e).equalsIgnoreCase(v) || e.name().equalsIgnoreCase(v)) {
        return e;
      }
    }
    throw new IllegalArgumentException(parameter + " must be one of "
        + String.join(", ", Arrays.stream(values).map(name).toList()) + ": " + value);
  }

  /**
   * A DNS domain or host name, lower case, without a trailing dot; {@code *.contoso.com} when
   * {@code wildcard} is allowed. An embedded or partial wildcard ({@code mail.*.com}, {@code
   * *mail.com}) is refused.
   */
  static String domain(String parameter, String value, boolean wildcard, String cmdlet) {
    Objects.requireNonNull(value, parameter);
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.endsWith(".")) {
      v = v.substring(0, v.length() - 1);
    }
    String rest = v;
    if (v.startsWith("*.")) {
      if (!wildcard) {
        throw new IllegalArgumentException(parameter + " takes no wildcard (" + cmdlet + "): " + value);
      }
      rest = v.substring(2);
    }
    String[] labels = rest.split("\\.", -1);
    boolean ok = rest.length() <= 253 && labels.length >= 2;
    for (String label : labels) {
      ok &= LABEL.matcher(label).matches();
    }
    if (!ok) {
      throw new IllegalArgumentException(parameter + " must be a domain name"
          + (wildcard ? " (a wildcard only as the whole first label, *.contoso.com)" : "")
          + " (" + cmdlet + "): " + value);
    }
    return v;
  }

  /**
   * Whether a certificate covers a configured name pattern. A plain name is matched by the
   * certificate's subjectAltName dNSNames, wildcards included (RFC 9525, {@link NameMatcher}), or
   * by its subject CN when it has no dNSName (the legacy rule Windows still applies). A pattern
   * {@code *.contoso.com} is covered by a certificate name {@code *.contoso.com} or by a name one
   * label below {@code contoso.com} ({@code mail.contoso.com}, not {@code a.mail.contoso.com}).
   */
  static boolean covers(X509Certificate leaf, String pattern) {
    if (!pattern.startsWith("*.")) {
      var match = NameMatcher.match(leaf, pattern);
      return match.matched() || match.cnOnly();
    }
    String parent = pattern.substring(2);
    for (String name : presentedNames(leaf)) {
      String n = name.toLowerCase(Locale.ROOT);
      if (n.endsWith(".")) {
        n = n.substring(0, n.length() - 1);
      }
      if (n.equals(pattern)) {
        return true;
      }
      if (n.endsWith("." + parent)) {
        String first = n.substring(0, n.length() - parent.length() - 1);
        if (!first.isEmpty() && !first.contains(".") && !first.contains("*")) {
          return true;
        }
      }
    }
    return false;
  }

  /** The dNSNames, or the subject CN when there are none. */
  static List<String> presentedNames(X509Certificate leaf) {
    var names = NameMatcher.match(leaf, "name.invalid");
    if (!names.dnsNames().isEmpty()) {
      return names.dnsNames();
    }
    String cn = names.commonName();
    return cn == null ? List.of() : List.of(cn);
  }

  private static final Pattern IPV4 =
      Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

  static boolean isIpv4(String s) {
    return IPV4.matcher(s).matches();
  }

  /**
   * A smart host: a host name, or an IP address, optionally in brackets; with {@code cidr}, also
   * an IPv4 range in CIDR notation ({@code Set-OutboundConnector}). Never resolved.
   */
  static String smartHost(String parameter, String value, String cmdlet) {
    return smartHost(parameter, value, false, cmdlet);
  }

  static String smartHost(String parameter, String value, boolean cidr, String cmdlet) {
    String v = requireText(parameter, value);
    String inner = v.startsWith("[") && v.endsWith("]") ? v.substring(1, v.length() - 1) : v;
    if (inner.regionMatches(true, 0, "IPv6:", 0, 5)) {
      inner = inner.substring(5);
    }
    if (isIpv4(inner) || IPV6.matcher(inner).matches()) {
      return v;
    }
    int slash = inner.indexOf('/');
    if (cidr && slash > 0 && isIpv4(inner.substring(0, slash))) {
      String bits = inner.substring(slash + 1);
      if (bits.matches("[0-9]{1,2}") && Integer.parseInt(bits) <= 32) {
        return v;
      }
    }
    return domain(parameter, v, false, cmdlet);
  }

  /**
   * An IPv4 address, range ({@code 192.0.2.1-192.0.2.9}) or CIDR block from /24 to /32, as
   * {@code Set-InboundConnector -SenderIPAddresses} accepts them. IPv6 is refused.
   */
  static String senderAddress(String parameter, String value, String cmdlet) {
    String v = requireText(parameter, value);
    int slash = v.indexOf('/');
    int dash = v.indexOf('-');
    boolean ok;
    if (slash > 0) {
      String bits = v.substring(slash + 1);
      ok = isIpv4(v.substring(0, slash)) && bits.matches("[0-9]{1,2}")
          && Integer.parseInt(bits) >= 24 && Integer.parseInt(bits) <= 32;
    } else if (dash > 0) {
      ok = isIpv4(v.substring(0, dash)) && isIpv4(v.substring(dash + 1));
    } else {
      ok = isIpv4(v);
    }
    if (!ok) {
      throw new IllegalArgumentException(parameter + " takes IPv4 addresses, ranges (a-b) or CIDR blocks"
          + " from /24 to /32 (" + cmdlet + "): " + value);
    }
    return v;
  }

  private static String requireText(String parameter, String value) {
    Objects.requireNonNull(value, parameter);
    String v = value.trim();
    if (v.isEmpty()) {
      throw new IllegalArgumentException(parameter + " has an empty value");
    }
    return v;
  }

  /** A quoted PowerShell argument, single quotes doubled. */
  static String quote(String value) {
    return "\"" + value.replace("\"", "`\"") + "\"";
  }
}
