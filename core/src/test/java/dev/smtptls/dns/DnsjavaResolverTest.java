package dev.smtptls.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtptls.spi.DnsResolver;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The dnsjava resolver against a responder on loopback; never the system resolver. */
class DnsjavaResolverTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private static Name name(String n) throws Exception {
    return Name.fromString(n);
  }

  @Test
  void answersAnMxQueryWithTypedRecords() throws Exception {
    try (LoopbackDnsResponder server =
        new LoopbackDnsResponder(
            (q, transport) -> {
              Message r = LoopbackDnsResponder.reply(q, Rcode.NOERROR);
              try {
                if (q.getQuestion().getType() == Type.MX) {
                  r.addRecord(
                      new CNAMERecord(
                          name("example.org."), DClass.IN, 60, name("mail.example.net.")),
                      Section.ANSWER);
                  r.addRecord(
                      new MXRecord(
                          name("mail.example.net."), DClass.IN, 300, 10, name("mx.example.net.")),
                      Section.ANSWER);
                  r.getHeader().setFlag(Flags.AD);
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
              return r;
            })) {
      DnsResolver resolver = DnsResolvers.dnsjava(server.address(), TIMEOUT);

      DnsAnswer a = resolver.query("example.org", DnsType.MX);

      assertThat(a.status()).isEqualTo(DnsStatus.NOERROR);
      assertThat(a.authenticated()).isTrue();
      assertThat(a.dnssec()).isEqualTo(DnssecStatus.SECURE);
      assertThat(a.records())
          .extracting(DnsRecord::name, DnsRecord::type, DnsRecord::ttl, DnsRecord::data)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(
                  "example.org.", DnsType.CNAME, 60L, "mail.example.net."),
              org.assertj.core.groups.Tuple.tuple(
                  "mail.example.net.", DnsType.MX, 300L, "10 mx.example.net."));
      assertThat(a.records(DnsType.MX).get(0).exchange()).isEqualTo("mx.example.net.");
      assertThat(a.detail()).contains("NOERROR").contains("authenticated");
      assertThat(server.seen).containsExactly("udp example.org. edns=true");

      DnsAnswer nodata = resolver.query("example.org.", DnsType.TXT);
      assertThat(nodata.status()).isEqualTo(DnsStatus.NOERROR);
      assertThat(nodata.records()).isEmpty();
      assertThat(nodata.detail()).contains("NODATA");
      assertThat(nodata.dnssec()).isEqualTo(DnssecStatus.INDETERMINATE);

      MxResult mx = MxResolver.builder().resolver(resolver).build().resolve("example.org");
      assertThat(mx.status()).isEqualTo(MxStatus.MX);
      assertThat(mx.hosts()).extracting(MxHost::host).containsExactly("mx.example.net");
    }
  }

  @Test
  void errorCodesBecomeStatuses() throws Exception {
    try (LoopbackDnsResponder server =
        new LoopbackDnsResponder(
            (q, transport) -> {
              String n = q.getQuestion().getName().toString();
              int rcode =
                  n.startsWith("nx.")
                      ? Rcode.NXDOMAIN
                      : n.startsWith("fail.") ? Rcode.SERVFAIL : Rcode.REFUSED;
              return LoopbackDnsResponder.reply(q, rcode);
            })) {
      DnsResolver resolver = DnsResolvers.dnsjava(server.address(), TIMEOUT);
      assertThat(resolver.query("nx.example.org", DnsType.A).status())
          .isEqualTo(DnsStatus.NXDOMAIN);
      assertThat(resolver.query("fail.example.org", DnsType.A).status())
          .isEqualTo(DnsStatus.SERVFAIL);
      DnsAnswer refused = resolver.query("other.example.org", DnsType.A);
      assertThat(refused.status()).isEqualTo(DnsStatus.REFUSED);
      assertThat(refused.detail()).contains("other.example.org").contains("REFUSED");
    }
  }

  @Test
  void aTruncatedAnswerIsAskedAgainOverTcp() throws Exception {
    try (LoopbackDnsResponder server =
        new LoopbackDnsResponder(
            (q, transport) -> {
              Message r = LoopbackDnsResponder.reply(q, Rcode.NOERROR);
              if (transport.equals("udp")) {
                r.getHeader().setFlag(Flags.TC);
                return r;
              }
              try {
                r.addRecord(
                    new ARecord(
                        name("big.example.org."),
                        DClass.IN,
                        60,
                        InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 77})),
                    Section.ANSWER);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
              return r;
            })) {
      DnsAnswer a =
          DnsResolvers.dnsjava(server.address(), TIMEOUT).query("big.example.org", DnsType.A);

      assertThat(a.status()).isEqualTo(DnsStatus.NOERROR);
      assertThat(a.records()).hasSize(1);
      assertThat(a.records().get(0).address().getHostAddress()).isEqualTo("192.0.2.77");
      assertThat(server.seen)
          .containsExactly("udp big.example.org. edns=true", "tcp big.example.org.");
    }
  }

  @Test
  void aServerThatNeverAnswersTimesOut() throws Exception {
    try (DatagramSocket silent =
        new DatagramSocket(
            new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0))) {
      DnsResolver resolver =
          DnsResolvers.dnsjava(
              (InetSocketAddress) silent.getLocalSocketAddress(), Duration.ofMillis(300));

      long start = System.nanoTime();
      DnsAnswer a = resolver.query("example.org", DnsType.MX);
      long ms = (System.nanoTime() - start) / 1_000_000;

      assertThat(a.status()).isEqualTo(DnsStatus.TIMEOUT);
      assertThat(a.records()).isEmpty();
      assertThat(a.detail()).contains("no answer within 300 ms");
      assertThat(ms).isLessThan(2500);
    }
  }

  @Test
  void anInvalidNameIsAFormatErrorNotAnException() throws Exception {
    DnsResolver resolver =
        DnsResolvers.dnsjava(
            new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 9),
            Duration.ofMillis(300));
    DnsAnswer a = resolver.query("a..b", DnsType.A);
    assertThat(a.status()).isEqualTo(DnsStatus.FORMAT_ERROR);
    assertThat(a.detail()).contains("not a valid domain name");
  }

  @Test
  void rejectsAnUnresolvedServerAndANonPositiveTimeout() {
    assertThatThrownBy(
            () ->
                DnsResolvers.dnsjava(
                    InetSocketAddress.createUnresolved("dns.example", 53), TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                DnsResolvers.dnsjava(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 53), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
