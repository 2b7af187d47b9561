package dev.smtptls.inspect;

import static java.util.Objects.requireNonNull;

import dev.smtptls.smtp.SmtpReply;

/**
 * The answer to {@code MAIL FROM:<>} sent before STARTTLS, when the plaintext check is enabled.
 *
 * @param reply the server's reply
 */
public record PlaintextCheck(SmtpReply reply) {
  /** Validates. */
  public PlaintextCheck {
    requireNonNull(reply, "reply");
  }

  /** {@return true when the server accepted the sender in clear (2xx)} */
  public boolean mailFromAccepted() {
    return reply.isPositive();
  }
}
