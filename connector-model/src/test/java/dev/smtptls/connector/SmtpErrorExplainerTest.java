package dev.smtptls.connector;

import static dev.smtptls.connector.SmtpErrorExplainer.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link SmtpErrorExplainer} over the lines the issue lists. The texts follow: the seed write-up
 * (451 4.4.0 / 451 5.7.3, both texts), Microsoft's "Email non-delivery reports in Exchange Online"
 * and "Mail flow intelligence in EOP" tables, Postfix's smtp_proto.c (client texts) and smtpd
 * (530 5.7.0, 454 4.7.0 as reference/exchange-postfix-tls.md gives them).
 */
class SmtpErrorExplainerTest {

  static final String STARTTLS_REQUIRED =
      "451 4.4.0 Primary target IP address responded with: \"451 5.7.3 STARTTLS is required to send mail.\"";
  static final String MUST_ISSUE =
      "451 4.4.0 Primary target IP address responded with: \"451 5.7.3 Must issue a STARTTLS command first.\"";

  static Stream<Arguments> lines() {
    return Stream.of(
        Arguments.of(STARTTLS_REQUIRED, RECEIVER_STARTTLS_NOT_CONFIGURED, List.of("4.4.0", "5.7.3")),
        Arguments.of(MUST_ISSUE, SENDER_TLS_NOT_CONFIGURED, List.of("4.4.0", "5.7.3")),
        Arguments.of("530 5.7.0 Must issue a STARTTLS command first", SENDER_TLS_NOT_CONFIGURED,
            List.of("5.7.0")),
        Arguments.of("454 4.7.0 TLS not available due to local problem", RECEIVER_TLS_LOCAL_PROBLEM,
            List.of("4.7.0")),
        Arguments.of("450 4.4.316 Connection refused [Message=Socket error code 10061]",
            CONNECTION_REFUSED, List.of("4.4.316")),
        Arguments.of("4.4.316", CONNECTION_REFUSED, List.of("4.4.316")),
        Arguments.of("550 4.4.7 QUEUE.Expired; message expired", MESSAGE_EXPIRED, List.of("4.4.7")),
        Arguments.of("550 5.4.300 Message expired", MESSAGE_EXPIRED, List.of("5.4.300")),
        Arguments.of("550 5.7.321 starttls-not-supported: Destination mail server must support TLS to"
            + " receive mail.", DANE_STARTTLS_NOT_SUPPORTED, List.of("5.7.321")),
        Arguments.of("550 5.7.322 certificate-expired: Destination mail server's certificate is"
            + " expired.", DANE_CERT_EXPIRED, List.of("5.7.322")),
        Arguments.of("550 5.7.323 tlsa-invalid: The domain failed DANE validation.", DANE_TLSA_INVALID,
            List.of("5.7.323")),
        Arguments.of("550 5.7.324 dnssec-invalid: Destination domain returned invalid DNSSEC records",
            DANE_DNSSEC_INVALID, List.of("5.7.324")),
        Arguments.of("450 4.7.321 starttls-not-supported: Destination mail server must support TLS to"
            + " receive mail.", DANE_STARTTLS_NOT_SUPPORTED, List.of("4.7.321")),
        Arguments.of("550 5.7.606 Access denied, banned sending IP [192.0.2.1]", SENDING_IP_BANNED,
            List.of("5.7.606")),
        Arguments.of("550 5.7.649 Access denied, banned sending IP [192.0.2.1]", SENDING_IP_BANNED,
            List.of("5.7.649")),
        Arguments.of("550 5.7.708 Access denied, traffic not accepted from this IP.",
            TENANT_SENDING_BLOCKED, List.of("5.7.708")),
        Arguments.of("Remote Server returned '550 5.7.64 TenantAttribution; Relay Access Denied'",
            INBOUND_CONNECTOR_MISMATCH, List.of("5.7.64")),
        Arguments.of("550 5.7.506 Access Denied, Bad HELO", BAD_HELO, List.of("5.7.506")),
        Arguments.of("TLS is required, but was not offered by host mx.example.org[192.0.2.10]",
            RECEIVER_STARTTLS_NOT_CONFIGURED, List.of()),
        Arguments.of("Oct 10 19:12:13 sender postfix/smtp[1711]: 62D3F481249: to=<a@example.org>,"
            + " relay=mx.example.org[192.0.2.10]:25, delay=0.07, delays=0.03/0.01/0.03/0, dsn=4.7.4,"
            + " status=deferred (TLS is required, but was not offered by host"
            + " mx.example.org[192.0.2.10])", RECEIVER_STARTTLS_NOT_CONFIGURED, List.of("4.7.4")),
        Arguments.of("TLS is required, but host mx.example.org[192.0.2.10] refused to start TLS: 454"
            + " 4.7.0 TLS not available due to local problem", RECEIVER_TLS_LOCAL_PROBLEM,
            List.of("4.7.0")),
        Arguments.of("TLS is required, but our TLS engine is unavailable",
            SENDER_TLS_ENGINE_UNAVAILABLE, List.of()),
        Arguments.of("dsn=4.7.5, status=deferred (Cannot start TLS: handshake failure)",
            TLS_HANDSHAKE_FAILURE, List.of("4.7.5")),
        Arguments.of("451 4.4.0 SMTPSEND.SuspiciousRemoteServerError; remote server disconnected"
            + " abruptly", FIREWALL_ESMTP_INSPECTION, List.of("4.4.0")),
        Arguments.of("450 4.7.320 Certificate validation failed", RECEIVER_CERT_NOT_TRUSTED,
            List.of("4.7.320")),
        Arguments.of("5.7.3 Cannot achieve Exchange Server authentication", FIREWALL_BLOCKS_XEXPS,
            List.of("5.7.3")));
  }

