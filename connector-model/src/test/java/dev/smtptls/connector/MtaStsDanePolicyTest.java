package dev.smtptls.connector;

import static dev.smtptls.connector.PostfixClientPolicyTest.EXPIRED;
import static dev.smtptls.connector.PostfixClientPolicyTest.GOOD;
import static dev.smtptls.connector.PostfixClientPolicyTest.SELF_SIGNED;
import static dev.smtptls.connector.PostfixClientPolicyTest.WILDCARD;
import static dev.smtptls.connector.PostfixClientPolicyTest.WRONG_NAME;
import static dev.smtptls.connector.PostfixClientPolicyTest.tls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtptls.connector.PolicyVerdict.Outcome;
import dev.smtptls.dns.DaneLookup;
import dev.smtptls.dns.DaneStatus;
import dev.smtptls.dns.DnssecStatus;
import dev.smtptls.dns.MtaStsMode;
import dev.smtptls.dns.MtaStsPolicy;
import dev.smtptls.dns.MtaStsRecord;
import dev.smtptls.dns.MtaStsResult;
import dev.smtptls.dns.MtaStsStatus;
import dev.smtptls.dns.TlsaRecord;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import dev.smtptls.inspect.InspectionReport;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** MTA-STS (RFC 8461 §4, §5) and DANE (RFC 7672) senders over hand-built reports. */
class MtaStsDanePolicyTest {

  static final MtaStsConnectorPolicy ENFORCE =
      MtaStsConnectorPolicy.fromParameters(Map.of("mode", "enforce", "mx", "*.example.org;mx.backup.test"));
  static final MtaStsConnectorPolicy TESTING =
      MtaStsConnectorPolicy.fromParameters(Map.of("Mode", "testing", "MX", "*.example.org"));
  static final MtaStsConnectorPolicy OTHER_MX =
      MtaStsConnectorPolicy.fromParameters(Map.of("mode", "enforce", "mx", "mx.elsewhere.test"));

