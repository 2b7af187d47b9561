package dev.smtptls.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smtptls.testkit.dns.MockDnsServer;
import dev.smtptls.testkit.dns.Rcode;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code smtptls dnsbl} run in-process against the testkit's {@link MockDnsServer} on loopback:
 * which names it asks (only the zones given), the JSON of CONTRACT.md key for key, exit codes, the
 * text, and usage errors. Every run names its zones and a loopback server: no real list is asked.
 */
@Timeout(60)
class DnsblCommandTest {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final Set<String> TOP_LEVEL = Set.of(
      "tool", "address", "startedAt", "durationMs", "dns", "listed", "lookups", "findings");
  private static final Set<String> LOOKUP = Set.of(
      "zone", "query", "listed", "codes", "meanings", "reason", "status", "detail");

  private static String dns(MockDnsServer server) {
    return "127.0.0.1:" + server.port();
  }

  private static Cli.Result dnsbl(MockDnsServer server, String... args) {
    List<String> all = new ArrayList<>(List.of("dnsbl", "--dns", dns(server), "--timeout", "500ms"));
    all.addAll(List.of(args));
    return Cli.run(all.toArray(String[]::new));
  }

  private static JsonNode json(Cli.Result r) throws Exception {
    assertThat(r.err()).as("stderr").isEmpty();
    JsonNode root = JSON.readTree(r.out());
    assertThat(fields(root)).isEqualTo(TOP_LEVEL);
    for (JsonNode l : root.get("lookups")) {
      assertThat(fields(l)).isEqualTo(LOOKUP);
    }
    return root;
  }

  private static Set<String> fields(JsonNode n) {
    Set<String> s = new TreeSet<>();
    n.fieldNames().forEachRemaining(s::add);
    return s;
  }

  private static MockDnsServer lists() {
    return MockDnsServer.builder()
        .a("1.2.0.192.a.test", "127.0.0.2")
        .a("1.2.0.192.a.test", "127.0.0.4")
        .txt("1.2.0.192.a.test", "Listed: see https://a.test/1")
        .rcode("1.2.0.192.broken.test", Rcode.SERVFAIL)
        .rcode("2.2.0.192.broken.test", Rcode.SERVFAIL)
        .start();
  }

  @Test
  void asksOnlyTheZonesGiven() throws Exception {
    try (MockDnsServer server = lists()) {
      Cli.Result r = dnsbl(server, "--json", "--zone", "a.test", "--zone", "b.test.", "192.0.2.1");

      assertThat(r.exit()).isEqualTo(1);
      assertThat(server.queries()).containsExactly(
          "1.2.0.192.a.test. A", "1.2.0.192.a.test. TXT", "1.2.0.192.b.test. A");
      assertThat(json(r).get("lookups").findValuesAsText("zone")).containsExactly("a.test", "b.test");
    }
  }

