package dev.smtptls.tls;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the server does with one protocol version.
 *
 * @param version the version
 * @param support whether a handshake offering only this version (and every suite the JSSE can
 *     offer with it) succeeded
 * @param detail the reason when not {@code ACCEPTED}: the alert, or why the JSSE cannot offer it
 * @param acceptedCipherSuites the IANA names of the suites accepted, in the server's preference
 *     order when {@link #cipherOrder()} is {@code SERVER}, else in the order offered
 * @param cipherOrder whose order picks the suite
 * @param cipherSuites every suite considered for this version: accepted, rejected, not testable
 *     (the JSSE lacks it or has it disabled) and inconclusive; empty when the version is not
 *     accepted
 */
public record ProtocolSupport(
    TlsVersion version,
    Support support,
    @Nullable String detail,
    List<String> acceptedCipherSuites,
    CipherOrder cipherOrder,
    List<CipherSuiteSupport> cipherSuites) {
  /** Checks the fields and copies the lists. */
  public ProtocolSupport {
    requireNonNull(version, "version");
    requireNonNull(support, "support");
    requireNonNull(cipherOrder, "cipherOrder");
    acceptedCipherSuites = List.copyOf(acceptedCipherSuites);
    cipherSuites = List.copyOf(cipherSuites);
  }

  /** {@return whether the server accepts this version} */
  public boolean accepted() {
    return support == Support.ACCEPTED;
  }
}
