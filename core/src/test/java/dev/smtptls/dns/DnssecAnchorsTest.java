package dev.smtptls.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DnssecAnchorsTest {

  // As ldns-keygen writes K*.ds and K*.key files (no TTL, a trailing comment).
  private static final String DS =
      "example.test.\tIN\tDS\t27826 13 2"
          + " 83a6826d79ad84ae7df3a578a2308c7c6d733a45f48149962879999e4bab1cad\n";
  private static final String DNSKEY =
      "example.test.\tIN\tDNSKEY\t257 3 13"
          + " deuv2rZqTjgP1+qkhD/atCVDZl5tlMphD0PWisiiiREcRmKaI4bcjZphVF/dDqLn5MnlVv0rwT4qq++lxe6TOQ=="
          + " ;{id = 27826 (ksk), size = 256b}\n";

  @Test
  void theRootAnchorsAreIanasKsk2017AndKsk2024() {
    DnssecAnchors root = DnssecAnchors.root();

    assertThat(root.describe()).isEqualTo("root KSK 20326, 38696");
    assertThat(root.records()).hasSize(2);
    assertThat(String.join("\n", root.records()))
        .contains("20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D")
        .contains("38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16");
  }

  @Test
  void parsesDsAndDnskeyLinesAsKeyFilesHoldThem() {
    DnssecAnchors anchors = DnssecAnchors.parse("; test anchors\n\n" + DS + DNSKEY);

    assertThat(anchors.records()).hasSize(2);
    assertThat(anchors.describe())
        .isEqualTo("2 anchor(s): example.test. DS 27826, example.test. DNSKEY 27826");
  }

  @Test
  void namesTheBadLine() {
    assertThatThrownBy(() -> DnssecAnchors.parse(DS + "example.test. IN DS 1 2 zz\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("example.test. IN DS 1 2 zz");
  }

  @Test
  void rejectsRecordsThatAreNoAnchor() {
    assertThatThrownBy(() -> DnssecAnchors.parse("example.test. IN A 192.0.2.1\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a DS or DNSKEY record");
    assertThatThrownBy(() -> DnssecAnchors.parse("; nothing here\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no DS or DNSKEY record");
  }

  @Test
  void readsAFileAndSaysWhichInItsDescription(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("anchors.txt");
    Files.writeString(file, DS);

    DnssecAnchors anchors = DnssecAnchors.read(file);

    assertThat(anchors.describe()).startsWith("1 anchor(s) from " + file);
    Files.writeString(file, "garbage here\n");
    assertThatThrownBy(() -> DnssecAnchors.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString());
  }
}
