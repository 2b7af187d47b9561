package dev.smtptls.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smtptls.testkit.dns.MockDnsServer;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.testkit.smtp.MockSmtpServer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code smtptls scan --domains} in-process: domains whose MX is one provider's host on two
 * loopback addresses, over the testkit's DNS server. The zones are unsigned and the DNSSEC anchor
 * is for an unrelated zone, so every answer is validated as insecure.
 */
@Timeout(60)
class ScanDomainsCommandIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TestPki PKI = TestPki.create();
  private static final int CUSTOMERS = 10;

  @TempDir Path dir;

  private final List<AutoCloseable> closing = new ArrayList<>();
  private MockSmtpServer first;
  private MockSmtpServer second;
  private MockDnsServer dns;
  private Path rootPem;
  private Path anchor;

  @BeforeEach
  void start() throws Exception {
    first = smtp("127.0.0.1", 0);
    second = smtp("127.0.0.2", first.port());
    MockDnsServer.Builder zone = MockDnsServer.builder()
        .a("mx.provider.test", "127.0.0.1")
        .a("mx.provider.test", "127.0.0.2");
    for (int i = 0; i < CUSTOMERS; i++) {
      zone.mx("c" + i + ".test", 10, "mx.provider.test");
    }
    dns = zone.start();
    closing.add(dns);
    rootPem = Files.writeString(dir.resolve("root.pem"), TestPki.pem(PKI.root().certificate()));
    anchor = Files.writeString(dir.resolve("anchor.ds"),
        "unrelated.example. IN DS 12345 13 2 " + "AB".repeat(32) + "\n");
  }

  private MockSmtpServer smtp(String bind, int port) throws Exception {
    MockSmtpServer s = MockSmtpServer.builder().bindAddress(InetAddress.getByName(bind)).port(port)
        .fqdn("mx.provider.test").certificate(PKI.leaf("mx.provider.test")).build().start();
    closing.add(s);
    return s;
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  private Cli.Result scan(Path input, String... extra) {
    List<String> args = new ArrayList<>(List.of("scan", "--domains", "--input", input.toString(),
        "--dns", "127.0.0.1:" + dns.port(), "--dnssec-anchor", anchor.toString(),
        "--smtp-port", Integer.toString(first.port()), "--trust", rootPem.toString(), "--revocation", "none",
        "--timeout", "5s", "--concurrency", "4", "--per-host", "2"));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  private static List<String> customers() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < CUSTOMERS; i++) {
      lines.add("c" + i + ".test");
    }
    return lines;
  }

  @Test
  void oneDomainJsonObjectPerLineWithTheProvidersMxProbedOncePerAddress() throws Exception {
    List<String> lines = new ArrayList<>(List.of("# customers"));
    lines.addAll(customers());
    lines.addAll(List.of("", "not a domain!", "gone.test"));
    Path file = Files.write(dir.resolve("domains.txt"), lines);

    Cli.Result r = scan(file);

    assertThat(r.exit()).as(r.err()).isEqualTo(SmtpTlsCommand.EXIT_FINDINGS);
    List<String> out = r.out().lines().toList();
    assertThat(out).hasSize(CUSTOMERS + 2);
    Map<Long, JsonNode> byLine = new TreeMap<>();
    for (String l : out) {
      assertThat(l).doesNotContain("\n  ");
      JsonNode o = JSON.readTree(l);
      byLine.put(o.get("line").asLong(), o);
    }
    JsonNode c0 = byLine.get(2L);
    assertThat(c0.get("input").asText()).isEqualTo("c0.test");
    assertThat(c0.get("error").isNull()).isTrue();
    // The domain command's object: the same fields, after line, input and error.
    assertThat(fieldNames(c0)).startsWith("line", "input", "error")
        .contains("tool", "domain", "startedAt", "durationMs", "summary", "dns", "mx", "mtaSts", "tlsRpt", "findings",
            "aborted");
    assertThat(c0.get("domain").asText()).isEqualTo("c0.test");
    assertThat(c0.get("mx").get("status").asText()).isEqualTo("MX");

    List<JsonNode> addresses = new ArrayList<>();
    for (long line = 2; line < 2 + CUSTOMERS; line++) {
      JsonNode d = byLine.get(line);
      assertThat(d.get("aborted").asBoolean()).isFalse();
      JsonNode host = d.get("mx").get("hosts").get(0);
      assertThat(host.get("host").asText()).isEqualTo("mx.provider.test");
      host.get("addresses").forEach(addresses::add);
    }
    assertThat(addresses).hasSize(2 * CUSTOMERS)
        .allSatisfy(a -> assertThat(a.get("probe").get("startTls").get("status").asText()).isEqualTo("UPGRADED"));
    assertThat(addresses).filteredOn(a -> !a.get("probeReused").asBoolean())
        .extracting(a -> a.get("address").asText()).containsExactlyInAnyOrder("127.0.0.1", "127.0.0.2");
    assertThat(first.connectionCount()).isEqualTo(1);
    assertThat(second.connectionCount()).isEqualTo(1);
    // The provider's MX host is looked up once for the whole scan: DNS answers are shared too.
    assertThat(dns.queries()).filteredOn(q -> q.equals("mx.provider.test. A")).hasSize(1);
    assertThat(dns.queries()).filteredOn(q -> q.equals("c0.test. MX")).hasSize(1);

    JsonNode bad = byLine.get(2L + CUSTOMERS + 1);
    assertThat(bad.get("input").asText()).isEqualTo("not a domain!");
    assertThat(bad.get("error").asText()).contains("not a domain name");
    assertThat(bad.has("domain")).isFalse();
    JsonNode gone = byLine.get(2L + CUSTOMERS + 2);
    assertThat(gone.get("mx").get("status").asText()).isEqualTo("NONE");
    assertThat(gone.get("findings").get(0).get("code").asText()).isEqualTo("MX_NONE");

    assertThat(r.err()).doesNotContain("\r");
    assertThat(r.errLines()).last().asString()
        .startsWith("scan: " + (CUSTOMERS + 2) + " domains")
        .contains("2 probes, " + (2 * CUSTOMERS - 2) + " reused", "1 with ERROR findings", "1 malformed line");
  }

  @Test
  void withoutDedupeEveryDomainProbesEveryAddress() throws Exception {
    Path file = Files.write(dir.resolve("domains.txt"), customers());

    Cli.Result r = scan(file, "--no-dedupe", "--fast");

    assertThat(r.exit()).as(r.err()).isEqualTo(SmtpTlsCommand.EXIT_OK);
    assertThat(r.out().lines()).hasSize(CUSTOMERS);
    assertThat(first.connectionCount()).isEqualTo(CUSTOMERS);
    assertThat(second.connectionCount()).isEqualTo(CUSTOMERS);
    assertThat(r.errLines()).last().asString().contains(2 * CUSTOMERS + " probes, 0 reused");
    assertThat(dns.queries()).filteredOn(q -> q.equals("mx.provider.test. A")).hasSizeGreaterThanOrEqualTo(CUSTOMERS);
  }

  @Test
  void domainOptionsWithoutDomainsAndBadValuesAreUsageErrors() throws Exception {
    Path file = Files.write(dir.resolve("hosts.txt"), List.of("127.0.0.1:" + first.port()));

    for (String[] extra : List.of(new String[] {"--smtp-port", "2525"}, new String[] {"--no-dedupe"},
        new String[] {"--dnssec-anchor", anchor.toString()}, new String[] {"--domain-concurrency", "2"})) {
      Cli.Result r = Cli.run(concat(new String[] {"scan", "--input", file.toString()}, extra));
      assertThat(r.exit()).isEqualTo(SmtpTlsCommand.EXIT_USAGE);
      assertThat(r.errLines()).singleElement().asString().contains(extra[0], "only applies with --domains");
      assertThat(r.out()).isEmpty();
    }

    Cli.Result zero = scan(file, "--domain-concurrency", "0");
    assertThat(zero.exit()).isEqualTo(SmtpTlsCommand.EXIT_USAGE);
    assertThat(zero.err()).contains("--domain-concurrency");

    Cli.Result report = scan(file, "--tlsrpt-report", dir.resolve("rpt.json").toString());
    assertThat(report.exit()).isEqualTo(SmtpTlsCommand.EXIT_USAGE);
    assertThat(report.err()).contains("--tlsrpt-report");
    assertThat(first.connectionCount()).isZero();
  }

  private static List<String> fieldNames(JsonNode o) {
    return StreamSupport.stream(((Iterable<String>) o::fieldNames).spliterator(), false).toList();
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
