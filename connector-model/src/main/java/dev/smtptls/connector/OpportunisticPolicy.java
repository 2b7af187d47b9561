package dev.smtptls.connector;

import dev.smtptls.inspect.InspectionReport;

/**
 * Opportunistic TLS: the sender uses STARTTLS when the server's EHLO reply offers it (RFC 3207
 * §4) and otherwise sends in clear. {@code seed/troubleshooting-tls-smtp-eop.txt}: "The connector
 * tries to setup a TLS connection using the STARTTLS verb. If a TLS connection cannot be made the
 * connector falls back to regular ESMTP or SMTP." Postfix calls this {@code
 * smtp_tls_security_level = may} ({@code reference/exchange-postfix-tls.md}).
 *
 * <p>{@link #evaluate(InspectionReport)} predicts:
 *
 * <ul>
 *   <li>{@code DELIVERED_TLS} when STARTTLS was offered and the handshake completed;
 *   <li>{@code DELIVERED_PLAINTEXT} when STARTTLS was not offered (also when the server accepted
 *       the verb without advertising it: senders follow the EHLO reply), was refused, or the
 *       handshake failed — with the findings that say why. Postfix falls back to clear text after
 *       a failed handshake only on a later delivery attempt, so the first attempt may be
 *       deferred;
 *   <li>{@code QUEUED} or {@code REJECTED} when, without TLS, the server refuses {@code MAIL FROM}
 *       (the probe's plaintext check: a 4xx queues, a 5xx such as Postfix's {@code 530 5.7.0 Must
 *       issue a STARTTLS command first} is returned to the sender, RFC 5321 §4.2.1);
 *   <li>{@code QUEUED} when the session failed before STARTTLS: connection refused, timeout,
 *       connection closed, protocol violation, or a greeting that refuses the session (Postfix
 *       skips a 5xx greeting to the next MX and defers, {@code smtp_skip_5xx_greeting = yes} by
 *       default, postconf(5)); {@code REJECTED} when EHLO is refused with a 5xx (RFC 5321 §4.2.1;
 *       after the greeting Postfix bounces or defers, smtp(8)).
 * </ul>
 *
 * <p>The {@link PolicyVerdict#smtpResponse() smtpResponse} of a queued verdict uses Exchange's
 * documented queue text, the server's reply quoted after {@code 451 4.4.0 Primary target IP
 * address responded with:} (seed document; {@code reference/exchange-postfix-tls.md}). When the
 * server said nothing (refused connection, timeout, closed connection) it is null: each product
 * logs its own network error text (Exchange's queue shows {@code 4.4.316} for a refused
 * connection, Microsoft's NDR reference), and this generic policy does not guess it.
 */
public record OpportunisticPolicy() implements ConnectorPolicy {

  @Override
  public PolicyVerdict evaluate(InspectionReport report) {
    return Evaluation.evaluate(report, false, null);
  }

  /** Builds an {@link OpportunisticPolicy}; obtained from {@link ConnectorPolicy#opportunistic()}. */
  public static final class Builder {

    Builder() {}

    /**
     * Builds the policy.
     *
     * @return the immutable policy
     */
    public OpportunisticPolicy build() {
      return new OpportunisticPolicy();
    }
  }
}
