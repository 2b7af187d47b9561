package dev.smtptls.spi;

import dev.smtptls.finding.Finding;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Checks whether the certificates of a validated path are revoked, and whether their revocation
 * information can be had at all (strict receivers such as Exchange refuse a certificate whose CRL
 * they cannot fetch). The {@code smtptls-crl} module provides the implementation; {@code core}
 * finds it through {@link java.util.ServiceLoader} when a checker is not given one.
 *
 * <p>Remote failures are findings ({@code CRL_UNAVAILABLE}, {@code CERT_REVOKED}, ...), never
 * exceptions. Implementations must be thread-safe and bounded in time.
 */
public interface RevocationChecker {

  /**
   * Checks a path.
   *
   * @param path the validated path, leaf first, ending with the trust anchor
   * @param at the validation time
   * @return the findings; empty when every certificate is known not to be revoked
   */
  List<Finding> check(List<X509Certificate> path, Instant at);

  /**
   * Checks a path with the OCSP responses the server stapled in its TLS handshake (RFC 6066 §8,
   * RFC 8446 §4.4.2.1). A checker that can use them (the OCSP checker) overrides this; the
   * default ignores them.
   *
   * @param path the validated path, leaf first, ending with the trust anchor
   * @param at the validation time
   * @param stapledOcsp DER {@code OCSPResponse}s (RFC 6960 §4.2.1) by the certificate they are
   *     about; empty when the server stapled none
   * @return the findings
   */
  default List<Finding> check(List<X509Certificate> path, Instant at, Map<X509Certificate, byte[]> stapledOcsp) {
    return check(path, at);
  }
}
