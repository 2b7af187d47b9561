package dev.smtptls.examples.cli;

import static dev.smtptls.finding.FindingCode.ESMTP_INSPECTION_SUSPECTED;
import static dev.smtptls.finding.FindingCode.PLAINTEXT_ACCEPTED;
import static dev.smtptls.finding.FindingCode.STARTTLS_NOT_OFFERED;
import static dev.smtptls.finding.FindingCode.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.SmtpTarget;
import dev.smtptls.inspect.StartTlsOutcome;
import dev.smtptls.inspect.Timings;
import dev.smtptls.testkit.smtp.SmtpBehaviour;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What "diagnosed as designed" means for a demo scenario, on reports made by hand. */
class DemoScenarioTest {

  private static final DemoScenario MASKING = DemoScenario.of("masking", "a firewall",
      SmtpBehaviour::esmtpInspectionMasking, ESMTP_INSPECTION_SUSPECTED, STARTTLS_NOT_OFFERED);

  private static InspectionReport reportWith(FindingCode... codes) {
    List<Finding> findings = Arrays.stream(codes)
        .map(c -> Finding.of(c, "seen in a test"))
        .collect(Collectors.toList());
    return new InspectionReport(SmtpTarget.of("127.0.0.1", 2525), null, Instant.EPOCH, Duration.ZERO,
        null, null, null, new StartTlsOutcome.NotAttempted("test"), null, null, null, findings, List.of(),
        new Timings(null, null, null, null, null, Duration.ZERO), false);
  }

  @Test
  void everyExpectedCodeFoundIsAsDesigned() {
    assertThat(MASKING.diagnosedAsDesigned(reportWith(STARTTLS_NOT_OFFERED, ESMTP_INSPECTION_SUSPECTED))).isTrue();
  }

  @Test
  void aMissingExpectedCodeIsNotAsDesigned() {
    assertThat(MASKING.diagnosedAsDesigned(reportWith(STARTTLS_NOT_OFFERED))).isFalse();
  }

  @Test
  void anUnexpectedErrorIsNotAsDesigned() {
    assertThat(MASKING.diagnosedAsDesigned(reportWith(STARTTLS_NOT_OFFERED, ESMTP_INSPECTION_SUSPECTED, TIMEOUT)))
        .isFalse();
  }

  @Test
  void anUnexpectedInfoDoesNotSpoilTheDiagnosis() {
    assertThat(MASKING.diagnosedAsDesigned(
        reportWith(STARTTLS_NOT_OFFERED, ESMTP_INSPECTION_SUSPECTED, PLAINTEXT_ACCEPTED))).isTrue();
  }

  @Test
  void aHealthyScenarioWantsNoErrorAtAll() {
    DemoScenario healthy = DemoScenario.of("healthy", "fine", SmtpBehaviour::healthy);
    assertThat(healthy.diagnosedAsDesigned(reportWith())).isTrue();
    assertThat(healthy.diagnosedAsDesigned(reportWith(STARTTLS_NOT_OFFERED))).isFalse();
  }

  @Test
  void scenarioNamesAreUnique() {
    List<String> names = DemoScenarios.all().stream().map(DemoScenario::name).toList();
    assertThat(names).doesNotHaveDuplicates().contains("healthy", "starttls-not-offered", "esmtp-inspection");
  }
}
