package dev.smtptls.connector;

import static dev.smtptls.connector.Reports.EHLO_PLAIN;
import static dev.smtptls.connector.Reports.EHLO_STARTTLS;
import static dev.smtptls.connector.Reports.READY;
import static dev.smtptls.connector.Reports.READY_FOR_TLS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.cert.CertificateReport;
import dev.smtptls.cert.PeerIdentity;
import dev.smtptls.connector.PolicyVerdict.Outcome;
import dev.smtptls.connector.PostfixClientPolicy.Level;
import dev.smtptls.dns.DaneLookup;
import dev.smtptls.dns.DaneStatus;
import dev.smtptls.dns.DnssecStatus;
import dev.smtptls.dns.TlsaRecord;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.PlaintextCheck;
import dev.smtptls.inspect.StartTlsOutcome;
import dev.smtptls.inspect.Timings;
import dev.smtptls.smtp.SmtpReply;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.trust.TrustSources;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Postfix client levels over hand-built reports. Texts from Postfix's src/smtp/smtp_proto.c and
 * TLS_README; parameters from postconf(5).
 */
class PostfixClientPolicyTest {

  static final TestPki PKI = TestPki.create();
  static final String HOST = "mx1.example.org";
  static final String NOT_OFFERED = "TLS is required, but was not offered by host mx1.example.org[127.0.0.1]";

  /** A report of an upgraded session presenting {@code cert}, checked against HOST with the test root. */
  static InspectionReport tls(IssuedCertificate cert, String protocol) {
    List<X509Certificate> chain = cert.chain();
    CertificateReport check = CertificateChecker.builder()
        .trustSource(TrustSources.anchors("testkit", List.of(PKI.root().certificate())))
        .build()
        .check(chain, PeerIdentity.of(HOST));
    List<Finding> findings = new ArrayList<>(check.findings());
    return new InspectionReport(Reports.TARGET, new InetSocketAddress(InetAddress.getLoopbackAddress(), 25),
        Instant.parse("2025-01-01T00:00:00Z"), Duration.ofMillis(40), READY, EHLO_STARTTLS, null,
        new StartTlsOutcome.Upgraded(READY_FOR_TLS, protocol, "TLS_AES_128_GCM_SHA256", chain, true),
        EHLO_STARTTLS, null, check, findings, List.of(),
        new Timings(null, null, null, null, null, Duration.ofMillis(40)), false);
  }

  static final IssuedCertificate GOOD = PKI.leaf(HOST);
  static final IssuedCertificate WILDCARD = PKI.leaf("*.example.org");
  static final IssuedCertificate WRONG_NAME = PKI.leaf("www.other.test");
  static final IssuedCertificate SELF_SIGNED = PKI.newLeaf().dnsNames(HOST).selfSigned().issue();
  static final IssuedCertificate EXPIRED = PKI.newLeaf().dnsNames(HOST).expired().issue();

  static InspectionReport notOffered() {
    return Reports.notOffered(null);
  }

  static InspectionReport tlsRequired() {
    SmtpReply r = SmtpReply.of(530, "5.7.0 Must issue a STARTTLS command first");
    return Reports.report(READY, EHLO_PLAIN, null, new StartTlsOutcome.NotOffered(null), new PlaintextCheck(r),
        Finding.of(FindingCode.STARTTLS_NOT_OFFERED, "no", "reply", "250 mx1.example.org"),
        Finding.of(FindingCode.TLS_REQUIRED_BY_SERVER, "demands", "reply", r.oneLine()));
  }

  static InspectionReport masked() {
    return Reports.report(READY, EHLO_PLAIN, null,
        new StartTlsOutcome.Upgraded(READY_FOR_TLS, "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", List.of(), false),
        null, Finding.of(FindingCode.ESMTP_INSPECTION_SUSPECTED, "masked", "signs", List.of("greeting masked")));
  }

  static InspectionReport refused() {
    SmtpReply r = SmtpReply.of(454, "4.7.0 TLS not available due to local problem");
    return Reports.report(READY, EHLO_STARTTLS, null, new StartTlsOutcome.Refused(r), null,
        Finding.of(FindingCode.STARTTLS_REFUSED, "refused", "reply", r.oneLine()));
  }

  static InspectionReport handshakeFailed() {
    return Reports.report(READY, EHLO_STARTTLS, null,
        new StartTlsOutcome.HandshakeFailed(READY_FOR_TLS, "handshake_failure", List.of()), null,
        Finding.of(FindingCode.TLS_HANDSHAKE_FAILED, "failed", "alert", "handshake_failure"));
  }

