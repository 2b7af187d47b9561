package dev.smtptls.testkit.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtptls.dns.DnsAnswer;
import dev.smtptls.dns.DnsRecord;
import dev.smtptls.dns.DnsResolvers;
import dev.smtptls.dns.DnsStatus;
import dev.smtptls.dns.DnsType;
import dev.smtptls.dns.DnssecAnchors;
import dev.smtptls.dns.DnssecStatus;
import dev.smtptls.dns.MxResolver;
import dev.smtptls.dns.MxResult;
import dev.smtptls.spi.DnsResolver;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * dnsjava's validator, through {@link DnsResolvers#validating}, against a real Knot DNS serving a
 * signed zone (one signature corrupted) and an unsigned one on loopback.
 */
@Tag("real-dns")
class KnotDnssecIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static KnotDnsServer knot;
  private static DnsResolver validating;

  @BeforeAll
  static void start() {
    knot =
        KnotDnsServer.builder()
            .zone(
                KnotDnsServer.Zone.of(
                        "signed.test",
                        """
                        @       MX  10 mx
                        mx      A   127.0.0.1
                        mx      AAAA ::1
                        broken  A   127.0.0.2
                        alias   CNAME mx
                        """)
                    .signed(true)
                    .bogus("broken.signed.test", DnsType.A))
            .zone(KnotDnsServer.Zone.of("plain.test", "mx A 127.0.0.3\n@ MX 10 mx"))
            .start();
    validating =
        DnsResolvers.validating(knot.address(), TIMEOUT, DnssecAnchors.parse(knot.anchors()));
  }

  @AfterAll
  static void stop() {
    if (knot != null) {
      knot.close();
    }
  }

  @Test
  void aSignedNameIsSecure() {
    DnsAnswer a = validating.query("mx.signed.test", DnsType.A);

    assertThat(a.status()).isEqualTo(DnsStatus.NOERROR);
    assertThat(a.dnssec()).isEqualTo(DnssecStatus.SECURE);
    assertThat(a.authenticated()).isTrue();
    assertThat(a.records()).extracting(DnsRecord::data).containsExactly("127.0.0.1");
    assertThat(a.detail()).contains("secure");
  }

  @Test
  void aCorruptedSignatureIsBogusWithTheValidatorsReason() {
    DnsAnswer a = validating.query("broken.signed.test", DnsType.A);

    assertThat(a.status()).isEqualTo(DnsStatus.SERVFAIL);
    assertThat(a.dnssec()).isEqualTo(DnssecStatus.BOGUS);
    assertThat(a.records()).isEmpty();
    assertThat(a.detail()).contains("validation failed (bogus)").contains("failed ANSWER rrset");
    // The plain stub sees the data: only validation tells it is forged.
    DnsAnswer plain = DnsResolvers.dnsjava(knot.address(), TIMEOUT)
        .query("broken.signed.test", DnsType.A);
    assertThat(plain.records()).extracting(DnsRecord::data).containsExactly("127.0.0.2");
    assertThat(plain.dnssec()).isEqualTo(DnssecStatus.INDETERMINATE);
  }

  @Test
  void aNameInAnUnsignedZoneWithoutAnchorIsInsecure() {
    DnsAnswer a = validating.query("mx.plain.test", DnsType.A);

    assertThat(a.status()).isEqualTo(DnsStatus.NOERROR);
    assertThat(a.dnssec()).isEqualTo(DnssecStatus.INSECURE);
    assertThat(a.records()).extracting(DnsRecord::data).containsExactly("127.0.0.3");
  }

  @Test
  void nxdomainAndNodataAreProvenSecurely() {
    DnsAnswer nx = validating.query("nope.signed.test", DnsType.A);
    assertThat(nx.status()).isEqualTo(DnsStatus.NXDOMAIN);
    assertThat(nx.dnssec()).isEqualTo(DnssecStatus.SECURE);

    DnsAnswer nodata = validating.query("mx.signed.test", DnsType.TXT);
    assertThat(nodata.status()).isEqualTo(DnsStatus.NOERROR);
    assertThat(nodata.records()).isEmpty();
    assertThat(nodata.dnssec()).isEqualTo(DnssecStatus.SECURE);
  }

  @Test
  void withTheRootAnchorOnlyTheTestZoneIsOutsideTheChainOfTrust() {
    // The test zone has no signed parent under the real root: nothing can prove it secure.
    DnsResolver rootOnly = DnsResolvers.validating(knot.address(), TIMEOUT, DnssecAnchors.root());

    DnsAnswer a = rootOnly.query("mx.signed.test", DnsType.A);

    assertThat(a.dnssec()).isNotEqualTo(DnssecStatus.SECURE);
  }

  @Test
  void mxResultsCarryTheDnssecStatus() {
    MxResolver mx = MxResolver.builder().resolver(validating).build();

    MxResult signed = mx.resolve("signed.test");
    assertThat(signed.dnssec()).isEqualTo(DnssecStatus.SECURE);
    assertThat(signed.hosts()).singleElement().satisfies(h -> {
      assertThat(h.host()).isEqualTo("mx.signed.test");
      assertThat(h.dnssec()).isEqualTo(DnssecStatus.SECURE);
      assertThat(h.addresses()).hasSize(2);
    });

    MxResult plain = mx.resolve("plain.test");
    assertThat(plain.dnssec()).isEqualTo(DnssecStatus.INSECURE);
    assertThat(plain.hosts().get(0).dnssec()).isEqualTo(DnssecStatus.INSECURE);
  }

  @Test
  void aCnameInTheSignedZoneIsFollowedSecurely() {
    DnsAnswer a = validating.query("alias.signed.test", DnsType.A);

    assertThat(a.dnssec()).isEqualTo(DnssecStatus.SECURE);
    assertThat(a.records(DnsType.A)).extracting(DnsRecord::data).containsExactly("127.0.0.1");
  }

  @Test
  void aBadZoneIsRejectedBeforeKnotStarts() {
    assertThatThrownBy(() -> KnotDnsServer.Zone.of("bad.test", "mx A not-an-address"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad.test");
    assertThatThrownBy(
            () ->
                KnotDnsServer.builder()
                    .zone(
                        KnotDnsServer.Zone.of("other.test", "mx A 127.0.0.1")
                            .bogus("nothere.other.test", DnsType.A))
                    .start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no RRSIG");
  }
}
