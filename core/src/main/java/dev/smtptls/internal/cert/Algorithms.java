package dev.smtptls.internal.cert;

import java.math.BigInteger;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.jspecify.annotations.Nullable;

/** Which keys and signature algorithms are too weak (CA/Browser Forum BR 6.1.5, 7.1.3). */
final class Algorithms {

  private Algorithms() {}

  private static final Map<String, String> WEAK_SIGNATURES =
      Map.of(
          "1.2.840.113549.1.1.2", "MD2 with RSA",
          "1.2.840.113549.1.1.3", "MD4 with RSA",
          "1.2.840.113549.1.1.4", "MD5 with RSA",
          "1.2.840.113549.1.1.5", "SHA-1 with RSA",
          "1.3.14.3.2.29", "SHA-1 with RSA",
          "1.2.840.10045.4.1", "ECDSA with SHA-1",
          "1.2.840.10040.4.3", "DSA with SHA-1");

  private static final Set<String> GOOD_CURVES =
      Set.of("1.2.840.10045.3.1.7", "1.3.132.0.34", "1.3.132.0.35");

  private static final String RSA = "1.2.840.113549.1.1.1";
  private static final String RSA_PSS = "1.2.840.113549.1.1.10";
  private static final String EC = "1.2.840.10045.2.1";
  private static final String DSA = "1.2.840.10040.4.1";

  /** Why the certificate's signature algorithm is broken, or null. */
  static @Nullable String weakSignature(CertView c) {
    String name = WEAK_SIGNATURES.get(c.cert.getSigAlgOID());
    return name == null ? null : "it is signed with " + name + ", which is broken";
  }

  /** Why the certificate's key is too weak, or null. */
  static @Nullable String weakKey(CertView c) {
    SubjectPublicKeyInfo spki = c.spki;
    if (spki == null) {
      return null;
    }
    String alg = spki.getAlgorithm().getAlgorithm().getId();
    switch (alg) {
      case RSA, RSA_PSS -> {
        BigInteger modulus;
        if (c.publicKey instanceof RSAPublicKey rsa) {
          modulus = rsa.getModulus();
        } else {
          try {
            modulus =
                org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(spki.parsePublicKey())
                    .getModulus();
          } catch (java.io.IOException | RuntimeException e) {
            return "its RSA key cannot be read";
          }
        }
        int bits = modulus.bitLength();
        if (bits < 2048) {
          return "its RSA key has " + bits + " bits; at least 2048 are required";
        }
        if (bits % 8 != 0) {
          return "its RSA key has " + bits + " bits, not a multiple of 8";
        }
        return null;
      }
      case EC -> {
        ASN1Encodable params = spki.getAlgorithm().getParameters();
        if (!(params instanceof ASN1ObjectIdentifier curve)) {
          return "its EC key uses explicit curve parameters instead of a named curve";
        }
        if (GOOD_CURVES.contains(curve.getId())) {
          return null;
        }
        X9ECParameters p = ECNamedCurveTable.getByOID(curve);
        if (p == null) {
          return "its EC key uses the unknown curve " + curve.getId();
        }
        int bits = p.getCurve().getFieldSize();
        return bits < 256 ? "its EC key is on a " + bits + "-bit curve; at least P-256 is required" : null;
      }
      case DSA -> {
        return "it has a DSA key, which TLS certificates may no longer use";
      }
      default -> {
        return null;
      }
    }
  }
}