  static PostfixClientPolicy level(String level) {
    return PostfixClientPolicy.fromParameters(Map.of("smtp_tls_security_level", level));
  }

  static Stream<Arguments> table() {
    String trusted = "Server certificate not trusted";
    String verified = "Server certificate not verified";
    return Stream.of(
        // scenario, level, outcome, smtpResponse
        Arguments.of("healthy", tls(GOOD, "TLSv1.3"), "none", Outcome.DELIVERED_PLAINTEXT, null),
        Arguments.of("healthy", tls(GOOD, "TLSv1.3"), "may", Outcome.DELIVERED_TLS, null),
        Arguments.of("healthy", tls(GOOD, "TLSv1.3"), "encrypt", Outcome.DELIVERED_TLS, null),
        Arguments.of("healthy", tls(GOOD, "TLSv1.3"), "verify", Outcome.DELIVERED_TLS, null),
        Arguments.of("healthy", tls(GOOD, "TLSv1.3"), "secure", Outcome.DELIVERED_TLS, null),
        Arguments.of("healthy", tls(GOOD, "TLSv1.3"), "dane", Outcome.DELIVERED_TLS, null),
        Arguments.of("healthy", tls(GOOD, "TLSv1.3"), "dane-only", Outcome.QUEUED, null),
        Arguments.of("no STARTTLS", notOffered(), "none", Outcome.DELIVERED_PLAINTEXT, null),
        Arguments.of("no STARTTLS", notOffered(), "may", Outcome.DELIVERED_PLAINTEXT, null),
        Arguments.of("no STARTTLS", notOffered(), "dane", Outcome.DELIVERED_PLAINTEXT, null),
        Arguments.of("no STARTTLS", notOffered(), "encrypt", Outcome.QUEUED, NOT_OFFERED),
        Arguments.of("no STARTTLS", notOffered(), "verify", Outcome.QUEUED, NOT_OFFERED),
        Arguments.of("no STARTTLS", notOffered(), "secure", Outcome.QUEUED, NOT_OFFERED),
        Arguments.of("ESMTP masking", masked(), "may", Outcome.DELIVERED_PLAINTEXT, null),
        Arguments.of("ESMTP masking", masked(), "encrypt", Outcome.QUEUED, NOT_OFFERED),
        Arguments.of("refused", refused(), "encrypt", Outcome.QUEUED,
            "TLS is required, but host mx1.example.org[127.0.0.1] refused to start TLS: 454 4.7.0 TLS not available due to local problem"),
        Arguments.of("handshake", handshakeFailed(), "encrypt", Outcome.QUEUED, "Cannot start TLS: handshake failure"),
        Arguments.of("TLS required", tlsRequired(), "none", Outcome.REJECTED, "530 5.7.0 Must issue a STARTTLS command first"),
        Arguments.of("self-signed", tls(SELF_SIGNED, "TLSv1.3"), "may", Outcome.DELIVERED_TLS, null),
        Arguments.of("self-signed", tls(SELF_SIGNED, "TLSv1.3"), "encrypt", Outcome.DELIVERED_TLS, null),
        Arguments.of("self-signed", tls(SELF_SIGNED, "TLSv1.3"), "verify", Outcome.QUEUED, trusted),
        Arguments.of("expired", tls(EXPIRED, "TLSv1.3"), "secure", Outcome.QUEUED, trusted),
        Arguments.of("wrong name", tls(WRONG_NAME, "TLSv1.3"), "encrypt", Outcome.DELIVERED_TLS, null),
        Arguments.of("wrong name", tls(WRONG_NAME, "TLSv1.3"), "verify", Outcome.QUEUED, verified),
        Arguments.of("wrong name", tls(WRONG_NAME, "TLSv1.3"), "secure", Outcome.QUEUED, verified),
        Arguments.of("wildcard", tls(WILDCARD, "TLSv1.3"), "verify", Outcome.DELIVERED_TLS, null),
        Arguments.of("wildcard", tls(WILDCARD, "TLSv1.3"), "secure", Outcome.DELIVERED_TLS, null));
  }

