package dev.smtptls.finding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FindingTest {

  @Test
  void keepsEvidenceInOrderAndImmutable() {
    List<String> signs = new ArrayList<>(List.of("a"));
    Finding f = Finding.of(FindingCode.ESMTP_INSPECTION_SUSPECTED, "masked", "signs", signs, "step", "ehlo");
    signs.add("b");
    assertThat(f.severity()).isEqualTo(Severity.ERROR);
    assertThat(f.evidence()).containsExactly(Map.entry("signs", List.of("a")), Map.entry("step", "ehlo"));
    assertThat(f.evidence("step")).contains("ehlo");
    assertThatThrownBy(() -> f.evidence().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void rejectsEvidenceThatIsNotText() {
    assertThatThrownBy(() -> Finding.of(FindingCode.TIMEOUT, "t", "step", 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'step'");
    assertThatThrownBy(() -> Finding.of(FindingCode.TIMEOUT, "t", "step")).hasMessageContaining("pairs");
  }

  @Test
  void severitiesMatchTheContract() {
    assertThat(FindingCode.TLS_REQUIRED_BY_SERVER.defaultSeverity()).isEqualTo(Severity.INFO);
    assertThat(FindingCode.PLAINTEXT_ACCEPTED.defaultSeverity()).isEqualTo(Severity.INFO);
    assertThat(FindingCode.TLS_PROTOCOL_WEAK.defaultSeverity()).isEqualTo(Severity.WARNING);
    assertThat(FindingCode.CERT_CN_ONLY.defaultSeverity()).isEqualTo(Severity.WARNING);
    assertThat(FindingCode.STARTTLS_NOT_OFFERED.defaultSeverity()).isEqualTo(Severity.ERROR);
  }
}
