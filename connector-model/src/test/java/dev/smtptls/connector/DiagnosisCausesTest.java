package dev.smtptls.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import org.junit.jupiter.api.Test;

/** From a probe's findings to the write-up's causes, most likely first. */
class DiagnosisCausesTest {

  @Test
  void startTlsMissingIsFirstTheReceiversConfigurationThenABlockListThenAFirewall() {
    var causes = Diagnosis.causes(Reports.notOffered(null, Finding.of(FindingCode.STARTTLS_NOT_OFFERED, "no STARTTLS")));

    assertThat(causes).extracting(ExplainedCause::code).containsExactly(
        SmtpErrorExplainer.RECEIVER_STARTTLS_NOT_CONFIGURED,
        SmtpErrorExplainer.SENDER_IP_BLOCKLISTED,
        SmtpErrorExplainer.FIREWALL_ESMTP_INSPECTION);
    assertThat(causes.get(0).checks()).anySatisfy(c -> assertThat(c).contains("mx1.example.org"));
  }

  @Test
  void signsOfInspectionPutTheFirewallFirst() {
    var causes = Diagnosis.causes(Reports.notOffered(null, Finding.of(FindingCode.ESMTP_INSPECTION_SUSPECTED, "masked")));

    assertThat(causes).extracting(ExplainedCause::code).startsWith(SmtpErrorExplainer.FIREWALL_ESMTP_INSPECTION)
        .doesNotHaveDuplicates();
  }

  @Test
  void certificateFailuresAreTheSendersValidationAndOtherFindingsTheirOwnCause() {
    var causes = Diagnosis.causes(Reports.upgraded("TLSv1.3",
        Finding.of(FindingCode.CERT_EXPIRED, "expired"),
        Finding.of(FindingCode.CERT_NAME_MISMATCH, "name"),
        Finding.of(FindingCode.CRL_UNAVAILABLE, "crl", "url", "http://crl.example.org/x.crl")));

    assertThat(causes).extracting(ExplainedCause::code)
        .containsExactly(SmtpErrorExplainer.RECEIVER_CERT_NOT_TRUSTED, "CRL_UNAVAILABLE");
    assertThat(causes.get(1).remediations().get(0).text()).contains("http://crl.example.org/x.crl");
  }

  @Test
  void aHealthyServerHasNoCause() {
    assertThat(Diagnosis.causes(Reports.healthy())).isEmpty();
  }
}
