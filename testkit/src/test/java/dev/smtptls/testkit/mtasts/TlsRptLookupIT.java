package dev.smtptls.testkit.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.dns.DnsResolvers;
import dev.smtptls.dns.TlsRptResult;
import dev.smtptls.dns.TlsRptStatus;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import dev.smtptls.testkit.dns.MockDnsServer;
import dev.smtptls.testkit.dns.Rcode;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TlsRptLookupIT {

  private static TlsRptResult lookup(UnaryOperator<MockDnsServer.Builder> zone) {
    try (MockDnsServer dns = zone.apply(MockDnsServer.builder()).start()) {
      TlsRptResult r = TlsRptResult.lookup(DnsResolvers.dnsjava(dns.address(), Duration.ofSeconds(2)), "example.test.");
      assertThat(dns.queries()).contains("_smtp._tls.example.test. TXT");
      return r;
    }
  }

  @Test
  void aValidRecordSplitOverStringsIsParsed() {
    TlsRptResult r = lookup(b -> b
        .txt("_smtp._tls.example.test", "v=TLSRPTv1; rua=mailto:tls@example.test,", "https://r.example.test/tlsrpt")
        .txt("_smtp._tls.example.test", "unrelated"));
    assertThat(r.status()).isEqualTo(TlsRptStatus.VALID);
    assertThat(r.findings()).isEmpty();
    assertThat(r.record().rua()).containsExactly("mailto:tls@example.test", "https://r.example.test/tlsrpt");
    assertThat(r.record().raw()).isEqualTo("v=TLSRPTv1; rua=mailto:tls@example.test,https://r.example.test/tlsrpt");
  }

  @Test
  void aMalformedRecordIsAWarning() {
    TlsRptResult r = lookup(b -> b.txt("_smtp._tls.example.test", "v=TLSRPTv1; rua=http://r.example.test/"));
    assertThat(r.status()).isEqualTo(TlsRptStatus.INVALID);
    assertThat(r.record()).isNull();
    assertThat(r.findings()).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo(FindingCode.TLSRPT_RECORD_INVALID);
      assertThat(f.severity()).isEqualTo(Severity.WARNING);
      assertThat(f.evidence("record")).contains("v=TLSRPTv1; rua=http://r.example.test/");
      assertThat(f.evidence("reason")).hasValueSatisfying(v -> assertThat(v).contains("neither mailto: nor https:"));
    });
  }

  @Test
  void twoRecordsAreInvalid() {
    TlsRptResult r = lookup(b -> b
        .txt("_smtp._tls.example.test", "v=TLSRPTv1; rua=mailto:a@example.test")
        .txt("_smtp._tls.example.test", "v=TLSRPTv1; rua=mailto:b@example.test"));
    assertThat(r.status()).isEqualTo(TlsRptStatus.INVALID);
    assertThat(r.findings()).singleElement().satisfies(f -> assertThat(f.message()).contains("2 TXT records"));
  }

  @Test
  void anAbsentRecordIsNone() {
    assertThat(lookup(b -> b.a("example.test", "127.0.0.1")).status()).isEqualTo(TlsRptStatus.NONE);
    TlsRptResult failed = lookup(b -> b.rcode("_smtp._tls.example.test", Rcode.SERVFAIL));
    assertThat(failed.status()).isEqualTo(TlsRptStatus.NONE);
    assertThat(failed.findings()).isEmpty();
  }
}
