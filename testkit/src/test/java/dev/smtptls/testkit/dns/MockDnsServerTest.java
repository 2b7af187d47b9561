package dev.smtptls.testkit.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

@Timeout(30)
class MockDnsServerTest {
  private static final Duration CLIENT_TIMEOUT = Duration.ofMillis(300);
  private static final byte[] KEY_HASH =
      HexFormat.of().parseHex("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");

  private static Message query(MockDnsServer server, String name, int type) throws IOException {
    SimpleResolver resolver = new SimpleResolver(server.address());
    resolver.setTimeout(CLIENT_TIMEOUT);
    return resolver.send(
        Message.newQuery(Record.newRecord(Name.fromString(name + "."), type, DClass.IN)));
  }

  private static List<Record> answers(Message m) {
    return m.getSection(Section.ANSWER);
  }

  @Test
  void answersMxAuthoritativelyIncludingNullMx() throws IOException {
    try (MockDnsServer dns = MockDnsServer.builder()
        .mx("example.com", 20, "mx2.example.com")
        .mx("Example.COM.", 10, "mx1.example.com")
        .mx("null.example", 0, ".")
        .start()) {
      Message m = query(dns, "example.com", Type.MX);
      assertThat(m.getRcode()).isEqualTo(org.xbill.DNS.Rcode.NOERROR);
      assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
      assertThat(m.getHeader().getFlag(Flags.QR)).isTrue();
      assertThat(answers(m))
          .extracting(r -> ((MXRecord) r).getPriority() + " " + ((MXRecord) r).getTarget())
          .containsExactlyInAnyOrder("10 mx1.example.com.", "20 mx2.example.com.");

      Message nullMx = query(dns, "NULL.example", Type.MX);
      assertThat(answers(nullMx)).singleElement().satisfies(r -> {
        assertThat(((MXRecord) r).getPriority()).isZero();
        assertThat(((MXRecord) r).getTarget()).isEqualTo(Name.root);
      });
      assertThat(dns.queries()).containsExactly("example.com. MX", "NULL.example. MX");
      assertThat(dns.queryCount()).isEqualTo(2);
      assertThat(dns.udpQueryCount()).isEqualTo(2);
      assertThat(dns.tcpQueryCount()).isZero();
    }
  }

  @Test
  void answersAAaaaTxtAndTlsa() throws IOException {
    try (MockDnsServer dns = MockDnsServer.builder()
        .a("mx1.example.com", "192.0.2.1")
        .a("mx1.example.com", "192.0.2.2")
        .aaaa("mx1.example.com", "2001:db8::1")
        .txt("_mta-sts.example.com", "v=STSv1; id=20240101")
        .txt("_smtp._tls.example.com", "v=TLSRPTv1; ", "rua=mailto:tls@example.com")
        .tlsa("_25._tcp.mx1.example.com", 3, 1, 1, KEY_HASH)
        .start()) {
      assertThat(answers(query(dns, "mx1.example.com", Type.A)))
          .extracting(r -> ((ARecord) r).getAddress().getHostAddress())
          .containsExactlyInAnyOrder("192.0.2.1", "192.0.2.2");
      assertThat(answers(query(dns, "mx1.example.com", Type.AAAA)))
          .extracting(r -> ((AAAARecord) r).getAddress().getHostAddress())
          .containsExactly("2001:db8:0:0:0:0:0:1");
      assertThat(answers(query(dns, "_mta-sts.example.com", Type.TXT)))
          .extracting(r -> ((TXTRecord) r).getStrings())
          .containsExactly(List.of("v=STSv1; id=20240101"));
      assertThat(answers(query(dns, "_smtp._tls.example.com", Type.TXT)))
          .extracting(r -> ((TXTRecord) r).getStrings())
          .containsExactly(List.of("v=TLSRPTv1; ", "rua=mailto:tls@example.com"));
      assertThat(answers(query(dns, "_25._tcp.mx1.example.com", Type.TLSA)))
          .singleElement()
          .satisfies(r -> {
            TLSARecord t = (TLSARecord) r;
            assertThat(t.getCertificateUsage()).isEqualTo(3);
            assertThat(t.getSelector()).isEqualTo(1);
            assertThat(t.getMatchingType()).isEqualTo(1);
            assertThat(t.getCertificateAssociationData()).isEqualTo(KEY_HASH);
          });
      assertThat(dns.queries())
          .containsExactly(
              "mx1.example.com. A",
              "mx1.example.com. AAAA",
              "_mta-sts.example.com. TXT",
              "_smtp._tls.example.com. TXT",
              "_25._tcp.mx1.example.com. TLSA");
    }
  }

