package dev.smtptls.examples.cli;

import java.io.PrintWriter;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Maps what goes wrong to the exit codes of {@code CONTRACT.md}: a usage or input error is exit 2
 * with one line on stderr naming what and where; anything else escaping a command is a bug, exit 3
 * with one line, and the stack trace only with {@code --debug}.
 */
final class ErrorHandlers {

  private ErrorHandlers() {}

  static void install(CommandLine cl) {
    cl.setParameterExceptionHandler(ErrorHandlers::usageError);
    cl.setExecutionExceptionHandler(ErrorHandlers::internalError);
    cl.getCommandSpec()
        .exitCodeOnInvalidInput(SmtpTlsCommand.EXIT_USAGE)
        .exitCodeOnExecutionException(SmtpTlsCommand.EXIT_INTERNAL);
  }

  private static int usageError(ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    PrintWriter err = cl.getErr();
    String where = cl.getCommandSpec().qualifiedName();
    err.println(where + ": " + flatten(ex.getMessage()));
    err.flush();
    return SmtpTlsCommand.EXIT_USAGE;
  }

  private static int internalError(Exception ex, CommandLine cl, ParseResult parsed) {
    PrintWriter err = cl.getErr();
    if (ex instanceof UsageException u) {
      err.println(cl.getCommandSpec().qualifiedName() + ": " + flatten(u.getMessage()));
      err.flush();
      return SmtpTlsCommand.EXIT_USAGE;
    }
    err.println(cl.getCommandSpec().qualifiedName() + ": internal error: " + oneLine(ex));
    if (debug(parsed)) {
      ex.printStackTrace(err);
    }
    err.flush();
    return SmtpTlsCommand.EXIT_INTERNAL;
  }

  /** Whether {@code --debug} was given to the command or any of its parents. */
  private static boolean debug(@Nullable ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--debug")) {
        return true;
      }
    }
    return false;
  }

  static String oneLine(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getName() + (m == null ? "" : ": " + flatten(m));
  }

  static String flatten(@Nullable String message) {
    return Objects.requireNonNullElse(message, "(no message)").strip().replaceAll("\\s*\\R\\s*", "; ");
  }
}
