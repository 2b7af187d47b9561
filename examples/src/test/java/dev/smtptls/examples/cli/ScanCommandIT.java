package dev.smtptls.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.testkit.smtp.MockSmtpServer;
import dev.smtptls.testkit.smtp.SmtpBehaviour;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code smtptls scan} in-process against testkit servers on 127.0.0.1, with a file of targets. */
class ScanCommandIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private MockSmtpServer healthy;
  private MockSmtpServer noStartTls;
  private Path rootPem;

  @BeforeEach
  void start() throws Exception {
    healthy = MockSmtpServer.builder().build().start();
    noStartTls = MockSmtpServer.builder().behaviour(SmtpBehaviour.startTlsNotAdvertised()).build().start();
    rootPem = Files.writeString(dir.resolve("root.pem"), TestPki.pem(healthy.trustAnchor()));
  }

  @AfterEach
  void stop() {
    healthy.close();
    noStartTls.close();
  }

  private Cli.Result scan(Path input, String... extra) {
    List<String> args = new ArrayList<>(List.of("scan", "--input", input.toString(), "--trust", rootPem.toString(),
        "--revocation", "none", "--timeout", "5s", "--concurrency", "4", "--per-host", "2"));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void oneCompactJsonLinePerTargetInCompletionOrderAndASummary() throws Exception {
    List<String> lines = new ArrayList<>();
    lines.add("# fleet");
    for (int i = 0; i < 20; i++) {
      lines.add("127.0.0.1:" + (i % 4 == 3 ? noStartTls.port() : healthy.port()));
    }
    lines.add("");
    lines.add("not a host!");
    Path file = Files.write(dir.resolve("targets.txt"), lines);

    Cli.Result r = scan(file);

    assertThat(r.exit()).isEqualTo(SmtpTlsCommand.EXIT_FINDINGS);
    List<String> out = r.out().lines().toList();
    assertThat(out).hasSize(21);
    Map<Long, JsonNode> byLine = new TreeMap<>();
    for (String l : out) {
      JsonNode o = JSON.readTree(l);
      assertThat(l).doesNotContain("\n  ");
      byLine.put(o.get("line").asLong(), o);
    }
    assertThat(byLine.keySet()).hasSize(21).contains(2L, 21L, 23L);
    JsonNode bad = byLine.get(23L);
    assertThat(bad.get("input").asText()).isEqualTo("not a host!");
    assertThat(bad.get("error").asText()).contains("not a valid host name");
    JsonNode first = byLine.get(2L);
    assertThat(first.get("error").isNull()).isTrue();
    assertThat(first.get("startTls").get("status").asText()).isEqualTo("UPGRADED");
    assertThat(first.get("target").get("port").asInt()).isEqualTo(healthy.port());
    assertThat(first.get("certificates")).hasSize(healthy.certificateChain().size());
    assertThat(first.has("timings")).isTrue();
    assertThat(byLine.get(5L).get("startTls").get("status").asText()).isEqualTo("NOT_OFFERED");
    assertThat(byLine.values()).filteredOn(o -> o.has("startTls"))
        .extracting(o -> o.get("startTls").get("status").asText())
        .containsOnly("UPGRADED", "NOT_OFFERED");

    assertThat(r.err()).doesNotContain("\r");
    assertThat(r.errLines()).last().asString()
        .startsWith("scan: 21 results")
        .contains("UPGRADED 15", "NOT_OFFERED 5", "5 with ERROR findings", "1 malformed line");
    assertThat(healthy.connectionCount()).isEqualTo(15);
  }

  @Test
  void exitZeroWhenEveryTargetIsFine() throws Exception {
    Path file = Files.write(dir.resolve("ok.txt"), List.of("127.0.0.1:" + healthy.port(), "127.0.0.1:" + healthy.port()));
    Cli.Result r = scan(file, "--fast");
    assertThat(r.exit()).isEqualTo(SmtpTlsCommand.EXIT_OK);
    assertThat(r.out().lines()).hasSize(2)
        .allSatisfy(l -> assertThat(JSON.readTree(l).get("ehloAfterTls").isNull()).isTrue());
  }

  @Test
  void resumeSessionsResumesARepeatedTargetAndSaysSoInTheJson() throws Exception {
    String target = "127.0.0.1:" + healthy.port();
    Path file = Files.write(dir.resolve("repeated.txt"), List.of(target, target, target));
    List<String> args = List.of("scan", "--input", file.toString(), "--trust", rootPem.toString(),
        "--revocation", "none", "--timeout", "5s", "--concurrency", "1");

    Cli.Result full = Cli.run(args.toArray(String[]::new));
    int fullHandshakes = healthy.fullHandshakeCount();
    List<String> resuming = new ArrayList<>(args);
    resuming.add("--resume-sessions");
    Cli.Result resumed = Cli.run(resuming.toArray(String[]::new));

    assertThat(full.exit()).isEqualTo(SmtpTlsCommand.EXIT_OK);
    assertThat(resumedFlags(full)).containsExactly(false, false, false);
    assertThat(fullHandshakes).isEqualTo(3);
    assertThat(resumed.exit()).isEqualTo(SmtpTlsCommand.EXIT_OK);
    assertThat(resumedFlags(resumed)).containsExactly(false, true, true);
    assertThat(healthy.fullHandshakeCount() - fullHandshakes).as("full handshakes with --resume-sessions").isEqualTo(1);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : resumed.out().lines().toList()) {
      lines.add(JSON.readTree(line));
    }
    assertThat(lines).extracting(o -> o.get("certificates").size()).containsOnly(healthy.certificateChain().size());
    assertThat(lines).extracting(o -> o.get("certificates").toString()).containsOnly(lines.get(0).get("certificates").toString());
    assertThat(lines).extracting(o -> o.get("findings").toString()).containsOnly(lines.get(0).get("findings").toString());
  }

  /** {@code startTls.resumed} of each JSON line, by input line. */
  private static List<Boolean> resumedFlags(Cli.Result r) throws Exception {
    Map<Long, Boolean> byLine = new TreeMap<>();
    for (String l : r.out().lines().toList()) {
      JsonNode o = JSON.readTree(l);
      byLine.put(o.get("line").asLong(), o.get("startTls").get("resumed").asBoolean());
    }
    return List.copyOf(byLine.values());
  }

  @Test
  void unreadableFileAndSingleTargetOptionsAreUsageErrors() {
    Cli.Result missing = scan(dir.resolve("missing.txt"));
    assertThat(missing.exit()).isEqualTo(SmtpTlsCommand.EXIT_USAGE);
    assertThat(missing.errLines()).hasSize(1).first().asString().contains("missing.txt");
    assertThat(missing.out()).isEmpty();

    Cli.Result address = scan(dir.resolve("missing.txt"), "--address", "127.0.0.1");
    assertThat(address.exit()).isEqualTo(SmtpTlsCommand.EXIT_USAGE);
    assertThat(address.err()).contains("--address");

    Cli.Result zero = scan(dir.resolve("missing.txt"), "--per-host", "0");
    assertThat(zero.exit()).isEqualTo(SmtpTlsCommand.EXIT_USAGE);
  }
}