  @Test
  void listedJsonHasEveryKeyCodesReasonAndFinding() throws Exception {
    try (MockDnsServer server = lists()) {
      Instant before = Instant.now();
      Cli.Result r = dnsbl(server, "--json", "--zone", "a.test", "--zone", "b.test",
          "--zone", "broken.test", "192.0.2.1");

      assertThat(r.exit()).isEqualTo(1);
      JsonNode root = json(r);
      assertThat(root.get("tool").get("name").asText()).isEqualTo("smtptls");
      assertThat(root.get("address").asText()).isEqualTo("192.0.2.1");
      assertThat(Instant.parse(root.get("startedAt").asText())).isAfterOrEqualTo(before.minusSeconds(1));
      assertThat(root.get("durationMs").isIntegralNumber()).isTrue();
      assertThat(root.get("dns").get("server").asText()).isEqualTo(dns(server));
      assertThat(root.get("listed").asBoolean()).isTrue();

      JsonNode listed = root.get("lookups").get(0);
      assertThat(listed.get("zone").asText()).isEqualTo("a.test");
      assertThat(listed.get("query").asText()).isEqualTo("1.2.0.192.a.test");
      assertThat(listed.get("listed").asBoolean()).isTrue();
      assertThat(listed.get("status").asText()).isEqualTo("LISTED");
      assertThat(listed.get("codes").findValuesAsText("")).isEmpty();
      assertThat(texts(listed.get("codes"))).containsExactlyInAnyOrder("127.0.0.2", "127.0.0.4");
      assertThat(listed.get("meanings")).hasSize(2).allSatisfy(m -> assertThat(m.isNull()).isTrue());
      assertThat(listed.get("reason").asText()).isEqualTo("Listed: see https://a.test/1");
      assertThat(listed.get("detail").isNull()).isTrue();

      JsonNode clean = root.get("lookups").get(1);
      assertThat(clean.get("listed").isBoolean()).isTrue();
      assertThat(clean.get("listed").asBoolean()).isFalse();
      assertThat(clean.get("status").asText()).isEqualTo("NOT_LISTED");
      assertThat(clean.get("codes")).isEmpty();
      assertThat(clean.get("reason").isNull()).isTrue();
      assertThat(clean.get("detail").isNull()).isTrue();

      JsonNode failed = root.get("lookups").get(2);
      assertThat(failed.get("listed").isNull()).isTrue();
      assertThat(failed.get("status").asText()).isEqualTo("ERROR");
      assertThat(failed.get("reason").isNull()).isTrue();
      assertThat(failed.get("detail").asText()).contains("SERVFAIL");

      assertThat(root.get("findings")).singleElement().satisfies(f -> {
        assertThat(f.get("code").asText()).isEqualTo("DNSBL_LISTED");
        assertThat(f.get("severity").asText()).isEqualTo("ERROR");
        assertThat(f.get("evidence").get("zone").asText()).isEqualTo("a.test");
        assertThat(f.get("evidence").get("address").asText()).isEqualTo("192.0.2.1");
        assertThat(texts(f.get("evidence").get("codes")))
            .containsExactlyInAnyOrder("127.0.0.2", "127.0.0.4");
        assertThat(f.get("evidence").get("reason").asText()).isEqualTo("Listed: see https://a.test/1");
      });
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void notListedIsExitZeroEvenWhenAnotherListFailed() throws Exception {
    try (MockDnsServer server = lists()) {
      Cli.Result r = dnsbl(server, "--json", "--zone", "a.test", "--zone", "broken.test", "192.0.2.2");

      assertThat(r.exit()).as(r.out()).isEqualTo(0);
      JsonNode root = json(r);
      assertThat(root.get("listed").asBoolean()).isFalse();
      assertThat(root.get("lookups").findValuesAsText("status")).containsExactly("NOT_LISTED", "ERROR");
      assertThat(root.get("findings")).isEmpty();
    }
  }

  @Test
  void everyLookupFailedIsExitOneWithoutAListing() throws Exception {
    try (MockDnsServer server = lists()) {
      Cli.Result json = dnsbl(server, "--json", "--zone", "broken.test", "192.0.2.2");
      Cli.Result text = dnsbl(server, "--zone", "broken.test", "192.0.2.2");

      assertThat(json.exit()).isEqualTo(1);
      JsonNode root = json(json);
      assertThat(root.get("listed").asBoolean()).isFalse();
      assertThat(root.get("lookups").findValuesAsText("status")).containsExactly("ERROR");
      assertThat(root.get("findings")).isEmpty();
      assertThat(text.exit()).isEqualTo(1);
      assertThat(text.out()).contains("UNKNOWN: no block list answered");
    }
  }

  @Test
  void timeoutIsAnErrorRow() throws Exception {
    try (MockDnsServer server = MockDnsServer.builder().drop("1.2.0.192.slow.test").start()) {
      Cli.Result r = dnsbl(server, "--json", "--zone", "slow.test", "192.0.2.1");

      JsonNode l = json(r).get("lookups").get(0);
      assertThat(l.get("status").asText()).isEqualTo("ERROR");
      assertThat(l.get("listed").isNull()).isTrue();
      assertThat(l.get("detail").asText()).contains("within the timeout", "500 ms");
      assertThat(r.exit()).isEqualTo(1);
    }
  }

  @Test
  void truncatedUdpAnswerIsAskedAgainOverTcp() throws Exception {
    try (MockDnsServer server = MockDnsServer.builder()
        .a("1.2.0.192.a.test", "127.0.0.2")
        .txt("1.2.0.192.a.test", "over TCP")
        .truncateOverUdp(true)
        .start()) {
      Cli.Result r = dnsbl(server, "--json", "--zone", "a.test", "192.0.2.1");

      assertThat(r.exit()).isEqualTo(1);
      JsonNode l = json(r).get("lookups").get(0);
      assertThat(l.get("status").asText()).isEqualTo("LISTED");
      assertThat(l.get("reason").asText()).isEqualTo("over TCP");
      assertThat(server.udpQueryCount()).isPositive();
      assertThat(server.tcpQueryCount()).isPositive();
    }
  }

  @Test
  void ipv6IsAskedByNibblesAndShownAsGiven() throws Exception {
    String name = "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.a.test";
    try (MockDnsServer server = MockDnsServer.builder().a(name, "127.0.0.3").start()) {
      Cli.Result r = dnsbl(server, "--json", "--zone", "a.test", "2001:db8::1");

      assertThat(r.exit()).isEqualTo(1);
      JsonNode root = json(r);
      assertThat(root.get("lookups").get(0).get("query").asText()).isEqualTo(name);
      assertThat(root.get("lookups").get(0).get("reason").isNull()).isTrue();
      assertThat(server.queries()).contains(name + ". A");
    }
  }

  @Test
  void textShowsEachListWithCodesReasonVerdictAndFix() throws Exception {
    try (MockDnsServer server = lists()) {
      Cli.Result r = dnsbl(server, "--zone", "a.test", "--zone", "b.test", "--zone", "broken.test",
          "192.0.2.1");

      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.err()).isEmpty();
      assertThat(r.out())
          .contains("Address       192.0.2.1")
          .contains("DNS server    " + dns(server))
          .contains("3 asked: 1 listed, 1 not listed, 1 failed")
          .contains("LISTED      a.test")
          .contains("code   127.0.0.2", "code   127.0.0.4")
          .contains("reason Listed: see https://a.test/1")
          .contains("not listed  b.test")
          .contains("ERROR       broken.test")
          .contains("SERVFAIL")
          .contains("Verdict       LISTED on a.test")
          .contains("DNSBL_LISTED");
    }
  }

  @Test
  void notListedText() throws Exception {
    try (MockDnsServer server = lists()) {
      Cli.Result r = dnsbl(server, "--zone", "a.test", "192.0.2.9");

      assertThat(r.exit()).isEqualTo(0);
      assertThat(r.out()).contains("not listed  a.test", "Verdict       not listed", "Findings      none");
    }
  }

  /** A usage error: exit 2, one line on stderr naming the culprit, nothing on stdout. */
  private static void assertUsageError(Cli.Result r, String culprit) {
    assertThat(r.exit()).as("exit code; stderr: %s", r.err()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0)).startsWith("smtptls dnsbl").contains(culprit)
        .doesNotContain("Exception");
  }

