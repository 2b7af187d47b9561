package dev.smtptls.crl;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * One name from a certificate's revocation extensions: a {@code GeneralName} (RFC 5280 §4.2.1.6)
 * in a CRL distribution point, a cRLIssuer, or an Authority Information Access location.
 *
 * <p>RFC 5280 §4.2.1.13 expects CRL locations as {@code http:} or {@code ldap:} URIs, and
 * §4.2.2.1 the same for caIssuers (OCSP responders are reached over {@code http:}, RFC 6960
 * Appendix A). Those are {@link #fetchable()}. Any other name is kept, with its {@link Kind}
 * saying what it is, so that a report can show it and explain why it is not fetched: an {@code
 * https:}, {@code ftp:} or {@code file:} URI is {@link Kind#OTHER_URI}; an X.500 name is {@link
 * Kind#DIRECTORY_NAME}; anything else (a DNS name, an e-mail address, an IP address, an other
 * name) is {@link Kind#OTHER_NAME}.
 *
 * @param kind what sort of name this is
 * @param value for URI kinds the URI exactly as encoded; for {@link Kind#DIRECTORY_NAME} the DN
 *     in RFC 2253 form; for {@link Kind#OTHER_NAME} the RFC 5280 choice name, a colon and the
 *     value, e.g. {@code dNSName:crl.example.org}
 */
public record Location(Kind kind, String value) {

  /** What sort of name a {@link Location} is. */
  public enum Kind {
    /** An {@code http:} URI (RFC 5280 §4.2.1.13: a DER-encoded CRL, or an OCSP responder). */
    HTTP,
    /** An {@code ldap:} URI (RFC 5280 §4.2.1.13, RFC 4516). */
    LDAP,
    /** A URI of another scheme ({@code https:}, {@code ftp:}, {@code file:}, ...): kept, not fetched. */
    OTHER_URI,
    /** A directoryName: an X.500 distinguished name, e.g. an LDAP entry without a server. */
    DIRECTORY_NAME,
    /** Any other {@code GeneralName} choice. */
    OTHER_NAME
  }

  /**
   * Validates.
   *
   * @throws NullPointerException if {@code kind} or {@code value} is null
   * @throws IllegalArgumentException if {@code value} is empty
   */
  public Location {
    requireNonNull(kind, "kind");
    requireNonNull(value, "value");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("value is empty");
    }
  }

  /**
   * A location from a URI as the certificate encodes it (an IA5String), classified by its scheme
   * (compared case-insensitively, RFC 3986 §3.1).
   *
   * @param uri the URI text
   * @return an {@link Kind#HTTP}, {@link Kind#LDAP} or {@link Kind#OTHER_URI} location
   * @throws IllegalArgumentException if {@code uri} is empty
   */
  public static Location ofUri(String uri) {
    requireNonNull(uri, "uri");
    int colon = uri.indexOf(':');
    String scheme = colon < 0 ? "" : uri.substring(0, colon).toLowerCase(Locale.ROOT);
    Kind kind =
        switch (scheme) {
          case "http" -> Kind.HTTP;
          case "ldap" -> Kind.LDAP;
          default -> Kind.OTHER_URI;
        };
    return new Location(kind, uri);
  }

  /** {@return true for the kinds whose value is a URI} */
  public boolean isUri() {
    return kind == Kind.HTTP || kind == Kind.LDAP || kind == Kind.OTHER_URI;
  }

  /**
   * Whether the protocol's rules let this location be fetched: an {@code http:} or {@code ldap:}
   * URI that parses (RFC 5280 §4.2.1.13 and §4.2.2.1).
   *
   * @return true when a fetcher may use it
   */
  public boolean fetchable() {
    return (kind == Kind.HTTP || kind == Kind.LDAP) && uri().isPresent();
  }

  /**
   * The value as a {@link URI}.
   *
   * @return the URI, or empty when this is not a URI kind or the text is not a valid URI (RFC 3986)
   */
  public Optional<URI> uri() {
    if (!isUri()) {
      return Optional.empty();
    }
    try {
      URI u = new URI(value);
      return u.getScheme() == null ? Optional.empty() : Optional.of(u);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return isUri() ? value : kind + " " + value;
  }
}
