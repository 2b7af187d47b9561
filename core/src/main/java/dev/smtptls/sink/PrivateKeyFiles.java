package dev.smtptls.sink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.DERNull;

/**
 * Reads an unencrypted private key from a PEM file, in the forms OpenSSL and Postfix use: PKCS#8
 * ({@code BEGIN PRIVATE KEY}, RFC 7468 §10), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) and SEC 1
 * ({@code BEGIN EC PRIVATE KEY}, RFC 5915). The first key block in the file is read; other blocks
 * (certificates in a combined file) are skipped.
 */
public final class PrivateKeyFiles {

  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ((?:RSA |EC |ENCRYPTED )?PRIVATE KEY)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
  private static final long MAX_FILE = 1 << 20;

  private PrivateKeyFiles() {}

  /**
   * Reads the key.
   *
   * @param file the PEM file
   * @return the key
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException naming the file if it holds no usable unencrypted key
   */
  public static PrivateKey read(Path file) throws IOException {
    if (Files.size(file) > MAX_FILE) {
      throw new IllegalArgumentException(file + " is larger than 1 MiB: not a PEM key file");
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    Matcher m = BLOCK.matcher(text);
    if (!m.find()) {
      throw new IllegalArgumentException(file + " holds no PEM private key (BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }
    String type = m.group(1);
    if (type.startsWith("ENCRYPTED")) {
      throw new IllegalArgumentException(file + " holds an encrypted key: decrypt it first (openssl pkey -in KEY -out PLAIN)");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(m.group(2));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": the key block is not valid base64");
    }
    try {
      byte[] pkcs8 = switch (type) {
        case "RSA PRIVATE KEY" -> new PrivateKeyInfo(
            new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
            org.bouncycastle.asn1.pkcs.RSAPrivateKey.getInstance(der)).getEncoded();
        case "EC PRIVATE KEY" -> {
          ECPrivateKey ec = ECPrivateKey.getInstance(der);
          var params = ec.getParametersObject();
          if (params == null) {
            throw new IllegalArgumentException(file + ": the EC key names no curve");
          }
          yield new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, params), ec).getEncoded();
        }
        default -> der;
      };
      PrivateKeyInfo info = PrivateKeyInfo.getInstance(pkcs8);
      String oid = info.getPrivateKeyAlgorithm().getAlgorithm().getId();
      String alg = switch (oid) {
        case "1.2.840.113549.1.1.1" -> "RSA";
        case "1.2.840.113549.1.1.10" -> "RSASSA-PSS";
        case "1.2.840.10045.2.1" -> "EC";
        case "1.3.101.112" -> "Ed25519";
        case "1.3.101.113" -> "Ed448";
        default -> throw new IllegalArgumentException(file + ": unsupported key algorithm " + oid);
      };
      return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException iae && iae.getMessage() != null && iae.getMessage().startsWith(file.toString())) {
        throw iae;
      }
      throw new IllegalArgumentException(file + ": not a usable private key (" + e.getMessage() + ")", e);
    }
  }
}
