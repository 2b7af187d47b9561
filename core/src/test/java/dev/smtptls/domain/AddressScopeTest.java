package dev.smtptls.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressScopeTest {

  // IP literals only: InetAddress.getByName never looks these up.
  private static InetAddress ip(String literal) throws UnknownHostException {
    return InetAddress.getByName(literal);
  }

  @ParameterizedTest
  @CsvSource({
    "127.0.0.1, loopback",
    "::1, loopback",
    "0.0.0.0, unspecified",
    "10.1.2.3, private",
    "172.16.0.1, private",
    "172.31.255.254, private",
    "192.168.1.1, private",
    "100.64.0.1, shared",
    "169.254.1.1, link-local",
    "fe80::1, link-local",
    "192.0.2.10, documentation",
    "198.51.100.7, documentation",
    "203.0.113.9, documentation",
    "2001:db8::25, documentation",
    "fd00::1, unique-local",
    "198.18.0.1, benchmarking",
    "240.0.0.1, reserved",
    "224.0.0.1, multicast",
    "::ffff:10.0.0.1, private",
  })
  void namesWhyAnAddressIsNotPublic(String literal, String reason) throws UnknownHostException {
    assertThat(AddressScope.nonPublicReason(ip(literal))).contains(reason);
    assertThat(AddressScope.isPublic(ip(literal))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"8.8.8.8", "172.32.0.1", "172.15.255.255", "100.128.0.1", "192.0.3.1", "2a00:1450:4001::1b", "2001:db9::1"})
  void publicAddressesArePublic(String literal) throws UnknownHostException {
    assertThat(AddressScope.nonPublicReason(ip(literal))).isNull();
  }
}
