package dev.smtptls.testkit.cert;

import dev.smtptls.cert.CertificateFileException;
import dev.smtptls.cert.CertificateFiles;
import dev.smtptls.cert.ParsedCertificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtptls.finding.FindingCode;
import dev.smtptls.spi.TrustSource;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.trust.TrustSources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading certificate files and trust sources (core API, tested with the testkit's PKI). */
class CertificateFilesTest {

  private static final TestPki PKI = TestPki.create();

  @TempDir Path dir;

  @Test
  void readsAPemBundleInOrderIgnoringTextBetweenBlocks() throws IOException {
    IssuedCertificate leaf = PKI.leaf("mx.example.test");
    Path f = Files.writeString(dir.resolve("chain.pem"), "subject=whatever\n" + leaf.chainPem() + "\ntrailing words\n");
    ParsedCertificates parsed = CertificateFiles.read(f);
    assertThat(parsed.certificates()).containsExactlyElementsOf(leaf.chain());
    assertThat(parsed.findings()).isEmpty();
  }

  @Test
  void readsOneDerCertificate() throws Exception {
    IssuedCertificate leaf = PKI.leaf("mx.example.test");
    Path f = Files.write(dir.resolve("leaf.der"), leaf.certificate().getEncoded());
    assertThat(CertificateFiles.read(f).certificates()).containsExactly(leaf.certificate());
  }

  @Test
  void aFileThatIsNotACertificateNamesFileAndLine() throws Exception {
    IssuedCertificate leaf = PKI.leaf("mx.example.test");
    Path key = Files.writeString(dir.resolve("key.pem"), leaf.privateKeyPem());
    assertThatThrownBy(() -> CertificateFiles.read(key))
        .isInstanceOf(CertificateFileException.class)
        .hasMessageContaining("key.pem")
        .hasMessageContaining("private key but no certificate");

    Path empty = Files.write(dir.resolve("empty.pem"), new byte[0]);
    assertThatThrownBy(() -> CertificateFiles.read(empty)).hasMessageContaining("empty");

    Path text = Files.writeString(dir.resolve("notes.txt"), "hello\nworld\n");
    assertThatThrownBy(() -> CertificateFiles.read(text)).hasMessageContaining("no PEM certificate block");

    String pem = leaf.certificatePem();
    String broken = "\n\n" + pem.replace(pem.substring(40, 48), "!!!!****");
    Path bad = Files.writeString(dir.resolve("bad.pem"), broken);
    assertThatThrownBy(() -> CertificateFiles.read(bad))
        .isInstanceOfSatisfying(CertificateFileException.class, e -> assertThat(e.line()).isEqualTo(3))
        .hasMessageContaining("bad.pem:3");

    Path derKey = Files.write(dir.resolve("key.der"), leaf.privateKey().getEncoded());
    assertThatThrownBy(() -> CertificateFiles.read(derKey)).hasMessageContaining("not shaped like a certificate");
  }

  @Test
  void derThatBreaksX509IsAFindingNotAnError() throws Exception {
    byte[] der = PKI.leaf("mx.example.test").certificate().getEncoded();
    // Keep the certificate's outer shape but break the version field inside tbsCertificate.
    byte[] broken = der.clone();
    int tbs = der[1] == (byte) 0x82 ? 4 : 2;
    int inner = tbs + (der[tbs + 1] == (byte) 0x82 ? 4 : 2);
    broken[inner] = 0x05; // [0] EXPLICIT version becomes a NULL tag
    ParsedCertificates parsed = CertificateFiles.parse(broken, "broken.der");
    assertThat(parsed.certificates()).isEmpty();
    assertThat(parsed.findings()).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo(FindingCode.CERT_MALFORMED);
      assertThat(f.evidence("source")).contains("broken.der");
    });
  }

  @Test
  void trustSourcesReadFilesDirectoriesAndKeyStores() throws Exception {
    Files.writeString(dir.resolve("a.pem"), PKI.root().certificatePem());
    TestPki other = TestPki.create();
    Files.writeString(dir.resolve("b.crt"), other.root().certificatePem());
    Files.writeString(dir.resolve("ignored.txt"), "not a certificate");

    TrustSource fromDir = TrustSources.pem("lab", dir);
    assertThat(fromDir.name()).isEqualTo("lab");
    assertThat(fromDir.anchors()).containsExactlyInAnyOrder(PKI.root().certificate(), other.root().certificate());

    TrustSource fromStore = TrustSources.keyStore("store", PKI.trustStore());
    assertThat(fromStore.anchors()).containsExactly(PKI.root().certificate());

    TrustSource both = TrustSources.composite("both", fromStore, fromDir);
    assertThat(both.anchors()).hasSize(2);

    assertThat(TrustSources.system().anchors()).isNotEmpty();
    assertThatThrownBy(() -> TrustSources.pem(dir.resolve("ignored.txt")))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("ignored.txt");
  }

  @Test
  void readsCrLfPem() throws IOException {
    IssuedCertificate leaf = PKI.leaf("mx.example.test");
    Path f = Files.write(dir.resolve("crlf.pem"), leaf.certificatePem().replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII));
    assertThat(CertificateFiles.read(f).certificates()).containsExactly(leaf.certificate());
  }
}
