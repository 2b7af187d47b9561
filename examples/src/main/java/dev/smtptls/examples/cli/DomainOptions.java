package dev.smtptls.examples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smtptls.dns.DnsResolvers;
import dev.smtptls.dns.DnssecAnchors;
import dev.smtptls.dns.MtaStsChecker;
import dev.smtptls.domain.DomainInspector;
import dev.smtptls.domain.DomainReport;
import dev.smtptls.spi.DnsResolver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/**
 * The options of {@code smtptls domain} that say how a domain is checked, shared with {@code
 * smtptls scan --domains}: the DNSSEC anchors, and the SMTP and MTA-STS ports of labs. With the
 * command's {@code --dns}, {@code --dns-timeout} and probe options they make the {@link
 * DomainInspector}, and render its reports as the contract's JSON.
 */
public final class DomainOptions {

  /** The names of these options, for a command to refuse them where they do not apply. */
  static final List<String> NAMES = List.of("--dnssec-anchor", "--smtp-port", "--mta-sts-port");

  @Option(names = "--dnssec-anchor", paramLabel = "FILE",
      description = "DNSSEC trust anchors: DS or DNSKEY lines in zone-file presentation form. Default: "
          + "the root zone's key-signing keys.")
  @Nullable Path anchorFile;

  @Option(names = "--smtp-port", paramLabel = "PORT", defaultValue = "25", showDefaultValue = Visibility.ALWAYS,
      description = "The SMTP port probed on every MX address (and of the TLSA name _PORT._tcp.HOST). "
          + "Only labs and tests use another.")
  int smtpPort = 25;

  @Option(names = "--mta-sts-port", paramLabel = "PORT", defaultValue = "443", showDefaultValue = Visibility.ALWAYS,
      description = "The HTTPS port of the MTA-STS policy host. Only labs and tests use another.")
  int mtaStsPort = 443;

  /** Creates the options; picocli fills them. */
  public DomainOptions() {}

  /**
   * Where every lookup of a domain check goes.
   *
   * @param server the DNS server asked
   * @param anchors the DNSSEC trust anchors
   * @param resolver the validating resolver over both
   */
  record Dns(InetSocketAddress server, DnssecAnchors anchors, DnsResolver resolver) {
    /** {@return the server as the JSON shows it, e.g. {@code 192.0.2.53:53}} */
    String shown() {
      return IpLiterals.show(server.getAddress()) + ":" + server.getPort();
    }
  }

  /**
   * The validating resolver over {@code --dns} (else the system's first server) and the anchors.
   *
   * @param dns the command's {@code --dns}, or null
   * @param timeout the command's {@code --dns-timeout}
   * @return the DNS set-up
   * @throws UsageException if the anchor file is unreadable or malformed, or no server is known
   */
  Dns dns(@Nullable InetSocketAddress dns, Duration timeout) {
    DnssecAnchors anchors = anchors();
    InetSocketAddress server = dns != null ? dns : systemServer();
    return new Dns(server, anchors, DnsResolvers.validating(server, timeout, anchors));
  }

  /**
   * The inspector: every lookup through {@code dns}, probes as {@code options} say, the MTA-STS
   * policy fetched with the probe's trust and timeout.
   *
   * @param dns the DNS set-up
   * @param options the probe options
   * @param concurrency probes and lookups of one domain at once
   * @return the inspector
   * @throws UsageException if a port is out of range or the probe options contradict each other
   */
  DomainInspector inspector(Dns dns, ProbeOptions options, int concurrency) {
    if (smtpPort < 1 || smtpPort > 65535) {
      throw new UsageException("--smtp-port must be 1 to 65535: " + smtpPort);
    }
    if (mtaStsPort < 1 || mtaStsPort > 65535) {
      throw new UsageException("--mta-sts-port must be 1 to 65535: " + mtaStsPort);
    }
    MtaStsChecker mtaSts =
        MtaStsChecker.builder()
            .resolver(dns.resolver())
            .certificateChecker(Checkers.build(options.trust, options.at, options.profile, Revocation.none()))
            .port(mtaStsPort)
            .timeout(options.timeout)
            .build();
    return DomainInspector.builder()
        .resolver(dns.resolver())
        .inspector(options.inspector())
        .smtpPort(smtpPort)
        .mtaStsChecker(mtaSts)
        .concurrency(concurrency)
        .build();
  }

  /**
   * The contract's JSON object for a domain report.
   *
   * @param report the report
   * @param dns the DNS set-up it was made with
   * @param options the probe options (their revocation check renders each probe's revocation)
   * @return the object
   */
  static ObjectNode json(DomainReport report, Dns dns, ProbeOptions options) {
    return DomainReports.json(report, dns.shown(), dns.anchors().describe(),
        p -> options.revocationCheck().outcome(p.certificateCheck()));
  }

  private DnssecAnchors anchors() {
    Path file = anchorFile;
    if (file == null) {
      return DnssecAnchors.root();
    }
    try {
      return DnssecAnchors.read(file);
    } catch (IOException e) {
      throw new UsageException("--dnssec-anchor " + file + ": cannot read: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new UsageException("--dnssec-anchor " + file + ": " + e.getMessage());
    }
  }

  private static InetSocketAddress systemServer() {
    try {
      return DnsResolvers.systemServer();
    } catch (IllegalStateException e) {
      throw new UsageException("no DNS server configured on this system: give one with --dns");
    }
  }
}