  @Test
  void badInputIsAUsageErrorAndAsksNothing() {
    try (MockDnsServer server = lists()) {
      String dns = dns(server);
      assertUsageError(Cli.run("dnsbl", "--dns", dns, "--zone", "a.test", "mail.example.org"),
          "mail.example.org");
      assertUsageError(Cli.run("dnsbl", "--dns", dns, "--zone", "a.test", "192.0.2.256"), "192.0.2.256");
      assertUsageError(Cli.run("dnsbl", "--dns", "dns.example.org", "--zone", "a.test", "192.0.2.1"),
          "dns.example.org");
      assertUsageError(Cli.run("dnsbl", "--dns", "127.0.0.1:99999", "--zone", "a.test", "192.0.2.1"),
          "127.0.0.1:99999");
      assertUsageError(Cli.run("dnsbl", "--dns", "[::1]x", "--zone", "a.test", "192.0.2.1"), "[::1]x");
      assertUsageError(Cli.run("dnsbl", "--dns", dns, "--zone", "bad..zone", "192.0.2.1"), "bad..zone");
      assertUsageError(Cli.run("dnsbl", "--dns", dns, "--zone", "", "192.0.2.1"), "zone");
      assertUsageError(Cli.run("dnsbl", "--dns", dns, "--timeout", "0s", "--zone", "a.test",
          "192.0.2.1"), "0s");
      assertUsageError(Cli.run("dnsbl", "--dns", dns, "--zone", "a.test"), "IP");
      assertThat(server.queryCount()).isZero();
    }
  }

  @Test
  void helpDocumentsTheExitCodes() {
    Cli.Result r = Cli.run("dnsbl", "--help");

    assertThat(r.exit()).isEqualTo(0);
    assertThat(r.out()).contains("--zone", "--dns", "--timeout", "--json",
        "no list answered at all", "zen.spamhaus.org");
  }

  @Test
  void dnsServerConverterTakesIpLiteralsAndPorts() {
    assertThat(DnsServerConverter.parse("127.0.0.1"))
        .isEqualTo(new InetSocketAddress(IpLiterals.parse("127.0.0.1"), 53));
    assertThat(DnsServerConverter.parse("127.0.0.1:5353"))
        .isEqualTo(new InetSocketAddress(IpLiterals.parse("127.0.0.1"), 5353));
    assertThat(DnsServerConverter.parse("[::1]:5353"))
        .isEqualTo(new InetSocketAddress(IpLiterals.parse("::1"), 5353));
    assertThat(DnsServerConverter.parse("[::1]"))
        .isEqualTo(new InetSocketAddress(IpLiterals.parse("::1"), 53));
    assertThat(DnsServerConverter.parse("2001:db8::53"))
        .isEqualTo(new InetSocketAddress(IpLiterals.parse("2001:db8::53"), 53));
    for (String bad : new String[] {
        "localhost", "localhost:53", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:x", "[127.0.0.1]:53",
        "[::1", "[::1]53", "", "1.2.3.4:65536"}) {
      assertThatThrownBy(() -> DnsServerConverter.parse(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not a DNS server");
    }
  }
}
