package dev.smtptls.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TlsaRecordTest {

  private static final String SHA256 = "8F3A" + "00".repeat(30);

  @Test
  void parsesThePresentationFormWithUpperCaseAndSplitHex() {
    TlsaRecord r = TlsaRecord.parse("  3 1 1 8F3A0000 " + "00".repeat(28) + "  ");

    assertThat(r).isEqualTo(new TlsaRecord(3, 1, 1, SHA256.toLowerCase()));
    assertThat(r.data()).isEqualTo("8f3a" + "00".repeat(30));
    assertThat(r.presentation()).isEqualTo("3 1 1 8f3a" + "00".repeat(30));
    assertThat(r.dataBytes()).hasSize(32);
    assertThat(r.describe()).startsWith("DANE-EE(3) SPKI(1) SHA2-256(1) 8f3a");
  }

  @ParameterizedTest(name = "{0} usable: {1}")
  @CsvSource({
    "3 1 1, true",
    "3 0 1, true",
    "3 1 2, true",
    "3 1 0, true",
    "2 0 1, true",
    "2 1 2, true",
    "0 1 1, false",
    "1 1 1, false",
    "4 1 1, false",
    "255 1 1, false",
    "3 2 1, false",
    "3 1 3, false",
    "3 1 255, false"
  })
  void usableForSmtpOnlyWithDaneUsagesAndKnownSelectorsAndMatchingTypes(
      String fields, boolean usable) {
    String[] f = fields.split(" ");
    String data = f[2].equals("2") ? "ab".repeat(64) : "ab".repeat(32);

    assertThat(TlsaRecord.parse(fields + " " + data).usableForSmtp()).isEqualTo(usable);
  }

  @Test
  void aDigestOfTheWrongLengthIsUnusable() {
    assertThat(TlsaRecord.parse("3 1 1 abcd").usableForSmtp()).isFalse();
    assertThat(TlsaRecord.parse("3 1 2 " + "ab".repeat(32)).usableForSmtp()).isFalse();
  }

  @Test
  void rejectsMalformedData() {
    assertThatThrownBy(() -> TlsaRecord.parse("3 1 1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"3 1 1\"");
    assertThatThrownBy(() -> TlsaRecord.parse("3 x 1 abcd"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a number");
    assertThatThrownBy(() -> TlsaRecord.parse("3 1 1 abc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hex");
    assertThatThrownBy(() -> TlsaRecord.parse("3 1 1 zz"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TlsaRecord(256, 1, 1, "ab"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("usage");
  }
}
