package dev.smtptls.examples.cli;

import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.SmtpTarget;
import dev.smtptls.inspect.SmtpTlsInspector;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code smtptls probe HOST[:PORT]}: one STARTTLS probe, printed for a person or as the JSON of
 * {@code CONTRACT.md}. Exit 0 when no finding is an {@code ERROR}, 1 when one is.
 */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    versionProvider = ToolVersion.class,
    description = {
      "Probes an SMTP server for STARTTLS: greeting, EHLO, STARTTLS (tried even when not offered,"
          + " to catch a firewall hiding it), the TLS handshake and the certificate chain as"
          + " presented, EHLO again over TLS, QUIT. Never sends RCPT or DATA. The chain is then"
          + " checked as a strict receiver would: trust (--trust), validity (--at), the names"
          + " (--name, and the FQDN the server announces), key and signature strength, and"
          + " revocation (--revocation, CRLs by default: the report lists every CRL the path names,"
          + " whether it could be fetched, how fast, how big and whether it is current).",
    })
public final class ProbeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "HOST[:PORT]", converter = TargetConverter.class,
      description = "The server: a host name or IP literal ([2001:db8::1]:25), port 25 by default.")
  SmtpTarget target;

  @Mixin ProbeOptions options;

  @Option(names = "--json", description = "Print one JSON object (CONTRACT.md) instead of text.")
  boolean json;

  @Option(names = "--debug",
      description = "Print the transcript with the text report, and the stack trace of an internal error.")
  boolean debug;

  /** Creates the command; picocli fills its fields. */
  public ProbeCommand() {}

  @Override
  public Integer call() {
    SmtpTlsInspector inspector = options.inspector();
    InspectionReport report = inspector.inspect(options.target(target), options.expectedNames(target));
    // The CRL table comes from the checker's cache: what the check fetched is not fetched again.
    Revocation.Outcome revocation = options.revocationCheck().outcome(report.certificateCheck());
    // Rendered whole before anything is printed: an error while rendering leaves stdout empty.
    String rendered = json ? JsonReports.pretty(JsonReports.probe(report, revocation)) + System.lineSeparator()
        : TextReports.probe(report, debug, revocation);
    PrintWriter out = spec.commandLine().getOut();
    out.print(rendered);
    out.flush();
    return report.hasErrors() ? SmtpTlsCommand.EXIT_FINDINGS : SmtpTlsCommand.EXIT_OK;
  }
}
