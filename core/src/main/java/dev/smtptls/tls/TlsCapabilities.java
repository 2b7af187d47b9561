package dev.smtptls.tls;

import static java.util.Objects.requireNonNull;

import dev.smtptls.finding.Finding;
import dev.smtptls.finding.Severity;
import dev.smtptls.inspect.SmtpTarget;
import dev.smtptls.inspect.StartTlsOutcome;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a server's TLS accepts after STARTTLS: protocol versions, cipher suites per version and
 * their order, key-exchange groups, with findings for weak versions and suites. Immutable.
 *
 * @param target the server
 * @param address the address connected to, or null when none was reached
 * @param startedAt when the enumeration began
 * @param duration how long it took, wall time
 * @param connections how many SMTP connections it opened
 * @param startTls the outcome of the first, ordinary probe (JSSE defaults); when it is not {@code
 *     UPGRADED} nothing else is tried and every version is {@code INCONCLUSIVE}
 * @param protocols one entry per {@link TlsVersion}, oldest first
 * @param groups the key-exchange groups, or why they could not be tested
 * @param legacyAlgorithms whether the JSSE could offer TLS 1.0/1.1 and the weak suites ({@link
 *     LegacyAlgorithms#enableProcessWide()}); when false they are {@code NOT_TESTABLE}
 * @param javaVersion the {@code java.version} of the JVM, whose JSSE bounds what was testable
 * @param findings {@code TLS_PROTOCOL_WEAK} per accepted deprecated version, {@code
 *     TLS_CIPHER_WEAK} per accepted weak suite, and the first probe's findings when it failed
 */
public record TlsCapabilities(
    SmtpTarget target,
    @Nullable InetSocketAddress address,
    Instant startedAt,
    Duration duration,
    int connections,
    StartTlsOutcome startTls,
    List<ProtocolSupport> protocols,
    KeyExchangeGroups groups,
    boolean legacyAlgorithms,
    String javaVersion,
    List<Finding> findings) {

  /** Checks the fields and copies the lists. */
  public TlsCapabilities {
    requireNonNull(target, "target");
    requireNonNull(startedAt, "startedAt");
    requireNonNull(duration, "duration");
    requireNonNull(startTls, "startTls");
    requireNonNull(groups, "groups");
    requireNonNull(javaVersion, "javaVersion");
    protocols = List.copyOf(protocols);
    findings = List.copyOf(findings);
  }

  /**
   * {@return the entry for one version}
   *
   * @param version the version
   */
  public ProtocolSupport protocol(TlsVersion version) {
    requireNonNull(version, "version");
    return protocols.stream()
        .filter(p -> p.version() == version)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no entry for " + version));
  }

  /** {@return the versions the server accepts, oldest first} */
  public List<TlsVersion> acceptedProtocols() {
    return protocols.stream().filter(ProtocolSupport::accepted).map(ProtocolSupport::version).toList();
  }

  /** {@return whether a finding is an {@code ERROR} (the server could not be reached over TLS)} */
  public boolean hasErrors() {
    return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
  }
}
