package dev.smtptls.testkit.pki;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;

/**
 * Key generation, signing and conversion to JDK types. Bouncy Castle is used through a
 * private provider instance, never registered with {@link java.security.Security}, and what
 * it produces is re-parsed by the JDK's {@link CertificateFactory} so callers get the same
 * certificate classes a TLS handshake would give them.
 */
final class Crypto {
  static final SecureRandom RANDOM = new SecureRandom();

  private Crypto() {}

  private static final class Bc {
    static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();
  }

  static KeyPair generate(KeyType type) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(type.algorithm());
      switch (type) {
        case EC_P256 -> generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        case EC_P384 -> generator.initialize(new ECGenParameterSpec("secp384r1"), RANDOM);
        case RSA_2048, RSA_1024 -> generator.initialize(type.bits(), RANDOM);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot generate a " + type + " key pair", e);
    }
  }

  /** A random positive serial number of 127 bits (RFC 5280 allows up to 20 octets). */
  static BigInteger randomSerial() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    bytes[0] &= 0x7f;
    bytes[0] |= 0x40;
    return new BigInteger(1, bytes);
  }

  static String defaultSignatureAlgorithm(PublicKey signerKey) {
    if (signerKey instanceof ECPublicKey ec) {
      return ec.getParams().getCurve().getField().getFieldSize() > 256
          ? "SHA384withECDSA"
          : "SHA256withECDSA";
    }
    if ("RSA".equals(signerKey.getAlgorithm())) {
      return "SHA256withRSA";
    }
    throw new IllegalArgumentException(
        "cannot sign with a " + signerKey.getAlgorithm() + " key; use an EC or RSA issuer");
  }

  /** The signature algorithm to use: the requested one checked against the key, or the default. */
  static String signatureAlgorithm(@Nullable String requested, PublicKey signerKey, String signer) {
    if (requested == null) {
      return defaultSignatureAlgorithm(signerKey);
    }
    String upper = requested.toUpperCase(Locale.ROOT);
    String keyAlgorithm = signerKey.getAlgorithm();
    if (upper.contains("RSA") && !"RSA".equals(keyAlgorithm)) {
      throw new IllegalArgumentException(
          "signature algorithm " + requested + " needs an RSA signing key, but " + signer
              + " has a " + keyAlgorithm + " key; issue it from an RSA CA (keyType(KeyType.RSA_2048))");
    }
    if (upper.contains("ECDSA") && !"EC".equals(keyAlgorithm)) {
      throw new IllegalArgumentException(
          "signature algorithm " + requested + " needs an EC signing key, but " + signer
              + " has a " + keyAlgorithm + " key");
    }
    return requested;
  }

  static ContentSigner signer(String signatureAlgorithm, PrivateKey key) {
    JcaContentSignerBuilder builder;
    try {
      builder = new JcaContentSignerBuilder(signatureAlgorithm);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown signature algorithm: " + signatureAlgorithm, e);
    }
    try {
      return builder.setProvider(Bc.PROVIDER).setSecureRandom(RANDOM).build(key);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException(
          "cannot sign with " + signatureAlgorithm + " using a " + key.getAlgorithm() + " key", e);
    }
  }

  static X509Certificate toCertificate(byte[] der) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot parse the certificate just made", e);
    }
  }

  static X509CRL toCrl(byte[] der) {
    try {
      return (X509CRL)
          CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot parse the CRL just made", e);
    }
  }

  private static JcaX509ExtensionUtils extensionUtils() {
    try {
      return new JcaX509ExtensionUtils();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-1 is needed for key identifiers", e);
    }
  }

  static SubjectKeyIdentifier subjectKeyIdentifier(PublicKey key) {
    return extensionUtils().createSubjectKeyIdentifier(key);
  }

  static AuthorityKeyIdentifier authorityKeyIdentifier(PublicKey issuerKey) {
    return extensionUtils().createAuthorityKeyIdentifier(issuerKey);
  }

  /** X.509 times have whole seconds; dropping the rest keeps requested and encoded times equal. */
  static Instant seconds(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS);
  }

  static List<URI> absoluteUris(URI[] uris, String what) {
    List<URI> result = new ArrayList<>(uris.length);
    for (int i = 0; i < uris.length; i++) {
      result.add(absoluteUri(uris[i], what + "[" + i + "]"));
    }
    return List.copyOf(result);
  }

  static URI absoluteUri(@Nullable URI uri, String what) {
    if (uri == null) {
      throw new NullPointerException(what);
    }
    if (!uri.isAbsolute()) {
      throw new IllegalArgumentException(
          what + " must be an absolute URI such as http://crl.example.test/ca.crl, got " + uri);
    }
    return uri;
  }

  static void checkUnset(@Nullable Object current, String what) {
    if (current != null) {
      throw new IllegalStateException(what + " was already set");
    }
  }
}
