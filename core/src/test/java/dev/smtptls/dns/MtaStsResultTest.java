package dev.smtptls.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MtaStsResultTest {

  private static MtaStsResult valid(MtaStsMode mode) {
    MtaStsPolicy policy = new MtaStsPolicy("STSv1", mode, List.of("*.example.com"), 86400);
    return new MtaStsResult("example.com", MtaStsRecord.parse("v=STSv1; id=1"),
        MtaStsChecker.policyUrl("example.com", 443), new MtaStsFetch(MtaStsFetchStatus.OK, 200, 10, "ok"),
        policy, MtaStsStatus.VALID, List.of());
  }

  @ParameterizedTest
  @CsvSource({"ENFORCE,ERROR", "TESTING,WARNING"})
  void mxMismatchAndInvalidCertificateAreErrorsWhenEnforcedAndWarningsWhenTesting(MtaStsMode mode, Severity sev) {
    MtaStsHostCheck check = valid(mode).evaluateHost("mx.other.net", false, "CERT_EXPIRED expired");
    assertThat(check.matches()).isFalse();
    assertThat(check.pattern()).isNull();
    assertThat(check.certificateValid()).isFalse();
    assertThat(check.findings()).extracting(Finding::code)
        .containsExactly(FindingCode.MTA_STS_MX_MISMATCH, FindingCode.MTA_STS_CERT_INVALID);
    assertThat(check.findings()).extracting(Finding::severity).containsOnly(sev);
    assertThat(check.findings().get(0).evidence())
        .containsEntry("host", "mx.other.net")
        .containsEntry("patterns", List.of("*.example.com"));
    assertThat(check.findings().get(1).evidence()).containsEntry("reason", "CERT_EXPIRED expired");
  }

  @Test
  void matchingHostWithValidCertificateHasNoFinding() {
    MtaStsHostCheck check = valid(MtaStsMode.ENFORCE).evaluateHost("MX1.example.com.", true, null);
    assertThat(check.matches()).isTrue();
    assertThat(check.pattern()).isEqualTo("*.example.com");
    assertThat(check.certificateValid()).isTrue();
    assertThat(check.findings()).isEmpty();
  }

  @Test
  void modeNoneJudgesNothing() {
    MtaStsResult none = new MtaStsResult("example.com", MtaStsRecord.parse("v=STSv1; id=1"),
        "u", new MtaStsFetch(MtaStsFetchStatus.OK, 200, 1, "ok"),
        new MtaStsPolicy("STSv1", MtaStsMode.NONE, List.of(), 0), MtaStsStatus.VALID, List.of());
    MtaStsHostCheck check = none.evaluateHost("mx.other.net", false, "bad");
    assertThat(check.matches()).isFalse();
    assertThat(check.certificateValid()).isFalse();
    assertThat(check.findings()).isEmpty();
  }

  @Test
  void withoutValidPolicyNothingIsJudged() {
    MtaStsResult r = new MtaStsResult("example.com", null, "u", null, null, MtaStsStatus.NONE, List.of());
    MtaStsHostCheck check = r.evaluateHost("mx.example.com", false, null);
    assertThat(check.matches()).isFalse();
    assertThat(check.certificateValid()).isNull();
    assertThat(check.findings()).isEmpty();
  }

  @Test
  void contentTypeCheckAcceptsTextPlainWithParametersOnly() {
    assertThat(MtaStsChecker.isTextPlain("text/plain")).isTrue();
    assertThat(MtaStsChecker.isTextPlain("Text/Plain; charset=utf-8")).isTrue();
    assertThat(MtaStsChecker.isTextPlain("text/html")).isFalse();
    assertThat(MtaStsChecker.isTextPlain("text/plainx")).isFalse();
    assertThat(MtaStsChecker.isTextPlain(null)).isFalse();
  }

  @Test
  void policyUrlNamesThePortOnlyWhenNot443() {
    assertThat(MtaStsChecker.policyUrl("Example.COM.", 443))
        .isEqualTo("https://mta-sts.example.com/.well-known/mta-sts.txt");
    assertThat(MtaStsChecker.policyUrl("example.com", 8443))
        .isEqualTo("https://mta-sts.example.com:8443/.well-known/mta-sts.txt");
  }
}
