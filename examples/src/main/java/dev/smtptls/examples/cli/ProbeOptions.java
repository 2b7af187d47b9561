package dev.smtptls.examples.cli;

import dev.smtptls.inspect.SmtpTarget;
import dev.smtptls.inspect.SmtpTlsInspector;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/**
 * The options of {@code smtptls probe}, shared by every command that probes a server ({@code
 * policy --target}, {@code domain}, {@code scan}). Every value is checked while the command line
 * is parsed, so a bad one is a usage error (exit 2) before any connection is made.
 */
public final class ProbeOptions {

  @Option(names = "--ehlo", paramLabel = "NAME",
      description = "Name sent in EHLO. Default: the address literal of our end, e.g. [192.0.2.10].")
  @Nullable String ehlo;

  @Option(names = "--address", paramLabel = "IP", converter = IpAddressConverter.class,
      description = "Connect to this IP address (a literal; never looked up) and keep HOST for SNI and names.")
  @Nullable InetAddress address;

  @Option(names = "--name", paramLabel = "NAME", converter = HostNameConverter.class,
      description = "A name the certificate must cover; repeatable. Default: HOST. "
          + "Validated now; applies once certificate checks are enabled.")
  List<String> names = new ArrayList<>();

  @Option(names = "--trust", paramLabel = "system|FILE.pem", converter = TrustArgument.Converter.class,
      defaultValue = "system", showDefaultValue = Visibility.ALWAYS,
      description = "Trust anchors: the JDK's (system) or a PEM bundle. "
          + "Validated now (the file must hold a certificate); applies once certificate checks are enabled.")
  TrustArgument trust = new TrustArgument.SystemStore();

  @Option(names = "--revocation", paramLabel = "none|crl|ocsp|all", converter = RevocationMode.Converter.class,
      defaultValue = "crl", showDefaultValue = Visibility.ALWAYS,
      description = "How to check revocation. Validated now; applies once certificate checks are enabled.")
  RevocationMode revocation = RevocationMode.CRL;

  @Option(names = "--at", paramLabel = "INSTANT", converter = InstantConverter.class,
      description = "Validate certificates as of this instant (2025-06-01T12:00:00Z). "
          + "Validated now; applies once certificate checks are enabled.")
  @Nullable Instant at;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      defaultValue = "10s", showDefaultValue = Visibility.ALWAYS,
      description = "Longest wait for each step (connect, each reply, the handshake): 500ms, 10s, 2m, PT10S.")
  Duration timeout = Duration.ofSeconds(10);

  @Option(names = "--deadline", paramLabel = "DURATION", converter = DurationConverter.class,
      defaultValue = "60s", showDefaultValue = Visibility.ALWAYS,
      description = "Longest the whole probe may take.")
  Duration deadline = Duration.ofSeconds(60);

  @Option(names = "--plaintext-check",
      description = "Also send MAIL FROM:<> before STARTTLS (then RSET) to learn whether the server "
          + "accepts mail in clear. Never sends RCPT or DATA.")
  boolean plaintextCheck;

  @Option(names = "--fast",
      description = "Skip the EHLO after TLS: the chain in the fewest round trips (ehloAfterTls is then null).")
  boolean fast;

  /** Creates the options; picocli fills them. */
  public ProbeOptions() {}

  /**
   * The target to probe: {@code HOST[:PORT]}, connected at {@code --address} when given.
   *
   * @param hostAndPort the parsed positional argument
   * @return the target
   */
  public SmtpTarget target(SmtpTarget hostAndPort) {
    return address == null ? hostAndPort : hostAndPort.withAddress(address);
  }

  /**
   * The inspector these options describe. STARTTLS is always tried, advertised or not, so that
   * a firewall hiding it is caught.
   *
   * @return the inspector
   * @throws UsageException if the options contradict each other (a timeout above the deadline)
   *     or the EHLO name is not one printable word
   */
  public SmtpTlsInspector inspector() {
    if (timeout.compareTo(deadline) > 0) {
      throw new UsageException(
          "--timeout " + DurationText.of(timeout) + " exceeds --deadline " + DurationText.of(deadline));
    }
    SmtpTlsInspector.Builder b = SmtpTlsInspector.builder()
        .timeout(timeout)
        .deadline(deadline)
        .plaintextCheck(plaintextCheck)
        .ehloAfterTls(!fast)
        .attemptStartTlsWhenNotAdvertised(true);
    String name = ehlo;
    if (name != null) {
      try {
        b.ehloName(name);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--ehlo: " + e.getMessage());
      }
    }
    return b.build();
  }
}
