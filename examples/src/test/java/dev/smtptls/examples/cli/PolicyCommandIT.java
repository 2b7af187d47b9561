package dev.smtptls.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smtptls.connector.ForcedPolicy;
import dev.smtptls.testkit.smtp.MockSmtpServerExtension;
import dev.smtptls.testkit.smtp.SmtpBehaviour;
import dev.smtptls.testkit.pki.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code smtptls policy} end to end: the testkit's server on 127.0.0.1 probed or read back from a
 * probe's JSON, judged by connectors given as specs, as ConvertTo-Json files and as a main.cf;
 * the exit codes of CONTRACT.md (0 over TLS, 1 not, 2 a connector the product would refuse).
 */
class PolicyCommandIT {

  @RegisterExtension static final MockSmtpServerExtension smtp = MockSmtpServerExtension.create();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private Path rootPem;

  @BeforeEach
  void writeRoot() throws IOException {
    rootPem = Files.writeString(dir.resolve("root.pem"), TestPki.pem(smtp.server().trustAnchor()));
  }

  private Cli.Result policy(String... args) {
    List<String> all = new ArrayList<>(List.of("policy"));
    all.addAll(List.of(args));
    return Cli.run(all.toArray(String[]::new));
  }

  private String target() {
    return smtp.server().fqdn() + ":" + smtp.server().port();
  }

  private String[] probeOptions() {
    return new String[] {"--address", "127.0.0.1", "--trust", rootPem.toString(), "--revocation", "none"};
  }

  private Cli.Result judge(String connector, String... more) {
    List<String> args = new ArrayList<>(List.of("--connector", connector, "--target", target()));
    args.addAll(List.of(probeOptions()));
    args.addAll(List.of(more));
    return policy(args.toArray(String[]::new));
  }

  @Test
  void aForcedTlsSendConnectorQueuesWithExchangesTextWhenStartTlsIsMissing() throws Exception {
    smtp.server().behave(SmtpBehaviour.startTlsNotAdvertised());

    Cli.Result r = judge("exchange-send:RequireTLS=true", "--json");

    assertThat(r.exit()).isEqualTo(1);
    JsonNode j = JSON.readTree(r.out());
    for (String key : List.of("outcome", "smtpResponse", "reasons", "remediations")) {
      assertThat(j.has(key)).as(key).isTrue();
    }
    assertThat(j.get("outcome").asText()).isEqualTo("QUEUED");
    assertThat(j.get("smtpResponse").asText()).isEqualTo(ForcedPolicy.STARTTLS_REQUIRED_RESPONSE);
    assertThat(j.get("reasons").findValuesAsText("code")).contains("STARTTLS_NOT_OFFERED");
    assertThat(j.get("remediations").get(0).has("command")).isTrue();
  }

  @Test
  void anOpportunisticConnectorDeliversInClearAndExitsOne() throws Exception {
    smtp.server().behave(SmtpBehaviour.startTlsNotAdvertised());

    Cli.Result r = judge("opportunistic", "--json");

    assertThat(JSON.readTree(r.out()).get("outcome").asText()).isEqualTo("DELIVERED_PLAINTEXT");
    assertThat(r.exit()).isEqualTo(1);
  }

  @Test
  void domainValidationAgainstTheServersNameDeliversOverTlsAndExitsZero() throws Exception {
    smtp.server().behave(SmtpBehaviour.healthy());

    Cli.Result r = judge("exo-outbound:TlsSettings=DomainValidation,TlsDomain=" + smtp.server().fqdn(), "--json");

    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(JSON.readTree(r.out()).get("outcome").asText()).isEqualTo("DELIVERED_TLS");
    assertThat(JSON.readTree(r.out()).get("smtpResponse").isNull()).isTrue();
  }

  @Test
  void anEarlierProbesJsonGivesTheSameVerdictWithoutProbingAgain() throws Exception {
    smtp.server().behave(SmtpBehaviour.startTlsRefused());
    List<String> probe = new ArrayList<>(List.of("probe", target(), "--json"));
    probe.addAll(List.of(probeOptions()));
    Path report = Files.writeString(dir.resolve("probe.json"), Cli.run(probe.toArray(String[]::new)).out());
    Cli.Result live = judge("forced", "--json");
    int connections = smtp.server().connectionCount();

    Cli.Result read = policy("--connector", "forced", "--report", report.toString(), "--json");

    assertThat(smtp.server().connectionCount()).as("no new probe").isEqualTo(connections);
    JsonNode a = JSON.readTree(live.out());
    JsonNode b = JSON.readTree(read.out());
    assertThat(b.get("outcome")).isEqualTo(a.get("outcome"));
    assertThat(b.get("smtpResponse").asText()).isEqualTo(a.get("smtpResponse").asText()).startsWith("451 4.4.0");
    assertThat(read.exit()).isEqualTo(1);
  }

