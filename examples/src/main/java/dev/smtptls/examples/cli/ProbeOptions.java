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
      description = "A name the certificate must cover; repeatable. Default: HOST when HOST is a name "
          + "(an IP literal names nothing). The FQDN the server announces in its greeting and EHLO "
          + "reply is checked as well, as Exchange does.")
  List<String> names = new ArrayList<>();

  @Option(names = "--trust", paramLabel = "system|FILE.pem", converter = TrustArgument.Converter.class,
      defaultValue = "system", showDefaultValue = Visibility.ALWAYS,
      description = "Trust anchors: the JDK's (system) or a PEM bundle. Repeatable: the first decides "
          + "the findings, the others are reported side by side.")
  List<TrustArgument> trust = new ArrayList<>();

  @Option(names = "--revocation", paramLabel = "none|crl|ocsp|all", converter = RevocationMode.Converter.class,
      defaultValue = "crl", showDefaultValue = Visibility.ALWAYS,
      description = "How to check revocation: none; crl (fetch the CRL of every distribution point the "
          + "certificates of the validated path name, after the SMTP dialogue: --timeout bounds each fetch, "
          + "--deadline does not cut them short); ocsp (ask the OCSP "
          + "responder each certificate of the validated path names, bounded by --timeout; no CRL is "
          + "fetched); all (the CRLs, then OCSP).")
  RevocationMode revocation = RevocationMode.CRL;

  @Option(names = "--at", paramLabel = "INSTANT", converter = InstantConverter.class,
      description = "Validate certificates as of this instant (2025-06-01T12:00:00Z). Default: now.")
  @Nullable Instant at;

  @Option(names = "--profile", paramLabel = "default|strict", converter = ProfileArgument.Converter.class,
      defaultValue = "default", showDefaultValue = Visibility.ALWAYS,
      description = "Certificate check profile: default, or strict (as Exchange 2013+ and Exchange Online "
          + "receive: revocation warnings become errors).")
  ProfileArgument profile = ProfileArgument.DEFAULT;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      defaultValue = "10s", showDefaultValue = Visibility.ALWAYS,
      description = "Longest wait for each step (connect, each reply, the handshake; connecting to a CRL "
          + "server or an OCSP responder, and reading a whole CRL or OCSP answer): 500ms, 10s, 2m, PT10S.")
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

  @Option(names = "--resume-sessions",
      description = "Resume TLS sessions across probes to the same host name, address and port (scan, domain): "
          + "a resumed handshake saves the server's CPU and ours and, with TLS 1.2, a round trip. A resumed "
          + "probe reports the chain of the session's full handshake (at most 1 h old), checked again; "
          + "startTls.resumed says which probes resumed.")
  boolean resumeSessions;

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
   * The names the certificate must cover: {@code --name}, else the target's host when it is a
   * name, else none (the announced FQDN is checked in any case).
   *
   * @param hostAndPort the parsed positional argument
   * @return the names
   */
  public List<String> expectedNames(SmtpTarget hostAndPort) {
    if (!names.isEmpty()) {
      return List.copyOf(names);
    }
    return hostAndPort.hostIsName() ? List.of(hostAndPort.host()) : List.of();
  }

  /** The revocation check, made once so that the checker and the report share its CRL cache. */
  private @Nullable Revocation revocationCheck;

  /** {@return whether a revocation checker is configured: for {@code crl}, {@code ocsp} and {@code all}} */
  public boolean revocationChecked() {
    return revocationCheck().checker() != null;
  }

  /**
   * The revocation check {@code --revocation} and {@code --timeout} describe; the same instance on
   * every call, and the one {@link #inspector()} gives the certificate checker.
   *
   * @return the revocation check
   */
  Revocation revocationCheck() {
    Revocation r = revocationCheck;
    if (r == null) {
      r = Revocation.of(revocation, timeout);
      revocationCheck = r;
    }
    return r;
  }

  /** {@return the requested revocation mode} */
  public RevocationMode revocation() {
    return revocation;
  }

  /**
   * The inspector these options describe. STARTTLS is always tried, advertised or not, so that
   * a firewall hiding it is caught; the captured chain is checked against {@code --trust} as of
   * {@code --at} under {@code --profile}, and for revocation as {@code --revocation} says ({@link
   * #revocationCheck()}).
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
        .sessionResumption(resumeSessions)
        .attemptStartTlsWhenNotAdvertised(true)
        .certificateChecker(Checkers.build(trust, at, profile, revocationCheck()));
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
