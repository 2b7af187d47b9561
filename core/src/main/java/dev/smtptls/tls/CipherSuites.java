package dev.smtptls.tls;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The cipher-suite catalogue of the enumeration and its rule for weak suites.
 *
 * <h2>Weak suites ({@code TLS_CIPHER_WEAK})</h2>
 *
 * A suite is weak when BCP 195 (RFC 9325 §4.1, which carries over RFC 7525 §4.1) says
 * implementations MUST NOT negotiate it, or when it authenticates nobody:
 *
 * <ul>
 *   <li>NULL encryption (no confidentiality);
 *   <li>RC4 (RFC 7465 prohibits it);
 *   <li>export-grade and single-DES suites (40 or 56 bits);
 *   <li>64-bit block ciphers, 3DES and IDEA (under 128 bits of security; Sweet32,
 *       CVE-2016-2183);
 *   <li>anonymous key exchange ({@code _anon_}: no server certificate, so an active attacker can
 *       sit in the middle; Mozilla's Server Side TLS guidelines exclude it from every
 *       configuration).
 * </ul>
 *
 * CBC-mode suites with SHA-1 and RSA key transport are <em>not</em> called weak: Mozilla's
 * "intermediate" configuration drops them, but RFC 9325 only says SHOULD NOT / prefer AEAD, and
 * opportunistic SMTP (RFC 7435) gains more from a working handshake with an old sender than it
 * loses. The report still lists every accepted suite, so a stricter policy can be applied to it.
 */
public final class CipherSuites {

  /**
   * Every suite the OpenJDK 17 JSSE implements (the provider's supported list with no algorithm
   * constraints), in the JSSE's own preference order; {@code jdk.tls.disabledAlgorithms} hides
   * many of them. The JSSE's names: some keep the old {@code SSL_} prefix.
   */
  static final List<String> JSSE = List.of(
      "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
      "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
      "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256",
      "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256", "TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384",
      "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384", "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256",
      "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
      "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
      "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
      "TLS_DHE_DSS_WITH_AES_256_CBC_SHA", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
      "TLS_DHE_DSS_WITH_AES_128_CBC_SHA", "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA",
      "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA", "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA",
      "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA256",
      "TLS_RSA_WITH_AES_128_CBC_SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA",
      "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA", "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
      "SSL_DHE_RSA_WITH_3DES_EDE_CBC_SHA", "SSL_DHE_DSS_WITH_3DES_EDE_CBC_SHA",
      "TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA", "TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA",
      "SSL_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_DH_anon_WITH_AES_256_GCM_SHA384",
      "TLS_DH_anon_WITH_AES_128_GCM_SHA256", "TLS_DH_anon_WITH_AES_256_CBC_SHA256",
      "TLS_ECDH_anon_WITH_AES_256_CBC_SHA", "TLS_DH_anon_WITH_AES_256_CBC_SHA",
      "TLS_DH_anon_WITH_AES_128_CBC_SHA256", "TLS_ECDH_anon_WITH_AES_128_CBC_SHA",
      "TLS_DH_anon_WITH_AES_128_CBC_SHA", "TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA",
      "SSL_DH_anon_WITH_3DES_EDE_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA",
      "TLS_ECDHE_RSA_WITH_RC4_128_SHA", "SSL_RSA_WITH_RC4_128_SHA", "TLS_ECDH_ECDSA_WITH_RC4_128_SHA",
      "TLS_ECDH_RSA_WITH_RC4_128_SHA", "SSL_RSA_WITH_RC4_128_MD5", "TLS_ECDH_anon_WITH_RC4_128_SHA",
      "SSL_DH_anon_WITH_RC4_128_MD5", "SSL_RSA_WITH_DES_CBC_SHA", "SSL_DHE_RSA_WITH_DES_CBC_SHA",
      "SSL_DHE_DSS_WITH_DES_CBC_SHA", "SSL_DH_anon_WITH_DES_CBC_SHA", "SSL_RSA_EXPORT_WITH_DES40_CBC_SHA",
      "SSL_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA", "SSL_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA",
      "SSL_DH_anon_EXPORT_WITH_DES40_CBC_SHA", "SSL_RSA_EXPORT_WITH_RC4_40_MD5",
      "SSL_DH_anon_EXPORT_WITH_RC4_40_MD5", "TLS_RSA_WITH_NULL_SHA256", "TLS_ECDHE_ECDSA_WITH_NULL_SHA",
      "TLS_ECDHE_RSA_WITH_NULL_SHA", "SSL_RSA_WITH_NULL_SHA", "TLS_ECDH_ECDSA_WITH_NULL_SHA",
      "TLS_ECDH_RSA_WITH_NULL_SHA", "TLS_ECDH_anon_WITH_NULL_SHA", "SSL_RSA_WITH_NULL_MD5");

