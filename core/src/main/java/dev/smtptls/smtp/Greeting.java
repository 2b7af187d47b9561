package dev.smtptls.smtp;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * The server's opening reply (RFC 5321 §4.3.1, §3.1): {@code 220 mx.example.org ESMTP}.
 *
 * @param reply the reply as received
 */
public record Greeting(SmtpReply reply) {

  /** Validates. */
  public Greeting {
    requireNonNull(reply, "reply");
  }

  /** {@return the reply code: 220 when the server is ready, 421 or 554 when it refuses} */
  public int code() {
    return reply.code();
  }

  /** {@return the text of the greeting, all lines joined} */
  public String text() {
    return String.join(" ", reply.lines()).strip();
  }

  /**
   * The FQDN the server announces: the first word of the greeting (RFC 5321 §4.2: {@code
   * Greeting = "220 " (Domain / address-literal) [ SP textstring ]}).
   *
   * @return the name, or null when the greeting has none
   */
  public @Nullable String fqdn() {
    return reply.firstWord();
  }

  /** {@return true when the code is 220} */
  public boolean isReady() {
    return reply.code() == 220;
  }
}
