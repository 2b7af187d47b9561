package dev.smtptls.testkit.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.dns.DnsResolvers;
import dev.smtptls.dns.DnsblChecker;
import dev.smtptls.dns.DnsblLookup;
import dev.smtptls.dns.DnsblReport;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link DnsblChecker} against the real rbldnsd on loopback: every kind of answer a block list
 * gives. Zones are always explicit and the resolver always the loopback rbldnsd: no default list
 * is ever asked. Needs Debian's {@code rbldnsd}; fails (never skips) without it.
 */
@Tag("real-dns")
@Timeout(60)
class DnsblCheckerRbldnsdIT {

  private static RbldnsdServer bl;

  @BeforeAll
  static void startList() {
    bl = RbldnsdServer.builder()
        .listed("bl.test", "192.0.2.1", "127.0.0.2", "Listed: see https://bl.test/lookup?ip=$")
        .listed("bl.test", "198.51.100.0/24", "127.0.0.3", "Range listed: $")
        .listed("bl.test", "192.0.2.7", "127.0.0.5", null)
        .listed("bl.test", "2001:db8::1", "127.0.0.2", "IPv6 listed: $")
        .listed("bl.test", "2001:db8:bad::/48", "127.0.0.3", null)
        // Answers a list may give that are not listings.
        .listed("bl.test", "192.0.2.66", "127.255.255.254", "refused: open resolver")
        .listed("bl.test", "192.0.2.99", "192.0.2.99", "wildcard junk")
        .zone("clean.test")
        // A zone named as Spamhaus' but served here, on loopback, so the checker decodes its
        // documented codes; the real zen.spamhaus.org is never asked.
        .listed("zen.spamhaus.org", "192.0.2.44", "127.0.0.2", "SBL listing $")
        .listed("zen.spamhaus.org", "192.0.2.44", "127.0.0.4", "XBL listing $")
        .start();
  }

  @AfterAll
  static void stopList() {
    if (bl != null) {
      bl.close();
    }
  }

  private static DnsblChecker checker(InetSocketAddress server, String... zones) {
    return DnsblChecker.builder()
        .resolver(DnsResolvers.dnsjava(server, Duration.ofSeconds(2)))
        .zones(zones)
        .build();
  }

  private static DnsblReport check(String address, String... zones) throws Exception {
    return checker(bl.address(), zones).check(InetAddress.getByName(address));
  }

  @Test
  void listedIpv4HasCodeReasonAndFinding() throws Exception {
    DnsblReport report = check("192.0.2.1", "bl.test");

    assertThat(report.listed()).isTrue();
    DnsblLookup l = report.lookups().get(0);
    assertThat(l.query()).isEqualTo("1.2.0.192.bl.test");
    assertThat(l.status()).isEqualTo(DnsblLookup.LISTED);
    assertThat(l.listed()).isTrue();
    assertThat(l.codes()).containsExactly("127.0.0.2");
    assertThat(l.reason()).isEqualTo("Listed: see https://bl.test/lookup?ip=192.0.2.1");
    Finding f = report.findings().get(0);
    assertThat(report.findings()).hasSize(1);
    assertThat(f.code()).isEqualTo(FindingCode.DNSBL_LISTED);
    assertThat(f.severity()).isEqualTo(Severity.ERROR);
    assertThat(f.evidence("zone")).contains("bl.test");
    assertThat(f.evidence("reason")).contains("Listed: see https://bl.test/lookup?ip=192.0.2.1");
    assertThat(f.message()).contains("192.0.2.1", "bl.test", "127.0.0.2");
  }

  @Test
  void listedWithoutTxtHasNoReason() throws Exception {
    DnsblLookup l = check("192.0.2.7", "bl.test").lookups().get(0);

    assertThat(l.status()).isEqualTo(DnsblLookup.LISTED);
    assertThat(l.codes()).containsExactly("127.0.0.5");
    assertThat(l.reason()).isNull();
  }

  @Test
  void notListedIpv4() throws Exception {
    DnsblReport report = check("192.0.2.2", "bl.test", "clean.test");

    assertThat(report.listed()).isFalse();
    assertThat(report.lookups()).extracting(DnsblLookup::status)
        .containsExactly(DnsblLookup.NOT_LISTED, DnsblLookup.NOT_LISTED);
    assertThat(report.lookups()).allSatisfy(l -> {
      assertThat(l.listed()).isFalse();
      assertThat(l.codes()).isEmpty();
      assertThat(l.reason()).isNull();
    });
    assertThat(report.findings()).isEmpty();
  }

  @Test
  void cidrRangeListsEveryAddressInItAndNoOther() throws Exception {
    DnsblLookup first = check("198.51.100.0", "bl.test").lookups().get(0);
    DnsblLookup inside = check("198.51.100.200", "bl.test").lookups().get(0);
    DnsblLookup outside = check("198.51.101.1", "bl.test").lookups().get(0);

    assertThat(first.status()).isEqualTo(DnsblLookup.LISTED);
    assertThat(inside.status()).isEqualTo(DnsblLookup.LISTED);
    assertThat(inside.codes()).containsExactly("127.0.0.3");
    assertThat(inside.reason()).isEqualTo("Range listed: 198.51.100.200");
    assertThat(outside.status()).isEqualTo(DnsblLookup.NOT_LISTED);
  }

  @Test
  void listedIpv6IsAskedByItsNibbles() throws Exception {
    DnsblReport report = check("2001:db8::1", "bl.test");

    DnsblLookup l = report.lookups().get(0);
    assertThat(l.query())
        .isEqualTo("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.test");
    assertThat(l.status()).isEqualTo(DnsblLookup.LISTED);
    assertThat(l.codes()).containsExactly("127.0.0.2");
    assertThat(l.reason()).startsWith("IPv6 listed: 2001:db8:");
    assertThat(report.findings()).singleElement()
        .satisfies(f -> assertThat(f.code()).isEqualTo(FindingCode.DNSBL_LISTED));
  }

