package dev.smtptls.internal.smtp;

import java.io.IOException;

/** The peer broke RFC 5321 or one of our bounds (line length, lines per reply, reply size). */
public final class SmtpProtocolException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was wrong, in words for the report
   */
  public SmtpProtocolException(String message) {
    super(message);
  }
}