  static Stream<Arguments> mtaSts() {
    return Stream.of(
        Arguments.of("healthy", ENFORCE, tls(GOOD, "TLSv1.3"), Outcome.DELIVERED_TLS, List.of()),
        Arguments.of("wildcard", ENFORCE, tls(WILDCARD, "TLSv1.3"), Outcome.DELIVERED_TLS, List.of()),
        Arguments.of("no STARTTLS", ENFORCE, Reports.notOffered(null), Outcome.QUEUED,
            List.of(FindingCode.MTA_STS_CERT_INVALID)),
        Arguments.of("self-signed", ENFORCE, tls(SELF_SIGNED, "TLSv1.3"), Outcome.QUEUED,
            List.of(FindingCode.MTA_STS_CERT_INVALID, FindingCode.CERT_SELF_SIGNED)),
        Arguments.of("expired", ENFORCE, tls(EXPIRED, "TLSv1.3"), Outcome.QUEUED,
            List.of(FindingCode.MTA_STS_CERT_INVALID, FindingCode.CERT_EXPIRED)),
        Arguments.of("wrong name", ENFORCE, tls(WRONG_NAME, "TLSv1.3"), Outcome.QUEUED,
            List.of(FindingCode.MTA_STS_CERT_INVALID)),
        Arguments.of("mx not in policy", OTHER_MX, tls(GOOD, "TLSv1.3"), Outcome.QUEUED,
            List.of(FindingCode.MTA_STS_MX_MISMATCH)),
        Arguments.of("testing, no STARTTLS", TESTING, Reports.notOffered(null), Outcome.DELIVERED_PLAINTEXT,
            List.of(FindingCode.MTA_STS_CERT_INVALID)),
        Arguments.of("testing, wrong name", TESTING, tls(WRONG_NAME, "TLSv1.3"), Outcome.DELIVERED_TLS,
            List.of(FindingCode.MTA_STS_CERT_INVALID)),
        Arguments.of("none", MtaStsConnectorPolicy.fromParameters(Map.of("mode", "none")), tls(WRONG_NAME, "TLSv1.3"),
            Outcome.DELIVERED_TLS, List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mtaSts")
  void mtaStsSenders(String scenario, MtaStsConnectorPolicy policy, InspectionReport report, Outcome outcome,
      List<FindingCode> codes) {
    PolicyVerdict v = policy.evaluate(report);

    assertThat(v.outcome()).isEqualTo(outcome);
    assertThat(v.smtpResponse()).isNull();
    assertThat(v.reasons()).extracting(Finding::code).containsAll(codes);
    Severity expected = policy.mode() == MtaStsMode.ENFORCE ? Severity.ERROR : Severity.WARNING;
    assertThat(v.reasons()).filteredOn(f -> f.code().name().startsWith("MTA_STS"))
        .allSatisfy(f -> assertThat(f.severity()).isEqualTo(expected));
  }

  @Test
  void mxMismatchSaysWhichLineToAddToThePolicy() {
    PolicyVerdict v = OTHER_MX.evaluate(tls(GOOD, "TLSv1.3"));

    assertThat(v.reasons()).filteredOn(f -> f.code() == FindingCode.MTA_STS_MX_MISMATCH).singleElement()
        .satisfies(f -> assertThat(f.evidence().get("patterns")).isEqualTo(List.of("mx.elsewhere.test")));
    assertThat(v.remediations().get(0).command()).isEqualTo("mx: mx1.example.org");
    PolicyVerdict hostGiven = new MtaStsConnectorPolicy(MtaStsMode.ENFORCE, List.of("mx.elsewhere.test"),
        "mx.elsewhere.test").evaluate(tls(GOOD, "TLSv1.3"));
    assertThat(hostGiven.reasons()).extracting(Finding::code).containsExactly(FindingCode.MTA_STS_CERT_INVALID);
  }

  @Test
  void mtaStsFromCoreResults() {
    MtaStsPolicy policy = MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmx: *.example.org\nmax_age: 86400\n");
    assertThat(MtaStsConnectorPolicy.of(policy)).isEqualTo(new MtaStsConnectorPolicy(MtaStsMode.ENFORCE,
        List.of("*.example.org"), null));
    MtaStsResult valid = new MtaStsResult("example.org", MtaStsRecord.parse("v=STSv1; id=20250101"),
        "https://mta-sts.example.org/.well-known/mta-sts.txt", null, policy, MtaStsStatus.VALID, List.of());
    assertThat(MtaStsConnectorPolicy.of(valid).mode()).isEqualTo(MtaStsMode.ENFORCE);
    MtaStsResult unavailable = new MtaStsResult("example.org", MtaStsRecord.parse("v=STSv1; id=20250101"),
        "https://mta-sts.example.org/.well-known/mta-sts.txt", null, null, MtaStsStatus.UNAVAILABLE, List.of());
    assertThat(MtaStsConnectorPolicy.of(unavailable).mode()).isEqualTo(MtaStsMode.NONE);
    assertThat(MtaStsConnectorPolicy.of(unavailable).evaluate(Reports.notOffered(null)).outcome())
        .isEqualTo(Outcome.DELIVERED_PLAINTEXT);
  }

  static Stream<Arguments> invalidMtaSts() {
    return Stream.of(
        Arguments.of(Map.of("mode", "enforce"), "mx"),
        Arguments.of(Map.of("mode", "strict", "mx", "a.test"), "mode"),
        Arguments.of(Map.of("mx", "a.test"), "mode is required"),
        Arguments.of(Map.of("mode", "enforce", "mx", "*.*.test"), "*.*.test"),
        Arguments.of(Map.of("mode", "enforce", "mx", "a.test", "version", "STSv2"), "version"),
        Arguments.of(Map.of("mode", "enforce", "mx", "a.test", "max_age", "soon"), "max_age"),
        Arguments.of(Map.of("mode", "enforce", "mxs", "a.test"), "mxs"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("invalidMtaSts")
  void mtaStsRefusesWhatRfc8461Refuses(Map<String, String> parameters, String detail) {
    assertThatThrownBy(() -> MtaStsConnectorPolicy.fromParameters(parameters))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(detail);
  }

  static String spki(dev.smtptls.testkit.pki.IssuedCertificate c) {
    return PostfixTls.spkiSha256(c.certificate());
  }

  static Stream<Arguments> dane() {
    String good = "3 1 1 " + spki(GOOD);
    String other = "3 1 1 " + spki(WILDCARD);
    return Stream.of(
        Arguments.of("match", good, tls(GOOD, "TLSv1.3"), Outcome.DELIVERED_TLS, null),
        // DANE-EE(3) ignores the leaf's names and dates (RFC 7672 §3.1.1).
        Arguments.of("DANE-EE ignores names and dates", "3 1 1 " + spki(EXPIRED), tls(EXPIRED, "TLSv1.3"),
            Outcome.DELIVERED_TLS, null),
        Arguments.of("one of two", other + ";" + good, tls(GOOD, "TLSv1.3"), Outcome.DELIVERED_TLS, null),
        Arguments.of("mismatch", other, tls(GOOD, "TLSv1.3"), Outcome.QUEUED, FindingCode.DANE_TLSA_MISMATCH),
        Arguments.of("no STARTTLS", good, Reports.notOffered(null), Outcome.QUEUED, FindingCode.STARTTLS_NOT_OFFERED),
        Arguments.of("no records", "", Reports.notOffered(null), Outcome.DELIVERED_PLAINTEXT,
            FindingCode.STARTTLS_NOT_OFFERED),
        Arguments.of("unusable, TLS", "1 1 1 " + spki(GOOD), tls(WRONG_NAME, "TLSv1.3"), Outcome.DELIVERED_TLS,
            FindingCode.DANE_TLSA_UNUSABLE),
        Arguments.of("unusable, no TLS", "0 0 1 " + spki(GOOD), Reports.notOffered(null), Outcome.QUEUED,
            FindingCode.DANE_TLSA_UNUSABLE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dane")
  void daneSenders(String scenario, String tlsa, InspectionReport report, Outcome outcome, @Nullable FindingCode code) {
    PolicyVerdict v = DanePolicy.fromParameters(Map.of("TLSA", tlsa)).evaluate(report);

    assertThat(v.outcome()).isEqualTo(outcome);
    assertThat(v.smtpResponse()).isNull();
    if (code == null) {
      assertThat(v.reasons()).isEmpty();
    } else {
      assertThat(v.reasons()).extracting(Finding::code).contains(code);
    }
  }

  @Test
  void daneMismatchGivesTheRecordToPublish() {
    DanePolicy p = DanePolicy.builder().tlsa("3 1 1 " + spki(WILDCARD)).host("mx1.example.org.").build();

    PolicyVerdict v = p.evaluate(tls(GOOD, "TLSv1.3"));

    assertThat(v.reasons()).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo(FindingCode.DANE_TLSA_MISMATCH);
      assertThat(f.evidence("name")).hasValue("_25._tcp.mx1.example.org");
    });
    assertThat(v.remediations().get(0).command()).isEqualTo("_25._tcp.mx1.example.org. IN TLSA 3 1 1 " + spki(GOOD));
  }

  @Test
  void daneFromACoreLookup() {
    DaneLookup secure = new DaneLookup("mx1.example.org", "_25._tcp.mx1.example.org", DnssecStatus.SECURE,
        List.of(TlsaRecord.parse("3 1 1 " + spki(GOOD))), DaneStatus.MATCH, "secure");
    assertThat(DanePolicy.of(secure).evaluate(tls(GOOD, "TLSv1.3")).outcome()).isEqualTo(Outcome.DELIVERED_TLS);
    DaneLookup insecure = new DaneLookup("mx1.example.org", "_25._tcp.mx1.example.org", DnssecStatus.INSECURE,
        List.of(TlsaRecord.parse("3 1 1 " + spki(WILDCARD))), DaneStatus.INSECURE, "unsigned");
    assertThat(DanePolicy.of(insecure).records()).isEmpty();
    DaneLookup bogus = new DaneLookup("mx1.example.org", "_25._tcp.mx1.example.org", DnssecStatus.BOGUS,
        List.of(), DaneStatus.BOGUS, "expired RRSIG");
    assertThatThrownBy(() -> DanePolicy.of(bogus)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bogus");
    // A failed lookup is not an insecure one: RFC 7672 §2.2 has DANE senders defer, not fall back.
    DaneLookup failed = new DaneLookup("mx1.example.org", "_25._tcp.mx1.example.org", DnssecStatus.INDETERMINATE,
        List.of(), DaneStatus.INSECURE, "the TLSA lookup failed, so DANE could not be checked: timeout");
    assertThat(failed.lookupFailed()).isTrue();
    assertThat(insecure.lookupFailed()).isFalse();
    assertThatThrownBy(() -> DanePolicy.of(failed)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("failed, so DANE senders defer").hasMessageContaining("timeout");
  }

  @Test
  void daneRefusesMalformedRecordsAndUnknownKeys() {
    assertThatThrownBy(() -> DanePolicy.fromParameters(Map.of("tlsa", "3 1 1 xyz")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 1 1 xyz");
    assertThatThrownBy(() -> DanePolicy.fromParameters(Map.of("tlsa", "3 1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("usage selector");
    assertThatThrownBy(() -> DanePolicy.fromParameters(Map.of("records", "3 1 1 00")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("records").hasMessageContaining("tlsa, host");
    assertThatThrownBy(() -> DanePolicy.builder().host(" ").build()).hasMessageContaining("host");
  }

  @Test
  void postfixServerSide() {
    PostfixServerPolicy encrypt = (PostfixServerPolicy) Postfix.fromParameters(Map.of(
        "smtpd_tls_security_level", "encrypt", "smtpd_tls_req_ccert", "yes", "MyHostname", "mx1.example.org"));

    ReceiveProfile p = encrypt.receiveProfile();
    assertThat(p.fqdn()).isEqualTo("mx1.example.org");
    assertThat(p.offersStartTls()).isTrue();
    assertThat(p.requiresTls()).isTrue();
    assertThat(p.tlsRequiredReply()).isEqualTo(dev.smtptls.smtp.SmtpReply.of(530, "5.7.0 Must issue a STARTTLS command first"));
    assertThat(encrypt.requireClientCertificate()).isTrue();
    ReceiveProfile none = PostfixServerPolicy.fromParameters(Map.of()).receiveProfile();
    assertThat(none.offersStartTls()).isFalse();
    assertThat(none.certificateName()).isNull();
    assertThat(PostfixServerPolicy.builder().securityLevel("MAY").build().receiveProfile().requiresTls()).isFalse();
    // What an opportunistic sender meets at a server probed in clear only.
    assertThat(encrypt.evaluate(Reports.notOffered(null)).outcome()).isEqualTo(Outcome.DELIVERED_PLAINTEXT);
    assertThatThrownBy(() -> PostfixServerPolicy.fromParameters(Map.of("smtpd_tls_req_ccert", "yes")))
        .hasMessageContaining("smtpd_tls_req_ccert").hasMessageContaining("encrypt");
    assertThatThrownBy(() -> PostfixServerPolicy.fromParameters(Map.of("smtpd_tls_security_level", "verify")))
        .hasMessageContaining("smtpd_tls_security_level");
    assertThatThrownBy(() -> PostfixServerPolicy.fromParameters(Map.of("smtpd_tls_req_ccert", "maybe",
        "smtpd_tls_security_level", "encrypt"))).hasMessageContaining("smtpd_tls_req_ccert");
    assertThatThrownBy(() -> PostfixServerPolicy.fromParameters(Map.of("smtpd_use_tls", "yes")))
        .hasMessageContaining("smtpd_use_tls").hasMessageContaining("smtpd_tls_security_level");
  }

  @Test
  void everyKindRefusesAnAbortedReport() {
    InspectionReport h = Reports.healthy();
    InspectionReport aborted = new InspectionReport(h.target(), h.address(), h.startedAt(), h.duration(), null, null,
        null, new dev.smtptls.inspect.StartTlsOutcome.NotAttempted("interrupted"), null, null, null, List.of(),
        List.of(), h.timings(), true);
    for (ConnectorPolicy p : List.<ConnectorPolicy>of(ENFORCE, DanePolicy.builder().build(),
        PostfixClientPolicy.builder().build(), PostfixServerPolicy.builder().build())) {
      assertThatThrownBy(() -> p.evaluate(aborted)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("aborted");
    }
  }
}