  @ParameterizedTest
  @MethodSource("lines")
  void explainsEveryListedLine(String line, String firstCause, List<String> statuses) {
    Explanation e = SmtpErrorExplainer.explain(line);

    assertThat(e.explained()).isTrue();
    assertThat(e.causes().get(0).code()).isEqualTo(firstCause);
    assertThat(e.replies()).extracting(ExplainedReply::enhancedStatus)
        .filteredOn(s -> s != null).containsExactlyElementsOf(statuses);
    for (ExplainedCause c : e.causes()) {
      assertThat(c.checks()).as(c.code() + " checks").isNotEmpty();
      assertThat(c.remediations()).as(c.code() + " remediations").isNotEmpty();
    }
  }

  @Test
  void splitsTheNestedReplyOutermostFirst() {
    Explanation e = SmtpErrorExplainer.explain(STARTTLS_REQUIRED);

    assertThat(e.replies()).containsExactly(
        new ExplainedReply(451, "4.4.0", "Primary target IP address responded with:"),
        new ExplainedReply(451, "5.7.3", "STARTTLS is required to send mail."));
    // The write-up's four reasons for a missing STARTTLS, then the sender-side readings.
    assertThat(e.causes()).extracting(ExplainedCause::code).containsExactly(
        RECEIVER_STARTTLS_NOT_CONFIGURED, SENDER_IP_BLOCKLISTED, RECEIVER_SMTP_ONLY,
        FIREWALL_ESMTP_INSPECTION, SENDER_TLS_NOT_CONFIGURED, SEND_CONNECTOR_FORCED_TLS,
        NEXT_HOP_TEMPORARY_FAILURE);
    assertThat(e.causes().get(0).checks()).anyMatch(c -> c.contains("STARTTLS_NOT_OFFERED"));
  }

  @Test
  void mustIssueStartTlsPointsAtTheSendersCertificate() {
    ExplainedCause first = SmtpErrorExplainer.explain(MUST_ISSUE).causes().get(0);

    assertThat(first.remediations()).extracting(Remediation::command)
        .contains("Enable-ExchangeCertificate -Thumbprint <SHA-1 thumbprint> -Services SMTP");
  }

  @Test
  void readsExchangeLastErrorAndFillsInTheHost() {
    String lastError = "[{LRT=2/1/2024 10:00:00 AM};{LED=451 4.4.0 Primary target IP address responded"
        + " with: \"451 5.7.3 STARTTLS is required to send mail.\" Attempted failover to alternate"
        + " host, but that did not succeed.};{FQDN=mail.contoso.com};{IP=192.0.2.25}]";

    Explanation e = SmtpErrorExplainer.explain(lastError);

    assertThat(e.replies()).extracting(ExplainedReply::text).containsExactly(
        "Primary target IP address responded with:", "STARTTLS is required to send mail.");
    assertThat(e.causes().get(0).checks().get(0))
        .isEqualTo("smtptls probe mail.contoso.com shows STARTTLS_NOT_OFFERED with an unmasked EHLO reply");
  }

  @Test
  void readsPostfixSaidForm() {
    Explanation e = SmtpErrorExplainer.explain(
        "to=<a@example.org>, relay=mx.example.org[192.0.2.10]:25, dsn=5.7.1, status=bounced (host"
            + " mx.example.org[192.0.2.10] said: 530 5.7.0 Must issue a STARTTLS command first (in"
            + " reply to MAIL FROM command))");

    assertThat(e.replies()).extracting(ExplainedReply::code).containsExactly(null, 530);
    assertThat(e.replies().get(0).text()).isEqualTo("host mx.example.org[192.0.2.10] said:");
    assertThat(e.innermost().text())
        .isEqualTo("Must issue a STARTTLS command first (in reply to MAIL FROM command)");
    assertThat(e.causes().get(0).code()).isEqualTo(SENDER_TLS_NOT_CONFIGURED);
    assertThat(e.causes().get(0).checks()).noneMatch(c -> c.contains("<host>"));
  }

  @Test
  void keepsApostrophesInsideSingleQuotedReplies() {
    Explanation e = SmtpErrorExplainer.explain("Server at mx.example.org returned '550 5.7.322"
        + " certificate-expired: Destination mail server's certificate is expired.'");

    assertThat(e.innermost().text())
        .isEqualTo("certificate-expired: Destination mail server's certificate is expired.");
  }

  @Test
  void unknownReplyIsParsedWithoutCauses() {
    Explanation e = SmtpErrorExplainer.explain("552 5.3.4 Message size exceeds fixed limit");

    assertThat(e.replies()).containsExactly(new ExplainedReply(552, "5.3.4", "Message size exceeds fixed limit"));
    assertThat(e.causes()).isEmpty();
    assertThat(e.explained()).isFalse();
  }

  @Test
  void numbersInTextAreNoReplies() {
    Explanation e = SmtpErrorExplainer.explain("550 5.7.1 connect to port 465 refused by 192.0.2.1");

    assertThat(e.replies()).hasSize(1);
  }

  @Test
  void lineWithoutAnyReplyIsBadInput() {
    assertThatThrownBy(() -> SmtpErrorExplainer.explain("hello world"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no SMTP reply code");
    assertThatThrownBy(() -> SmtpErrorExplainer.explain("  "))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
