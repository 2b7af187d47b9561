package dev.smtptls.tls;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * One cipher suite under one protocol version.
 *
 * @param name the IANA name, e.g. {@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256} (the JSSE's
 *     {@code SSL_} prefixes are rewritten to {@code TLS_}, as the IANA registry names them)
 * @param support what the test found
 * @param detail why it is {@code NOT_TESTABLE} or {@code INCONCLUSIVE}, the alert of a {@code
 *     REJECTED} handshake; null for {@code ACCEPTED}
 * @param weakness why {@link CipherSuites#weakness(String)} calls the suite weak, or null
 */
public record CipherSuiteSupport(String name, Support support, @Nullable String detail, @Nullable String weakness) {
  /** Checks the fields. */
  public CipherSuiteSupport {
    requireNonNull(name, "name");
    requireNonNull(support, "support");
  }
}
