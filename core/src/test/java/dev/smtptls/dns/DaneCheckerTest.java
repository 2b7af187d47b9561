package dev.smtptls.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import dev.smtptls.spi.DnsResolver;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** DANE lookups and matching against a Mockito resolver and certificates made at test time. */
class DaneCheckerTest {

  private static final String HOST = "mx.example.org";
  private static final String TLSA_NAME = "_25._tcp.mx.example.org";

  private static DaneCerts.Issued root;
  private static DaneCerts.Issued intermediate;
  private static DaneCerts.Issued leaf;
  private static List<X509Certificate> chain;

  private DnsResolver dns;
  private DaneChecker dane;

  @BeforeAll
  static void pki() throws Exception {
    root = DaneCerts.root("DANE Test Root");
    intermediate = DaneCerts.intermediate("DANE Test Issuing CA", root);
    leaf = DaneCerts.leaf(HOST, intermediate);
    chain = List.of(leaf.cert(), intermediate.cert(), root.cert());
  }

  @BeforeEach
  void resolver() {
    dns = mock(DnsResolver.class);
    // By default every name has secure addresses and nothing else.
    when(dns.query(anyString(), any()))
        .thenAnswer(
            inv -> {
              String name = inv.getArgument(0);
              DnsType type = inv.getArgument(1);
              if (type == DnsType.A) {
                return answer(DnssecStatus.SECURE, rec(name, DnsType.A, "192.0.2.25"));
              }
              return new DnsAnswer(DnsStatus.NOERROR, List.of(), DnssecStatus.SECURE, "nodata");
            });
    dane =
        DaneChecker.builder()
            .resolver(dns)
            .clock(Clock.fixed(DaneCerts.NOW, ZoneOffset.UTC))
            .build();
  }

  private static DnsRecord rec(String name, DnsType type, String data) {
    return new DnsRecord(name.endsWith(".") ? name : name + ".", type, 300, data);
  }

  private static DnsAnswer answer(DnssecStatus dnssec, DnsRecord... records) {
    return new DnsAnswer(DnsStatus.NOERROR, List.of(records), dnssec, "test answer");
  }

  private void tlsa(String name, DnssecStatus dnssec, String... rdata) {
    List<DnsRecord> records = new ArrayList<>();
    for (String d : rdata) {
      records.add(rec(name, DnsType.TLSA, d));
    }
    when(dns.query(name, DnsType.TLSA))
        .thenReturn(new DnsAnswer(DnsStatus.NOERROR, records, dnssec, "tlsa answer"));
  }

