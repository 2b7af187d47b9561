package dev.smtptls.crl.internal;

import java.security.AlgorithmParameters;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PSSParameterSpec;
import java.util.HexFormat;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The CRL's signature, made ready for {@link #verify} at parse time so that the parsed CRL need
 * not keep the DER encoding: for RSA PKCS#1 v1.5 and ECDSA the {@code tbsCertList} is hashed
 * once while parsing and the signature is later checked over the hash ({@code NONEwithRSA} over
 * the DigestInfo, {@code NONEwithECDSA} over the digest), which the JCA computes exactly as it
 * does {@code SHA256withRSA} or {@code SHA256withECDSA}. For other algorithms (RSASSA-PSS,
 * EdDSA, DSA, unknown) a copy of the {@code tbsCertList} is kept and verified as a whole.
 *
 * <p>Immutable once constructed.
 */
final class CrlSignature {

  private enum Kind {
    RSA,
    ECDSA,
    WHOLE
  }

  private record Alg(String jcaName, Kind kind, @Nullable String digest, byte @Nullable [] digestInfoPrefix) {}

  private static final HexFormat HEX = HexFormat.of();

  private static final Map<String, Alg> ALGS = Map.ofEntries(
      rsa("1.2.840.113549.1.1.4", "MD5withRSA", "MD5", "3020300c06082a864886f70d020505000410"),
      rsa("1.2.840.113549.1.1.5", "SHA1withRSA", "SHA-1", "3021300906052b0e03021a05000414"),
      rsa("1.2.840.113549.1.1.14", "SHA224withRSA", "SHA-224", "302d300d06096086480165030402040500041c"),
      rsa("1.2.840.113549.1.1.11", "SHA256withRSA", "SHA-256", "3031300d060960864801650304020105000420"),
      rsa("1.2.840.113549.1.1.12", "SHA384withRSA", "SHA-384", "3041300d060960864801650304020205000430"),
      rsa("1.2.840.113549.1.1.13", "SHA512withRSA", "SHA-512", "3051300d060960864801650304020305000440"),
      ec("1.2.840.10045.4.1", "SHA1withECDSA", "SHA-1"),
      ec("1.2.840.10045.4.3.1", "SHA224withECDSA", "SHA-224"),
      ec("1.2.840.10045.4.3.2", "SHA256withECDSA", "SHA-256"),
      ec("1.2.840.10045.4.3.3", "SHA384withECDSA", "SHA-384"),
      ec("1.2.840.10045.4.3.4", "SHA512withECDSA", "SHA-512"),
      whole("1.2.840.113549.1.1.10", "RSASSA-PSS"),
      whole("1.3.101.112", "Ed25519"),
      whole("1.3.101.113", "Ed448"),
      whole("1.2.840.10040.4.3", "SHA1withDSA"),
      whole("2.16.840.1.101.3.4.3.1", "SHA224withDSA"),
      whole("2.16.840.1.101.3.4.3.2", "SHA256withDSA"));

  private static Map.Entry<String, Alg> rsa(String oid, String name, String digest, String prefix) {
    return Map.entry(oid, new Alg(name, Kind.RSA, digest, HEX.parseHex(prefix)));
  }

  private static Map.Entry<String, Alg> ec(String oid, String name, String digest) {
    return Map.entry(oid, new Alg(name, Kind.ECDSA, digest, null));
  }

  private static Map.Entry<String, Alg> whole(String oid, String name) {
    return Map.entry(oid, new Alg(name, Kind.WHOLE, null, null));
  }

  private final String jcaName;
  private final @Nullable Kind kind;
  /** DigestInfo (RSA), digest (ECDSA), or the tbsCertList (WHOLE); null for unknown algorithms. */
  private final byte @Nullable [] signed;
  private final byte @Nullable [] parameters;
  private final byte[] signature;

  /**
   * Prepares the signature check.
   *
   * @param oid the outer {@code signatureAlgorithm}'s OID
   * @param parameters the encoded parameters of the algorithm identifier, or null when absent
   * @param buf the DER encoding
   * @param tbsOff start of the {@code tbsCertList} (its tag)
   * @param tbsLen length of the {@code tbsCertList} including tag and length
   * @param signature the signature bits
   */
  CrlSignature(String oid, byte @Nullable [] parameters, byte[] buf, int tbsOff, int tbsLen, byte[] signature) {
    Alg alg = ALGS.get(oid);
    this.signature = signature;
    this.parameters = parameters;
    if (alg == null) {
      jcaName = oid;
      kind = null;
      signed = null;
      return;
    }
    jcaName = alg.jcaName();
    byte[] s;
    Kind k = alg.kind();
    String digestName = alg.digest();
    if (k == Kind.WHOLE || digestName == null) {
      s = new byte[tbsLen];
      System.arraycopy(buf, tbsOff, s, 0, tbsLen);
    } else {
      byte[] digest;
      try {
        MessageDigest md = MessageDigest.getInstance(digestName);
        md.update(buf, tbsOff, tbsLen);
        digest = md.digest();
      } catch (NoSuchAlgorithmException e) {
        digest = null;
      }
      byte[] prefix = alg.digestInfoPrefix();
      if (digest == null) {
        s = null;
      } else if (k == Kind.RSA && prefix != null) {
        s = new byte[prefix.length + digest.length];
        System.arraycopy(prefix, 0, s, 0, prefix.length);
        System.arraycopy(digest, 0, s, prefix.length, digest.length);
      } else {
        s = digest;
      }
    }
    kind = k;
    signed = s;
  }

  /** The JCA name of the algorithm, or the dotted OID when it is not known. */
  String jcaName() {
    return jcaName;
  }

  /** Checks the signature with {@code key}; false on any failure. */
  boolean verify(PublicKey key) {
    byte[] s = signed;
    Kind k = kind;
    if (s == null || k == null) {
      return false;
    }
    try {
      Signature sig;
      switch (k) {
        case RSA:
          if (!"RSA".equalsIgnoreCase(key.getAlgorithm())) {
            return false;
          }
          sig = Signature.getInstance("NONEwithRSA");
          break;
        case ECDSA:
          if (!"EC".equalsIgnoreCase(key.getAlgorithm())) {
            return false;
          }
          sig = Signature.getInstance("NONEwithECDSA");
          break;
        default:
          sig = Signature.getInstance(jcaName);
          break;
      }
      sig.initVerify(key);
      byte[] p = parameters;
      if ("RSASSA-PSS".equals(jcaName)) {
        if (p == null) {
          return false;
        }
        AlgorithmParameters ap = AlgorithmParameters.getInstance("RSASSA-PSS");
        ap.init(p);
        sig.setParameter(ap.getParameterSpec(PSSParameterSpec.class));
      }
      sig.update(s);
      return sig.verify(signature);
    } catch (Exception | LinkageError e) {
      return false;
    }
  }
}
