package dev.smtptls.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TlsRptRecordTest {

  @Test
  void parsesMailtoAndHttpsUris() {
    TlsRptRecord r = TlsRptRecord.parse(
        "v=TLSRPTv1; rua=mailto:tlsrpt@example.com , https://reports.example.com/tlsrpt;");
    assertThat(r.version()).isEqualTo("TLSRPTv1");
    assertThat(r.rua()).containsExactly("mailto:tlsrpt@example.com", "https://reports.example.com/tlsrpt");
  }

  @Test
  void ignoresExtensionsAndHonoursTheFirstRua() {
    TlsRptRecord r = TlsRptRecord.parse("v=TLSRPTv1;ext=1;rua=mailto:a@example.com;rua=mailto:b@example.com");
    assertThat(r.rua()).containsExactly("mailto:a@example.com");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "v=TLSRPTv1|no rua field",
    "v=TLSRPTv1; ext=1|no rua field",
    "v=TLSRPTv2; rua=mailto:a@example.com|does not start with v=TLSRPTv1",
    "v=tlsrptv1; rua=mailto:a@example.com|does not start with v=TLSRPTv1",
    "v=TLSRPTv1; rua=http://example.com/r|neither mailto: nor https:",
    "v=TLSRPTv1; rua=a@example.com|neither mailto: nor https:",
    "v=TLSRPTv1; rua=mailto:|malformed",
    "v=TLSRPTv1; rua=mailto:nobody|names no mail address",
    "v=TLSRPTv1; rua=https:///path|names no host",
    "v=TLSRPTv1; rua=mailto:a@example.com,|empty URI",
    "v=TLSRPTv1; rua=mailto:a b@example.com|malformed",
    "v=TLSRPTv1;; rua=mailto:a@example.com|empty field",
  })
  void rejectsMalformedRecordsNamingTheProblem(String txt, String reason) {
    assertThatThrownBy(() -> TlsRptRecord.parse(txt))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }
}