  static Stream<Arguments> everyUsableCombination() {
    List<Arguments> out = new ArrayList<>();
    for (int usage : new int[] {2, 3}) {
      for (int selector : new int[] {0, 1}) {
        for (int matching : new int[] {0, 1, 2}) {
          out.add(Arguments.of(usage, selector, matching));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "usage {0} selector {1} matching {2}")
  @MethodSource("everyUsableCombination")
  void matchesEveryUsageSelectorAndMatchingType(int usage, int selector, int matching)
      throws Exception {
    X509Certificate target = usage == 3 ? leaf.cert() : intermediate.cert();
    String data = DaneCerts.data(target, selector, matching);
    tlsa(TLSA_NAME, DnssecStatus.SECURE, usage + " " + selector + " " + matching + " " + data);

    DaneLookup lookup = dane.lookup(HOST, 25);
    assertThat(lookup.status()).isEqualTo(DaneStatus.MATCH);
    assertThat(lookup.usable()).isTrue();
    assertThat(lookup.findings()).isEmpty();

    DaneMatch match = dane.match(lookup, chain);
    assertThat(match.status()).isEqualTo(DaneStatus.MATCH);
    assertThat(match.matched()).isEqualTo(new TlsaRecord(usage, selector, matching, data));

    // One hex digit changed: the same record no longer matches.
    char last = data.charAt(data.length() - 1);
    String wrong = data.substring(0, data.length() - 1) + (last == '0' ? '1' : '0');
    tlsa(TLSA_NAME, DnssecStatus.SECURE, usage + " " + selector + " " + matching + " " + wrong);
    DaneMatch mismatch = dane.match(dane.lookup(HOST, 25), chain);
    assertThat(mismatch.status()).isEqualTo(DaneStatus.MISMATCH);
    assertThat(mismatch.matched()).isNull();
    assertThat(mismatch.detail()).contains("no certificate of the chain matches");
  }

  @Test
  void daneEeIgnoresTheLeafsNamesAndExpiry() throws Exception {
    DaneCerts.Issued expiredElsewhere =
        DaneCerts.leaf(
            "unrelated.example.net",
            intermediate,
            DaneCerts.NOW.minusSeconds(86_400 * 400),
            DaneCerts.NOW.minusSeconds(86_400 * 30));
    tlsa(TLSA_NAME, DnssecStatus.SECURE, "3 1 1 " + DaneCerts.data(expiredElsewhere.cert(), 1, 1));

    DaneMatch match = dane.match(dane.lookup(HOST, 25), List.of(expiredElsewhere.cert()));

    assertThat(match.status()).isEqualTo(DaneStatus.MATCH);
  }

  @Test
  void daneTaRequiresTheLeafToNameTheHost() throws Exception {
    DaneCerts.Issued misnamed = DaneCerts.leaf("other.example.net", intermediate);
    tlsa(TLSA_NAME, DnssecStatus.SECURE, "2 0 1 " + DaneCerts.data(intermediate.cert(), 0, 1));

    DaneMatch match =
        dane.match(dane.lookup(HOST, 25), List.of(misnamed.cert(), intermediate.cert()));

    assertThat(match.status()).isEqualTo(DaneStatus.MISMATCH);
    assertThat(match.detail()).contains("names neither").contains(HOST).contains("RFC 7672");
  }

  @Test
  void daneTaRequiresTheLeafToBeWithinItsValidity() throws Exception {
    DaneCerts.Issued expired =
        DaneCerts.leaf(
            HOST,
            intermediate,
            DaneCerts.NOW.minusSeconds(86_400 * 100),
            DaneCerts.NOW.minusSeconds(86_400));
    tlsa(TLSA_NAME, DnssecStatus.SECURE, "2 1 1 " + DaneCerts.data(intermediate.cert(), 1, 1));

    DaneMatch match =
        dane.match(dane.lookup(HOST, 25), List.of(expired.cert(), intermediate.cert()));

    assertThat(match.status()).isEqualTo(DaneStatus.MISMATCH);
    assertThat(match.detail()).contains("expired");
  }

  @Test
  void daneTaRequiresTheLeafToChainToTheMatchedCertificate() throws Exception {
    DaneCerts.Issued otherCa = DaneCerts.intermediate("Another CA", root);
    tlsa(TLSA_NAME, DnssecStatus.SECURE, "2 0 1 " + DaneCerts.data(otherCa.cert(), 0, 1));

    // The leaf was issued by `intermediate`, but the server sends `otherCa` after it.
    DaneMatch match = dane.match(dane.lookup(HOST, 25), List.of(leaf.cert(), otherCa.cert()));

    assertThat(match.status()).isEqualTo(DaneStatus.MISMATCH);
    assertThat(match.detail()).contains("not signed by certificate 1");
  }

  @Test
  void daneTaDoesNotMatchTheLeafAlone() throws Exception {
    tlsa(TLSA_NAME, DnssecStatus.SECURE, "2 0 1 " + DaneCerts.data(leaf.cert(), 0, 1));

    DaneMatch match = dane.match(dane.lookup(HOST, 25), chain);

    assertThat(match.status()).isEqualTo(DaneStatus.MISMATCH);
  }

  @Test
  void pkixUsagesAreUnusableForSmtp() throws Exception {
    String d = DaneCerts.data(leaf.cert(), 1, 1);
    tlsa(TLSA_NAME, DnssecStatus.SECURE, "0 1 1 " + d, "1 1 1 " + d);

    DaneLookup lookup = dane.lookup(HOST, 25);

    assertThat(lookup.status()).isEqualTo(DaneStatus.UNUSABLE);
    assertThat(lookup.usable()).isFalse();
    assertThat(lookup.records()).hasSize(2);
    assertThat(lookup.findings()).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo(FindingCode.DANE_TLSA_UNUSABLE);
      assertThat(f.severity()).isEqualTo(Severity.WARNING);
      assertThat(f.evidence("host")).contains(HOST);
      assertThat(f.evidence("name")).contains(TLSA_NAME);
      assertThat(f.evidence().get("records")).isEqualTo(List.of("0 1 1 " + d, "1 1 1 " + d));
    });
    assertThatThrownBy(() -> dane.match(lookup, chain))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("UNUSABLE");
  }

  @Test
  void aMixOfUsableAndUnusableRecordsIsUsable() throws Exception {
    String d = DaneCerts.data(leaf.cert(), 1, 1);
    tlsa(TLSA_NAME, DnssecStatus.SECURE, "1 1 1 " + d, "3 1 1 " + d);

    DaneLookup lookup = dane.lookup(HOST, 25);

    assertThat(lookup.status()).isEqualTo(DaneStatus.MATCH);
    assertThat(lookup.usableRecords()).containsExactly(TlsaRecord.parse("3 1 1 " + d));
    assertThat(dane.match(lookup, chain).matched()).isEqualTo(TlsaRecord.parse("3 1 1 " + d));
  }

  @Test
  void followsTheHostsCnameAndPrefersTheExpandedName() throws Exception {
    String alias = "mx.hosting.example.net";
    when(dns.query(HOST, DnsType.A))
        .thenReturn(
            answer(
                DnssecStatus.SECURE,
                rec(HOST, DnsType.CNAME, alias + "."),
                rec(alias, DnsType.A, "192.0.2.26")));
    DaneCerts.Issued hosted = DaneCerts.leaf(alias, intermediate);
    tlsa("_25._tcp." + alias, DnssecStatus.SECURE,
        "2 1 1 " + DaneCerts.data(intermediate.cert(), 1, 1));

    DaneLookup lookup = dane.lookup(HOST, 25);

    assertThat(lookup.tlsaName()).isEqualTo("_25._tcp." + alias);
    assertThat(lookup.baseDomain()).isEqualTo(alias);
    assertThat(lookup.status()).isEqualTo(DaneStatus.MATCH);
    assertThat(lookup.detail()).contains("alias");
    verify(dns, never()).query(TLSA_NAME, DnsType.TLSA);
    // DANE-TA: the leaf names the TLSA base domain (the expanded name), not the MX host.
    DaneMatch match = dane.match(lookup, List.of(hosted.cert(), intermediate.cert()));
    assertThat(match.status()).isEqualTo(DaneStatus.MATCH);
  }

  @Test
  void fallsBackToTheOriginalNameWhenTheExpandedNameHasNoTlsa() throws Exception {
    String alias = "mx.hosting.example.net";
    when(dns.query(HOST, DnsType.A))
        .thenReturn(answer(DnssecStatus.SECURE, rec(HOST, DnsType.CNAME, alias + ".")));
    when(dns.query(alias, DnsType.A))
        .thenReturn(answer(DnssecStatus.SECURE, rec(alias, DnsType.A, "192.0.2.26")));
    tlsa(TLSA_NAME, DnssecStatus.SECURE, "3 1 1 " + DaneCerts.data(leaf.cert(), 1, 1));

    DaneLookup lookup = dane.lookup(HOST + ".", 25);

    verify(dns).query("_25._tcp." + alias, DnsType.TLSA);
    assertThat(lookup.tlsaName()).isEqualTo(TLSA_NAME);
    assertThat(lookup.status()).isEqualTo(DaneStatus.MATCH);
    assertThat(lookup.detail()).contains("has no TLSA records").contains("securely denied");
  }

  @Test
  void noTlsaRecordsIsNoRecordsWithoutFindings() {
    when(dns.query(TLSA_NAME, DnsType.TLSA))
        .thenReturn(new DnsAnswer(DnsStatus.NXDOMAIN, List.of(), DnssecStatus.SECURE, "nx"));

    DaneLookup lookup = dane.lookup(HOST, 25);

    assertThat(lookup.status()).isEqualTo(DaneStatus.NO_RECORDS);
    assertThat(lookup.dnssec()).isEqualTo(DnssecStatus.SECURE);
    assertThat(lookup.detail()).contains("NXDOMAIN, securely denied");
    assertThat(lookup.findings()).isEmpty();
  }

  @Test
  void bogusTlsaRecordsAreAnError() {
    when(dns.query(TLSA_NAME, DnsType.TLSA))
        .thenReturn(
            new DnsAnswer(
                DnsStatus.SERVFAIL,
                List.of(),
                DnssecStatus.BOGUS,
                "DNSSEC validation failed (bogus): Positive response has failed ANSWER rrset"));

    DaneLookup lookup = dane.lookup(HOST, 25);

    assertThat(lookup.status()).isEqualTo(DaneStatus.BOGUS);
    Finding f = lookup.findings().get(0);
    assertThat(f.code()).isEqualTo(FindingCode.DANE_DNSSEC_BOGUS);
    assertThat(f.severity()).isEqualTo(Severity.ERROR);
    assertThat(f.evidence("reason").orElseThrow()).contains("failed ANSWER rrset");
    assertThat(f.evidence("name")).contains(TLSA_NAME);
  }

  @Test
  void bogusAddressRecordsAreAnError() {
    when(dns.query(HOST, DnsType.A))
        .thenReturn(new DnsAnswer(DnsStatus.SERVFAIL, List.of(), DnssecStatus.BOGUS, "bad sig"));

    DaneLookup lookup = dane.lookup(HOST, 25);

    assertThat(lookup.status()).isEqualTo(DaneStatus.BOGUS);
    assertThat(lookup.detail()).contains("address records").contains("bad sig");
  }

  @Test
  void insecureTlsaRecordsMeanDaneDoesNotApply() throws Exception {
    tlsa(TLSA_NAME, DnssecStatus.INSECURE, "3 1 1 " + DaneCerts.data(leaf.cert(), 1, 1));

    DaneLookup lookup = dane.lookup(HOST, 25);

    assertThat(lookup.status()).isEqualTo(DaneStatus.INSECURE);
    assertThat(lookup.records()).hasSize(1);
    assertThat(lookup.findings()).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo(FindingCode.DANE_INSECURE);
      assertThat(f.severity()).isEqualTo(Severity.INFO);
      assertThat(f.evidence("host")).contains(HOST);
      assertThat(f.evidence("name")).contains(TLSA_NAME);
    });
  }

  @Test
  void insecureAddressRecordsMeanNoTlsaLookup() {
    when(dns.query(HOST, DnsType.A))
        .thenReturn(answer(DnssecStatus.INSECURE, rec(HOST, DnsType.A, "192.0.2.25")));

    DaneLookup lookup = dane.lookup(HOST, 25);

    assertThat(lookup.status()).isEqualTo(DaneStatus.INSECURE);
    assertThat(lookup.detail()).contains("RFC 7672 §2.2.2");
    verify(dns, never()).query(eq(TLSA_NAME), eq(DnsType.TLSA));
  }

  @Test
  void aFailedTlsaLookupIsReportedAsUnchecked() {
    when(dns.query(TLSA_NAME, DnsType.TLSA))
        .thenReturn(DnsAnswer.empty(DnsStatus.TIMEOUT, "no answer within 5000 ms"));

    DaneLookup lookup = dane.lookup(HOST, 25);

    assertThat(lookup.status()).isEqualTo(DaneStatus.INSECURE);
    assertThat(lookup.dnssec()).isEqualTo(DnssecStatus.INDETERMINATE);
    assertThat(lookup.detail()).contains("could not be checked").contains("5000 ms");
    // RFC 7672 §2.2: DANE senders defer to a secure host whose TLSA lookup fails.
    assertThat(lookup.lookupFailed()).isTrue();
    assertThat(lookup.findings()).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo(FindingCode.DANE_TLSA_LOOKUP_FAILED);
      assertThat(f.severity()).isEqualTo(Severity.ERROR);
      assertThat(f.evidence("host")).contains(HOST);
      assertThat(f.evidence("name")).contains(TLSA_NAME);
      assertThat(f.evidence("reason")).hasValueSatisfying(r -> assertThat(r).contains("5000 ms"));
    });
  }

  @Test
  void usesThePortInTheTlsaName() throws Exception {
    tlsa("_587._tcp.mx.example.org", DnssecStatus.SECURE,
        "3 0 2 " + DaneCerts.data(leaf.cert(), 0, 2));

    assertThat(dane.lookup(HOST, 587).status()).isEqualTo(DaneStatus.MATCH);
    assertThatThrownBy(() -> dane.lookup(HOST, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aMismatchBecomesAFindingWithHostAddressAndName() throws Exception {
    tlsa(TLSA_NAME, DnssecStatus.SECURE, "3 1 1 " + "ab".repeat(32));
    DaneLookup lookup = dane.lookup(HOST, 25);
    DaneMatch match = dane.match(lookup, chain);

    Finding f =
        dane.mismatchFinding(
            lookup, InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 25}), match);

    assertThat(f.code()).isEqualTo(FindingCode.DANE_TLSA_MISMATCH);
    assertThat(f.severity()).isEqualTo(Severity.ERROR);
    assertThat(f.evidence()).containsEntry("host", HOST).containsEntry("address", "192.0.2.25")
        .containsEntry("name", TLSA_NAME);
    assertThatThrownBy(
            () ->
                dane.mismatchFinding(
                    lookup,
                    InetAddress.getByAddress(new byte[] {127, 0, 0, 1}),
                    new DaneMatch(DaneStatus.MATCH, lookup.records().get(0), "ok")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEmptyChainIsAMismatch() throws Exception {
    tlsa(TLSA_NAME, DnssecStatus.SECURE, "3 1 1 " + DaneCerts.data(leaf.cert(), 1, 1));

    assertThat(dane.match(dane.lookup(HOST, 25), List.of()).status())
        .isEqualTo(DaneStatus.MISMATCH);
  }

  @Test
  void theBuilderRequiresAResolver() {
    assertThatThrownBy(() -> DaneChecker.builder().build())
        .isInstanceOf(IllegalStateException.class);
  }
}