  /**
   * Suites OpenSSL (and so Postfix) commonly negotiates that no JSSE implements: the two CCM
   * suites of RFC 8446, AES-CCM (RFC 6655, RFC 7251), CAMELLIA (RFC 5932), ARIA (RFC 6209), SEED
   * and IDEA. Always {@link Support#NOT_TESTABLE}. PSK, SRP and GOST suites need credentials or
   * another provider and are left out.
   */
  static final List<String> NOT_IN_JSSE = List.of(
      "TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_8_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_CCM", "TLS_ECDHE_ECDSA_WITH_AES_128_CCM",
      "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8", "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8",
      "TLS_DHE_RSA_WITH_AES_256_CCM", "TLS_DHE_RSA_WITH_AES_128_CCM",
      "TLS_DHE_RSA_WITH_AES_256_CCM_8", "TLS_DHE_RSA_WITH_AES_128_CCM_8",
      "TLS_RSA_WITH_AES_256_CCM", "TLS_RSA_WITH_AES_128_CCM",
      "TLS_RSA_WITH_AES_256_CCM_8", "TLS_RSA_WITH_AES_128_CCM_8",
      "TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256",
      "TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384", "TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256",
      "TLS_RSA_WITH_ARIA_256_GCM_SHA384", "TLS_RSA_WITH_ARIA_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384", "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256",
      "TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384", "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256",
      "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256", "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256",
      "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256", "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256",
      "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA", "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA",
      "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA", "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA",
      "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256", "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256",
      "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA", "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA",
      "TLS_DHE_RSA_WITH_SEED_CBC_SHA", "TLS_RSA_WITH_SEED_CBC_SHA", "TLS_RSA_WITH_IDEA_CBC_SHA");

  private CipherSuites() {}

  /**
   * {@return why the suite is weak under the rule above, or empty when it is not}
   *
   * @param name an IANA or JSSE suite name
   */
  public static Optional<String> weakness(String name) {
    requireNonNull(name, "name");
    String n = name.toUpperCase(Locale.ROOT);
    if (n.contains("_WITH_NULL_")) {
      return Optional.of("NULL encryption: no confidentiality (RFC 9325 §4.1)");
    }
    if (n.contains("_ANON_")) {
      return Optional.of("anonymous key exchange: no server authentication");
    }
    if (n.contains("_EXPORT_")) {
      return Optional.of("export grade: 40-bit keys (RFC 9325 §4.1)");
    }
    if (n.contains("_RC4_")) {
      return Optional.of("RC4, prohibited by RFC 7465");
    }
    if (n.contains("_DES_CBC_") || n.contains("_DES40_")) {
      return Optional.of("single DES: 56-bit keys (RFC 9325 §4.1)");
    }
    if (n.contains("_3DES_")) {
      return Optional.of("3DES: 64-bit blocks, under 128 bits of security (Sweet32, RFC 9325 §4.1)");
    }
    if (n.contains("_IDEA_")) {
      return Optional.of("IDEA: 64-bit blocks (Sweet32)");
    }
    return Optional.empty();
  }

  /**
   * {@return the IANA name of a suite: the JSSE's {@code SSL_} prefix becomes {@code TLS_}}
   *
   * @param jsseName a JSSE suite name
   */
  public static String ianaName(String jsseName) {
    requireNonNull(jsseName, "jsseName");
    return jsseName.startsWith("SSL_") ? "TLS_" + jsseName.substring(4) : jsseName;
  }

  /** Whether a suite can be negotiated under {@code version}, from its name (RFC 5246, 8446). */
  static boolean appliesTo(String name, TlsVersion version) {
    boolean tls13 = !name.contains("_WITH_");
    if (version == TlsVersion.TLS_1_3 || tls13) {
      return version == TlsVersion.TLS_1_3 && tls13;
    }
    boolean tls12Only = name.contains("_GCM_") || name.contains("_CCM") || name.contains("CHACHA20")
        || name.endsWith("_SHA256") || name.endsWith("_SHA384");
    if (tls12Only) {
      return version == TlsVersion.TLS_1_2;
    }
    // Export suites were withdrawn by TLS 1.1 (RFC 4346 §A.5).
    return !(name.contains("_EXPORT_") && version != TlsVersion.TLS_1_0);
  }
}