  @ParameterizedTest(name = "{0} / {2} -> {3}")
  @MethodSource("table")
  void predictsWhatPostfixDoes(String scenario, InspectionReport report, String level, Outcome outcome,
      @Nullable String response) {
    PolicyVerdict v = level(level).evaluate(report);

    assertThat(v.outcome()).as(scenario).isEqualTo(outcome);
    assertThat(v.smtpResponse()).as(scenario).isEqualTo(response);
    if (outcome == Outcome.QUEUED) {
      assertThat(v.reasons()).as(scenario).isNotEmpty();
      assertThat(v.remediations()).as(scenario).isNotEmpty();
    }
  }

  @Test
  void encryptQueuesWithAPolicyTableLineToLowerTheLevelForThatServer() {
    PolicyVerdict v = level("encrypt").evaluate(notOffered());

    assertThat(v.reasons()).extracting(Finding::code).contains(FindingCode.STARTTLS_NOT_OFFERED);
    assertThat(v.remediations().get(0).command()).contains("echo '[mx1.example.org]:25 may' >> /etc/postfix/tls_policy")
        .contains("postmap /etc/postfix/tls_policy");
  }

  @Test
  void nameMismatchSaysWhichNamesAndGivesAMatchLine() {
    PolicyVerdict v = level("verify").evaluate(tls(WRONG_NAME, "TLSv1.3"));

    assertThat(v.reasons()).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo(FindingCode.CERT_NAME_MISMATCH);
      assertThat(f.message()).contains("www.other.test").contains("smtp_tls_verify_cert_match").contains("hostname");
    });
    assertThat(v.remediations().get(0).command()).isEqualTo("[mx1.example.org]:25 verify match=www.other.test");
  }

  @Test
  void untrustedChainNamesTheCertificateProblemAndTheCaFile() {
    PolicyVerdict v = level("verify").evaluate(tls(SELF_SIGNED, "TLSv1.3"));

    assertThat(v.reasons()).extracting(Finding::code).contains(FindingCode.CERT_SELF_SIGNED);
    assertThat(v.remediations().get(0).command()).contains("smtp_tls_CAfile");
  }

  @Test
  void verifyWithoutACertificateCheckCountsTheChainAsUntrusted() {
    PolicyVerdict v = level("verify").evaluate(Reports.healthy());

    assertThat(v.outcome()).isEqualTo(Outcome.QUEUED);
    assertThat(v.smtpResponse()).isEqualTo("Server certificate not trusted");
    assertThat(v.reasons()).singleElement().satisfies(f -> assertThat(f.message()).contains("no certificate checker"));
  }

  @Test
  void secureMatchesTheNexthopAndItsSubdomains() {
    PostfixClientPolicy secure = PostfixClientPolicy.builder().securityLevel(Level.SECURE).nexthop("example.org").build();
    assertThat(secure.evaluate(tls(GOOD, "TLSv1.3")).outcome()).isEqualTo(Outcome.DELIVERED_TLS); // dot-nexthop
    PostfixClientPolicy other = PostfixClientPolicy.builder().securityLevel(Level.SECURE).nexthop("example.net").build();
    assertThat(other.evaluate(tls(GOOD, "TLSv1.3")).smtpResponse()).isEqualTo("Server certificate not verified");
    PostfixClientPolicy explicit = PostfixClientPolicy.builder().securityLevel(Level.VERIFY)
        .verifyCertMatch(List.of(".example.org")).build();
    assertThat(explicit.evaluate(tls(GOOD, "TLSv1.3")).outcome()).isEqualTo(Outcome.DELIVERED_TLS);
  }

  @Test
  void mandatoryProtocolsRefuseAnOlderNegotiatedProtocol() {
    for (String protocols : List.of(">=TLSv1.2", "!SSLv2, !SSLv3, !TLSv1, !TLSv1.1", "TLSv1.2 TLSv1.3")) {
      PostfixClientPolicy p = PostfixClientPolicy.fromParameters(Map.of(
          "smtp_tls_security_level", "encrypt", "smtp_tls_mandatory_protocols", protocols));
      PolicyVerdict v = p.evaluate(tls(GOOD, "TLSv1.1"));
      assertThat(v.outcome()).as(protocols).isEqualTo(Outcome.QUEUED);
      assertThat(v.smtpResponse()).isEqualTo("Cannot start TLS: handshake failure");
      assertThat(v.reasons()).singleElement().satisfies(f -> assertThat(f.code()).isEqualTo(FindingCode.TLS_PROTOCOL_WEAK));
      assertThat(p.evaluate(tls(GOOD, "TLSv1.2")).outcome()).isEqualTo(Outcome.DELIVERED_TLS);
    }
    // may ignores the mandatory protocols
    assertThat(PostfixClientPolicy.fromParameters(Map.of("smtp_tls_security_level", "may",
        "smtp_tls_mandatory_protocols", ">=TLSv1.3")).evaluate(tls(GOOD, "TLSv1.1")).outcome())
        .isEqualTo(Outcome.DELIVERED_TLS);
  }

  @Test
  void fingerprintMatchesTheCertificateOrItsKey() {
    String certFp = PostfixTls.fingerprints(GOOD.certificate(), "sha256").get(0);
    String keyFp = PostfixTls.fingerprints(GOOD.certificate(), "sha256").get(1);
    for (String fp : List.of(certFp, keyFp, certFp.toLowerCase())) {
      PostfixClientPolicy p = PostfixClientPolicy.fromParameters(Map.of("smtp_tls_security_level", "fingerprint",
          "smtp_tls_fingerprint_cert_match", fp));
      assertThat(p.evaluate(tls(GOOD, "TLSv1.3")).outcome()).isEqualTo(Outcome.DELIVERED_TLS);
    }
    PostfixClientPolicy p = PostfixClientPolicy.fromParameters(Map.of("smtp_tls_security_level", "fingerprint",
        "smtp_tls_fingerprint_cert_match", certFp));
    PolicyVerdict v = p.evaluate(tls(WILDCARD, "TLSv1.3"));
    assertThat(v.outcome()).isEqualTo(Outcome.QUEUED);
    assertThat(v.smtpResponse()).isEqualTo("Server certificate not trusted");
    String actual = PostfixTls.fingerprints(WILDCARD.certificate(), "sha256").get(0);
    assertThat(v.remediations().get(0).command()).isEqualTo("[mx1.example.org]:25 fingerprint match=" + actual);
    PostfixClientPolicy md5 = PostfixClientPolicy.fromParameters(Map.of("smtp_tls_security_level", "fingerprint",
        "smtp_tls_fingerprint_digest", "md5",
        "smtp_tls_fingerprint_cert_match", PostfixTls.fingerprints(GOOD.certificate(), "md5").get(0)));
    assertThat(md5.evaluate(tls(GOOD, "TLSv1.3")).outcome()).isEqualTo(Outcome.DELIVERED_TLS);
  }

  @Test
  void policyTableEntryOverridesTheLevelForItsNextHop() {
    PostfixClientPolicy p = PostfixClientPolicy.fromParameters(Map.of(
        "smtp_tls_security_level", "may",
        "smtp_tls_policy_maps", "inline:{ [mx1.example.org]:25 = verify match=www.other.test, example.net = encrypt }"));

    assertThat(p.entryFor(tls(WRONG_NAME, "TLSv1.3"))).hasValueSatisfying(e -> assertThat(e.level()).isEqualTo(Level.VERIFY));
    assertThat(p.evaluate(tls(WRONG_NAME, "TLSv1.3")).outcome()).isEqualTo(Outcome.DELIVERED_TLS);
    assertThat(p.evaluate(tls(GOOD, "TLSv1.3")).smtpResponse()).isEqualTo("Server certificate not verified");
    assertThat(p.evaluate(notOffered()).outcome()).isEqualTo(Outcome.QUEUED);
    PostfixClientPolicy parent = PostfixClientPolicy.builder().securityLevel(Level.MAY)
        .policyEntry(PostfixPolicyEntry.parse(".example.org encrypt protocols=>=TLSv1.2")).build();
    assertThat(parent.evaluate(notOffered()).smtpResponse()).isEqualTo(NOT_OFFERED);
    assertThat(parent.evaluate(tls(GOOD, "TLSv1.1")).smtpResponse()).isEqualTo("Cannot start TLS: handshake failure");
  }

  @Test
  void daneUsesGivenTlsaRecordsOnlyWithDnssec() {
    String spki = PostfixTls.spkiSha256(GOOD.certificate());
    DaneLookup good = new DaneLookup(HOST, "_25._tcp." + HOST, DnssecStatus.SECURE,
        List.of(new TlsaRecord(3, 1, 1, spki)), DaneStatus.MATCH, "given");
    DaneLookup other = new DaneLookup(HOST, "_25._tcp." + HOST, DnssecStatus.SECURE,
        List.of(new TlsaRecord(3, 1, 1, PostfixTls.spkiSha256(WILDCARD.certificate()))), DaneStatus.MATCH, "given");
    PostfixClientPolicy.Builder b = PostfixClientPolicy.builder().securityLevel(Level.DANE).dnsSupportLevel("dnssec");

    assertThat(b.daneLookup(good).build().evaluate(tls(GOOD, "TLSv1.3"))
        .outcome()).isEqualTo(Outcome.DELIVERED_TLS);
    PolicyVerdict mismatch = b.daneLookup(other).build().evaluate(tls(GOOD, "TLSv1.3"));
    assertThat(mismatch.outcome()).isEqualTo(Outcome.QUEUED);
    assertThat(mismatch.smtpResponse()).isEqualTo("Server certificate not trusted");
    assertThat(mismatch.reasons()).extracting(Finding::code).containsExactly(FindingCode.DANE_TLSA_MISMATCH);
    assertThat(mismatch.remediations().get(0).command()).isEqualTo("_25._tcp.mx1.example.org. IN TLSA 3 1 1 " + spki);
    PolicyVerdict noTls = b.daneLookup(good).build().evaluate(notOffered());
    assertThat(noTls.smtpResponse()).isEqualTo(NOT_OFFERED);
    // Without smtp_dns_support_level = dnssec Postfix has no TLSA records: dane acts as may.
    assertThat(PostfixClientPolicy.builder().securityLevel(Level.DANE).daneLookup(other).build()
        .evaluate(tls(GOOD, "TLSv1.3")).outcome()).isEqualTo(Outcome.DELIVERED_TLS);
    // Secure but unusable records: encrypt.
    DaneLookup unusable = new DaneLookup(HOST, "_25._tcp." + HOST, DnssecStatus.SECURE,
        List.of(new TlsaRecord(1, 1, 1, spki)), DaneStatus.UNUSABLE, "PKIX-EE only");
    PolicyVerdict v = b.daneLookup(unusable).build().evaluate(notOffered());
    assertThat(v.smtpResponse()).isEqualTo(NOT_OFFERED);
    assertThat(v.reasons()).extracting(Finding::code).contains(FindingCode.DANE_TLSA_UNUSABLE);
  }

  @Test
  void noneNeverUsesTlsAndSaysHowToTurnItOn() {
    PolicyVerdict v = level("none").evaluate(tls(GOOD, "TLSv1.3"));

    assertThat(v.outcome()).isEqualTo(Outcome.DELIVERED_PLAINTEXT);
    assertThat(v.remediations()).singleElement()
        .satisfies(r -> assertThat(r.command()).startsWith("postconf -e 'smtp_tls_security_level = may'"));
  }

  @Test
  void defaultLevelFollowsCompatibilityLevel() {
    assertThat(PostfixClientPolicy.fromParameters(Map.of()).securityLevel()).isEqualTo(Level.NONE);
    assertThat(PostfixClientPolicy.fromParameters(Map.of("compatibility_level", "3.6")).securityLevel()).isEqualTo(Level.NONE);
    assertThat(PostfixClientPolicy.fromParameters(Map.of("compatibility_level", "3.11")).securityLevel()).isEqualTo(Level.MAY);
  }

  @Test
  void fromParametersReadsPostconfValuesCaseInsensitively() {
    PostfixClientPolicy p = PostfixClientPolicy.fromParameters(Map.of(
        "SMTP_TLS_Security_Level", "Verify",
        "smtp_tls_verify_cert_match", "hostname, nexthop",
        "smtp_tls_secure_cert_match", "nexthop dot-nexthop .example.org",
        "smtp_tls_mandatory_protocols", ">=TLSv1.2",
        "smtp_tls_fingerprint_digest", "SHA512",
        "smtp_dns_support_level", "dnssec"));

    assertThat(p.securityLevel()).isEqualTo(Level.VERIFY);
    assertThat(p.verifyCertMatch()).containsExactly("hostname", "nexthop");
    assertThat(p.secureCertMatch()).containsExactly("nexthop", "dot-nexthop", ".example.org");
    assertThat(p.mandatoryProtocols()).isEqualTo(">=TLSv1.2");
    assertThat(p.fingerprintDigest()).isEqualTo("sha512");
    assertThat(p.dnsSupportLevel()).isEqualTo("dnssec");
    assertThat(level("dane-only").securityLevel()).isEqualTo(Level.DANE_ONLY);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(Map.of("smtp_tls_security_lvl", "may"), "smtp_tls_security_lvl", "smtp_tls_security_level"),
        Arguments.of(Map.of("smtp_tls_security_level", "mandatory"), "smtp_tls_security_level", "dane-only"),
        Arguments.of(Map.of("smtp_tls_security_level", "fingerprint"), "smtp_tls_fingerprint_cert_match", "requires"),
        Arguments.of(Map.of("smtp_tls_fingerprint_digest", "sha3"), "smtp_tls_fingerprint_digest", "sha256"),
        Arguments.of(Map.of("smtp_tls_mandatory_protocols", ">=TLSv2"), "smtp_tls_mandatory_protocols", "TLSv2"),
        Arguments.of(Map.of("smtp_tls_mandatory_protocols", "!TLSv1.2 !TLSv1.3 <=TLSv1.1 >=TLSv1.2"),
            "smtp_tls_mandatory_protocols", "no protocol"),
        Arguments.of(Map.of("smtp_tls_verify_cert_match", " "), "smtp_tls_verify_cert_match", "empty"),
        Arguments.of(Map.of("smtp_tls_secure_cert_match", ""), "smtp_tls_secure_cert_match", "empty"),
        Arguments.of(Map.of("smtp_dns_support_level", "yes"), "smtp_dns_support_level", "dnssec"),
        Arguments.of(Map.of("compatibility_level", "three"), "compatibility_level", "three"),
        Arguments.of(Map.of("smtp_tls_policy_maps", "hash:/etc/postfix/tls_policy"), "smtp_tls_policy_maps", "inline"),
        Arguments.of(Map.of("smtp_tls_policy_maps", "inline:{ [mx]:25 = fingerprint }"), "smtp_tls_policy_maps",
            "match="),
        Arguments.of(Map.of("smtp_tls_policy_maps", "inline:{ [mx]:25 = verify mach=x }"), "smtp_tls_policy_maps",
            "unknown attribute"),
        Arguments.of(Map.of("smtp_tls_policy_maps", "inline:{ [mx]:25 = strict }"), "smtp_tls_policy_maps",
            "unknown security level"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("invalid")
  void refusesWhatPostfixRefuses(Map<String, String> parameters, String parameter, String detail) {
    assertThatThrownBy(() -> PostfixClientPolicy.fromParameters(parameters))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(parameter).hasMessageContaining(detail);
  }

  @Test
  void policyEntryParsingNamesTheColumn() {
    assertThatThrownBy(() -> PostfixPolicyEntry.parse("[mx]:25   bogus"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("column 11:");
    assertThatThrownBy(() -> PostfixPolicyEntry.parse("[mx]:25 encrypt protocols=>=TLSv9"))
        .hasMessageStartingWith("column 17:");
    assertThatThrownBy(() -> PostfixPolicyEntry.parse("[mx]:25"))
        .hasMessageContaining("destination level");
    PostfixPolicyEntry e = PostfixPolicyEntry.parse("example.net  secure match=.example.net:example.net ciphers=high");
    assertThat(e.match()).containsExactly(".example.net", "example.net");
    assertThat(e.line()).isEqualTo("example.net secure match=.example.net:example.net");
    assertThat(PostfixPolicyEntry.parse("[h] fingerprint match=AA:BB|CC:DD").match()).containsExactly("AA:BB", "CC:DD");
  }

  @Test
  void theFactoryPicksTheSideByTheKeys() {
    assertThat(Postfix.fromParameters(Map.of("smtp_tls_security_level", "encrypt"))).isInstanceOf(PostfixClientPolicy.class);
    assertThat(Postfix.fromParameters(Map.of())).isInstanceOf(PostfixClientPolicy.class);
    assertThat(Postfix.fromParameters(Map.of("smtpd_tls_security_level", "may", "myhostname", "mx.example.org")))
        .isInstanceOf(PostfixServerPolicy.class);
    assertThatThrownBy(() -> Postfix.fromParameters(Map.of("smtpd_tls_security_level", "may",
        "smtp_tls_security_level", "may"))).hasMessageContaining("not both");
    assertThatThrownBy(() -> Postfix.fromParameters(Map.of("smtp_tls_securty_level", "may")))
        .hasMessageContaining("smtp_tls_securty_level").hasMessageContaining("smtpd_tls_security_level");
    assertThat(Postfix.KIND).isEqualTo(PostfixClientPolicy.KIND).isEqualTo(PostfixServerPolicy.KIND).isEqualTo("postfix");
  }
}
