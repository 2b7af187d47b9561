package dev.smtptls.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MtaStsPolicyTest {

  private static final String ENFORCE =
      "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmax_age: 86400\r\n";

  @Test
  void parsesCrlfPolicy() {
    MtaStsPolicy p = MtaStsPolicy.parse(ENFORCE);
    assertThat(p.version()).isEqualTo("STSv1");
    assertThat(p.mode()).isEqualTo(MtaStsMode.ENFORCE);
    assertThat(p.mx()).containsExactly("mail.example.com", "*.example.net");
    assertThat(p.maxAge()).isEqualTo(86400);
  }

  @Test
  void parsesLfPolicyWithoutFinalNewlineAndWithSpacesAndTabs() {
    MtaStsPolicy p = MtaStsPolicy.parse("version:STSv1\nmode:\ttesting \nmx:  mx.example.org\nmax_age: 0");
    assertThat(p.mode()).isEqualTo(MtaStsMode.TESTING);
    assertThat(p.mx()).containsExactly("mx.example.org");
    assertThat(p.maxAge()).isZero();
  }

  @Test
  void modeNoneNeedsNoMx() {
    MtaStsPolicy p = MtaStsPolicy.parse("version: STSv1\nmode: none\nmax_age: 31557600\n");
    assertThat(p.mode()).isEqualTo(MtaStsMode.NONE);
    assertThat(p.mx()).isEmpty();
    assertThat(p.maxAge()).isEqualTo(MtaStsPolicy.MAX_MAX_AGE);
  }

  @Test
  void ignoresUnknownKeysAndHonoursTheFirstOfRepeatedFields() {
    MtaStsPolicy p = MtaStsPolicy.parse(
        "version: STSv1\nmode: testing\nmode: enforce\nfuture_key: {x}\nmx: a.example\nmax_age: 5\nmax_age: 9\n");
    assertThat(p.mode()).isEqualTo(MtaStsMode.TESTING);
    assertThat(p.maxAge()).isEqualTo(5);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "mode: enforce\\nmx: a.example\\nmax_age: 1|no version field",
    "version: STSv1\\nmx: a.example\\nmax_age: 1|no mode field",
    "version: STSv1\\nmode: enforce\\nmx: a.example|no max_age field",
    "version: STSv1\\nmode: enforce\\nmax_age: 1|no mx field",
    "version: STSv1\\nmode: testing\\nmax_age: 1|no mx field",
    "version: STSv2\\nmode: enforce\\nmx: a.example\\nmax_age: 1|version must be STSv1",
    "version: STSv1\\nmode: Enforce\\nmx: a.example\\nmax_age: 1|mode must be enforce, testing or none",
    "version: STSv1\\nmode: enforce\\nmx: a.example\\nmax_age: 31557601|exceeds 31557600",
    "version: STSv1\\nmode: enforce\\nmx: a.example\\nmax_age: 12345678901|1 to 10 digits",
    "version: STSv1\\nmode: enforce\\nmx: a.example\\nmax_age: -1|1 to 10 digits",
    "version: STSv1\\nmode: enforce\\nmx: a.example\\nmax_age: 1d|1 to 10 digits",
    "version: STSv1\\nmode enforce\\nmx: a.example\\nmax_age: 1|line 2 is not \"key: value\"",
    "version: STSv1\\nmode: enforce\\nmx: *.*.example\\nmax_age: 1|line 3: mx \"*.*.example\"",
    "version: STSv1\\nmode: enforce\\nmx: *\\nmax_age: 1|line 3: mx \"*\"",
    "version: STSv1\\nmode: enforce\\nmx: a..example\\nmax_age: 1|line 3: mx",
    "version: STSv1\\nmode: enforce\\nmx:\\nmax_age: 1|line 3: mx has no value",
    "Version: STSv1\\nmode: enforce\\nmx: a.example\\nmax_age: 1|keys are case-sensitive",
    "version: STSv1\\nmode: enforce\\nbad key: x\\nmx: a.example\\nmax_age: 1|line 3: \"bad key\" is not a valid key",
  })
  void rejectsMalformedPoliciesNamingTheProblem(String body, String reason) {
    assertThatThrownBy(() -> MtaStsPolicy.parse(body.replace("\\n", "\n")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  \n"})
  void rejectsAnEmptyPolicy(String body) {
    assertThatThrownBy(() -> MtaStsPolicy.parse(body)).hasMessageContaining("empty");
  }

  @Test
  void wildcardMatchesExactlyOneLeftmostLabel() {
    MtaStsPolicy p = MtaStsPolicy.parse(ENFORCE);
    assertThat(p.matchingPattern("mx1.example.net")).contains("*.example.net");
    assertThat(p.matchingPattern("MX1.Example.NET.")).contains("*.example.net");
    assertThat(p.matchingPattern("example.net")).isEmpty();
    assertThat(p.matchingPattern("a.b.example.net")).isEmpty();
    assertThat(p.matchingPattern("xexample.net")).isEmpty();
  }

  @Test
  void plainPatternMatchesTheNameOnlyIgnoringCaseAndTrailingDots() {
    MtaStsPolicy p = MtaStsPolicy.parse(ENFORCE.replace("mail.example.com", "Mail.Example.com."));
    assertThat(p.matchingPattern("mail.example.com")).contains("Mail.Example.com.");
    assertThat(p.matchingPattern("mail.example.com.")).contains("Mail.Example.com.");
    assertThat(p.matchingPattern("x.mail.example.com")).isEmpty();
    assertThat(p.matchingPattern("example.com")).isEmpty();
  }

  @Test
  void linesGiveThePolicyForReports() {
    assertThat(MtaStsPolicy.parse(ENFORCE).lines()).containsExactly(
        "version: STSv1", "mode: enforce", "mx: mail.example.com", "mx: *.example.net", "max_age: 86400");
  }
}
