package dev.smtptls.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TlsRptReportTest {

  private static final Instant START = Instant.parse("2016-04-01T00:00:00Z");
  private static final Instant END = Instant.parse("2016-04-01T23:59:59.750Z");

  private static TlsRptReport rfcLikeReport() {
    TlsRptReport.Policy sts = TlsRptReport.Policy.builder(TlsRptReport.PolicyType.STS, "company-y.example")
        .policyStrings(List.of("version: STSv1", "mode: testing", "mx: *.mail.company-y.example", "max_age: 86400"))
        .mxHosts(List.of("*.mail.company-y.example"))
        .successes(5326)
        .failure(new TlsRptReport.FailureDetail("certificate-expired", "2001:db8:abcd:0012::1",
            "mx1.mail.company-y.example", null, null, 100, null, null))
        .failure(new TlsRptReport.FailureDetail("starttls-not-supported", "2001:db8:abcd:0013::1",
            "mx2.mail.company-y.example", null, "203.0.113.56", 200,
            "https://reports.company-x.example/report_info?id=5065427c-23d3#StarttlsNotSupported", null))
        .failure(new TlsRptReport.FailureDetail("validation-failure", "198.51.100.62",
            "mx-backup.mail.company-y.example", null, "203.0.113.58", 3, null, "X509_V_ERR_PROOF_OF_POSSESSION"))
        .build();
    return TlsRptReport.builder()
        .organizationName("Company-X")
        .dateRange(START, END)
        .contactInfo("sts-reporting@company-x.example")
        .reportId("5065427c-23d3-47ca-b6e0-946ea0e8c4be")
        .policy(sts)
        .build();
  }

  @Test
  void writesTheRfcFieldNamesInTheRfcOrder() {
    assertThat(rfcLikeReport().toJson()).isEqualTo("{"
        + "\"organization-name\":\"Company-X\","
        + "\"date-range\":{\"start-datetime\":\"2016-04-01T00:00:00Z\",\"end-datetime\":\"2016-04-01T23:59:59Z\"},"
        + "\"contact-info\":\"sts-reporting@company-x.example\","
        + "\"report-id\":\"5065427c-23d3-47ca-b6e0-946ea0e8c4be\","
        + "\"policies\":[{"
        + "\"policy\":{\"policy-type\":\"sts\","
        + "\"policy-string\":[\"version: STSv1\",\"mode: testing\",\"mx: *.mail.company-y.example\",\"max_age: 86400\"],"
        + "\"policy-domain\":\"company-y.example\",\"mx-host\":[\"*.mail.company-y.example\"]},"
        + "\"summary\":{\"total-successful-session-count\":5326,\"total-failure-session-count\":303},"
        + "\"failure-details\":["
        + "{\"result-type\":\"certificate-expired\",\"sending-mta-ip\":\"2001:db8:abcd:0012::1\","
        + "\"receiving-mx-hostname\":\"mx1.mail.company-y.example\",\"failed-session-count\":100},"
        + "{\"result-type\":\"starttls-not-supported\",\"sending-mta-ip\":\"2001:db8:abcd:0013::1\","
        + "\"receiving-mx-hostname\":\"mx2.mail.company-y.example\",\"receiving-ip\":\"203.0.113.56\","
        + "\"failed-session-count\":200,"
        + "\"additional-information\":\"https://reports.company-x.example/report_info?id=5065427c-23d3#StarttlsNotSupported\"},"
        + "{\"result-type\":\"validation-failure\",\"sending-mta-ip\":\"198.51.100.62\","
        + "\"receiving-mx-hostname\":\"mx-backup.mail.company-y.example\",\"receiving-ip\":\"203.0.113.58\","
        + "\"failed-session-count\":3,\"failure-reason-code\":\"X509_V_ERR_PROOF_OF_POSSESSION\"}"
        + "]}]}");
  }

  @Test
  void theJsonParsesBackToTheSameValues() {
    Map<?, ?> doc = (Map<?, ?>) new TinyJson(rfcLikeReport().toJson()).parse();
    assertThat(List.<Object>copyOf(doc.keySet())).containsExactly(
        "organization-name", "date-range", "contact-info", "report-id", "policies");
    Map<?, ?> policy = (Map<?, ?>) ((Map<?, ?>) ((List<?>) doc.get("policies")).get(0)).get("policy");
    assertThat(policy.get("policy-type")).isEqualTo("sts");
    assertThat(policy.get("mx-host")).isEqualTo(List.of("*.mail.company-y.example"));
    Map<?, ?> summary = (Map<?, ?>) ((Map<?, ?>) ((List<?>) doc.get("policies")).get(0)).get("summary");
    assertThat(summary.get("total-failure-session-count")).isEqualTo(303L);
  }

  @Test
  void sessionsFromFindingsAreCountedAndMergedByKind() {
    List<Finding> expired = List.of(
        Finding.of(FindingCode.CERT_EXPIRES_SOON, "soon"), Finding.of(FindingCode.CERT_EXPIRED, "expired"));
    TlsRptReport.Policy p = TlsRptReport.Policy.builder(TlsRptReport.PolicyType.NO_POLICY_FOUND, "example.com")
        .session("192.0.2.1", "mx.example.com", "203.0.113.1", List.of())
        .session("192.0.2.1", "mx.example.com", "203.0.113.1", List.of(Finding.of(FindingCode.TLS_PROTOCOL_WEAK, "w")))
        .session("192.0.2.1", "mx.example.com", "203.0.113.1", expired)
        .session("192.0.2.1", "mx.example.com", "203.0.113.1", expired)
        .build();
    assertThat(p.successfulSessions()).isEqualTo(2);
    assertThat(p.failedSessions()).isEqualTo(2);
    assertThat(p.failureDetails()).singleElement().satisfies(d -> {
      assertThat(d.resultType()).isEqualTo("certificate-expired");
      assertThat(d.failedSessionCount()).isEqualTo(2);
      assertThat(d.failureReasonCode()).isEqualTo("CERT_EXPIRED");
    });
    String json = TlsRptReport.builder().organizationName("o").contactInfo("c").reportId("r")
        .dateRange(START, START).policy(p).build().toJson();
    assertThat(json).contains("{\"policy\":{\"policy-type\":\"no-policy-found\",\"policy-domain\":\"example.com\"}");
  }

  @Test
  void policyFromMtaStsTakesItsLinesAndPatterns() {
    MtaStsPolicy policy = MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmx: *.example.com\nmax_age: 600\n");
    MtaStsResult sts = new MtaStsResult("example.com", MtaStsRecord.parse("v=STSv1; id=1"), "u",
        new MtaStsFetch(MtaStsFetchStatus.OK, 200, 1, "ok"), policy, MtaStsStatus.VALID, List.of());
    TlsRptReport.Policy p = TlsRptReport.Policy.builder(TlsRptReport.PolicyType.STS, "example.com").from(sts).build();
    assertThat(p.policyStrings()).containsExactly("version: STSv1", "mode: enforce", "mx: *.example.com", "max_age: 600");
    assertThat(p.mxHosts()).containsExactly("*.example.com");
  }

  @Test
  void mapsFindingCodesToRfcResultTypes() {
    assertThat(TlsRptReport.resultType(FindingCode.STARTTLS_NOT_OFFERED)).isEqualTo("starttls-not-supported");
    assertThat(TlsRptReport.resultType(FindingCode.CERT_NAME_MISMATCH)).isEqualTo("certificate-host-mismatch");
    assertThat(TlsRptReport.resultType(FindingCode.CERT_EXPIRED)).isEqualTo("certificate-expired");
    assertThat(TlsRptReport.resultType(FindingCode.CERT_SELF_SIGNED)).isEqualTo("certificate-not-trusted");
    assertThat(TlsRptReport.resultType(FindingCode.CERT_REVOKED)).isEqualTo("validation-failure");
    assertThat(TlsRptReport.resultType(FindingCode.DANE_TLSA_UNUSABLE)).isEqualTo("tlsa-invalid");
    assertThat(TlsRptReport.resultType(FindingCode.DANE_DNSSEC_BOGUS)).isEqualTo("dnssec-invalid");
    assertThat(TlsRptReport.resultType(FindingCode.MTA_STS_POLICY_UNAVAILABLE)).isEqualTo("sts-policy-fetch-error");
    assertThat(TlsRptReport.resultType(FindingCode.MTA_STS_POLICY_INVALID)).isEqualTo("sts-policy-invalid");
    assertThat(TlsRptReport.resultType(FindingCode.CONNECT_FAILED)).isNull();
    assertThat(TlsRptReport.resultType(FindingCode.CERT_EXPIRES_SOON)).isNull();
    assertThat(TlsRptReport.resultType(FindingCode.DNSBL_LISTED)).isNull();
    assertThat(TlsRptReport.resultType(Finding.of(FindingCode.MTA_STS_POLICY_UNAVAILABLE, "m",
        "url", "u", "reason", "r", "fetchStatus", "TLS_FAILED"))).isEqualTo("sts-webpki-invalid");
    assertThat(TlsRptReport.resultType(Finding.of(FindingCode.MTA_STS_POLICY_UNAVAILABLE, "m",
        "url", "u", "reason", "r", "fetchStatus", "TIMEOUT"))).isEqualTo("sts-policy-fetch-error");
  }

  @Test
  void everyMappedResultTypeIsOneTheRfcDefines() {
    Set<String> rfc = Set.of("starttls-not-supported", "certificate-host-mismatch", "certificate-expired",
        "certificate-not-trusted", "validation-failure", "tlsa-invalid", "dnssec-invalid", "dane-required",
        "sts-policy-fetch-error", "sts-policy-invalid", "sts-webpki-invalid");
    for (FindingCode c : EnumSet.allOf(FindingCode.class)) {
      String t = TlsRptReport.resultType(c);
      if (t != null) {
        assertThat(rfc).as(c.name()).contains(t);
      }
    }
  }

  @Test
  void escapesQuotesBackslashesAndControlCharactersAndKeepsNonAscii() {
    assertThat(TlsRptJson.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    assertThat(TlsRptJson.quote("\b\f\n\r\t")).isEqualTo("\"\\b\\f\\n\\r\\t\"");
    assertThat(TlsRptJson.quote("\u0000\u0001\u001f\u007f")).isEqualTo("\"\\u0000\\u0001\\u001f\u007f\"");
    assertThat(TlsRptJson.quote("Zürich – 東京 😀")).isEqualTo("\"Zürich – 東京 😀\"");
    assertThat(TlsRptJson.quote("\u2028\u2029")).isEqualTo("\"\\u2028\\u2029\"");
    assertThat(TlsRptJson.quote("x\ud800y\udc00")).isEqualTo("\"x\\ud800y\\udc00\"");
    assertThat(TlsRptJson.quote("/")).isEqualTo("\"/\"");
  }

  @Test
  void everyEscapedStringParsesBackToItself() {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 0x80; c++) {
      all.append(c);
    }
    all.append("é😀\u2028");
    String s = all.toString();
    assertThat(new TinyJson(TlsRptJson.quote(s)).parse()).isEqualTo(s);
    TlsRptReport r = TlsRptReport.builder().organizationName(s).contactInfo("c").reportId("r")
        .dateRange(START, END).build();
    assertThat(((Map<?, ?>) new TinyJson(r.toJson()).parse()).get("organization-name")).isEqualTo(s);
  }

  @Test
  void rejectsAnInvertedRangeAndMissingFields() {
    assertThatThrownBy(() -> TlsRptReport.builder().organizationName("o").contactInfo("c").reportId("r")
        .dateRange(END, START).build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ends before");
    assertThatThrownBy(() -> TlsRptReport.builder().organizationName("o").build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new TlsRptReport.FailureDetail("Certificate Expired", null, null, null, null, 1, null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** A strict recursive-descent JSON parser (RFC 8259) for the tests: objects keep key order. */
  static final class TinyJson {
    private final String s;
    private int i;

    TinyJson(String s) {
      this.s = s;
    }

    Object parse() {
      Object v = value();
      ws();
      if (i != s.length()) {
        throw new IllegalStateException("trailing data at " + i);
      }
      return v;
    }

    private Object value() {
      ws();
      char c = s.charAt(i);
      if (c == '{') {
        i++;
        Map<String, Object> m = new LinkedHashMap<>();
        ws();
        if (s.charAt(i) == '}') {
          i++;
          return m;
        }
        while (true) {
          ws();
          String k = string();
          ws();
          expect(':');
          if (m.put(k, value()) != null) {
            throw new IllegalStateException("duplicate key " + k);
          }
          ws();
          if (s.charAt(i) == ',') {
            i++;
          } else {
            expect('}');
            return m;
          }
        }
      }
      if (c == '[') {
        i++;
        List<Object> l = new ArrayList<>();
        ws();
        if (s.charAt(i) == ']') {
          i++;
          return l;
        }
        while (true) {
          l.add(value());
          ws();
          if (s.charAt(i) == ',') {
            i++;
          } else {
            expect(']');
            return l;
          }
        }
      }
      if (c == '"') {
        return string();
      }
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '-')) {
        i++;
      }
      if (start == i) {
        throw new IllegalStateException("unexpected " + c + " at " + i);
      }
      return Long.parseLong(s.substring(start, i));
    }

    private String string() {
      expect('"');
      StringBuilder b = new StringBuilder();
      while (true) {
        char c = s.charAt(i++);
        if (c == '"') {
          return b.toString();
        }
        if (c < 0x20) {
          throw new IllegalStateException("raw control character at " + (i - 1));
        }
        if (c != '\\') {
          b.append(c);
          continue;
        }
        char e = s.charAt(i++);
        switch (e) {
          case '"', '\\', '/' -> b.append(e);
          case 'b' -> b.append('\b');
          case 'f' -> b.append('\f');
          case 'n' -> b.append('\n');
          case 'r' -> b.append('\r');
          case 't' -> b.append('\t');
          case 'u' -> {
            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          default -> throw new IllegalStateException("bad escape \\" + e);
        }
      }
    }

    private void expect(char c) {
      if (s.charAt(i) != c) {
        throw new IllegalStateException("expected " + c + " at " + i + ", got " + s.charAt(i));
      }
      i++;
    }

    private void ws() {
      while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
        i++;
      }
    }
  }
}
