package dev.smtptls.testkit.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.dns.DnsResolvers;
import dev.smtptls.dns.MtaStsChecker;
import dev.smtptls.dns.MtaStsFetchStatus;
import dev.smtptls.dns.MtaStsHostCheck;
import dev.smtptls.dns.MtaStsMode;
import dev.smtptls.dns.MtaStsResult;
import dev.smtptls.dns.MtaStsStatus;
import dev.smtptls.dns.TlsRptReport;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import dev.smtptls.testkit.dns.MockDnsServer;
import dev.smtptls.testkit.dns.Rcode;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.trust.TrustSources;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(60)
class MtaStsCheckerIT {

  private static final TestPki PKI = TestPki.create();
  private static final String DOMAIN = "example.test";
  private static final String HOST = "mta-sts.example.test";
  private static final String ENFORCE =
      "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.test\r\nmx: *.mx.example.test\r\nmax_age: 86400\r\n";

  /** DNS and the policy server for example.test, and a checker pointed at both. */
  private static final class Fixture implements AutoCloseable {
    final MockDnsServer dns;
    final MtaStsPolicyServer https;
    final MtaStsChecker checker;

    Fixture(IssuedCertificate cert, UnaryOperator<MockDnsServer.Builder> zone, Duration timeout, Duration deadline) {
      this.https = MtaStsPolicyServer.builder().certificate(cert).start();
      this.dns = zone.apply(MockDnsServer.builder()).start();
      this.checker = MtaStsChecker.builder()
          .resolver(DnsResolvers.dnsjava(dns.address(), Duration.ofSeconds(2)))
          .trust(TrustSources.anchors("test", PKI.root().certificate()))
          .port(https.port())
          .timeout(timeout)
          .deadline(deadline)
          .build();
    }

    MtaStsResult check() {
      return checker.check(DOMAIN);
    }

    @Override
    public void close() {
      https.close();
      dns.close();
    }
  }

  private static MockDnsServer.Builder standard(MockDnsServer.Builder b) {
    return b.txt("_mta-sts." + DOMAIN, "v=STSv1; id=20240101T000000")
        .txt("_mta-sts." + DOMAIN, "some other text")
        .a(HOST, "127.0.0.1");
  }

  private static Fixture fixture() {
    return new Fixture(PKI.leaf(HOST), MtaStsCheckerIT::standard, Duration.ofSeconds(5), Duration.ofSeconds(20));
  }

  private static Fixture fixture(Duration timeout, Duration deadline) {
    return new Fixture(PKI.leaf(HOST), MtaStsCheckerIT::standard, timeout, deadline);
  }

