package dev.smtptls.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SenderFindingsTest {

  @ParameterizedTest
  @ValueSource(strings = {"mail.contoso.com", "MX1.Example.ORG", "a-b.example.net.", "x1.example"})
  void fullyQualifiedNamesAreFqdns(String name) {
    assertThat(SenderFindings.isFqdn(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "EXCH01", "[192.0.2.1]", "192.0.2.1", "-bad.example.com", "a..b.com",
      "under_score.example.com", "", "."})
  void otherNamesAreNot(String name) {
    assertThat(SenderFindings.isFqdn(name)).isFalse();
  }

  @Test
  void everyCertificateCodeHasASenderTwinWithItsSeverity() {
    Arrays.stream(FindingCode.values()).filter(c -> c.name().startsWith("CERT_")).forEach(c -> {
      FindingCode twin = SenderFindings.senderCode(c);
      assertThat(twin).as("twin of %s", c).isNotNull();
      assertThat(twin.name()).isEqualTo("SENDER_" + c.name());
      assertThat(twin.defaultSeverity()).as("severity of %s", twin).isEqualTo(c.defaultSeverity());
    });
  }

  @Test
  void certificateFindingBecomesSenderFindingWithSideEvidence() {
    Finding f = SenderFindings.forSender(Finding.of(FindingCode.CERT_NAME_MISMATCH, "The certificate does not cover x.",
        "expected", "x.example.net"));

    assertThat(f.code()).isEqualTo(FindingCode.SENDER_CERT_NAME_MISMATCH);
    assertThat(f.severity()).isEqualTo(Severity.ERROR);
    assertThat(f.evidence()).containsEntry("expected", "x.example.net").containsEntry("side", "sender");
    assertThat(f.message()).startsWith("Client certificate: ");
  }

  @Test
  void revocationFindingKeepsItsCodeMarkedAsTheSenders() {
    Finding f = SenderFindings.forSender(Finding.of(FindingCode.CRL_UNAVAILABLE, "The CRL cannot be fetched."));

    assertThat(f.code()).isEqualTo(FindingCode.CRL_UNAVAILABLE);
    assertThat(f.evidence()).containsEntry("side", "sender");
  }

  @Test
  void onlyObsoleteProtocolsAreWeak() {
    assertThat(SenderFindings.isWeakProtocol("TLSv1")).isTrue();
    assertThat(SenderFindings.isWeakProtocol("TLSv1.1")).isTrue();
    assertThat(SenderFindings.isWeakProtocol("TLSv1.2")).isFalse();
    assertThat(SenderFindings.isWeakProtocol("TLSv1.3")).isFalse();
    assertThat(SenderFindings.isWeakProtocol(null)).isFalse();
  }
}
