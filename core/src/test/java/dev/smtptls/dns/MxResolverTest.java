package dev.smtptls.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtptls.spi.DnsResolver;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class MxResolverTest {

  private static MxResult resolve(FakeDns dns, String domain) {
    return MxResolver.builder().resolver(dns).build().resolve(domain);
  }

  private static List<String> addresses(MxHost h) {
    return h.addresses().stream().map(InetAddress::getHostAddress).toList();
  }

  @Test
  void mxHostsByPreferenceTiesInAnswerOrder() {
    FakeDns dns =
        new FakeDns()
            .add("example.org", DnsType.MX, "20 mx-b.example.org.")
            .add("example.org", DnsType.MX, "10 mx-c.example.org.")
            .add("example.org", DnsType.MX, "20 mx-a.example.org.")
            .add("example.org", DnsType.MX, "30 MX-C.example.org.")
            .add("mx-a.example.org", DnsType.A, "192.0.2.1")
            .add("mx-b.example.org", DnsType.A, "192.0.2.2")
            .add("mx-c.example.org", DnsType.A, "192.0.2.3");

    MxResult r = resolve(dns, "Example.org.");

    assertThat(r.status()).isEqualTo(MxStatus.MX);
    assertThat(r.domain()).isEqualTo("example.org");
    assertThat(r.hosts())
        .extracting(MxHost::host, MxHost::preference, MxHost::implicit)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("mx-c.example.org", 10, false),
            org.assertj.core.groups.Tuple.tuple("mx-b.example.org", 20, false),
            org.assertj.core.groups.Tuple.tuple("mx-a.example.org", 20, false));
    assertThat(r.detail()).contains("3 MX host(s) for example.org");
  }

  @Test
  void everyHostGetsItsIpv4AndIpv6Addresses() {
    FakeDns dns =
        new FakeDns()
            .add("example.org", DnsType.MX, "10 mx.example.org.")
            .add("mx.example.org", DnsType.A, "192.0.2.1")
            .add("mx.example.org", DnsType.A, "192.0.2.9")
            .add("mx.example.org", DnsType.AAAA, "2001:db8::25");

    MxHost h = resolve(dns, "example.org").hosts().get(0);

    assertThat(addresses(h)).containsExactly("192.0.2.1", "192.0.2.9", "2001:db8:0:0:0:0:0:25");
    assertThat(h.addresses().get(2)).isInstanceOf(java.net.Inet6Address.class);
    assertThat(h.detail()).startsWith("2 IPv4 and 1 IPv6 addresses");
  }

  @Test
  void nullMxMeansNoMail() {
    FakeDns dns = new FakeDns().add("example.org", DnsType.MX, "0 .");

    MxResult r = resolve(dns, "example.org");

    assertThat(r.status()).isEqualTo(MxStatus.NULL_MX);
    assertThat(r.hosts()).isEmpty();
    assertThat(r.detail()).contains("accepts no mail").contains("RFC 7505");
    assertThat(dns.queries).containsExactly("example.org MX");
  }

  @Test
  void nullMxAmongOtherRecordsIsIgnoredAndSaid() {
    FakeDns dns =
        new FakeDns()
            .add("example.org", DnsType.MX, "0 .")
            .add("example.org", DnsType.MX, "10 mx.example.org.")
            .add("mx.example.org", DnsType.A, "192.0.2.1");

    MxResult r = resolve(dns, "example.org");

    assertThat(r.status()).isEqualTo(MxStatus.MX);
    assertThat(r.hosts()).extracting(MxHost::host).containsExactly("mx.example.org");
    assertThat(r.detail()).contains("null MX").contains("forbids");
  }

  @Test
  void noMxRecordsMakesTheDomainItsOwnImplicitMx() {
    FakeDns dns =
        new FakeDns()
            .add("example.org", DnsType.A, "192.0.2.7")
            .add("example.org", DnsType.AAAA, "2001:db8::7");

    MxResult r = resolve(dns, "example.org");

    assertThat(r.status()).isEqualTo(MxStatus.IMPLICIT);
    assertThat(r.hosts()).hasSize(1);
    MxHost h = r.hosts().get(0);
    assertThat(h.host()).isEqualTo("example.org");
    assertThat(h.implicit()).isTrue();
    assertThat(h.preference()).isZero();
    assertThat(addresses(h)).containsExactly("192.0.2.7", "2001:db8:0:0:0:0:0:7");
    assertThat(r.detail()).contains("implicit MX").contains("RFC 5321");
  }

  @Test
  void noMxAndNoAddressIsNone() {
    FakeDns dns = new FakeDns().add("example.org", DnsType.TXT, "\"v=spf1 -all\"");

    MxResult r = resolve(dns, "example.org");

    assertThat(r.status()).isEqualTo(MxStatus.NONE);
    assertThat(r.hosts()).isEmpty();
    assertThat(r.detail()).contains("no MX records and no usable address");
  }

  @Test
  void failuresAreSaidInWords() {
    assertThat(resolve(new FakeDns(), "nowhere.example").detail())
        .contains("does not exist (NXDOMAIN)");
    FakeDns servfail = new FakeDns().fail("example.org", DnsType.MX, DnsStatus.SERVFAIL);
    MxResult r = resolve(servfail, "example.org");
    assertThat(r.status()).isEqualTo(MxStatus.NONE);
    assertThat(r.detail()).contains("MX lookup of example.org failed").contains("SERVFAIL");
    // A failed MX lookup is no reason to fall back to the implicit MX.
    assertThat(servfail.queries).containsExactly("example.org MX");
    FakeDns timeout = new FakeDns().fail("example.org", DnsType.MX, DnsStatus.TIMEOUT);
    assertThat(resolve(timeout, "example.org").detail()).contains("no answer").contains("timeout");
  }

  @Test
  void aHostWhoseLookupsFailIsKeptWithTheFailureInWords() {
    FakeDns dns =
        new FakeDns()
            .add("example.org", DnsType.MX, "10 mx.example.org.")
            .add("mx.example.org", DnsType.A, "192.0.2.1")
            .fail("mx.example.org", DnsType.AAAA, DnsStatus.TIMEOUT)
            .add("example.org", DnsType.MX, "20 gone.example.org.");

    MxResult r = resolve(dns, "example.org");

    assertThat(r.hosts()).hasSize(2);
    assertThat(addresses(r.hosts().get(0))).containsExactly("192.0.2.1");
    assertThat(r.hosts().get(0).detail()).contains("the AAAA lookup failed").contains("timeout");
    assertThat(r.hosts().get(1).addresses()).isEmpty();
    assertThat(r.hosts().get(1).detail()).contains("no address").contains("NXDOMAIN");
    assertThat(r.detail()).contains("1 without an address");
  }

  @Test
  void aDomainThatIsAnAliasIsFollowed() {
    FakeDns dns =
        new FakeDns()
            .add("example.org", DnsType.CNAME, "alias1.example.net.")
            .add("alias1.example.net", DnsType.CNAME, "mail.example.com.")
            .add("mail.example.com", DnsType.MX, "10 mx.example.com.")
            .add("mx.example.com", DnsType.A, "192.0.2.1");

    MxResult r = resolve(dns, "example.org");

    assertThat(r.status()).isEqualTo(MxStatus.MX);
    assertThat(r.hosts()).extracting(MxHost::host).containsExactly("mx.example.com");
    assertThat(r.detail())
        .contains("example.org is an alias (CNAME) for alias1.example.net -> mail.example.com");
  }

  @Test
  void anMxHostThatIsAnAliasIsResolvedAndReported() {
    FakeDns dns =
        new FakeDns()
            .add("example.org", DnsType.MX, "10 mx.example.org.")
            .add("mx.example.org", DnsType.CNAME, "real.example.net.")
            .add("real.example.net", DnsType.A, "192.0.2.5");

    MxHost h = resolve(dns, "example.org").hosts().get(0);

    assertThat(h.host()).isEqualTo("mx.example.org");
    assertThat(addresses(h)).containsExactly("192.0.2.5");
    assertThat(h.detail()).contains("alias (CNAME) for real.example.net").contains("RFC 2181");
  }

  @Test
  void anAliasForTheImplicitMxIsFollowed() {
    FakeDns dns =
        new FakeDns()
            .add("example.org", DnsType.CNAME, "host.example.net.")
            .add("host.example.net", DnsType.A, "192.0.2.8");

    MxResult r = resolve(dns, "example.org");

    assertThat(r.status()).isEqualTo(MxStatus.IMPLICIT);
    assertThat(addresses(r.hosts().get(0))).containsExactly("192.0.2.8");
  }

  @Test
  void cnameLoopsAndLongChainsAreBounded() {
    FakeDns loop =
        new FakeDns()
            .add("example.org", DnsType.CNAME, "b.example.org.")
            .add("b.example.org", DnsType.CNAME, "example.org.");
    MxResult r = resolve(loop, "example.org");
    assertThat(r.status()).isEqualTo(MxStatus.NONE);
    assertThat(r.detail()).contains("CNAME loop");
    assertThat(loop.queries).hasSizeLessThanOrEqualTo(MxResolver.MAX_CNAME_HOPS + 1);

    FakeDns chain = new FakeDns();
    for (int i = 0; i < 20; i++) {
      chain.add("h" + i + ".example.org", DnsType.CNAME, "h" + (i + 1) + ".example.org.");
    }
    MxResult c = resolve(chain, "h0.example.org");
    assertThat(c.status()).isEqualTo(MxStatus.NONE);
    assertThat(c.detail()).contains("longer than 8 aliases");
    assertThat(chain.queries).hasSize(MxResolver.MAX_CNAME_HOPS + 1);
  }

  @Test
  void anAnswerThatCarriesTheWholeChainNeedsNoFurtherQuery() {
    DnsAnswer full =
        new DnsAnswer(
            DnsStatus.NOERROR,
            List.of(
                new DnsRecord("example.org.", DnsType.CNAME, 60, "mail.example.net."),
                new DnsRecord("mail.example.net.", DnsType.MX, 60, "5 mx.example.net.")),
            DnssecStatus.SECURE,
            "ok");
    List<String> asked = new java.util.ArrayList<>();
    MxResult r =
        MxResolver.builder()
            .resolver(
                (name, type) -> {
                  asked.add(name + " " + type);
                  if (type == DnsType.MX) {
                    return full;
                  }
                  return type == DnsType.A
                      ? new DnsAnswer(
                          DnsStatus.NOERROR,
                          List.of(new DnsRecord(name + ".", DnsType.A, 60, "198.51.100.1")),
                          DnssecStatus.INDETERMINATE,
                          "ok")
                      : DnsAnswer.empty(DnsStatus.NOERROR, "nodata");
                })
            .build()
            .resolve("example.org");

    assertThat(r.hosts())
        .extracting(MxHost::host, MxHost::preference)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("mx.example.net", 5));
    assertThat(asked).containsExactly("example.org MX", "mx.example.net A", "mx.example.net AAAA");
    assertThat(r.dnssec()).isEqualTo(DnssecStatus.SECURE);
    assertThat(r.hosts().get(0).dnssec()).isEqualTo(DnssecStatus.INDETERMINATE);
  }

  @Test
  void builderRequiresAResolverAndResolveADomain() {
    assertThatThrownBy(() -> MxResolver.builder().build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> resolve(new FakeDns(), "."))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void recordsReadTheirData() throws Exception {
    DnsRecord mx = new DnsRecord("example.org.", DnsType.MX, 300, "10 mx.example.org.");
    assertThat(mx.preference()).isEqualTo(10);
    assertThat(mx.exchange()).isEqualTo("mx.example.org.");
    assertThat(new DnsRecord("x.", DnsType.AAAA, 1, "2001:db8::1").address())
        .isEqualTo(
            InetAddress.getByAddress(
                new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
    assertThatThrownBy(() -> new DnsRecord("x.", DnsType.A, 1, "mx.example.org"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DnsRecord("x.", DnsType.MX, 1, "ten mx."))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(mx::address).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void carriesTheDnssecStatusOfTheMxAndAddressAnswers() {
    DnsResolver dns =
        (name, type) ->
            switch (type) {
              case MX -> new DnsAnswer(
                  DnsStatus.NOERROR,
                  List.of(
                      new DnsRecord("example.org.", DnsType.MX, 60, "10 a.example.org."),
                      new DnsRecord("example.org.", DnsType.MX, 60, "20 b.example.org.")),
                  DnssecStatus.SECURE,
                  "ok");
              case A -> new DnsAnswer(
                  DnsStatus.NOERROR,
                  List.of(new DnsRecord(name + ".", DnsType.A, 60, "198.51.100.1")),
                  DnssecStatus.SECURE,
                  "ok");
              default -> name.startsWith("b.")
                  ? new DnsAnswer(DnsStatus.SERVFAIL, List.of(), DnssecStatus.BOGUS, "bogus")
                  : new DnsAnswer(DnsStatus.NOERROR, List.of(), DnssecStatus.SECURE, "nodata");
            };

    MxResult r = MxResolver.builder().resolver(dns).build().resolve("example.org");

    assertThat(r.dnssec()).isEqualTo(DnssecStatus.SECURE);
    assertThat(r.hosts())
        .extracting(MxHost::host, MxHost::dnssec)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a.example.org", DnssecStatus.SECURE),
            org.assertj.core.groups.Tuple.tuple("b.example.org", DnssecStatus.BOGUS));
  }

  @Test
  void anImplicitMxTakesTheDnssecStatusOfTheAddressAnswers() {
    DnsResolver dns =
        (name, type) ->
            switch (type) {
              case MX -> new DnsAnswer(
                  DnsStatus.NOERROR, List.of(), DnssecStatus.INSECURE, "nodata");
              case A -> new DnsAnswer(
                  DnsStatus.NOERROR,
                  List.of(new DnsRecord(name + ".", DnsType.A, 60, "198.51.100.1")),
                  DnssecStatus.INSECURE,
                  "ok");
              default -> new DnsAnswer(
                  DnsStatus.NOERROR, List.of(), DnssecStatus.INSECURE, "nodata");
            };

    MxResult r = MxResolver.builder().resolver(dns).build().resolve("example.org");

    assertThat(r.status()).isEqualTo(MxStatus.IMPLICIT);
    assertThat(r.dnssec()).isEqualTo(DnssecStatus.INSECURE);
  }
}
