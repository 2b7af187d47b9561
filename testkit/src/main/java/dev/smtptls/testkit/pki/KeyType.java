package dev.smtptls.testkit.pki;

/**
 * The kind of key pair {@link TestPki} generates for a certificate.
 *
 * <p>{@link #EC_P256} is the default because it is the fastest to generate. {@link #RSA_1024}
 * exists for weak-key tests: receivers such as Exchange Online reject it, and so should a
 * checker.
 */
public enum KeyType {
  /** An elliptic-curve key on NIST P-256 (secp256r1); signs with SHA256withECDSA. */
  EC_P256("EC", 256),
  /** An elliptic-curve key on NIST P-384 (secp384r1); signs with SHA384withECDSA. */
  EC_P384("EC", 384),
  /** A 2048-bit RSA key; signs with SHA256withRSA. */
  RSA_2048("RSA", 2048),
  /** A 1024-bit RSA key, deliberately weak, for tests of weak-key findings. */
  RSA_1024("RSA", 1024);

  private final String algorithm;
  private final int bits;

  KeyType(String algorithm, int bits) {
    this.algorithm = algorithm;
    this.bits = bits;
  }

  /**
   * Returns the JCA key algorithm name, {@code "EC"} or {@code "RSA"}.
   *
   * @return the key algorithm as {@link java.security.Key#getAlgorithm()} reports it
   */
  public String algorithm() {
    return algorithm;
  }

  /**
   * Returns the key size in bits: the curve's field size for EC, the modulus length for RSA.
   *
   * @return the key size in bits
   */
  public int bits() {
    return bits;
  }
}
