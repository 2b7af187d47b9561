package dev.smtptls.tls;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * One key-exchange group (RFC 8446 §4.2.7 "supported_groups"; RFC 8422 and RFC 7919 for TLS 1.2).
 *
 * @param name the JSSE's and IANA's name, e.g. {@code x25519}, {@code secp256r1}, {@code ffdhe2048}
 * @param support what a handshake offering only this group found
 * @param detail the alert or reason when not {@code ACCEPTED}
 */
public record GroupSupport(String name, Support support, @Nullable String detail) {
  /** Checks the fields. */
  public GroupSupport {
    requireNonNull(name, "name");
    requireNonNull(support, "support");
  }
}