  private static void assertUnavailable(MtaStsResult r, MtaStsFetchStatus status) {
    assertThat(r.status()).isEqualTo(MtaStsStatus.UNAVAILABLE);
    assertThat(r.fetch()).isNotNull();
    assertThat(r.fetch().status()).isEqualTo(status);
    assertThat(r.policy()).isNull();
    assertThat(r.findings()).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo(FindingCode.MTA_STS_POLICY_UNAVAILABLE);
      assertThat(f.severity()).isEqualTo(Severity.ERROR);
      assertThat(f.evidence("url")).contains(r.policyUrl());
      assertThat(f.evidence("fetchStatus")).contains(status.name());
      assertThat(f.evidence("reason")).hasValueSatisfying(reason -> assertThat(reason).contains(r.fetch().detail()));
    });
  }

  @Test
  void fetchesAValidPolicyThroughTheConfiguredResolverWithSniAndHost() {
    try (Fixture fx = fixture()) {
      fx.https.respond(PolicyResponse.policy(ENFORCE));
      MtaStsResult r = fx.check();

      assertThat(r.status()).isEqualTo(MtaStsStatus.VALID);
      assertThat(r.findings()).isEmpty();
      assertThat(r.record()).isNotNull();
      assertThat(r.record().id()).isEqualTo("20240101T000000");
      assertThat(r.policyUrl()).isEqualTo("https://mta-sts.example.test:" + fx.https.port() + "/.well-known/mta-sts.txt");
      assertThat(r.fetch().status()).isEqualTo(MtaStsFetchStatus.OK);
      assertThat(r.fetch().httpStatus()).isEqualTo(200);
      assertThat(r.fetch().bytes()).isEqualTo(ENFORCE.length());
      assertThat(r.policy().mode()).isEqualTo(MtaStsMode.ENFORCE);
      assertThat(r.policy().mx()).containsExactly("mx1.example.test", "*.mx.example.test");
      assertThat(r.policy().maxAge()).isEqualTo(86400);
      assertThat(fx.https.requests()).singleElement().satisfies(req -> {
        assertThat(req.method()).isEqualTo("GET");
        assertThat(req.target()).isEqualTo("/.well-known/mta-sts.txt");
        assertThat(req.version()).isEqualTo("HTTP/1.1");
        assertThat(req.host()).isEqualTo(HOST + ":" + fx.https.port());
        assertThat(req.sni()).isEqualTo(HOST);
      });
      assertThat(fx.dns.queries()).contains("_mta-sts.example.test. TXT", "mta-sts.example.test. A");
    }
  }

  @ParameterizedTest
  @EnumSource(PolicyResponse.Framing.class)
  void readsEveryBodyFraming(PolicyResponse.Framing framing) {
    try (Fixture fx = fixture()) {
      fx.https.respond(PolicyResponse.policy(ENFORCE).withFraming(framing));
      MtaStsResult r = fx.check();
      assertThat(r.status()).isEqualTo(MtaStsStatus.VALID);
      assertThat(r.policy().mx()).hasSize(2);
    }
  }

  @Test
  void aNon200StatusIsHttpError() {
    try (Fixture fx = fixture()) {
      fx.https.respond(PolicyResponse.status(404));
      MtaStsResult r = fx.check();
      assertUnavailable(r, MtaStsFetchStatus.HTTP_ERROR);
      assertThat(r.fetch().httpStatus()).isEqualTo(404);
      assertThat(r.findings().get(0).evidence("httpStatus")).contains("404");
      assertThat(TlsRptReport.resultType(r.findings().get(0))).isEqualTo("sts-policy-fetch-error");
    }
  }

  @Test
  void aRedirectIsNotFollowed() {
    try (Fixture fx = fixture()) {
      fx.https.respond(PolicyResponse.redirect("https://elsewhere.example.test/policy.txt"));
      MtaStsResult r = fx.check();
      assertUnavailable(r, MtaStsFetchStatus.REDIRECT);
      assertThat(r.fetch().httpStatus()).isEqualTo(301);
      assertThat(r.fetch().detail()).contains("https://elsewhere.example.test/policy.txt");
      assertThat(fx.https.requests()).hasSize(1);
    }
  }

  @Test
  void aCertificateForAnotherNameFailsTlsBeforeAnyRequest() {
    try (Fixture fx = new Fixture(PKI.leaf("www.example.test"), MtaStsCheckerIT::standard,
        Duration.ofSeconds(5), Duration.ofSeconds(20))) {
      fx.https.respond(PolicyResponse.policy(ENFORCE));
      MtaStsResult r = fx.check();
      assertUnavailable(r, MtaStsFetchStatus.TLS_FAILED);
      assertThat(r.fetch().httpStatus()).isNull();
      assertThat(r.fetch().detail()).contains("CERT_NAME_MISMATCH", "no request sent");
      assertThat(fx.https.serverNames()).containsExactly(HOST);
      assertThat(fx.https.requests()).isEmpty();
      assertThat(TlsRptReport.resultType(r.findings().get(0))).isEqualTo("sts-webpki-invalid");
    }
  }

  @Test
  void anUntrustedCertificateFailsTls() {
    IssuedCertificate foreign = TestPki.create().leaf(HOST);
    try (Fixture fx = new Fixture(foreign, MtaStsCheckerIT::standard, Duration.ofSeconds(5), Duration.ofSeconds(20))) {
      fx.https.respond(PolicyResponse.policy(ENFORCE));
      MtaStsResult r = fx.check();
      assertUnavailable(r, MtaStsFetchStatus.TLS_FAILED);
      assertThat(r.fetch().detail()).contains("CERT_UNTRUSTED");
      assertThat(fx.https.requests()).isEmpty();
    }
  }

  @Test
  void aBodyOverTheCapIsTooLargeWhateverItsFraming() {
    try (Fixture fx = fixture()) {
      fx.https.respond(PolicyResponse.oversize(70_000));
      MtaStsResult chunked = fx.check();
      assertUnavailable(chunked, MtaStsFetchStatus.TOO_LARGE);
      assertThat(chunked.fetch().bytes()).isEqualTo(MtaStsChecker.MAX_POLICY_BYTES + 1);

      fx.https.respond(PolicyResponse.oversize(70_000).withFraming(PolicyResponse.Framing.CONTENT_LENGTH));
      MtaStsResult announced = fx.check();
      assertUnavailable(announced, MtaStsFetchStatus.TOO_LARGE);
      assertThat(announced.fetch().detail()).contains("Content-Length 70000");

      fx.https.respond(PolicyResponse.oversize(MtaStsChecker.MAX_POLICY_BYTES).withFraming(PolicyResponse.Framing.CLOSE));
      MtaStsResult atCap = fx.check();
      assertThat(atCap.fetch().status()).isEqualTo(MtaStsFetchStatus.OK);
      assertThat(atCap.status()).isEqualTo(MtaStsStatus.INVALID); // "xxx..." is no policy
    }
  }

  @ParameterizedTest
  @EnumSource(value = PolicyResponse.Fault.class, names = {"STALL_HANDSHAKE", "STALL_RESPONSE", "STALL_BODY"})
  void aStalledServerTimesOut(PolicyResponse.Fault fault) {
    try (Fixture fx = fixture(Duration.ofMillis(300), Duration.ofSeconds(20))) {
      fx.https.respond(PolicyResponse.fault(fault));
      MtaStsResult r = fx.check();
      assertUnavailable(r, MtaStsFetchStatus.TIMEOUT);
    }
  }

  @Test
  void theDeadlineEndsAFetchThatEachReadTimeoutWouldAllow() {
    try (Fixture fx = fixture(Duration.ofSeconds(30), Duration.ofMillis(500))) {
      fx.https.respond(PolicyResponse.fault(PolicyResponse.Fault.STALL_RESPONSE));
      MtaStsResult r = fx.check();
      assertUnavailable(r, MtaStsFetchStatus.TIMEOUT);
      assertThat(r.fetch().detail()).contains("deadline");
    }
  }

  @Test
  void aConnectionClosedWithoutResponseIsHttpError() {
    try (Fixture fx = fixture()) {
      fx.https.respond(PolicyResponse.fault(PolicyResponse.Fault.DISCONNECT));
      MtaStsResult r = fx.check();
      assertUnavailable(r, MtaStsFetchStatus.HTTP_ERROR);
      assertThat(r.fetch().detail()).contains("without a response");
    }
  }

  @Test
  void aRefusedConnectionIsConnectFailed() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    try (MockDnsServer dns = standard(MockDnsServer.builder()).start()) {
      MtaStsChecker checker = MtaStsChecker.builder()
          .resolver(DnsResolvers.dnsjava(dns.address(), Duration.ofSeconds(2)))
          .trust(TrustSources.anchors("test", PKI.root().certificate()))
          .port(closedPort)
          .timeout(Duration.ofSeconds(2))
          .build();
      assertUnavailable(checker.check(DOMAIN), MtaStsFetchStatus.CONNECT_FAILED);
    }
  }

  @Test
  void aPolicyHostWithoutAddressIsNoAddress() {
    try (Fixture fx = new Fixture(PKI.leaf(HOST), b -> b.txt("_mta-sts." + DOMAIN, "v=STSv1; id=1"),
        Duration.ofSeconds(5), Duration.ofSeconds(20))) {
      MtaStsResult r = fx.check();
      assertUnavailable(r, MtaStsFetchStatus.NO_ADDRESS);
      assertThat(fx.dns.queries()).contains("mta-sts.example.test. A", "mta-sts.example.test. AAAA");
      assertThat(fx.https.connectionCount()).isZero();
    }
  }

  @Test
  void aPolicyServedAsAnotherMediaTypeIsInvalid() {
    try (Fixture fx = fixture()) {
      fx.https.respond(PolicyResponse.policy(ENFORCE).withContentType("text/html; charset=utf-8"));
      MtaStsResult html = fx.check();
      assertThat(html.status()).isEqualTo(MtaStsStatus.INVALID);
      assertThat(html.fetch().status()).isEqualTo(MtaStsFetchStatus.OK);
      assertThat(html.policy()).isNotNull();
      assertThat(html.findings()).singleElement().satisfies(f -> {
        assertThat(f.code()).isEqualTo(FindingCode.MTA_STS_POLICY_INVALID);
        assertThat(f.evidence("reason")).hasValueSatisfying(v -> assertThat(v).contains("text/html", "not text/plain"));
      });
      assertThat(html.evaluateHost("evil.example.net", false, null).findings()).isEmpty();

      fx.https.respond(PolicyResponse.policy(ENFORCE).withContentType(null));
      assertThat(fx.check().findings()).singleElement()
          .satisfies(f -> assertThat(f.message()).contains("without a Content-Type"));

      fx.https.respond(PolicyResponse.policy(ENFORCE).withContentType("text/plain; charset=utf-8"));
      assertThat(fx.check().status()).isEqualTo(MtaStsStatus.VALID);
    }
  }

  @Test
  void aMalformedPolicyIsInvalid() {
    try (Fixture fx = fixture()) {
      fx.https.respond(PolicyResponse.policy("version: STSv1\nmode: enforce\nmax_age: 86400\n"));
      MtaStsResult r = fx.check();
      assertThat(r.status()).isEqualTo(MtaStsStatus.INVALID);
      assertThat(r.policy()).isNull();
      assertThat(r.fetch().status()).isEqualTo(MtaStsFetchStatus.OK);
      assertThat(r.findings()).singleElement().satisfies(f -> {
        assertThat(f.code()).isEqualTo(FindingCode.MTA_STS_POLICY_INVALID);
        assertThat(f.severity()).isEqualTo(Severity.ERROR);
        assertThat(f.evidence("url")).contains(r.policyUrl());
        assertThat(f.evidence("reason")).hasValueSatisfying(v -> assertThat(v).contains("no mx field"));
      });
      assertThat(TlsRptReport.resultType(r.findings().get(0))).isEqualTo("sts-policy-invalid");
    }
  }

  @Test
  void aMalformedRecordIsInvalidAndThePolicyIsNotFetched() {
    try (Fixture fx = new Fixture(PKI.leaf(HOST),
        b -> b.txt("_mta-sts." + DOMAIN, "v=STSv1; id=not-alnum").a(HOST, "127.0.0.1"),
        Duration.ofSeconds(5), Duration.ofSeconds(20))) {
      fx.https.respond(PolicyResponse.policy(ENFORCE));
      MtaStsResult r = fx.check();
      assertThat(r.status()).isEqualTo(MtaStsStatus.INVALID);
      assertThat(r.record()).isNull();
      assertThat(r.fetch()).isNull();
      assertThat(r.findings()).singleElement().satisfies(f -> {
        assertThat(f.code()).isEqualTo(FindingCode.MTA_STS_POLICY_INVALID);
        assertThat(f.evidence("record")).contains("v=STSv1; id=not-alnum");
        assertThat(f.evidence("reason")).hasValueSatisfying(v -> assertThat(v).contains("1 to 32 letters and digits"));
      });
      assertThat(fx.https.connectionCount()).isZero();
    }
  }

  @Test
  void twoStsRecordsAreInvalid() {
    try (Fixture fx = new Fixture(PKI.leaf(HOST),
        b -> standard(b).txt("_mta-sts." + DOMAIN, "v=STSv1; id=2"), Duration.ofSeconds(5), Duration.ofSeconds(20))) {
      MtaStsResult r = fx.check();
      assertThat(r.status()).isEqualTo(MtaStsStatus.INVALID);
      assertThat(r.findings()).singleElement()
          .satisfies(f -> assertThat(f.evidence("reason")).hasValueSatisfying(v -> assertThat(v).contains("2 TXT records")));
    }
  }

  @Test
  void noStsRecordMeansNoPolicyAndNoFinding() {
    try (Fixture fx = new Fixture(PKI.leaf(HOST), b -> b.txt("_mta-sts." + DOMAIN, "v=spf1 -all").a(HOST, "127.0.0.1"),
        Duration.ofSeconds(5), Duration.ofSeconds(20))) {
      MtaStsResult r = fx.check();
      assertThat(r.status()).isEqualTo(MtaStsStatus.NONE);
      assertThat(r.findings()).isEmpty();
      assertThat(r.fetch()).isNull();
      assertThat(fx.https.connectionCount()).isZero();
    }
    try (Fixture fx = new Fixture(PKI.leaf(HOST), b -> b.a(HOST, "127.0.0.1"), Duration.ofSeconds(5), Duration.ofSeconds(20))) {
      assertThat(fx.check().status()).isEqualTo(MtaStsStatus.NONE);
    }
  }

  @Test
  void aFailedRecordLookupIsUnavailable() {
    try (Fixture fx = new Fixture(PKI.leaf(HOST), b -> b.rcode("_mta-sts." + DOMAIN, Rcode.SERVFAIL),
        Duration.ofSeconds(5), Duration.ofSeconds(20))) {
      MtaStsResult r = fx.check();
      assertThat(r.status()).isEqualTo(MtaStsStatus.UNAVAILABLE);
      assertThat(r.fetch()).isNull();
      assertThat(r.findings()).singleElement().satisfies(f -> {
        assertThat(f.code()).isEqualTo(FindingCode.MTA_STS_POLICY_UNAVAILABLE);
        assertThat(f.evidence("reason")).hasValueSatisfying(v -> assertThat(v).contains("SERVFAIL"));
      });
    }
  }

  @ParameterizedTest(name = "{0} host={1} certValid={2}")
  @CsvSource({
    "enforce, mx1.example.test,  true,  ,                                        ",
    "enforce, a.mx.example.test, false, MTA_STS_CERT_INVALID,                    ERROR",
    "enforce, mx9.example.test,  true,  MTA_STS_MX_MISMATCH,                     ERROR",
    "enforce, mx9.example.test,  false, MTA_STS_MX_MISMATCH MTA_STS_CERT_INVALID, ERROR",
    "testing, mx1.example.test,  true,  ,                                        ",
    "testing, a.mx.example.test, false, MTA_STS_CERT_INVALID,                    WARNING",
    "testing, b.a.mx.example.test, true, MTA_STS_MX_MISMATCH,                    WARNING",
    "testing, mx9.example.test,  false, MTA_STS_MX_MISMATCH MTA_STS_CERT_INVALID, WARNING",
    "none,    mx1.example.test,  true,  ,                                        ",
    "none,    mx9.example.test,  false, ,                                        ",
  })
  void everyModeJudgesMxAndCertificateWithItsSeverity(String mode, String mx, boolean certValid, String codes,
      String severity) {
    try (Fixture fx = fixture()) {
      String body = mode.equals("none")
          ? "version: STSv1\nmode: none\nmax_age: 86400\n"
          : ENFORCE.replace("mode: enforce", "mode: " + mode);
      fx.https.respond(PolicyResponse.policy(body));
      MtaStsResult r = fx.check();
      assertThat(r.status()).isEqualTo(MtaStsStatus.VALID);
      MtaStsHostCheck check = r.evaluateHost(mx, certValid, certValid ? null : "CERT_EXPIRED");
      List<String> expected = codes == null ? List.of() : List.of(codes.split(" "));
      assertThat(check.findings()).extracting(f -> f.code().name()).containsExactlyElementsOf(expected);
      if (severity != null) {
        assertThat(check.findings()).extracting(Finding::severity).containsOnly(Severity.valueOf(severity));
      }
      assertThat(check.matches()).isEqualTo(!mode.equals("none") && !mx.startsWith("mx9") && !mx.startsWith("b."));
      assertThat(check.certificateValid()).isEqualTo(certValid);
    }
  }
}
