package dev.smtptls.cert;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Whom a certificate must identify: the names the caller expects (the MX host name, a
 * connector's TLS domain, an IP literal) and, separately, the FQDN the server announces in its
 * greeting and EHLO reply, which Exchange 2013+ and Exchange Online also require the certificate
 * to cover.
 *
 * @param names DNS names or IP literals the certificate must cover (each one is checked)
 * @param announcedFqdn the FQDN from the greeting or EHLO reply, or null
 */
public record PeerIdentity(List<String> names, @Nullable String announcedFqdn) {

  /**
   * Validates and copies.
   *
   * @throws IllegalArgumentException if a name is blank
   */
  public PeerIdentity {
    names = List.copyOf(requireNonNull(names, "names"));
    for (String n : names) {
      if (n.isBlank()) {
        throw new IllegalArgumentException("a peer name is blank");
      }
    }
    if (announcedFqdn != null && announcedFqdn.isBlank()) {
      announcedFqdn = null;
    }
  }

  /**
   * The names the certificate must cover.
   *
   * @param names DNS names or IP literals
   * @return the identity, with no announced FQDN
   */
  public static PeerIdentity of(String... names) {
    return new PeerIdentity(List.of(names), null);
  }

  /** {@return an identity with no names: only the path, dates and keys are checked} */
  public static PeerIdentity none() {
    return new PeerIdentity(List.of(), null);
  }

  /**
   * This identity with the FQDN the server announces.
   *
   * @param fqdn the FQDN from the greeting or EHLO reply
   * @return the new identity
   */
  public PeerIdentity withAnnouncedFqdn(@Nullable String fqdn) {
    return new PeerIdentity(names, fqdn);
  }
}
