package dev.smtptls.examples.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code smtptls} command: a parent for one subcommand per check. Exit codes, flags and JSON
 * are a public contract ({@code CONTRACT.md}): 0 when nothing of severity {@code ERROR} was found,
 * 1 when something was, 2 for a usage or input error (one line on stderr), 3 for an internal
 * error (one line on stderr; the stack trace with {@code --debug}).
 *
 * <p>Tests and embedders run it in-process with their own writers:
 *
 * <pre>{@code
 * StringWriter out = new StringWriter();
 * StringWriter err = new StringWriter();
 * int exit = SmtpTlsCommand.run(new PrintWriter(out), new PrintWriter(err), "probe", "--json", "127.0.0.1:2525");
 * }</pre>
 */
@Command(
    name = "smtptls",
    mixinStandardHelpOptions = true,
    versionProvider = ToolVersion.class,
    description = "Will mail between two SMTP systems be encrypted, and if not, why, and what fixes it.",
    synopsisSubcommandLabel = "COMMAND",
    // One entry per command; policy, explain, domain, dnsbl, sink and scan join here.
    subcommands = {ProbeCommand.class, CheckCertCommand.class, DemoCommand.class, DnsblCommand.class, DomainCommand.class, ExplainCommand.class, PolicyCommand.class, ScanCommand.class, SinkCommand.class, TlsCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the check ran and found nothing of severity ERROR",
      "1:the check ran and found at least one ERROR",
      "2:usage or input error (one line on stderr)",
      "3:internal error (one line on stderr; the stack trace with --debug)"
    })
public final class SmtpTlsCommand implements Callable<Integer> {

  /** The check ran and found nothing of severity {@code ERROR}. */
  public static final int EXIT_OK = 0;
  /** The check ran and found at least one {@code ERROR}. */
  public static final int EXIT_FINDINGS = 1;
  /** Usage or input error. */
  public static final int EXIT_USAGE = 2;
  /** Internal error: a bug. */
  public static final int EXIT_INTERNAL = 3;

  @Spec CommandSpec spec;

  /** Creates the command; picocli fills its fields. */
  public SmtpTlsCommand() {}

  /**
   * Runs the tool and exits the JVM with its exit code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    // Ask servers to staple their OCSP response (RFC 6066 §8): the JDK reads this once, before
    // its first TLS connection, and a command-line tool owns its JVM. Embedders set it themselves.
    if (System.getProperty("jdk.tls.client.enableStatusRequestExtension") == null) {
      System.setProperty("jdk.tls.client.enableStatusRequestExtension", "true");
    }
    Charset cs = Charset.defaultCharset();
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, cs), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, cs), true);
    int code = run(out, err, args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /**
   * Runs the tool in-process, writing to the given writers.
   *
   * @param out standard output (reports, JSON)
   * @param err standard error (usage errors, internal errors)
   * @param args the command line
   * @return the exit code: 0, 1, 2 or 3
   */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    try {
      return commandLine(out, err).execute(args);
    } catch (RuntimeException | Error e) {
      // picocli hands exceptions to our handlers; this is the last net for a bug in setting up.
      err.println("smtptls: internal error: " + ErrorHandlers.oneLine(e));
      err.flush();
      return EXIT_INTERNAL;
    } finally {
      out.flush();
      err.flush();
    }
  }

  /**
   * The configured picocli command line: our exit codes, one-line usage errors, the given
   * writers for every subcommand.
   *
   * @param out standard output
   * @param err standard error
   * @return the command line, ready to {@link CommandLine#execute}
   */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new SmtpTlsCommand());
    cl.setOut(out);
    cl.setErr(err);
    ErrorHandlers.install(cl);
    return cl;
  }

  @Override
  public Integer call() {
    throw new ParameterException(
        spec.commandLine(),
        "missing command: one of " + String.join(", ", spec.subcommands().keySet())
            + " (see smtptls --help)");
  }
}
