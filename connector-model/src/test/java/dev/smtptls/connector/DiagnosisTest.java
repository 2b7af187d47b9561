package dev.smtptls.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.inspect.InspectionReport;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DiagnosisTest {

  @ParameterizedTest
  @EnumSource(FindingCode.class)
  void everyFindingCodeHasARemediation(FindingCode code) {
    Optional<Remediation> r = Diagnosis.forFinding(Finding.of(code, "seen"));

    assertThat(r).as("remediation for %s", code).isPresent();
    assertThat(r.get().text()).isNotBlank();
    assertThat(r.get().command()).satisfiesAnyOf(c -> assertThat(c).isNull(), c -> assertThat(c).isNotBlank());
  }

  @Test
  void startTlsNotOfferedSaysHowToEnableItOnExchangeAndPostfix() {
    Remediation r = Diagnosis.forFinding(Finding.of(FindingCode.STARTTLS_NOT_OFFERED, "no STARTTLS")).orElseThrow();

    assertThat(r.command())
        .contains("Set-ReceiveConnector -Identity \"<Server>\\<Receive connector>\" -AuthMechanism Tls")
        .contains("Enable-ExchangeCertificate -Thumbprint <SHA-1 thumbprint from Get-ExchangeCertificate> -Services SMTP");
    assertThat(r.text()).contains("smtpd_tls_security_level = may").contains("smtpd_tls_chain_files");
  }

  @Test
  void refusalRemediationQuotesTheReplyAndNamesTheMissingCertificate() {
    Remediation r = Diagnosis.forFinding(Finding.of(FindingCode.STARTTLS_REFUSED, "refused",
        "reply", "454 4.7.0 TLS not available due to local problem")).orElseThrow();

    assertThat(r.text()).contains("\"454 4.7.0 TLS not available due to local problem\"").contains("certificate");
  }

  @Test
  void inspectionRemediationTurnsOffEsmtpInspection() {
    Remediation r = Diagnosis.forFinding(Finding.of(FindingCode.ESMTP_INSPECTION_SUSPECTED, "masked",
        "signs", List.of("greeting masked"))).orElseThrow();

    assertThat(r.command()).isEqualTo("policy-map global_policy\n class inspection_default\n  no inspect esmtp");
  }

  @Test
  void greetingRemediationReadsTheText() {
    Remediation r = Diagnosis.forFinding(Finding.of(FindingCode.GREETING_REJECTED, "refused",
        "code", "554", "text", "5.7.1 blocked using zen.spamhaus.org")).orElseThrow();

    assertThat(r.text()).contains("554 5.7.1 blocked using zen.spamhaus.org").contains("delisting");
  }

  @Test
  void nameMismatchListsTheCertificatesNames() {
    Remediation r = Diagnosis.forFinding(Finding.of(FindingCode.CERT_NAME_MISMATCH, "mismatch",
        "names", List.of("mail.example.net", "*.example.net"))).orElseThrow();

    assertThat(r.text()).contains("mail.example.net, *.example.net");
  }

  @Test
  void reportRemediationsComeErrorsFirstWithTheHostFilledIn() {
    InspectionReport report = Reports.report(Reports.READY, Reports.EHLO_PLAIN, null,
        new dev.smtptls.inspect.StartTlsOutcome.NotOffered(null), null,
        Finding.of(FindingCode.PLAINTEXT_ACCEPTED, "accepted", "reply", "250 2.1.0 Ok"),
        Finding.of(FindingCode.CERT_NAME_MISMATCH, "mismatch"),
        Finding.of(FindingCode.STARTTLS_NOT_OFFERED, "no STARTTLS"),
        Finding.of(FindingCode.STARTTLS_NOT_OFFERED, "no STARTTLS"));

    List<Remediation> rs = Diagnosis.remediations(report);

    assertThat(rs).hasSize(3);
    assertThat(rs.get(0).text()).contains("does not cover mx1.example.org");
    assertThat(rs.get(0).command()).contains("CN=mx1.example.org").doesNotContain("<host>");
    assertThat(rs.get(1).command()).contains("-AuthMechanism Tls");
    assertThat(rs.get(2).command()).contains("-RequireTLS $true");
  }
}
