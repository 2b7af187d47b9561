package dev.smtptls.examples.cli;

import dev.smtptls.inspect.SmtpTarget;
import dev.smtptls.tls.LegacyAlgorithms;
import dev.smtptls.tls.TlsCapabilities;
import dev.smtptls.tls.TlsEnumerator;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code smtptls tls HOST[:PORT]}: the TLS capability enumeration of {@link TlsEnumerator},
 * printed for a person or as one JSON object. Exit 0 when no finding is an {@code ERROR} (the
 * weak-protocol and weak-suite findings are warnings), 1 when the server could not be reached
 * over TLS at all.
 */
@Command(
    name = "tls",
    mixinStandardHelpOptions = true,
    versionProvider = ToolVersion.class,
    description = {
      "Enumerates what the server's TLS accepts after STARTTLS: TLS 1.0 to 1.3 (one handshake per"
          + " version with only that version offered), the cipher suites of each accepted version"
          + " (one per handshake), whose order picks the suite and the server's order, and the key"
          + " exchange groups (Java 20 and later). Handshakes run on parallel connections, each one"
          + " bounded by --timeout and --deadline. What this JVM's TLS cannot offer is listed as not"
          + " testable with the reason, never guessed. Findings: TLS_PROTOCOL_WEAK, TLS_CIPHER_WEAK.",
    })
public final class TlsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "HOST[:PORT]", converter = TargetConverter.class,
      description = "The server: a host name or IP literal ([2001:db8::1]:25), port 25 by default.")
  SmtpTarget target;

  @Mixin ProbeOptions options;

  @Option(names = "--concurrency", paramLabel = "N", defaultValue = "8", showDefaultValue = Visibility.ALWAYS,
      description = "Connections at once to the server (1 to 64).")
  int concurrency = 8;

  @Option(names = "--legacy-algorithms",
      description = "Let this JVM offer TLS 1.0/1.1 and the RC4, DES, 3DES, anonymous and NULL suites, to"
          + " learn whether the server accepts them. Process-wide: it edits the security property"
          + " jdk.tls.disabledAlgorithms for the whole run of this command.")
  boolean legacyAlgorithms;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  /** Creates the command; picocli fills its fields. */
  public TlsCommand() {}

  @Override
  public Integer call() {
    if (concurrency < 1 || concurrency > 64) {
      throw new UsageException("--concurrency must be 1 to 64: " + concurrency);
    }
    if (legacyAlgorithms && !LegacyAlgorithms.enableProcessWide()) {
      // Before any TLS use in this process, this cannot happen; say so rather than pretend.
      spec.commandLine().getErr().println(
          "smtptls tls: --legacy-algorithms had no effect: TLS was already used in this JVM");
    }
    TlsEnumerator enumerator = TlsEnumerator.builder()
        .inspector(options.inspector())
        .concurrency(concurrency)
        .build();
    TlsCapabilities caps = enumerator.enumerate(options.target(target));
    String rendered = json
        ? JsonReports.pretty(TlsReports.json(caps)) + System.lineSeparator()
        : TlsReports.text(caps, concurrency);
    PrintWriter out = spec.commandLine().getOut();
    out.print(rendered);
    out.flush();
    return caps.hasErrors() ? SmtpTlsCommand.EXIT_FINDINGS : SmtpTlsCommand.EXIT_OK;
  }
}
