package dev.smtptls.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateKeyFilesTest {

  @TempDir Path dir;

  private Path pem(String type, byte[] der) throws Exception {
    String text = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
        + "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(der) + "\n-----END " + type + "-----\n";
    return Files.writeString(dir.resolve(type.replace(' ', '-') + ".pem"), text, StandardCharsets.US_ASCII);
  }

  @Test
  void readsPkcs8AndPkcs1RsaKeys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair pair = g.generateKeyPair();
    byte[] pkcs8 = pair.getPrivate().getEncoded();
    byte[] pkcs1 = PrivateKeyInfo.getInstance(pkcs8).parsePrivateKey().toASN1Primitive().getEncoded();

    PrivateKey a = PrivateKeyFiles.read(pem("PRIVATE KEY", pkcs8));
    PrivateKey b = PrivateKeyFiles.read(pem("RSA PRIVATE KEY", pkcs1));

    assertThat(a.getEncoded()).isEqualTo(pkcs8);
    assertThat(b.getAlgorithm()).isEqualTo("RSA");
    assertThat(b.getEncoded()).isEqualTo(pkcs8);
  }

  @Test
  void readsSec1EcKeys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    byte[] pkcs8 = g.generateKeyPair().getPrivate().getEncoded();
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(pkcs8);
    BigInteger d = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey()).getKey();
    // As `openssl ecparam -genkey` writes it: the curve inside the SEC 1 structure.
    byte[] sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, d, info.getPrivateKeyAlgorithm().getParameters())
        .getEncoded();
    byte[] noCurve = new org.bouncycastle.asn1.sec.ECPrivateKey(256, d).getEncoded();

    PrivateKey k = PrivateKeyFiles.read(pem("EC PRIVATE KEY", sec1));

    assertThat(k.getAlgorithm()).isEqualTo("EC");
    assertThat(((java.security.interfaces.ECPrivateKey) k).getS()).isEqualTo(d);
    Files.delete(dir.resolve("EC-PRIVATE-KEY.pem"));
    Path bad = pem("EC PRIVATE KEY", noCurve);
    assertThatThrownBy(() -> PrivateKeyFiles.read(bad)).hasMessageContaining("names no curve");
  }

  @Test
  void refusesFilesWithoutAKeyNamingTheFile() throws Exception {
    Path notAKey = Files.writeString(dir.resolve("chain.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    Path encrypted = pem("ENCRYPTED PRIVATE KEY", new byte[] {1, 2, 3});

    assertThatThrownBy(() -> PrivateKeyFiles.read(notAKey))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chain.pem").hasMessageContaining("no PEM private key");
    assertThatThrownBy(() -> PrivateKeyFiles.read(encrypted))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("encrypted");
  }

  @Test
  void generatedSelfSignedCertificateCoversTheFqdn() throws Exception {
    SelfSignedCertificate c = SelfSignedCertificate.generate("sink.example.org", java.time.Instant.now());

    assertThat(c.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=sink.example.org");
    assertThat(c.certificate().getSubjectAlternativeNames()).containsExactly(java.util.List.of(2, "sink.example.org"));
    c.certificate().verify(c.certificate().getPublicKey());
  }
}
