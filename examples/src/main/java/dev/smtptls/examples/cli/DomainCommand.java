package dev.smtptls.examples.cli;

import dev.smtptls.domain.DomainInspector;
import dev.smtptls.domain.DomainReport;
import dev.smtptls.domain.TlsRptReports;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code smtptls domain DOMAIN}: every MX host on every address, MTA-STS, TLS-RPT and DANE, as
 * {@code CONTRACT.md} gives it. Exit 0 when no finding is an {@code ERROR}, 1 when one is.
 */
@Command(
    name = "domain",
    mixinStandardHelpOptions = true,
    versionProvider = ToolVersion.class,
    description = {
      "Checks mail to a domain as a sending MTA meets it: resolves its MX hosts (null MX, implicit"
          + " MX), probes every IPv4 and IPv6 address of every host for STARTTLS and checks the"
          + " certificate for the MX host name, fetches and applies the MTA-STS policy, reads the"
          + " TLS-RPT record, and compares each host's DNSSEC-validated DANE TLSA records with the"
          + " chain each address presents. Every lookup goes to --dns, validated with DNSSEC"
          + " against --dnssec-anchor (the root KSK by default).",
    })
public final class DomainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DOMAIN", converter = HostNameConverter.class,
      description = "The mail domain, e.g. example.org.")
  String domain;

  @Option(names = "--dns", paramLabel = "HOST[:PORT]", converter = DnsServerConverter.class,
      description = "The DNS server every lookup goes to (an IP address, port 53 by default). Default: "
          + "the system's first configured server.")
  @Nullable InetSocketAddress dns;

  @Option(names = "--dns-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      defaultValue = "5s", showDefaultValue = Visibility.ALWAYS,
      description = "Longest one DNS lookup may take, DNSSEC validation included.")
  Duration dnsTimeout = Duration.ofSeconds(5);

  @Mixin DomainOptions domainOptions;

  @Option(names = "--concurrency", paramLabel = "N", defaultValue = "4", showDefaultValue = Visibility.ALWAYS,
      description = "How many probes and lookups run at once (1 to 64).")
  int concurrency = 4;

  @Option(names = "--tlsrpt-report", paramLabel = "FILE",
      description = "Also write an RFC 8460 TLS-RPT aggregate report of this run to FILE (JSON): one"
          + " session per MX address, under the policy a sender applies (MTA-STS, else DANE, else none).")
  @Nullable Path tlsRptFile;

  @Mixin ProbeOptions options;

  @Option(names = "--json", description = "Print one JSON object (CONTRACT.md) instead of text.")
  boolean json;

  @Option(names = "--debug", description = "Print the stack trace of an internal error.")
  boolean debug;

  /** Creates the command; picocli fills its fields. */
  public DomainCommand() {}

  @Override
  public Integer call() {
    if (options.address != null) {
      throw new UsageException("--address does not apply to domain: every MX address is probed");
    }
    if (!options.names.isEmpty()) {
      throw new UsageException("--name does not apply to domain: each certificate is checked for its MX host name");
    }
    if (concurrency < 1 || concurrency > 64) {
      throw new UsageException("--concurrency must be 1 to 64: " + concurrency);
    }
    DomainOptions.Dns setup = domainOptions.dns(dns, dnsTimeout);
    DomainInspector inspector = domainOptions.inspector(setup, options, concurrency);
    DomainReport report = inspector.inspect(domain);
    Path rptFile = tlsRptFile;
    if (rptFile != null) {
      String rpt = TlsRptReports.from(report, "smtptls", "smtptls " + ToolVersion.version(),
          report.domain() + "/" + report.startedAt()).toJson();
      try {
        Files.writeString(rptFile, rpt + System.lineSeparator());
      } catch (IOException e) {
        throw new UsageException("--tlsrpt-report " + rptFile + ": cannot write: " + e.getMessage());
      }
    }
    String rendered =
        json
            ? JsonReports.pretty(DomainOptions.json(report, setup, options)) + System.lineSeparator()
            : DomainReports.text(report);
    PrintWriter out = spec.commandLine().getOut();
    out.print(rendered);
    out.flush();
    return report.ok() ? SmtpTlsCommand.EXIT_OK : SmtpTlsCommand.EXIT_FINDINGS;
  }
}