  @Test
  void aConvertToJsonFileWithSeveralConnectorsNeedsASelection() throws Exception {
    smtp.server().behave(SmtpBehaviour.healthy());
    Path file = Files.writeString(dir.resolve("send.json"), """
        [ {"Name": "To partner", "RequireTLS": true, "TlsAuthLevel": "CertificateValidation",
           "IgnoreSTARTTLS": false, "DNSRoutingEnabled": true, "AddressSpaces": ["smtp:fabrikam.com;1"]},
          {"Name": "Internet", "RequireTLS": false, "IgnoreSTARTTLS": false, "DNSRoutingEnabled": true,
           "AddressSpaces": ["smtp:*;1"]} ]
        """);
    List<String> args = new ArrayList<>(List.of("--connector-file", file.toString(), "--target", target()));
    args.addAll(List.of(probeOptions()));

    Cli.Result ambiguous = policy(args.toArray(String[]::new));
    assertThat(ambiguous.exit()).isEqualTo(2);
    assertThat(ambiguous.errLines()).singleElement().asString().contains("--select").contains("\"To partner\"");

    args.addAll(List.of("--select", "to partner", "--json"));
    Cli.Result r = policy(args.toArray(String[]::new));
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = JSON.readTree(r.out());
    assertThat(j.at("/connector/kind").asText()).isEqualTo("exchange-send");
    assertThat(j.at("/connector/name").asText()).isEqualTo("To partner");
    assertThat(j.get("outcome").asText()).isEqualTo("DELIVERED_TLS");
  }

  @Test
  void aConnectorFileWrittenByWindowsPowerShellOutFileIsRead() throws Exception {
    // Windows PowerShell 5.1's Out-File (and ">") writes UTF-16 LE with a byte order mark.
    smtp.server().behave(SmtpBehaviour.startTlsNotAdvertised());
    String json = "{\"Name\": \"To partner\", \"RequireTLS\": true, \"IgnoreSTARTTLS\": false,"
        + " \"DNSRoutingEnabled\": true}";
    byte[] text = json.getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
    byte[] withBom = new byte[text.length + 2];
    withBom[0] = (byte) 0xFF;
    withBom[1] = (byte) 0xFE;
    System.arraycopy(text, 0, withBom, 2, text.length);
    Path file = Files.write(dir.resolve("send-utf16.json"), withBom);
    List<String> args = new ArrayList<>(List.of("--connector-file", file.toString(), "--target", target(), "--json"));
    args.addAll(List.of(probeOptions()));

    Cli.Result r = policy(args.toArray(String[]::new));

    assertThat(r.err()).isEmpty();
    JsonNode j = JSON.readTree(r.out());
    assertThat(j.at("/connector/kind").asText()).isEqualTo("exchange-send");
    assertThat(j.get("outcome").asText()).isEqualTo("QUEUED");
    assertThat(r.exit()).isEqualTo(1);
  }

  @Test
  void aPostfixMainCfIsJudgedByItsSmtpClientSettings() throws Exception {
    smtp.server().behave(SmtpBehaviour.startTlsNotAdvertised());
    Path mainCf = Files.writeString(dir.resolve("main.cf"), """
        # the sending side
        compatibility_level = 3.6
        smtp_tls_security_level = encrypt
        smtpd_tls_security_level = may
        """);
    List<String> args = new ArrayList<>(List.of("--connector-file", mainCf.toString(), "--target", target(), "--json"));
    args.addAll(List.of(probeOptions()));

    Cli.Result r = policy(args.toArray(String[]::new));

    JsonNode j = JSON.readTree(r.out());
    assertThat(j.at("/connector/kind").asText()).isEqualTo("postfix");
    assertThat(j.get("outcome").asText()).isEqualTo("QUEUED");
    assertThat(j.get("smtpResponse").asText()).contains("TLS is required, but was not offered by host");
    assertThat(r.exit()).isEqualTo(1);
  }

  @Test
  void aConnectorTheProductWouldRefuseIsAUsageErrorNamingTheParameter() {
    Cli.Result r = judge("exchange-send:TlsAuthLevel=DomainValidation");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines()).singleElement().asString().contains("TlsAuthLevel");
    assertThat(r.out()).isEmpty();
    assertThat(judge("exchange-send:RequireTSL=true").errLines()).singleElement().asString().contains("RequireTSL");
    assertThat(judge("nosuchkind").exit()).isEqualTo(2);
    Cli.Result both = policy("--connector", "forced", "--connector-file", "x.json", "--target", target());
    assertThat(both.exit()).isEqualTo(2);
  }

  @Test
  void textSaysTheOutcomeTheLoggedLineAndTheFix() {
    smtp.server().behave(SmtpBehaviour.startTlsNotAdvertised());

    Cli.Result r = judge("exchange-send:RequireTLS=true");

    assertThat(r.out()).contains("Outcome       QUEUED")
        .contains("Logged        " + ForcedPolicy.STARTTLS_REQUIRED_RESPONSE)
        .contains("STARTTLS_NOT_OFFERED")
        .contains("Fix");
  }
}
