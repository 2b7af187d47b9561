package dev.smtptls.crl.internal;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * An {@code ldap:} URL as RFC 4516 §2 defines it, {@code
 * ldap://host:port/dn?attributes?scope?filter?extensions}, reduced to what reading one CRL needs:
 * the server, the entry and the attribute.
 *
 * @param host the server, or null for {@code ldap:///dn} (Active Directory's "the directory of
 *     my own domain", which only a domain member can use)
 * @param port the port, 389 unless the URL says otherwise
 * @param dn the entry's distinguished name, percent-decoded
 * @param attribute the first attribute the URL lists, percent-decoded; {@value #DEFAULT_ATTRIBUTE}
 *     when it lists none
 */
record FetchLdapUrl(@Nullable String host, int port, String dn, String attribute) {

  static final int DEFAULT_PORT = 389;
  static final String DEFAULT_ATTRIBUTE = "certificateRevocationList;binary";

  /**
   * Parses an {@code ldap:} URL.
   *
   * @param uri the URL
   * @return its parts
   * @throws IllegalArgumentException with a sentence saying what is wrong: not {@code ldap:}, a
   *     broken percent escape, an empty DN, a critical extension
   */
  static FetchLdapUrl parse(URI uri) {
    String scheme = uri.getScheme();
    if (scheme == null || !scheme.toLowerCase(Locale.ROOT).equals("ldap")) {
      throw new IllegalArgumentException("not an ldap: URL: " + uri);
    }
    if (uri.isOpaque()) {
      throw new IllegalArgumentException("the ldap: URL has no // and names no entry: " + uri);
    }
    String host = uri.getHost();
    if (host != null && host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host == null && uri.getRawAuthority() != null) {
      throw new IllegalArgumentException("the ldap: URL names an unusable server: " + uri.getRawAuthority());
    }
    int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
    String rawPath = uri.getRawPath();
    String dn = rawPath == null || rawPath.length() <= 1 ? "" : decode(rawPath.substring(1));
    if (dn.isBlank()) {
      throw new IllegalArgumentException("the ldap: URL names no entry (no distinguished name): " + uri);
    }
    String attribute = DEFAULT_ATTRIBUTE;
    String rawQuery = uri.getRawQuery();
    if (rawQuery != null) {
      String[] parts = rawQuery.split("\\?", -1);
      if (parts.length > 4) {
        throw new IllegalArgumentException("the ldap: URL has too many ? parts: " + uri);
      }
      String first = parts[0].split(",", -1)[0];
      if (!first.isEmpty()) {
        attribute = decode(first).trim();
      }
      if (parts.length == 4) {
        for (String extension : parts[3].split(",", -1)) {
          if (extension.startsWith("!")) {
            throw new IllegalArgumentException(
                "the ldap: URL has a critical extension smtptls does not support: "
                    + decode(extension.substring(1)));
          }
        }
      }
    }
    if (attribute.isEmpty() || attribute.equals("*")) {
      attribute = DEFAULT_ATTRIBUTE;
    }
    return new FetchLdapUrl(host, port, dn, attribute);
  }

  /** {@return the attribute without options, e.g. {@code certificateRevocationList}} */
  String attributeType() {
    int semicolon = attribute.indexOf(';');
    return semicolon < 0 ? attribute : attribute.substring(0, semicolon);
  }

  /** {@return {@code ldap://host:port} for JNDI's provider URL (IPv6 literals in brackets)} */
  String serverUrl() {
    String h = host == null ? "" : host;
    return "ldap://" + (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + port;
  }

  private static String decode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new IllegalArgumentException("broken percent escape in the ldap: URL: " + s);
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("broken percent escape in the ldap: URL: " + s);
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        int cp = s.codePointAt(i);
        byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        i += Character.charCount(cp) - 1;
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
