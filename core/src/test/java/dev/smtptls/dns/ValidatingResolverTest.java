package dev.smtptls.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.spi.DnsResolver;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;

/**
 * The validating resolver against a loopback responder: failures of the server itself are not
 * DNSSEC verdicts. (Secure, insecure and bogus answers are proven against Knot DNS in the
 * testkit's real-dns ITs.)
 */
class ValidatingResolverTest {

  private static final DnssecAnchors ANCHORS =
      DnssecAnchors.parse(
          "example.test. IN DS 27826 13 2"
              + " 83a6826d79ad84ae7df3a578a2308c7c6d733a45f48149962879999e4bab1cad");

  @Test
  void aServfailOfTheServerIsNotBogus() throws Exception {
    try (LoopbackDnsResponder server =
        new LoopbackDnsResponder((q, t) -> LoopbackDnsResponder.reply(q, Rcode.SERVFAIL))) {
      DnsResolver r = DnsResolvers.validating(server.address(), Duration.ofSeconds(3), ANCHORS);

      DnsAnswer a = r.query("mx.example.test", DnsType.A);

      assertThat(a.status()).isEqualTo(DnsStatus.SERVFAIL);
      assertThat(a.dnssec()).isEqualTo(DnssecStatus.INDETERMINATE);
      assertThat(a.detail()).contains("before validation");
    }
  }

  @Test
  void aRefusalOfTheServerIsReportedAsSuch() throws Exception {
    try (LoopbackDnsResponder server =
        new LoopbackDnsResponder((q, t) -> LoopbackDnsResponder.reply(q, Rcode.REFUSED))) {
      DnsResolver r = DnsResolvers.validating(server.address(), Duration.ofSeconds(3), ANCHORS);

      DnsAnswer a = r.query("mx.example.test", DnsType.A);

      assertThat(a.status()).isEqualTo(DnsStatus.REFUSED);
      assertThat(a.dnssec()).isEqualTo(DnssecStatus.INDETERMINATE);
    }
  }

  @Test
  void anUnsignedAnswerUnderNoAnchorIsInsecure() throws Exception {
    try (LoopbackDnsResponder server =
        new LoopbackDnsResponder(
            (q, t) -> {
              org.xbill.DNS.Message m = LoopbackDnsResponder.reply(q, Rcode.NOERROR);
              try {
                m.addRecord(
                    new org.xbill.DNS.ARecord(
                        q.getQuestion().getName(),
                        org.xbill.DNS.DClass.IN,
                        60,
                        java.net.InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1})),
                    org.xbill.DNS.Section.ANSWER);
              } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
              }
              return m;
            })) {
      DnsResolver r = DnsResolvers.validating(server.address(), Duration.ofSeconds(3), ANCHORS);

      DnsAnswer a = r.query("mx.elsewhere.test", DnsType.A);

      assertThat(a.status()).isEqualTo(DnsStatus.NOERROR);
      assertThat(a.dnssec()).isEqualTo(DnssecStatus.INSECURE);
      assertThat(a.records()).extracting(DnsRecord::data).containsExactly("192.0.2.1");
      assertThat(r.toString()).contains("1 anchor(s)");
    }
  }
}
