package dev.smtptls.tls;

import static java.util.Objects.requireNonNull;

import dev.smtptls.inspect.SmtpTarget;
import dev.smtptls.inspect.SmtpTlsInspector;
import dev.smtptls.internal.inspect.InspectorSettings;
import dev.smtptls.internal.inspect.ProbeSettings;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Enumerates what a server's TLS accepts after STARTTLS, as testssl.sh and sslyze do for SMTP:
 * protocol versions, cipher suites per version and whose order picks them, and key-exchange
 * groups, with {@code TLS_PROTOCOL_WEAK} and {@code TLS_CIPHER_WEAK} findings.
 *
 * <p>Each test is one SMTP connection through the inspector's STARTTLS dialogue (greeting, EHLO,
 * STARTTLS, a handshake offering only what is tested, QUIT without waiting), bounded by the
 * inspector's step timeout and deadline and its transport. Tests run on up to {@link
 * Builder#concurrency(int)} parallel connections:
 *
 * <ol>
 *   <li>one ordinary probe; when it does not reach TLS, the enumeration stops there;
 *   <li>each version alone, with every suite the JSSE can offer for it (in parallel);
 *   <li>for each accepted version, each suite alone (in parallel);
 *   <li>for each version with two or more accepted suites, the accepted list offered in one order
 *       and reversed: the same choice both times means the server's order, which is then read by
 *       offering the list again without the server's previous choice until one suite is left
 *       (versions in parallel, each chain sequential);
 *   <li>on Java 20 and later, each key-exchange group alone with the newest accepted version.
 * </ol>
 *
 * <p>What the JSSE cannot offer is {@link Support#NOT_TESTABLE} with the reason, decided locally
 * by asking the JSSE for a ClientHello: TLS 1.0/1.1 and the RC4, DES, 3DES, anonymous and NULL
 * suites while {@code jdk.tls.disabledAlgorithms} disables them (see {@link LegacyAlgorithms}),
 * suites no JSSE implements (CCM, CAMELLIA, ARIA, ...), and key-exchange groups on Java 17.
 *
 * <pre>{@code
 * TlsEnumerator enumerator = TlsEnumerator.builder()
 *     .inspector(SmtpTlsInspector.builder().timeout(Duration.ofSeconds(5)).build())
 *     .concurrency(8)
 *     .build();
 * TlsCapabilities caps = enumerator.enumerate(SmtpTarget.parse("mx1.example.org"));
 * caps.protocol(TlsVersion.TLS_1_2).acceptedCipherSuites().forEach(System.out::println);
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class TlsEnumerator {

  /** The default number of parallel connections. */
  public static final int DEFAULT_CONCURRENCY = 8;

  private final ProbeSettings settings;
  private final int concurrency;

  private TlsEnumerator(ProbeSettings settings, int concurrency) {
    this.settings = settings;
    this.concurrency = concurrency;
  }

  /** {@return a builder: the default inspector, {@value #DEFAULT_CONCURRENCY} connections at once} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Enumerates one server. Blocks until every test is done; an interrupt ends the remaining tests
   * (they become {@code INCONCLUSIVE}) and leaves the interrupt flag set.
   *
   * @param target the server
   * @return the capabilities; never null, whatever the server did
   */
  public TlsCapabilities enumerate(SmtpTarget target) {
    requireNonNull(target, "target");
    return new Enumeration(settings, target, concurrency).run();
  }

  /**
   * Enumerates {@code HOST[:PORT]} (port 25 by default).
   *
   * @param hostAndPort e.g. {@code "127.0.0.1:2525"}
   * @return the capabilities
   * @throws IllegalArgumentException if the host or port is malformed
   */
  public TlsCapabilities enumerate(String hostAndPort) {
    return enumerate(SmtpTarget.parse(hostAndPort));
  }

  /** {@return the number of parallel connections} */
  public int concurrency() {
    return concurrency;
  }

  /** Builds a {@link TlsEnumerator}. Not thread-safe; each setter may be called once. */
  public static final class Builder {
    private @Nullable SmtpTlsInspector inspector;
    private int concurrency;

    private Builder() {}

    /**
     * The inspector whose STARTTLS dialogue, step timeout, deadline, transport and EHLO name every
     * test connection uses. Its certificate checker, plaintext check, EHLO after TLS and QUIT wait
     * are not used: a test ends when the handshake does. Default {@link SmtpTlsInspector#create()}.
     *
     * @param i the inspector
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder inspector(SmtpTlsInspector i) {
      requireNonNull(i, "inspector");
      if (inspector != null) {
        throw new IllegalStateException("inspector was already set");
      }
      this.inspector = i;
      return this;
    }

    /**
     * The most connections open at once to the server. Default {@value #DEFAULT_CONCURRENCY}.
     * Postfix's {@code smtpd_client_connection_count_limit} (default 50) and Exchange's
     * per-source limits answer {@code 421} beyond theirs; such tests become {@code INCONCLUSIVE}.
     *
     * @param n 1 to 64
     * @return this builder
     * @throws IllegalArgumentException if out of range
     * @throws IllegalStateException if already set
     */
    public Builder concurrency(int n) {
      if (n < 1 || n > 64) {
        throw new IllegalArgumentException("concurrency must be 1 to 64: " + n);
      }
      if (concurrency != 0) {
        throw new IllegalStateException("concurrency was already set");
      }
      this.concurrency = n;
      return this;
    }

    /** {@return the enumerator} */
    public TlsEnumerator build() {
      ProbeSettings base = InspectorSettings.of(inspector == null ? SmtpTlsInspector.create() : inspector);
      ProbeSettings probe = new ProbeSettings(
          base.ehloName(),
          base.stepTimeout(),
          base.deadline(),
          base.transport(),
          false,
          base.attemptStartTlsWhenNotAdvertised(),
          false,
          Duration.ZERO,
          base.clock(),
          null);
      return new TlsEnumerator(probe, concurrency == 0 ? DEFAULT_CONCURRENCY : concurrency);
    }
  }
}
