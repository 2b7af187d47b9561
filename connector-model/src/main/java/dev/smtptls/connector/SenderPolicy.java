package dev.smtptls.connector;

import static java.util.Objects.requireNonNull;

import dev.smtptls.sink.SenderReport;
import dev.smtptls.sink.SinkPolicy;
import dev.smtptls.smtp.SmtpReply;
import org.jspecify.annotations.Nullable;

/**
 * A receive-side connector judging a sender: what this receiver would do with the mail of the
 * sending MTA that an {@link dev.smtptls.sink.SmtpTlsSink} saw. The verdict's outcome is the one
 * the sender experiences ({@code DELIVERED_TLS}, {@code DELIVERED_PLAINTEXT}, {@code QUEUED} after
 * a 4xx, {@code REJECTED} after a 5xx), its {@code smtpResponse} the reply this receiver gives
 * (parseable as an SMTP reply line), its reasons the findings on the sender, and its remediations
 * what to change on the sending side (and, where that is the simpler fix, on the connector).
 *
 * <pre>{@code
 * SenderPolicy connector = ExoInboundConnector.builder()
 *     .connectorType(ExoConnectorType.ON_PREMISES)
 *     .tlsSenderCertificateName("*.contoso.com")
 *     .build();
 * SmtpTlsSink sink = SmtpTlsSink.builder().policy(connector.sinkPolicy()).build();
 * try (RunningSink running = sink.start()) {
 *   SenderReport r = running.next(Duration.ofMinutes(5)).orElseThrow();
 *   PolicyVerdict v = connector.evaluate(r);
 * }
 * }</pre>
 *
 * <p>Implementations are immutable and thread-safe.
 */
public sealed interface SenderPolicy permits ExoInboundConnector, ExchangeReceiveConnector, PostfixServerPolicy {

  /**
   * What this receiver would do with the sender's mail.
   *
   * @param report what a sink saw of the sender (a final report, or a snapshot of an open
   *     connection)
   * @return the verdict
   * @throws NullPointerException if {@code report} is null
   */
  PolicyVerdict evaluate(SenderReport report);

  /**
   * This connector as the sink's {@link SinkPolicy}: before {@code MAIL FROM} and each {@code RCPT
   * TO} the sink evaluates what it has seen so far, and when the verdict refuses the sender
   * ({@code QUEUED} or {@code REJECTED}) it answers the verdict's {@code smtpResponse}, so the
   * sender hears what this receiver would say. Where no product document gives the reply (the
   * verdict's {@code smtpResponse} is null), the sink answers {@code 451 4.7.0} or {@code 550 5.7.1}
   * with its own text naming the reasons.
   *
   * @return the sink policy
   */
  default SinkPolicy sinkPolicy() {
    return (soFar, command) -> refusal(evaluate(soFar));
  }

  /**
   * The reply a refusing verdict stands for.
   *
   * @param verdict a verdict
   * @return the reply, or null when the verdict lets the mail through
   */
  static @Nullable SmtpReply refusal(PolicyVerdict verdict) {
    requireNonNull(verdict, "verdict");
    PolicyVerdict.Outcome o = verdict.outcome();
    if (o != PolicyVerdict.Outcome.QUEUED && o != PolicyVerdict.Outcome.REJECTED) {
      return null;
    }
    String response = verdict.smtpResponse();
    SmtpReply parsed = response == null ? null : parse(response);
    if (parsed != null && !parsed.isPositive()) {
      return parsed;
    }
    String why = verdict.reasons().isEmpty() ? "refused" : verdict.reasons().get(0).code().name();
    return o == PolicyVerdict.Outcome.QUEUED
        ? SmtpReply.of(451, "4.7.0 Refused by the modelled connector (" + why + "); the product documents no reply text")
        : SmtpReply.of(550, "5.7.1 Refused by the modelled connector (" + why + "); the product documents no reply text");
  }

  /** {@code "550 5.7.64 text"} to a reply, or null when the line is not one. */
  private static @Nullable SmtpReply parse(String line) {
    if (line.length() < 3 || !line.substring(0, 3).chars().allMatch(Character::isDigit)) {
      return null;
    }
    int code = Integer.parseInt(line.substring(0, 3));
    if (code < 200 || code > 599) {
      return null;
    }
    String text = line.length() > 4 ? line.substring(4) : "";
    return SmtpReply.of(code, text);
  }
}
