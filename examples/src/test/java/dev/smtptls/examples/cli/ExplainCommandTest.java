package dev.smtptls.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * {@code smtptls explain} in-process: every line the issue lists gives exit 0 and the expected
 * first cause in the JSON of CONTRACT.md; an unknown reply exits 1 with its replies; text without
 * any reply exits 2 with one line on stderr. Texts follow the seed write-up, Microsoft's NDR
 * reference for Exchange Online and Postfix's smtp_proto.c / smtpd.
 */
class ExplainCommandTest {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static Set<String> fields(JsonNode n) {
    Set<String> s = new TreeSet<>();
    n.fieldNames().forEachRemaining(s::add);
    return s;
  }

  private static JsonNode json(Cli.Result r) throws Exception {
    assertThat(r.err()).as("stderr").isEmpty();
    JsonNode root = JSON.readTree(r.out());
    assertThat(fields(root)).isEqualTo(Set.of("tool", "explained", "replies", "causes"));
    for (JsonNode reply : root.get("replies")) {
      assertThat(fields(reply)).isEqualTo(Set.of("code", "enhancedStatus", "text"));
    }
    for (JsonNode c : root.get("causes")) {
      assertThat(fields(c)).isEqualTo(Set.of("code", "summary", "checks", "remediations"));
      for (JsonNode rem : c.get("remediations")) {
        assertThat(fields(rem)).isEqualTo(Set.of("text", "command"));
      }
    }
    return root;
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      451 4.4.0 Primary target IP address responded with: "451 5.7.3 STARTTLS is required to send mail." | RECEIVER_STARTTLS_NOT_CONFIGURED
      451 4.4.0 Primary target IP address responded with: "451 5.7.3 Must issue a STARTTLS command first." | SENDER_TLS_NOT_CONFIGURED
      530 5.7.0 Must issue a STARTTLS command first | SENDER_TLS_NOT_CONFIGURED
      454 4.7.0 TLS not available due to local problem | RECEIVER_TLS_LOCAL_PROBLEM
      450 4.4.316 Connection refused [Message=Socket error code 10061] | CONNECTION_REFUSED
      550 4.4.7 QUEUE.Expired; message expired | MESSAGE_EXPIRED
      550 5.4.300 Message expired | MESSAGE_EXPIRED
      550 5.7.321 starttls-not-supported: Destination mail server must support TLS to receive mail. | DANE_STARTTLS_NOT_SUPPORTED
      550 5.7.322 certificate-expired: Destination mail server's certificate is expired. | DANE_CERT_EXPIRED
      550 5.7.323 tlsa-invalid: The domain failed DANE validation. | DANE_TLSA_INVALID
      550 5.7.324 dnssec-invalid: Destination domain returned invalid DNSSEC records | DANE_DNSSEC_INVALID
      550 5.7.606 Access denied, banned sending IP [192.0.2.1] | SENDING_IP_BANNED
      550 5.7.649 Access denied, banned sending IP [192.0.2.1] | SENDING_IP_BANNED
      550 5.7.708 Access denied, traffic not accepted from this IP | TENANT_SENDING_BLOCKED
      550 5.7.64 TenantAttribution; Relay Access Denied | INBOUND_CONNECTOR_MISMATCH
      550 5.7.506 Access Denied, Bad HELO | BAD_HELO
      TLS is required, but was not offered by host mx.example.org[192.0.2.10] | RECEIVER_STARTTLS_NOT_CONFIGURED
      dsn=4.7.4, status=deferred (TLS is required, but was not offered by host mx.example.org[192.0.2.10]) | RECEIVER_STARTTLS_NOT_CONFIGURED
      TLS is required, but host mx.example.org[192.0.2.10] refused to start TLS: 454 4.7.0 TLS not available due to local problem | RECEIVER_TLS_LOCAL_PROBLEM
      """)
  void explainsEveryListedLine(String line, String firstCause) throws Exception {
    Cli.Result r = Cli.run("explain", "--json", line);

    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode root = json(r);
    assertThat(root.get("explained").asBoolean()).isTrue();
    assertThat(root.get("causes").get(0).get("code").asText()).isEqualTo(firstCause);
  }

  @Test
  void nestedRepliesOutermostFirstInJson() throws Exception {
    JsonNode root = json(Cli.run("explain", "--json",
        "451 4.4.0 Primary target IP address responded with: \"451 5.7.3 STARTTLS is required to send mail.\""));

    JsonNode replies = root.get("replies");
    assertThat(replies).hasSize(2);
    assertThat(replies.get(0).get("code").asInt()).isEqualTo(451);
    assertThat(replies.get(0).get("enhancedStatus").asText()).isEqualTo("4.4.0");
    assertThat(replies.get(1).get("enhancedStatus").asText()).isEqualTo("5.7.3");
    assertThat(replies.get(1).get("text").asText()).isEqualTo("STARTTLS is required to send mail.");
    assertThat(root.get("causes").get(0).get("remediations").get(0).has("command")).isTrue();
  }

  @Test
  void absentCodeIsNullNotMissing() throws Exception {
    JsonNode root = json(Cli.run("explain", "--json", "TLS is required, but our TLS engine is unavailable"));

    JsonNode reply = root.get("replies").get(0);
    assertThat(reply.get("code").isNull()).isTrue();
    assertThat(reply.get("enhancedStatus").isNull()).isTrue();
  }

  @Test
  void unknownReplyExitsOneWithItsReplies() throws Exception {
    Cli.Result r = Cli.run("explain", "--json", "552 5.3.4 Message size exceeds fixed limit");

    assertThat(r.exit()).isEqualTo(1);
    JsonNode root = json(r);
    assertThat(root.get("explained").asBoolean()).isFalse();
    assertThat(root.get("causes")).isEmpty();
    assertThat(root.get("replies").get(0).get("code").asInt()).isEqualTo(552);
  }

  @Test
  void textWithoutReplyIsUsageError() {
    Cli.Result r = Cli.run("explain", "no", "reply", "here");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).startsWith("smtptls explain: no SMTP reply code");
  }

  @Test
  void wordsAreJoinedAndTextIsReadable() {
    Cli.Result r = Cli.run("explain", "530", "5.7.0", "Must", "issue", "a", "STARTTLS", "command", "first");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("530 5.7.0 Must issue a STARTTLS command first")
        .contains("1. SENDER_TLS_NOT_CONFIGURED")
        .contains("Enable-ExchangeCertificate -Thumbprint <SHA-1 thumbprint> -Services SMTP");
  }
}
