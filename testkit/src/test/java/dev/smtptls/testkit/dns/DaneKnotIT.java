package dev.smtptls.testkit.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.dns.DaneChecker;
import dev.smtptls.dns.DaneLookup;
import dev.smtptls.dns.DaneMatch;
import dev.smtptls.dns.DaneStatus;
import dev.smtptls.dns.DnsResolvers;
import dev.smtptls.dns.DnsType;
import dev.smtptls.dns.DnssecAnchors;
import dev.smtptls.dns.DnssecStatus;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.SmtpTlsInspector;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.testkit.smtp.MockSmtpServer;
import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * DANE end to end: TLSA records served by a real Knot DNS (signed, unsigned and corrupted),
 * validated by dnsjava, matched against the chain a real STARTTLS server presents to the probe.
 */
@Tag("real-dns")
class DaneKnotIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static KnotDnsServer knot;
  private static MockSmtpServer smtp;
  private static DaneChecker dane;
  private static List<X509Certificate> presented;

  @BeforeAll
  static void start() throws Exception {
    TestPki pki = TestPki.create();
    IssuedCertificate leaf = pki.leaf("mx.dane.test", "ta.dane.test", "wrong.dane.test");
    smtp = MockSmtpServer.builder().certificate(leaf).build().start();
    InspectionReport report =
        SmtpTlsInspector.builder()
            .ehloName("probe.smtptls.test")
            .timeout(TIMEOUT)
            .build()
            .inspect(smtp.target());
    presented = report.peerChain();
    assertThat(presented).hasSize(2); // leaf and intermediate, as TestPki issues them

    String leafSpki = sha256(leaf.certificate().getPublicKey().getEncoded());
    String intermediateCert = sha256(pki.intermediate().certificate().getEncoded());
    String other = sha256(pki.leaf("other.dane.test").certificate().getPublicKey().getEncoded());
    knot =
        KnotDnsServer.builder()
            .zone(
                KnotDnsServer.Zone.of(
                        "dane.test",
                        """
                        mx                A     127.0.0.1
                        _25._tcp.mx       TLSA  3 1 1 %1$s
                        ta                A     127.0.0.1
                        _25._tcp.ta       TLSA  2 0 1 %2$s
                        wrong             A     127.0.0.1
                        _25._tcp.wrong    TLSA  3 1 1 %3$s
                        pkix              A     127.0.0.1
                        _25._tcp.pkix     TLSA  1 1 1 %1$s
                        broken            A     127.0.0.1
                        _25._tcp.broken   TLSA  3 1 1 %1$s
                        none              A     127.0.0.1
                        """
                            .formatted(leafSpki, intermediateCert, other))
                    .signed(true)
                    .bogus("_25._tcp.broken.dane.test", DnsType.TLSA))
            .zone(
                KnotDnsServer.Zone.of(
                    "plain.test",
                    """
                    mx           A     127.0.0.1
                    _25._tcp.mx  TLSA  3 1 1 %s
                    """
                        .formatted(leafSpki)))
            .start();
    dane =
        DaneChecker.builder()
            .resolver(
                DnsResolvers.validating(
                    knot.address(), TIMEOUT, DnssecAnchors.parse(knot.anchors())))
            .build();
  }

  @AfterAll
  static void stop() {
    if (knot != null) {
      knot.close();
    }
    if (smtp != null) {
      smtp.close();
    }
  }

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  @Test
  void daneEeMatchesTheLeafsKey() {
    DaneLookup lookup = dane.lookup("mx.dane.test", 25);

    assertThat(lookup.status()).isEqualTo(DaneStatus.MATCH);
    assertThat(lookup.dnssec()).isEqualTo(DnssecStatus.SECURE);
    assertThat(lookup.tlsaName()).isEqualTo("_25._tcp.mx.dane.test");
    DaneMatch match = dane.match(lookup, presented);
    assertThat(match.status()).isEqualTo(DaneStatus.MATCH);
    assertThat(match.matched().usage()).isEqualTo(3);
  }

  @Test
  void daneTaMatchesTheIntermediateTheServerSends() {
    DaneLookup lookup = dane.lookup("ta.dane.test", 25);

    DaneMatch match = dane.match(lookup, presented);

    assertThat(match.status()).isEqualTo(DaneStatus.MATCH);
    assertThat(match.matched().usage()).isEqualTo(2);
    assertThat(match.detail()).contains("certificate 1");
  }

  @Test
  void aRecordForAnotherKeyIsAMismatchFinding() throws Exception {
    DaneLookup lookup = dane.lookup("wrong.dane.test", 25);
    assertThat(lookup.status()).isEqualTo(DaneStatus.MATCH);

    DaneMatch match = dane.match(lookup, presented);
    Finding f =
        dane.mismatchFinding(
            lookup, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), match);

    assertThat(match.status()).isEqualTo(DaneStatus.MISMATCH);
    assertThat(f.code()).isEqualTo(FindingCode.DANE_TLSA_MISMATCH);
    assertThat(f.evidence()).containsEntry("host", "wrong.dane.test")
        .containsEntry("address", "127.0.0.1")
        .containsEntry("name", "_25._tcp.wrong.dane.test");
  }

  @Test
  void pkixUsagesAreUnusable() {
    DaneLookup lookup = dane.lookup("pkix.dane.test", 25);

    assertThat(lookup.status()).isEqualTo(DaneStatus.UNUSABLE);
    assertThat(lookup.findings()).extracting(Finding::code)
        .containsExactly(FindingCode.DANE_TLSA_UNUSABLE);
  }

  @Test
  void aCorruptedTlsaSignatureIsBogus() {
    DaneLookup lookup = dane.lookup("broken.dane.test", 25);

    assertThat(lookup.status()).isEqualTo(DaneStatus.BOGUS);
    assertThat(lookup.dnssec()).isEqualTo(DnssecStatus.BOGUS);
    assertThat(lookup.findings()).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo(FindingCode.DANE_DNSSEC_BOGUS);
      assertThat(f.evidence("reason").orElseThrow()).contains("failed ANSWER rrset");
    });
  }

  @Test
  void tlsaInAnUnsignedZoneIsInsecure() {
    DaneLookup lookup = dane.lookup("mx.plain.test", 25);

    assertThat(lookup.status()).isEqualTo(DaneStatus.INSECURE);
    assertThat(lookup.findings()).extracting(Finding::code)
        .containsExactly(FindingCode.DANE_INSECURE);
  }

  @Test
  void aHostWithoutTlsaHasNoRecordsSecurely() {
    DaneLookup lookup = dane.lookup("none.dane.test", 25);

    assertThat(lookup.status()).isEqualTo(DaneStatus.NO_RECORDS);
    assertThat(lookup.dnssec()).isEqualTo(DnssecStatus.SECURE);
    assertThat(lookup.findings()).isEmpty();
  }
}
