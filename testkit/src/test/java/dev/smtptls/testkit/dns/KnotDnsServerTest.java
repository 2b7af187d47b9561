package dev.smtptls.testkit.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtptls.dns.DnsType;
import org.junit.jupiter.api.Test;

/** What KnotDnsServer checks before it runs anything. */
class KnotDnsServerTest {

  @Test
  void aMissingProgramIsNamedWithItsDebianPackage() {
    assertThatThrownBy(() -> KnotDnsServer.tool("knotd-that-does-not-exist", "knot"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("knotd-that-does-not-exist is not installed")
        .hasMessageContaining("apt-get install knot");
  }

  @Test
  void zonesAreCheckedWhenWritten() {
    KnotDnsServer.Zone z = KnotDnsServer.Zone.of("Example.test", "mx A 192.0.2.1");
    assertThat(z.origin()).isEqualTo("Example.test.");
    assertThat(z.isSigned()).isFalse();
    assertThat(z.bogus("mx.example.test", DnsType.A).isSigned()).isTrue();
    assertThatThrownBy(() -> KnotDnsServer.Zone.of("example.test", "mx TLSA 3 1 1 zz"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zone example.test.");
    assertThatThrownBy(() -> KnotDnsServer.builder().start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("at least one zone");
    assertThatThrownBy(
            () ->
                KnotDnsServer.builder()
                    .zone(KnotDnsServer.Zone.of("a.test", "x A 192.0.2.1"))
                    .zone(KnotDnsServer.Zone.of("A.test.", "y A 192.0.2.1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice");
  }
}