  @Test
  void cnameAnswerCarriesTheTargetsRecordsWhenServedHereAndFollowsNothingOutside()
      throws IOException {
    try (MockDnsServer dns = MockDnsServer.builder()
        .cname("mx2.example.com", "mx1.example.com")
        .a("mx1.example.com", "192.0.2.1")
        .cname("outside.example.com", "host.elsewhere.test")
        .start()) {
      Message m = query(dns, "mx2.example.com", Type.A);
      assertThat(m.getRcode()).isEqualTo(org.xbill.DNS.Rcode.NOERROR);
      assertThat(answers(m)).hasSize(2);
      assertThat(answers(m).get(0)).isInstanceOf(CNAMERecord.class);
      assertThat(((CNAMERecord) answers(m).get(0)).getTarget().toString())
          .isEqualTo("mx1.example.com.");
      assertThat(((ARecord) answers(m).get(1)).getAddress().getHostAddress())
          .isEqualTo("192.0.2.1");

      Message cnameItself = query(dns, "mx2.example.com", Type.CNAME);
      assertThat(answers(cnameItself)).singleElement().isInstanceOf(CNAMERecord.class);

      Message outside = query(dns, "outside.example.com", Type.A);
      assertThat(answers(outside)).singleElement().isInstanceOf(CNAMERecord.class);
      assertThat(dns.queries()).doesNotContain("host.elsewhere.test. A");
    }
  }

  @Test
  void nxdomainForUnknownNamesAndNodataForOtherTypesAndEmptyNonTerminals() throws IOException {
    try (MockDnsServer dns = MockDnsServer.builder()
        .a("mx1.example.com", "192.0.2.1")
        .tlsa("_25._tcp.mx1.example.com", 3, 1, 1, KEY_HASH)
        .start()) {
      Message nodata = query(dns, "mx1.example.com", Type.MX);
      assertThat(nodata.getRcode()).isEqualTo(org.xbill.DNS.Rcode.NOERROR);
      assertThat(answers(nodata)).isEmpty();
      assertThat(nodata.getSection(Section.AUTHORITY)).singleElement()
          .satisfies(r -> assertThat(r.getType()).isEqualTo(Type.SOA));
      assertThat(nodata.getHeader().getFlag(Flags.AA)).isTrue();

      Message emptyNonTerminal = query(dns, "_tcp.mx1.example.com", Type.A);
      assertThat(emptyNonTerminal.getRcode()).isEqualTo(org.xbill.DNS.Rcode.NOERROR);
      assertThat(answers(emptyNonTerminal)).isEmpty();

      Message nx = query(dns, "nope.example.com", Type.A);
      assertThat(nx.getRcode()).isEqualTo(org.xbill.DNS.Rcode.NXDOMAIN);
      assertThat(answers(nx)).isEmpty();
      assertThat(nx.getSection(Section.AUTHORITY)).singleElement()
          .satisfies(r -> assertThat(r.getType()).isEqualTo(Type.SOA));
    }
  }

  @Test
  void perNameRcodesOverrideTheRecords() throws IOException {
    try (MockDnsServer dns = MockDnsServer.builder()
        .a("servfail.example", "192.0.2.1")
        .rcode("servfail.example", Rcode.SERVFAIL)
        .rcode("refused.example", Rcode.REFUSED)
        .rcode("gone.example", Rcode.NXDOMAIN)
        .start()) {
      Message servfail = query(dns, "servfail.example", Type.A);
      assertThat(servfail.getRcode()).isEqualTo(org.xbill.DNS.Rcode.SERVFAIL);
      assertThat(answers(servfail)).isEmpty();
      assertThat(query(dns, "refused.example", Type.MX).getRcode())
          .isEqualTo(org.xbill.DNS.Rcode.REFUSED);
      assertThat(query(dns, "gone.example", Type.TXT).getRcode())
          .isEqualTo(org.xbill.DNS.Rcode.NXDOMAIN);
    }
  }

