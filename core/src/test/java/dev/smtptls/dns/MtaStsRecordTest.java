package dev.smtptls.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MtaStsRecordTest {

  @Test
  void parsesVersionAndId() {
    MtaStsRecord r = MtaStsRecord.parse("v=STSv1; id=20240101T000000");
    assertThat(r.version()).isEqualTo("STSv1");
    assertThat(r.id()).isEqualTo("20240101T000000");
    assertThat(r.raw()).isEqualTo("v=STSv1; id=20240101T000000");
  }

  @Test
  void acceptsSpacesTabsTrailingSeparatorAndExtensions() {
    assertThat(MtaStsRecord.parse("v=STSv1 ;\tid=abc123 ; ext_1.x=some:value;").id()).isEqualTo("abc123");
    assertThat(MtaStsRecord.parse("v=STSv1;id=A").id()).isEqualTo("A");
  }

  @Test
  void honoursTheFirstOfRepeatedIds() {
    assertThat(MtaStsRecord.parse("v=STSv1; id=first; id=second").id()).isEqualTo("first");
  }

  @Test
  void acceptsAnIdOf32Characters() {
    String id = "a".repeat(32);
    assertThat(MtaStsRecord.parse("v=STSv1; id=" + id).id()).isEqualTo(id);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "v=STSv1|no id field",
    "v=STSv1;|no id field",
    "v=STSv1; ext=1|no id field",
    "v=STSv2; id=1|does not start with v=STSv1",
    "V=STSv1; id=1|does not start with v=STSv1",
    "' v=STSv1; id=1'|does not start with v=STSv1",
    "v=STSv1; id=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa|1 to 32 letters and digits",
    "v=STSv1; id=2024-01-01|1 to 32 letters and digits",
    "v=STSv1; id=|1 to 32 letters and digits",
    "v=STSv1;; id=1|empty field",
    "v=STSv1; id 1|not name=value",
    "v=STSv1; id=1; =x|not name=value",
    "v=STSv1; id=1; bad!name=x|field name",
    "v=STSv1; id=1; ext=a b|invalid value",
    "v=STSv1 id=1|does not start with v=STSv1",
  })
  void rejectsMalformedRecordsNamingTheProblem(String txt, String reason) {
    assertThatThrownBy(() -> MtaStsRecord.parse(txt))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void unquotesTxtPresentationFormConcatenatingStrings() {
    assertThat(MtaStsText.unquote("\"v=STSv1; \" \"id=1\"")).isEqualTo("v=STSv1; id=1");
    assertThat(MtaStsText.unquote("\"a\\\"b\\059c\"")).isEqualTo("a\"b;c");
    assertThat(MtaStsText.unquote("plain")).isEqualTo("plain");
  }
}
