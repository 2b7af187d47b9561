package dev.smtptls.testkit.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtptls.dns.DnsblChecker;
import dev.smtptls.dns.DnsblLookup;
import dev.smtptls.dns.DnsblReport;
import dev.smtptls.dns.DnsResolvers;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DnsblCheckerTest {

  private static DnsblChecker checker(MockDnsServer server, String... zones) {
    return DnsblChecker.builder()
        .resolver(DnsResolvers.dnsjava(server.address(), Duration.ofMillis(500)))
        .zones(zones)
        .build();
  }

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  @Test
  void listedIpv4HasCodesReasonAndFinding() throws Exception {
    try (MockDnsServer server =
        MockDnsServer.builder()
            .a("2.0.0.127.test.bl", "127.0.0.2")
            .a("2.0.0.127.test.bl", "127.0.0.4")
            .txt("2.0.0.127.test.bl", "listed: see http://bl.test/lookup")
            .start()) {
      DnsblReport report = checker(server, "test.bl").check(ip("127.0.0.2"));

      assertThat(report.listed()).isTrue();
      assertThat(report.lookups()).hasSize(1);
      DnsblLookup l = report.lookups().get(0);
      assertThat(l.zone()).isEqualTo("test.bl");
      assertThat(l.query()).isEqualTo("2.0.0.127.test.bl");
      assertThat(l.listed()).isTrue();
      assertThat(l.status()).isEqualTo("LISTED");
      assertThat(l.codes()).containsExactlyInAnyOrder("127.0.0.2", "127.0.0.4");
      assertThat(l.reason()).isEqualTo("listed: see http://bl.test/lookup");
      assertThat(server.queries())
          .contains("2.0.0.127.test.bl. A", "2.0.0.127.test.bl. TXT");

      assertThat(report.findings()).hasSize(1);
      Finding f = report.findings().get(0);
      assertThat(f.code()).isEqualTo(FindingCode.DNSBL_LISTED);
      assertThat(f.severity()).isEqualTo(Severity.ERROR);
      assertThat(f.evidence("zone")).contains("test.bl");
      assertThat(f.evidence("address")).contains("127.0.0.2");
      assertThat(f.evidence().get("codes"))
          .asList()
          .containsExactlyInAnyOrder("127.0.0.2", "127.0.0.4");
      assertThat(f.evidence("reason")).contains("listed: see http://bl.test/lookup");
      assertThat(f.message()).contains("test.bl", "127.0.0.2", "http://bl.test/lookup");
    }
  }

  @Test
  void listedWithoutTxtHasNoReason() throws Exception {
    try (MockDnsServer server =
        MockDnsServer.builder().a("1.2.0.192.test.bl", "127.0.0.3").start()) {
      DnsblReport report = checker(server, "test.bl").check(ip("192.0.2.1"));

      DnsblLookup l = report.lookups().get(0);
      assertThat(l.status()).isEqualTo(DnsblLookup.LISTED);
      assertThat(l.reason()).isNull();
      assertThat(report.findings()).singleElement().satisfies(f -> {
        assertThat(f.evidence()).doesNotContainKey("reason");
        assertThat(f.evidence().get("codes")).isEqualTo(List.of("127.0.0.3"));
      });
    }
  }

  @Test
  void nxdomainIsNotListed() throws Exception {
    try (MockDnsServer server =
        MockDnsServer.builder().a("2.0.0.127.test.bl", "127.0.0.2").start()) {
      DnsblReport report = checker(server, "test.bl").check(ip("192.0.2.1"));

      assertThat(report.listed()).isFalse();
      DnsblLookup l = report.lookups().get(0);
      assertThat(l.query()).isEqualTo("1.2.0.192.test.bl");
      assertThat(l.listed()).isFalse();
      assertThat(l.status()).isEqualTo("NOT_LISTED");
      assertThat(l.codes()).isEmpty();
      assertThat(l.reason()).isNull();
      assertThat(report.findings()).isEmpty();
      // no TXT query when not listed
      assertThat(server.queries()).containsExactly("1.2.0.192.test.bl. A");
    }
  }

  @Test
  void nodataIsNotListed() throws Exception {
    try (MockDnsServer server =
        MockDnsServer.builder().txt("1.2.0.192.test.bl", "stale text").start()) {
      DnsblReport report = checker(server, "test.bl").check(ip("192.0.2.1"));

      assertThat(report.lookups().get(0).status()).isEqualTo(DnsblLookup.NOT_LISTED);
      assertThat(report.findings()).isEmpty();
    }
  }

  @Test
  void ipv6QueryNameIsThe32ReversedNibbles() throws Exception {
    String expected =
        "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.test.bl";
    try (MockDnsServer server =
        MockDnsServer.builder()
            .a(expected, "127.0.0.2")
            .txt(expected, "v6 listed")
            .start()) {
      DnsblReport report = checker(server, "test.bl").check(ip("2001:db8::1"));

      assertThat(server.queries()).contains(expected + ". A");
      DnsblLookup l = report.lookups().get(0);
      assertThat(l.query()).isEqualTo(expected);
      assertThat(l.status()).isEqualTo(DnsblLookup.LISTED);
      assertThat(l.reason()).isEqualTo("v6 listed");
      assertThat(report.findings()).singleElement()
          .satisfies(f -> assertThat(f.evidence("address")).contains("2001:db8::1"));
    }
    // 2001:0db8:abcd:0012:0000:ff00:0042:8329, nibbles reversed
    String nibbles = DnsblChecker.reversed(ip("2001:db8:abcd:12::ff00:42:8329"));
    assertThat(nibbles).isEqualTo("9.2.3.8.2.4.0.0.0.0.f.f.0.0.0.0.2.1.0.0.d.c.b.a.8.b.d.0.1.0.0.2");
    assertThat(nibbles.split("\\.")).hasSize(32);
  }

  @Test
  void servfailIsAnErrorNotAListing() throws Exception {
    try (MockDnsServer server =
        MockDnsServer.builder().rcode("1.2.0.192.test.bl", Rcode.SERVFAIL).start()) {
      DnsblReport report = checker(server, "test.bl").check(ip("192.0.2.1"));

      DnsblLookup l = report.lookups().get(0);
      assertThat(l.status()).isEqualTo("ERROR");
      assertThat(l.listed()).isNull();
      assertThat(l.reason()).contains("SERVFAIL");
      assertThat(report.listed()).isFalse();
      assertThat(report.findings()).isEmpty();
    }
  }

  @Test
  void timeoutIsAnErrorNotAListing() throws Exception {
    try (MockDnsServer server = MockDnsServer.builder().drop("1.2.0.192.test.bl").start()) {
      DnsblReport report = checker(server, "test.bl").check(ip("192.0.2.1"));

      DnsblLookup l = report.lookups().get(0);
      assertThat(l.status()).isEqualTo(DnsblLookup.ERROR);
      assertThat(l.listed()).isNull();
      assertThat(l.reason()).isNotBlank();
      assertThat(report.listed()).isFalse();
      assertThat(report.findings()).isEmpty();
    }
  }

  @Test
  void refusedQueryCodeIsAnErrorNotAListing() throws Exception {
    try (MockDnsServer server =
        MockDnsServer.builder()
            .a("1.2.0.192.test.bl", "127.255.255.254")
            .txt("1.2.0.192.test.bl", "public resolver")
            .start()) {
      DnsblReport report = checker(server, "test.bl").check(ip("192.0.2.1"));

      DnsblLookup l = report.lookups().get(0);
      assertThat(l.status()).isEqualTo(DnsblLookup.ERROR);
      assertThat(l.listed()).isNull();
      assertThat(l.codes()).containsExactly("127.255.255.254");
      assertThat(l.reason()).contains("query refused");
      assertThat(report.listed()).isFalse();
      assertThat(report.findings()).isEmpty();
    }
  }

  @Test
  void answerOutside127IsAnErrorNotAListing() throws Exception {
    try (MockDnsServer server =
        MockDnsServer.builder().a("1.2.0.192.test.bl", "192.0.2.99").start()) {
      DnsblReport report = checker(server, "test.bl").check(ip("192.0.2.1"));

      DnsblLookup l = report.lookups().get(0);
      assertThat(l.status()).isEqualTo(DnsblLookup.ERROR);
      assertThat(l.listed()).isNull();
      assertThat(l.reason()).contains("127.0.0.0/8");
      assertThat(report.findings()).isEmpty();
    }
  }

  @Test
  void severalZonesAtOnce() throws Exception {
    try (MockDnsServer server =
        MockDnsServer.builder()
            .a("1.2.0.192.other.bl", "127.0.0.10")
            .txt("1.2.0.192.other.bl", "part one ", "part two")
            .rcode("1.2.0.192.third.bl", Rcode.SERVFAIL)
            .start()) {
      DnsblReport report =
          checker(server, "test.bl", "other.bl.", "third.bl", "TEST.bl").check(ip("192.0.2.1"));

      assertThat(report.lookups())
          .extracting(DnsblLookup::zone)
          .containsExactly("test.bl", "other.bl", "third.bl");
      assertThat(report.lookups())
          .extracting(DnsblLookup::status)
          .containsExactly("NOT_LISTED", "LISTED", "ERROR");
      assertThat(report.lookups().get(1).reason()).isEqualTo("part one part two");
      assertThat(report.listed()).isTrue();
      assertThat(report.findings()).singleElement()
          .satisfies(f -> assertThat(f.evidence("zone")).contains("other.bl"));
    }
  }

  @Test
  void spamhausCodesAreDecoded() {
    assertThat(DnsblChecker.meaning("zen.spamhaus.org", "127.0.0.2")).startsWith("SBL");
    assertThat(DnsblChecker.meaning("zen.spamhaus.org", "127.0.0.3")).startsWith("SBL CSS");
    assertThat(DnsblChecker.meaning("zen.spamhaus.org.", "127.0.0.6")).startsWith("XBL");
    assertThat(DnsblChecker.meaning("zen.spamhaus.org", "127.0.0.9")).startsWith("DROP");
    assertThat(DnsblChecker.meaning("zen.spamhaus.org", "127.0.0.11")).startsWith("PBL");
    assertThat(DnsblChecker.meaning("zen.spamhaus.org", "127.255.255.254")).contains("query refused");
    assertThat(DnsblChecker.meaning("zen.spamhaus.org", "127.0.0.8")).isNull();
    assertThat(DnsblChecker.meaning("test.bl", "127.0.0.2")).isNull();
  }

  @Test
  void builderDefaultsAndValidation() {
    DnsblChecker c = DnsblChecker.builder().resolver((n, t) -> {
      throw new AssertionError("defaults must never be queried");
    }).build();
    assertThat(c.zones()).isEqualTo(DnsblChecker.DEFAULT_ZONES);
    assertThat(DnsblChecker.DEFAULT_ZONES)
        .contains("zen.spamhaus.org", "b.barracudacentral.org", "bl.spamcop.net");
    assertThatThrownBy(() -> DnsblChecker.builder().build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> DnsblChecker.builder().zones())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DnsblChecker.builder().zones("bad..zone"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
