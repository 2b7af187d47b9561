package dev.smtptls.examples.cli;

/**
 * A usage or input error found while a command runs rather than while its arguments are parsed
 * (a file named in an option that turns out unreadable, options that contradict each other):
 * exit 2 with the message as the one line on stderr.
 */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * A usage error.
   *
   * @param message what is wrong and where, one line
   */
  UsageException(String message) {
    super(message);
  }
}