  @Test
  void ipv6RangeAndNotListedIpv6() throws Exception {
    DnsblLookup inRange = check("2001:db8:bad:42::25", "bl.test").lookups().get(0);
    DnsblLookup neighbour = check("2001:db8::2", "bl.test").lookups().get(0);

    assertThat(inRange.status()).isEqualTo(DnsblLookup.LISTED);
    assertThat(inRange.codes()).containsExactly("127.0.0.3");
    assertThat(inRange.reason()).isNull();
    assertThat(neighbour.status()).isEqualTo(DnsblLookup.NOT_LISTED);
    assertThat(neighbour.query()).endsWith(".8.b.d.0.1.0.0.2.bl.test").startsWith("2.0.0.0.");
  }

  @Test
  void severalCodesOnOneListAreDecodedAsTheListDocumentsThem() throws Exception {
    DnsblReport report = check("192.0.2.44", "zen.spamhaus.org");

    DnsblLookup l = report.lookups().get(0);
    assertThat(l.status()).isEqualTo(DnsblLookup.LISTED);
    assertThat(l.codes()).containsExactlyInAnyOrder("127.0.0.2", "127.0.0.4");
    assertThat(l.reason()).contains("SBL listing 192.0.2.44", "XBL listing 192.0.2.44");
    assertThat(DnsblChecker.meaning(l.zone(), "127.0.0.2")).startsWith("SBL");
    assertThat(DnsblChecker.meaning(l.zone(), "127.0.0.4")).startsWith("XBL");
    assertThat(report.findings()).singleElement().satisfies(f -> {
      assertThat(f.message()).contains("127.0.0.2 SBL", "127.0.0.4 XBL");
      assertThat(f.evidence().get("codes")).asList()
          .containsExactlyInAnyOrder("127.0.0.2", "127.0.0.4");
    });
  }

  @Test
  void queryRefusedCodeIsAnErrorNotAListing() throws Exception {
    DnsblReport report = check("192.0.2.66", "bl.test");

    DnsblLookup l = report.lookups().get(0);
    assertThat(l.status()).isEqualTo(DnsblLookup.ERROR);
    assertThat(l.listed()).isNull();
    assertThat(l.codes()).containsExactly("127.255.255.254");
    assertThat(l.reason()).contains("query refused");
    assertThat(report.listed()).isFalse();
    assertThat(report.findings()).isEmpty();
  }

  @Test
  void answerOutsideLoopbackIsAnErrorNotAListing() throws Exception {
    DnsblLookup l = check("192.0.2.99", "bl.test").lookups().get(0);

    assertThat(l.status()).isEqualTo(DnsblLookup.ERROR);
    assertThat(l.listed()).isNull();
    assertThat(l.reason()).contains("127.0.0.0/8");
  }

  @Test
  void zoneTheServerDoesNotServeIsAnError() throws Exception {
    DnsblReport report = check("192.0.2.1", "bl.test", "unserved.test");

    assertThat(report.lookups()).extracting(DnsblLookup::status)
        .containsExactly(DnsblLookup.LISTED, DnsblLookup.ERROR);
    assertThat(report.lookups().get(1).reason()).contains("REFUSED");
    assertThat(report.findings()).hasSize(1);
  }

  @Test
  void stoppedListIsAnErrorRowNotAListing() throws Exception {
    InetSocketAddress gone;
    try (RbldnsdServer stopped = RbldnsdServer.builder().listed("down.test", "192.0.2.1").start()) {
      gone = stopped.address();
      // It answers while it runs ...
      assertThat(checker(gone, "down.test").check(InetAddress.getByName("192.0.2.1")).listed())
          .isTrue();
    }
    // ... and once stopped, the lookup fails: neither listed nor not listed.
    DnsblReport report = DnsblChecker.builder()
        .resolver(DnsResolvers.dnsjava(gone, Duration.ofMillis(500)))
        .zones("down.test")
        .build()
        .check(InetAddress.getByName("192.0.2.1"));

    DnsblLookup l = report.lookups().get(0);
    assertThat(l.status()).isEqualTo(DnsblLookup.ERROR);
    assertThat(l.listed()).isNull();
    assertThat(l.codes()).isEmpty();
    // A closed UDP port on loopback answers with ICMP port unreachable: the server is unreachable.
    assertThat(l.reason()).contains("could not be reached", "127.0.0.1:" + gone.getPort());
    assertThat(report.listed()).isFalse();
    assertThat(report.findings()).isEmpty();
  }

  @Test
  void listThatStopsAnsweringTimesOut() throws Exception {
    try (RbldnsdServer silent = RbldnsdServer.builder().listed("slow.test", "192.0.2.1").start()) {
      silent.suspend();
      DnsblReport report = DnsblChecker.builder()
          .resolver(DnsResolvers.dnsjava(silent.address(), Duration.ofMillis(300)))
          .zones("slow.test", "bl.test")
          .build()
          .check(InetAddress.getByName("192.0.2.1"));

      DnsblLookup l = report.lookups().get(0);
      assertThat(l.status()).isEqualTo(DnsblLookup.ERROR);
      assertThat(l.listed()).isNull();
      assertThat(l.reason()).contains("within the timeout");
      assertThat(report.findings()).isEmpty();

      // It answers again once resumed: the suspension, nothing else, made it silent.
      silent.resume();
      assertThat(checker(silent.address(), "slow.test").check(InetAddress.getByName("192.0.2.1"))
          .listed()).isTrue();
    }
  }
}
