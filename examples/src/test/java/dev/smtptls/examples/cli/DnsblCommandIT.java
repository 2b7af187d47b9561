package dev.smtptls.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smtptls.testkit.dns.RbldnsdServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code smtptls dnsbl} in-process against the real rbldnsd on loopback: listed and not-listed
 * addresses, IPv4 and IPv6, the TXT reason, several codes decoded, a list that does not answer.
 * Every run names its zones and the loopback server. Needs Debian's {@code rbldnsd}; fails (never
 * skips) without it.
 */
@Tag("real-dns")
@Timeout(60)
class DnsblCommandIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static RbldnsdServer bl;

  @BeforeAll
  static void startList() {
    bl = RbldnsdServer.builder()
        .listed("bl.test", "192.0.2.1", "127.0.0.2", "Listed: see https://bl.test/lookup?ip=$")
        .listed("bl.test", "203.0.113.0/25", "127.0.0.3", null)
        .listed("bl.test", "2001:db8::25", "127.0.0.2", "IPv6 sender $")
        .zone("clean.test")
        // Named as Spamhaus' zone so its documented codes are decoded; served here on loopback,
        // the real zen.spamhaus.org is never asked.
        .listed("zen.spamhaus.org", "192.0.2.44", "127.0.0.2", "SBL $")
        .listed("zen.spamhaus.org", "192.0.2.44", "127.0.0.4", "XBL $")
        .start();
  }

  @AfterAll
  static void stopList() {
    if (bl != null) {
      bl.close();
    }
  }

  private static Cli.Result dnsbl(String... args) {
    List<String> all = new ArrayList<>(List.of(
        "dnsbl", "--dns", "127.0.0.1:" + bl.port(), "--timeout", "2s"));
    all.addAll(List.of(args));
    return Cli.run(all.toArray(String[]::new));
  }

  @Test
  void listedAddressWithItsReason() throws Exception {
    Cli.Result r = dnsbl("--json", "--zone", "bl.test", "--zone", "clean.test", "192.0.2.1");

    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    JsonNode root = JSON.readTree(r.out());
    assertThat(root.get("listed").asBoolean()).isTrue();
    JsonNode listed = root.get("lookups").get(0);
    assertThat(listed.get("status").asText()).isEqualTo("LISTED");
    assertThat(listed.get("codes").get(0).asText()).isEqualTo("127.0.0.2");
    assertThat(listed.get("reason").asText())
        .isEqualTo("Listed: see https://bl.test/lookup?ip=192.0.2.1");
    assertThat(root.get("lookups").get(1).get("status").asText()).isEqualTo("NOT_LISTED");
    assertThat(root.get("findings")).singleElement()
        .satisfies(f -> assertThat(f.get("code").asText()).isEqualTo("DNSBL_LISTED"));

    Cli.Result text = dnsbl("--zone", "bl.test", "--zone", "clean.test", "192.0.2.1");
    assertThat(text.exit()).isEqualTo(1);
    assertThat(text.out())
        .contains("LISTED      bl.test", "reason Listed: see https://bl.test/lookup?ip=192.0.2.1")
        .contains("not listed  clean.test", "Verdict       LISTED on bl.test");
  }

  @Test
  void notListedAddressIsExitZero() throws Exception {
    Cli.Result r = dnsbl("--json", "--zone", "bl.test", "--zone", "clean.test", "192.0.2.2");

    assertThat(r.exit()).as(r.err()).isEqualTo(0);
    JsonNode root = JSON.readTree(r.out());
    assertThat(root.get("listed").asBoolean()).isFalse();
    assertThat(root.get("lookups").findValuesAsText("status"))
        .containsExactly("NOT_LISTED", "NOT_LISTED");
    assertThat(root.get("findings")).isEmpty();
  }

  @Test
  void rangeListingWithoutReason() throws Exception {
    Cli.Result in = dnsbl("--json", "--zone", "bl.test", "203.0.113.100");
    Cli.Result out = dnsbl("--json", "--zone", "bl.test", "203.0.113.200");

    assertThat(in.exit()).isEqualTo(1);
    JsonNode l = JSON.readTree(in.out()).get("lookups").get(0);
    assertThat(l.get("codes").get(0).asText()).isEqualTo("127.0.0.3");
    assertThat(l.get("reason").isNull()).isTrue();
    assertThat(out.exit()).isEqualTo(0);
  }

  @Test
  void ipv6ListedAndNotListed() throws Exception {
    Cli.Result listed = dnsbl("--json", "--zone", "bl.test", "2001:db8::25");
    Cli.Result clean = dnsbl("--json", "--zone", "bl.test", "2001:db8::26");

    assertThat(listed.exit()).as(listed.err()).isEqualTo(1);
    JsonNode l = JSON.readTree(listed.out()).get("lookups").get(0);
    assertThat(l.get("query").asText())
        .isEqualTo("5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.test");
    assertThat(l.get("reason").asText()).startsWith("IPv6 sender 2001:db8:");
    assertThat(clean.exit()).isEqualTo(0);
    assertThat(JSON.readTree(clean.out()).get("lookups").get(0).get("status").asText())
        .isEqualTo("NOT_LISTED");
  }

  @Test
  void severalCodesAreDecodedWhereTheListDocumentsThem() throws Exception {
    Cli.Result r = dnsbl("--json", "--zone", "zen.spamhaus.org", "192.0.2.44");

    assertThat(r.exit()).isEqualTo(1);
    JsonNode l = JSON.readTree(r.out()).get("lookups").get(0);
    List<String> codes = new ArrayList<>();
    List<String> meanings = new ArrayList<>();
    l.get("codes").forEach(c -> codes.add(c.asText()));
    l.get("meanings").forEach(m -> meanings.add(m.asText()));
    assertThat(codes).containsExactlyInAnyOrder("127.0.0.2", "127.0.0.4");
    // meanings[i] belongs to codes[i]
    assertThat(meanings.get(codes.indexOf("127.0.0.2"))).startsWith("SBL");
    assertThat(meanings.get(codes.indexOf("127.0.0.4"))).startsWith("XBL");
    assertThat(l.get("reason").asText()).contains("SBL 192.0.2.44", "XBL 192.0.2.44");

    Cli.Result text = dnsbl("--zone", "zen.spamhaus.org", "192.0.2.44");
    assertThat(text.out()).contains("code   127.0.0.2  SBL", "code   127.0.0.4  XBL");
  }

  @Test
  void listThatDoesNotAnswerIsAnErrorRow() throws Exception {
    try (RbldnsdServer silent = RbldnsdServer.builder().listed("slow.test", "192.0.2.1").start()) {
      silent.suspend();
      Cli.Result r = Cli.run("dnsbl", "--json", "--dns", "127.0.0.1:" + silent.port(),
          "--timeout", "300ms", "--zone", "slow.test", "192.0.2.1");

      assertThat(r.exit()).isEqualTo(1); // nothing answered: nothing is known
      JsonNode root = JSON.readTree(r.out());
      JsonNode l = root.get("lookups").get(0);
      assertThat(l.get("status").asText()).isEqualTo("ERROR");
      assertThat(l.get("listed").isNull()).isTrue();
      assertThat(l.get("detail").asText()).contains("within the timeout");
      assertThat(root.get("listed").asBoolean()).isFalse();
      assertThat(root.get("findings")).isEmpty();
    }
  }
}
