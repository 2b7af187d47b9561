package dev.smtptls.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpAddressesTest {

  @ParameterizedTest
  @CsvSource({
    "0:0:0:0:0:0:0:1, ::1",
    "0:0:0:0:0:0:0:0, ::",
    "2001:0DB8:0:0:0:0:0:25, 2001:db8::25",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
    "fe80:0:0:0:0:0:0:0, fe80::",
    "1:0:0:2:0:0:0:3, 1:0:0:2::3",
    "2001:db8:aaaa:bbbb:cccc:dddd:eeee:1, 2001:db8:aaaa:bbbb:cccc:dddd:eeee:1",
    "192.0.2.1, 192.0.2.1",
  })
  void writesRfc5952Text(String literal, String expected) throws UnknownHostException {
    // IP literals only: InetAddress.getByName never looks these up.
    assertThat(IpAddresses.text(InetAddress.getByName(literal))).isEqualTo(expected);
  }
}
