package dev.smtptls.examples.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** Runs {@code smtptls} in-process with captured stdout and stderr. */
final class Cli {

  private Cli() {}

  /**
   * What a run printed and returned.
   *
   * @param exit the exit code
   * @param out standard output
   * @param err standard error
   */
  record Result(int exit, String out, String err) {
    List<String> errLines() {
      return err.lines().toList();
    }
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = SmtpTlsCommand.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(exit, out.toString(), err.toString());
  }
}
