package dev.smtptls.inspect;

import static java.util.Objects.requireNonNull;

import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.internal.inspect.InspectorSettings;
import dev.smtptls.internal.inspect.ProbeSession;
import dev.smtptls.internal.inspect.ProbeSettings;
import dev.smtptls.internal.inspect.SessionResumption;
import dev.smtptls.spi.Transport;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Probes an SMTP server for STARTTLS: connects, waits for the greeting, sends {@code EHLO}
 * (falling back to {@code HELO}), {@code STARTTLS} when offered, completes the TLS handshake
 * capturing the presented chain whatever its validity, sends {@code EHLO} again over TLS (RFC
 * 3207 §4.2) and {@code QUIT}. It never sends {@code RCPT} or {@code DATA}. The captured chain
 * is then checked by a {@link CertificateChecker} against the host name and the FQDN the server
 * announces.
 *
 * <p>Whatever the server or the network does becomes a finding in the returned {@link
 * InspectionReport}; {@link #inspect} throws only for misuse. Every step has a timeout and the
 * whole probe a deadline, so a tarpit costs at most the deadline. Instances are immutable and
 * thread-safe: build one and share it.
 *
 * <pre>{@code
 * SmtpTlsInspector inspector = SmtpTlsInspector.builder()
 *     .ehloName("probe.example.net")
 *     .timeout(Duration.ofSeconds(10))
 *     .build();
 * InspectionReport report = inspector.inspect(SmtpTarget.of("mx1.example.org", 25));
 * if (!report.tlsUpgraded()) {
 *   report.findings().forEach(f -> System.out.println(f.code() + ": " + f.message()));
 * }
 * }</pre>
 */
public final class SmtpTlsInspector {

  static {
    InspectorSettings.register(i -> i.settings);
  }

  private final ProbeSettings settings;

  private SmtpTlsInspector(ProbeSettings settings) {
    this.settings = settings;
  }

  /** {@return a builder with the defaults: 10 s per step, 60 s per probe, EHLO after TLS} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return an inspector with all defaults} */
  public static SmtpTlsInspector create() {
    return builder().build();
  }

  /**
   * Probes one server. Blocks the calling thread for at most the deadline (plus the time to
   * resolve a host name when the target has no address). An interrupt ends the probe early: the
   * report is then marked {@link InspectionReport#aborted()} and the interrupt flag stays set.
   *
   * @param target the server
   * @return the report; never null, whatever the server did
   */
  public InspectionReport inspect(SmtpTarget target) {
    requireNonNull(target, "target");
    return new ProbeSession(settings, target, target.hostIsName() ? List.of(target.host()) : List.of()).run();
  }

  /**
   * Probes one server and checks its certificate against given names instead of the target's
   * host name: a connector's TLS domain, or the MX name when {@code target} is an address.
   *
   * @param target the server
   * @param expectedNames DNS names or IP literals the certificate must cover
   * @return the report
   */
  public InspectionReport inspect(SmtpTarget target, List<String> expectedNames) {
    requireNonNull(target, "target");
    requireNonNull(expectedNames, "expectedNames");
    return new ProbeSession(settings, target, expectedNames).run();
  }

  /**
   * Probes {@code HOST[:PORT]} (port 25 by default).
   *
   * @param hostAndPort e.g. {@code "mx1.example.org"} or {@code "127.0.0.1:2525"}
   * @return the report
   * @throws IllegalArgumentException if the host or port is malformed
   */
  public InspectionReport inspect(String hostAndPort) {
    return inspect(SmtpTarget.parse(hostAndPort));
  }

  /**
   * Probes many servers, {@value SmtpTlsScanner#DEFAULT_CONCURRENCY} at a time and at most
   * {@value SmtpTlsScanner#DEFAULT_PER_ADDRESS} at once per destination address, and blocks until
   * all are done. Targets are pulled lazily from the stream as probes complete (the stream is
   * never collected), and each result is handed to {@code results} as it completes: completion
   * order, one call at a time. Host names resolve through the system resolver; to choose the
   * resolver, the concurrency, the executor, or to cancel from another thread, use {@link
   * #scanner()}. An interrupt of the calling thread cancels the scan and returns what was done.
   *
   * @param targets the targets, e.g. {@code Files.lines(path).map(SmtpTarget::parse)}
   * @param results receives each result
   * @return the summary
   * @throws java.util.concurrent.CompletionException if the stream or the consumer threw
   */
  public ScanSummary inspectAll(Stream<SmtpTarget> targets, Consumer<? super ScanResult> results) {
    requireNonNull(targets, "targets");
    return scanner().build().run(ScanInput.targets(targets.iterator()), results);
  }

  /**
   * {@return a builder of a {@link SmtpTlsScanner} that probes with this inspector: concurrency,
   * politeness per address, DNS resolver and executor}
   */
  public SmtpTlsScanner.Builder scanner() {
    return SmtpTlsScanner.builder(this);
  }

  Clock clock() {
    return settings.clock();
  }

  /** {@return the per-step timeout} */
  public Duration timeout() {
    return settings.stepTimeout();
  }

  /** {@return the whole-probe deadline} */
  public Duration deadline() {
    return settings.deadline();
  }

  /**
   * {@return whether probes resume TLS sessions of earlier probes, see {@link
   * Builder#sessionResumption(boolean)}}
   */
  public boolean sessionResumption() {
    return settings.sessionResumption() != null;
  }

  /** Builds a {@link SmtpTlsInspector}. Not thread-safe; each setter may be called once. */
  public static final class Builder {
    private @Nullable String ehloName;
    private @Nullable Duration timeout;
    private @Nullable Duration deadline;
    private @Nullable Transport transport;
    private @Nullable Boolean plaintextCheck;
    private @Nullable Boolean attemptStartTlsWhenNotAdvertised;
    private @Nullable Boolean ehloAfterTls;
    private @Nullable Duration quitReplyWait;
    private @Nullable Clock clock;
    private @Nullable CertificateChecker certificateChecker;
    private boolean certificateCheckerSet;
    private @Nullable Boolean sessionResumption;
    private int maxSessions = SessionResumption.DEFAULT_MAX_SESSIONS;
    private Duration sessionLifetime = SessionResumption.DEFAULT_LIFETIME;

    private Builder() {}

    /**
     * Checks the captured chain with this checker; its findings join the report's and its
     * verdict is {@link InspectionReport#certificateCheck()}. Null checks nothing. Default: a
     * {@link CertificateChecker} with the JDK's trust store and default profile.
     *
     * @param checker the checker, or null
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder certificateChecker(@Nullable CertificateChecker checker) {
      if (certificateCheckerSet) {
        throw new IllegalStateException("certificateChecker was already set");
      }
      this.certificateCheckerSet = true;
      this.certificateChecker = checker;
      return this;
    }

    /**
     * The name sent in {@code EHLO}/{@code HELO}. Receivers often check it against the sender's
     * reverse DNS. Default: the address literal of the local end of the connection, e.g. {@code
     * [192.0.2.10]} (RFC 5321 §4.1.4), which needs no lookup.
     *
     * @param name a host name or an address literal in brackets
     * @return this builder
     * @throws IllegalArgumentException if the name is blank or contains white space or control characters
     * @throws IllegalStateException if already set
     */
    public Builder ehloName(String name) {
      requireNonNull(name, "name");
      if (name.isBlank() || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw new IllegalArgumentException("ehloName must be one printable ASCII word: '" + name + "'");
      }
      checkUnset(ehloName, "ehloName");
      this.ehloName = name;
      return this;
    }

    /**
     * The longest any one step may take (connect, each reply, the handshake). Default 10 s.
     *
     * @param stepTimeout a positive duration
     * @return this builder
     * @throws IllegalArgumentException if not positive
     * @throws IllegalStateException if already set
     */
    public Builder timeout(Duration stepTimeout) {
      checkPositive(stepTimeout, "timeout");
      checkUnset(timeout, "timeout");
      this.timeout = stepTimeout;
      return this;
    }

    /**
     * The longest the whole probe may take. Default 60 s. A server that drips its replies a byte
     * at a time is cut off here.
     *
     * @param probeDeadline a positive duration
     * @return this builder
     * @throws IllegalArgumentException if not positive
     * @throws IllegalStateException if already set
     */
    public Builder deadline(Duration probeDeadline) {
      checkPositive(probeDeadline, "deadline");
      checkUnset(deadline, "deadline");
      this.deadline = probeDeadline;
      return this;
    }

    /**
     * How to reach servers. Default: the first {@link Transport} found by {@link ServiceLoader},
     * else plain TCP sockets.
     *
     * @param t the transport
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder transport(Transport t) {
      requireNonNull(t, "transport");
      checkUnset(transport, "transport");
      this.transport = t;
      return this;
    }

    /**
     * Also send {@code MAIL FROM:<>} before STARTTLS (then {@code RSET}) to learn whether the
     * server accepts mail in clear ({@code PLAINTEXT_ACCEPTED}) or demands TLS first ({@code
     * TLS_REQUIRED_BY_SERVER}). Never sends {@code RCPT} or {@code DATA}. Default off.
     *
     * @param enabled whether to check
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder plaintextCheck(boolean enabled) {
      checkUnset(plaintextCheck, "plaintextCheck");
      this.plaintextCheck = enabled;
      return this;
    }

    /**
     * Send {@code STARTTLS} even when the EHLO reply does not offer it. A server that then
     * answers {@code 220} has STARTTLS hidden by something in between, typically a firewall's
     * SMTP inspection ({@code ESMTP_INSPECTION_SUSPECTED}). Default off; {@code smtptls probe}
     * turns it on.
     *
     * @param enabled whether to try
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder attemptStartTlsWhenNotAdvertised(boolean enabled) {
      checkUnset(attemptStartTlsWhenNotAdvertised, "attemptStartTlsWhenNotAdvertised");
      this.attemptStartTlsWhenNotAdvertised = enabled;
      return this;
    }

    /**
     * Send {@code EHLO} again over TLS (RFC 3207 §4.2) to learn the capabilities the server
     * offers after the upgrade. Default on. Off saves one or two round trips (the chain is then
     * in hand after five), at the cost of {@link InspectionReport#ehloAfterTls()} being null.
     *
     * @param enabled whether to send it
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder ehloAfterTls(boolean enabled) {
      checkUnset(ehloAfterTls, "ehloAfterTls");
      this.ehloAfterTls = enabled;
      return this;
    }

    /**
     * How long to wait for the reply to {@code QUIT}. Default zero: {@code QUIT} is sent and the
     * connection closed at once, saving a round trip; RFC 5321 §4.1.1.10 asks the server, not the
     * client, to wait.
     *
     * @param wait zero or a positive duration
     * @return this builder
     * @throws IllegalArgumentException if negative
     * @throws IllegalStateException if already set
     */
    public Builder quitReplyWait(Duration wait) {
      requireNonNull(wait, "quitReplyWait");
      if (wait.isNegative()) {
        throw new IllegalArgumentException("quitReplyWait must not be negative: " + wait);
      }
      checkUnset(quitReplyWait, "quitReplyWait");
      this.quitReplyWait = wait;
      return this;
    }

    /**
     * Resume TLS sessions across probes. Off by default: every probe makes a full handshake and
     * reports the chain the server presents now.
     *
     * <p>On, the inspector keeps one TLS client context for all its probes, with a cache of up to
     * {@value SessionResumption#DEFAULT_MAX_SESSIONS} sessions, each resumable for one hour after
     * its full handshake ({@link #sessionResumption(int, Duration)} sets other bounds). A later
     * probe to the same server (the same target host name, address connected to and port) offers
     * the session, and a server that accepts it skips its certificate and signature: that saves the
     * server's CPU and ours (no signature to verify, no certificate to parse) and, with TLS 1.2, a
     * round trip. Fleet scans, where many domains share one MX host, gain most.
     * {@link StartTlsOutcome.Upgraded#resumed()} tells which probes resumed; the chain, the stapled
     * OCSP responses and the certificate findings of a resumed probe are those of the session's
     * full handshake, checked again exactly as then, and the transcript says so.
     *
     * <p>What it costs: a resumed probe does not see what the server presents now. A certificate
     * replaced since the session's full handshake shows only once the session expires or the
     * server refuses it, and a server whose full handshake broke meanwhile still looks fine; so
     * keep the lifetime short against the change you want to catch. A server that refuses
     * resumption simply gets full handshakes. TLS 1.3 servers send the ticket that lets the next
     * probe resume after the handshake, so with {@link #ehloAfterTls(boolean)} off a probe waits
     * for the reply to {@code QUIT} to read it (a round trip, bounded by the step timeout). The
     * sessions (with their chains) stay in memory within the bounds above.
     *
     * @param enabled whether to resume
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder sessionResumption(boolean enabled) {
      checkUnset(sessionResumption, "sessionResumption");
      this.sessionResumption = enabled;
      return this;
    }

    /**
     * Resume TLS sessions across probes, as {@link #sessionResumption(boolean)} describes, with
     * these bounds on the session cache.
     *
     * @param maxSessions the most sessions kept; at least 1
     * @param lifetime how long after its full handshake a session may be resumed, in whole
     *     seconds; at least one second
     * @return this builder
     * @throws IllegalArgumentException if {@code maxSessions} is below 1 or {@code lifetime} below
     *     one second or above {@link Integer#MAX_VALUE} seconds
     * @throws IllegalStateException if already set
     */
    public Builder sessionResumption(int maxSessions, Duration lifetime) {
      requireNonNull(lifetime, "lifetime");
      SessionResumption.checkBounds(maxSessions, lifetime);
      checkUnset(sessionResumption, "sessionResumption");
      this.sessionResumption = true;
      this.maxSessions = maxSessions;
      this.sessionLifetime = lifetime;
      return this;
    }

    /**
     * The clock for {@link InspectionReport#startedAt()}. Default the system UTC clock.
     *
     * @param c the clock
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder clock(Clock c) {
      requireNonNull(c, "clock");
      checkUnset(clock, "clock");
      this.clock = c;
      return this;
    }

    /**
     * Builds the inspector.
     *
     * @return an immutable, thread-safe inspector
     * @throws IllegalArgumentException if the timeout exceeds the deadline
     */
    public SmtpTlsInspector build() {
      Duration step = timeout == null ? Duration.ofSeconds(10) : timeout;
      Duration whole = deadline == null ? Duration.ofSeconds(60) : deadline;
      if (deadline != null && timeout != null && step.compareTo(whole) > 0) {
        throw new IllegalArgumentException(
            "timeout (" + step + ") must not exceed deadline (" + whole + ")");
      }
      return new SmtpTlsInspector(
          new ProbeSettings(
              ehloName,
              step,
              whole,
              transport == null ? discoverTransport() : transport,
              Boolean.TRUE.equals(plaintextCheck),
              Boolean.TRUE.equals(attemptStartTlsWhenNotAdvertised),
              ehloAfterTls == null || ehloAfterTls,
              quitReplyWait == null ? Duration.ZERO : quitReplyWait,
              clock == null ? Clock.systemUTC() : clock,
              certificateCheckerSet ? certificateChecker : CertificateChecker.builder().build(),
              Boolean.TRUE.equals(sessionResumption) ? new SessionResumption(maxSessions, sessionLifetime) : null));
    }

    private static Transport discoverTransport() {
      Iterator<Transport> it = ServiceLoader.load(Transport.class).iterator();
      return it.hasNext() ? it.next() : Transport.plainSockets();
    }

    private static void checkUnset(@Nullable Object current, String name) {
      if (current != null) {
        throw new IllegalStateException(name + " was already set");
      }
    }

    private static void checkPositive(Duration d, String name) {
      requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
    }
  }
}
