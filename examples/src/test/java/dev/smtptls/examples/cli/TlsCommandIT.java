package dev.smtptls.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smtptls.testkit.smtp.MockSmtpServer;
import dev.smtptls.testkit.smtp.SmtpBehaviour;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code smtptls tls} in-process against testkit servers on 127.0.0.1 with restricted TLS. */
class TlsCommandIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GCM_256 = "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
  private static final String CBC_128 = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256";

  private final List<MockSmtpServer> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(MockSmtpServer::close);
  }

  private MockSmtpServer server(SmtpBehaviour b) {
    MockSmtpServer s = MockSmtpServer.builder().behaviour(b).build().start();
    servers.add(s);
    return s;
  }

  private MockSmtpServer tls12TwoSuites() {
    return server(SmtpBehaviour.builder().tlsProtocols("TLSv1.2").cipherSuites(CBC_128, GCM_256).build());
  }

  @Test
  void printsVersionsSuitesInTheServersOrderAndWhatIsNotTestableAsJson() throws Exception {
    MockSmtpServer s = tls12TwoSuites();

    Cli.Result r = Cli.run("tls", "127.0.0.1:" + s.port(), "--timeout", "5s", "--concurrency", "4", "--json");

    assertThat(r.exit()).isEqualTo(SmtpTlsCommand.EXIT_OK);
    JsonNode o = JSON.readTree(r.out());
    assertThat(o.get("tool").get("name").asText()).isEqualTo("smtptls");
    assertThat(o.get("target").get("port").asInt()).isEqualTo(s.port());
    assertThat(o.get("connections").asInt()).isEqualTo(s.connectionCount());
    assertThat(o.get("startTls").get("status").asText()).isEqualTo("UPGRADED");
    JsonNode protocols = o.get("protocols");
    assertThat(protocols).hasSize(4);
    assertThat(protocols.get(0).get("version").asText()).isEqualTo("TLSv1");
    assertThat(protocols.get(0).get("support").asText()).isEqualTo("NOT_TESTABLE");
    assertThat(protocols.get(0).get("detail").asText()).contains("jdk.tls.disabledAlgorithms");
    JsonNode tls12 = protocols.get(2);
    assertThat(tls12.get("support").asText()).isEqualTo("ACCEPTED");
    assertThat(tls12.get("cipherOrder").asText()).isEqualTo("SERVER");
    assertThat(tls12.get("acceptedCipherSuites")).extracting(JsonNode::asText).containsExactly(CBC_128, GCM_256);
    JsonNode first = tls12.get("cipherSuites").get(0);
    assertThat(first.has("name") && first.has("support") && first.has("detail") && first.has("weakness")).isTrue();
    assertThat(protocols.get(3).get("support").asText()).isEqualTo("REJECTED");
    assertThat(o.get("groups").get("support").asText()).isIn("NOT_TESTABLE", "ACCEPTED");
    assertThat(o.get("findings")).isEmpty();
    assertThat(r.err()).isEmpty();
  }

  @Test
  void printsAReadableReport() {
    MockSmtpServer s = tls12TwoSuites();

    Cli.Result r = Cli.run("tls", "127.0.0.1:" + s.port(), "--timeout", "5s");

    assertThat(r.exit()).isEqualTo(SmtpTlsCommand.EXIT_OK);
    assertThat(r.out())
        .contains("TLS 1.2       accepted, the server's order")
        .containsSubsequence("1. " + CBC_128, "2. " + GCM_256)
        .contains("TLS 1.0       not testable")
        .contains("TLS 1.3       rejected")
        .contains("Findings      none");
  }

  @Test
  void exitsOneWhenTheServerCannotBeReachedOverTls() {
    MockSmtpServer s = server(SmtpBehaviour.startTlsNotAdvertised());

    Cli.Result r = Cli.run("tls", "127.0.0.1:" + s.port(), "--timeout", "5s", "--json");

    assertThat(r.exit()).isEqualTo(SmtpTlsCommand.EXIT_FINDINGS);
    assertThat(r.out()).contains("STARTTLS_NOT_OFFERED").contains("INCONCLUSIVE");
  }

  @Test
  void refusesAConcurrencyOutOfRange() {
    Cli.Result r = Cli.run("tls", "127.0.0.1:25", "--concurrency", "0");

    assertThat(r.exit()).isEqualTo(SmtpTlsCommand.EXIT_USAGE);
    assertThat(r.err()).contains("--concurrency");
  }
}
