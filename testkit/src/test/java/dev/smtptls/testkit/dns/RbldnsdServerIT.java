package dev.smtptls.testkit.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * {@link RbldnsdServer} runs the real rbldnsd on loopback: raw DNS answers as a block list gives
 * them. Needs Debian's {@code rbldnsd}; fails (never skips) without it.
 */
@Tag("real-dns")
@Timeout(60)
class RbldnsdServerIT {

  private static Message ask(InetSocketAddress server, String name, int type) throws Exception {
    SimpleResolver r = new SimpleResolver(server);
    r.setTimeout(Duration.ofSeconds(2));
    return r.send(Message.newQuery(Record.newRecord(Name.fromString(name + "."), type, DClass.IN)));
  }

  private static List<String> answers(Message m, int type) {
    return m.getSection(Section.ANSWER).stream()
        .filter(r -> r.getType() == type)
        .map(r -> r instanceof TXTRecord t ? String.join("", t.getStrings()) : r.rdataToString())
        .sorted()
        .toList();
  }

  @Test
  void answersListedAddressesWithCodesAndExpandedReasons() throws Exception {
    try (RbldnsdServer bl =
        RbldnsdServer.builder()
            .listed("bl.test", "192.0.2.1", "127.0.0.2", "Listed: see https://bl.test/?ip=$ ($$5)")
            .listed("bl.test", "192.0.2.1", "127.0.0.4", "also exploited")
            .listed("bl.test", "192.0.2.9")
            .start()) {
      assertThat(bl.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
      assertThat(bl.port()).isPositive();
      assertThat(bl.zones()).containsExactly("bl.test");
      assertThat(bl.isRunning()).isTrue();

      Message a = ask(bl.address(), "1.2.0.192.bl.test", Type.A);
      assertThat(a.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(answers(a, Type.A)).containsExactly("127.0.0.2", "127.0.0.4");
      Message txt = ask(bl.address(), "1.2.0.192.bl.test", Type.TXT);
      assertThat(answers(txt, Type.TXT))
          .containsExactly("Listed: see https://bl.test/?ip=192.0.2.1 ($5)", "also exploited");

      // listed(zone, entry): 127.0.0.2 and no TXT
      assertThat(answers(ask(bl.address(), "9.2.0.192.bl.test", Type.A), Type.A))
          .containsExactly("127.0.0.2");
      assertThat(answers(ask(bl.address(), "9.2.0.192.bl.test", Type.TXT), Type.TXT)).isEmpty();

      assertThat(ask(bl.address(), "2.2.0.192.bl.test", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
      assertThat(ask(bl.address(), "1.2.0.192.other.test", Type.A).getRcode())
          .isEqualTo(Rcode.REFUSED);
      assertThat(bl.log()).contains("rbldnsd");
    }
  }

  @Test
  void servesRangesIpv6AndEmptyZones() throws Exception {
    try (RbldnsdServer bl =
        RbldnsdServer.builder()
            .listed("bl.test", "198.51.100.0/24", "127.0.0.3", "range $")
            .listed("bl.test", "2001:db8:1::/48", "127.0.0.2", "v6 $")
            .zone("empty.test")
            .start()) {
      assertThat(answers(ask(bl.address(), "77.100.51.198.bl.test", Type.TXT), Type.TXT))
          .containsExactly("range 198.51.100.77");
      assertThat(ask(bl.address(), "1.101.51.198.bl.test", Type.A).getRcode())
          .isEqualTo(Rcode.NXDOMAIN);
      // 2001:db8:1::5 in nibbles, reversed
      String v6 = "5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.bl.test";
      assertThat(answers(ask(bl.address(), v6, Type.A), Type.A)).containsExactly("127.0.0.2");
      assertThat(answers(ask(bl.address(), v6, Type.TXT), Type.TXT))
          .singleElement().asString().startsWith("v6 2001:db8:1:");
      assertThat(ask(bl.address(), "1.2.0.192.empty.test", Type.A).getRcode())
          .isEqualTo(Rcode.NXDOMAIN);
      assertThat(bl.zones()).containsExactly("bl.test", "empty.test");
    }
  }

  @Test
  void twoServersRunSideBySideAndCloseReleasesEverything() throws Exception {
    RbldnsdServer one = RbldnsdServer.builder().listed("one.test", "192.0.2.1").start();
    try (RbldnsdServer two = RbldnsdServer.builder().listed("two.test", "192.0.2.1").start()) {
      assertThat(two.port()).isNotEqualTo(one.port());
      assertThat(answers(ask(one.address(), "1.2.0.192.one.test", Type.A), Type.A))
          .containsExactly("127.0.0.2");
      assertThat(answers(ask(two.address(), "1.2.0.192.two.test", Type.A), Type.A))
          .containsExactly("127.0.0.2");

      Path dir = one.directory();
      assertThat(dir).isDirectory();
      one.close();
      one.close(); // idempotent
      assertThat(one.isRunning()).isFalse();
      assertThat(one.log()).isEmpty();
      assertThat(dir).doesNotExist();
      // the other one is untouched
      assertThat(answers(ask(two.address(), "1.2.0.192.two.test", Type.A), Type.A))
          .containsExactly("127.0.0.2");
    }
  }
}
