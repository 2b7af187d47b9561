package dev.smtptls.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtptls.connector.PolicyVerdict.Outcome;
import dev.smtptls.connector.PostfixClientPolicy.Level;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** main.cf and policy table parsing (syntax of postconf(5); fixtures in src/test/resources/postfix). */
class PostfixConfigTest {

  static String resource(String name) throws IOException {
    try (InputStream in = PostfixConfigTest.class.getResourceAsStream("/postfix/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void readsTheFixtureMainCfAndPolicyTable() throws IOException {
    PostfixConfig cf = PostfixConfig.parse(resource("main.cf"), resource("tls_policy"));

    assertThat(cf.parameters())
        .containsEntry("myorigin", "example.org")
        .containsEntry("mydestination", "mx1.example.org, localhost.example.org, localhost")
        .containsEntry("smtpd_tls_chain_files", "/etc/postfix/smtpd-key.pem, /etc/postfix/smtpd-chain.pem")
        .containsEntry("smtpd_tls_security_level", "may")
        .containsEntry("relayhost", "");
    PostfixClientPolicy client = cf.clientPolicy();
    assertThat(client.securityLevel()).isEqualTo(Level.ENCRYPT);
    assertThat(client.mandatoryProtocols()).isEqualTo(">=TLSv1.2");
    assertThat(client.verifyCertMatch()).containsExactly("hostname", ".example.org");
    assertThat(client.policyMap()).extracting(PostfixPolicyEntry::line).containsExactly(
        "[mx1.example.org]:25 verify",
        "example.net secure match=.example.net:example.net",
        "[legacy.example.com] may protocols=!SSLv2:!SSLv3",
        ".example.com encrypt");
    PostfixServerPolicy server = cf.serverPolicy();
    assertThat(server.securityLevel()).isEqualTo("may");
    assertThat(server.myhostname()).isEqualTo("mx1.example.org");
    assertThat(server.receiveProfile().offersStartTls()).isTrue();
    assertThat(server.receiveProfile().requiresTls()).isFalse();
  }

  @Test
  void thePolicyTableDecidesForItsNextHop() throws IOException {
    PostfixClientPolicy client = PostfixConfig.parse(resource("main.cf"), resource("tls_policy")).clientPolicy();

    // [mx1.example.org]:25 verify, with smtp_tls_verify_cert_match from main.cf.
    PolicyVerdict wrong = client.evaluate(PostfixClientPolicyTest.tls(PostfixClientPolicyTest.WRONG_NAME, "TLSv1.3"));
    assertThat(wrong.outcome()).isEqualTo(Outcome.QUEUED);
    assertThat(wrong.smtpResponse()).isEqualTo("Server certificate not verified");
    assertThat(client.evaluate(PostfixClientPolicyTest.tls(PostfixClientPolicyTest.GOOD, "TLSv1.3")).outcome())
        .isEqualTo(Outcome.DELIVERED_TLS);
  }

  @Test
  void withoutThePolicyTableMainCfAlone() throws IOException {
    PostfixClientPolicy client = PostfixConfig.parse(resource("main.cf")).clientPolicy();

    assertThat(client.policyMap()).isEmpty();
    assertThat(client.evaluate(PostfixClientPolicyTest.tls(PostfixClientPolicyTest.WRONG_NAME, "TLSv1.3")).outcome())
        .isEqualTo(Outcome.DELIVERED_TLS);
    assertThat(client.evaluate(PostfixClientPolicyTest.tls(PostfixClientPolicyTest.GOOD, "TLSv1.1")).smtpResponse())
        .isEqualTo("Cannot start TLS: handshake failure");
  }

  @Test
  void expansionLastAssignmentAndEdgeCases() {
    PostfixConfig cf = PostfixConfig.parse("""
        a = one
        b = $a-${a}-$(a) $$a $undefined.
        a = two
        c = ${a?set} ${nothing?set}|${nothing:fallback} ${a:fallback}|
        d = x # not a comment
          # a comment between continuation lines
          y
        loop = $loop!
        """);

    assertThat(cf.parameters()).containsEntry("b", "two-two-two $a .")
        .containsEntry("a", "two")
        .containsEntry("c", "set |fallback |")
        .containsEntry("d", "x # not a comment y")
        .containsEntry("loop", "!");
    assertThat(PostfixConfig.parse("").parameters()).isEmpty();
    assertThat(PostfixConfig.parse("smtp_tls_security_level = dane-only\r\nunknown_thing = 1\r\n").clientPolicy()
        .securityLevel()).isEqualTo(Level.DANE_ONLY);
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of("a = 1\nthis is not a setting\n", "main.cf line 2, column 1: expected \"name = value\""),
        Arguments.of("  indented = 1\n", "main.cf line 1, column 1: a continuation line"),
        Arguments.of("# c\n\n= 1\n", "main.cf line 3, column 1: a parameter name is missing"),
        Arguments.of("a = 1\nbad name = 2\n", "main.cf line 2, column 4: ' ' is not allowed"),
        Arguments.of("x = 1\ny = ${x\n", "main.cf line 2, column 5: unbalanced '{'"),
        Arguments.of("x = 1\ny = $(x\n", "main.cf line 2, column 5: unbalanced '('"),
        Arguments.of("x = cost 5$\n", "main.cf line 1, column 11: '$' at the end"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("errors")
  void mainCfErrorsNameLineAndColumn(String text, String message) {
    assertThatThrownBy(() -> PostfixConfig.parse(text))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
  }

  @Test
  void policyTableErrorsNameLineAndColumn() {
    assertThatThrownBy(() -> PostfixConfig.parse("", "# table\n[a]:25 may\n[b]:25  verify matcher=x\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("smtp_tls_policy_maps line 3, column 16: unknown attribute \"matcher=x\"");
    assertThatThrownBy(() -> PostfixConfig.parse("", "[a]:25 sure\n"))
        .hasMessageStartingWith("smtp_tls_policy_maps line 1, column 8: ")
        .hasMessageContaining("unknown security level \"sure\"");
    assertThatThrownBy(() -> PostfixConfig.parse("", "lonely\n"))
        .hasMessageStartingWith("smtp_tls_policy_maps line 1, column 7: expected");
  }

  @Test
  void invalidValuesInMainCfNameTheParameter() {
    PostfixConfig cf = PostfixConfig.parse("smtp_tls_security_level = fingerprint\nsmtpd_tls_security_level = always\n");

    assertThatThrownBy(cf::clientPolicy).hasMessageContaining("smtp_tls_fingerprint_cert_match");
    assertThatThrownBy(cf::serverPolicy).hasMessageContaining("smtpd_tls_security_level");
  }
}
