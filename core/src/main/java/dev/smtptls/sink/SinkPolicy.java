package dev.smtptls.sink;

import dev.smtptls.smtp.SmtpReply;
import org.jspecify.annotations.Nullable;

/**
 * A receive-side decision the sink consults before it answers {@code MAIL FROM} and each {@code
 * RCPT TO}, so that what the sender hears is what a real receiver under that policy would answer
 * (for example Exchange Online's {@code 550 5.7.64 TenantAttribution; Relay Access Denied} when an
 * inbound connector's {@code TlsSenderCertificateName} does not match the sender's certificate).
 *
 * <p>Called on the connection's thread with a snapshot of what was seen so far (its {@link
 * SenderReport#ending()} is null); must be thread-safe and quick, and must not throw: a policy that
 * throws is treated as having no opinion.
 */
@FunctionalInterface
public interface SinkPolicy {

  /** The command about to be answered. */
  enum Command {
    /** {@code MAIL FROM}. */
    MAIL,
    /** {@code RCPT TO}. */
    RCPT
  }

  /**
   * Decides the answer to a command.
   *
   * @param soFar what the sink has seen of the sender up to this command, with its findings
   * @param command the command
   * @return the reply to send instead of the sink's own, or null to let the sink answer
   */
  @Nullable SmtpReply answer(SenderReport soFar, Command command);
}