  @Test
  void truncationOverUdpMakesTheClientRetryOverTcp() throws IOException {
    try (MockDnsServer dns = MockDnsServer.builder()
        .truncateOverUdp(true)
        .mx("example.com", 10, "mx1.example.com")
        .start()) {
      Message m = query(dns, "example.com", Type.MX);
      assertThat(m.getHeader().getFlag(Flags.TC)).isFalse();
      assertThat(answers(m)).singleElement().isInstanceOf(MXRecord.class);
      assertThat(dns.udpQueryCount()).isEqualTo(1);
      assertThat(dns.tcpQueryCount()).isEqualTo(1);
      assertThat(dns.queries()).containsExactly("example.com. MX", "example.com. MX");
    }
  }

  @Test
  void anAnswerTooLongForUdpIsTruncatedAndTheClientRetriesOverTcp() throws IOException {
    MockDnsServer.Builder builder = MockDnsServer.builder();
    for (int i = 0; i < 12; i++) {
      builder.txt("big.example", i + "x".repeat(250));
    }
    try (MockDnsServer dns = builder.start()) {
      Message m = query(dns, "big.example", Type.TXT);
      assertThat(answers(m)).hasSize(12);
      assertThat(dns.udpQueryCount()).isEqualTo(1);
      assertThat(dns.tcpQueryCount()).isEqualTo(1);
    }
  }

  @Test
  void tcpAnswersTheSameAsUdp() throws IOException {
    try (MockDnsServer dns = MockDnsServer.builder().a("host.example", "192.0.2.7").start()) {
      SimpleResolver resolver = new SimpleResolver(dns.address());
      resolver.setTCP(true);
      resolver.setTimeout(CLIENT_TIMEOUT);
      Message m =
          resolver.send(
              Message.newQuery(
                  Record.newRecord(Name.fromString("host.example."), Type.A, DClass.IN)));
      assertThat(((ARecord) answers(m).get(0)).getAddress().getHostAddress())
          .isEqualTo("192.0.2.7");
      assertThat(dns.tcpQueryCount()).isEqualTo(1);
      assertThat(dns.udpQueryCount()).isZero();
    }
  }

  @Test
  void droppedNameMakesTheClientTimeOut() throws IOException {
    try (MockDnsServer dns = MockDnsServer.builder()
        .a("dropped.example", "192.0.2.1")
        .drop("dropped.example")
        .start()) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> query(dns, "dropped.example", Type.A))
          .isInstanceOf(IOException.class);
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      assertThat(elapsed).isGreaterThanOrEqualTo(CLIENT_TIMEOUT.minusMillis(50));
      assertThat(elapsed).isLessThan(Duration.ofSeconds(5));
      assertThat(dns.queries()).containsExactly("dropped.example. A");
    }
  }

  @Test
  void closeReleasesThePortAndIsIdempotent() throws IOException {
    MockDnsServer dns = MockDnsServer.builder().a("host.example", "192.0.2.1").start();
    assertThat(dns.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(dns.port()).isPositive().isEqualTo(dns.address().getPort());
    query(dns, "host.example", Type.A);
    InetSocketAddress address = dns.address();
    dns.close();
    dns.close();
    try (ServerSocket tcp = new ServerSocket()) {
      tcp.bind(address);
      assertThat(tcp.getLocalPort()).isEqualTo(address.getPort());
    }
    try (DatagramSocket udp = new DatagramSocket(address)) {
      assertThat(udp.getLocalPort()).isEqualTo(address.getPort());
    }
  }

  @Test
  void rejectsMalformedInput() {
    MockDnsServer.Builder b = MockDnsServer.builder();
    assertThatThrownBy(() -> b.a("x.example", "2001:db8::1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.a("x.example", "example.com"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.aaaa("x.example", "192.0.2.1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.mx("x.example", 70_000, "mx.example"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.tlsa("x.example", 256, 1, 1, KEY_HASH))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.txt("x.example")).isInstanceOf(IllegalArgumentException.class);
  }
}
