package dev.smtptls.sink;

import static java.util.Objects.requireNonNull;

import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.internal.tls.FixedKeyManager;
import dev.smtptls.spi.TrustSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * An SMTP receiver that a sending MTA delivers to, reporting what a receiver sees of that sender:
 * its HELO/EHLO name, whether it uses STARTTLS, the TLS it negotiates and the client certificate it
 * presents, which is what an Exchange Online inbound connector ({@code TlsSenderCertificateName},
 * {@code RequireTls}) or a Postfix {@code smtpd_tls_req_ccert} decides by. One {@link SenderReport}
 * per connection.
 *
 * <p>It greets with its FQDN, offers STARTTLS (RFC 3207) with the given certificate or a generated
 * self-signed one, requests but does not require a client certificate (any chain is accepted and
 * recorded, then judged by the {@link CertificateChecker} with the sender's EHLO name as the name
 * to cover: {@code SENDER_CERT_*} findings), and answers {@code RCPT TO} with a temporary {@code
 * 451 4.3.0}, so no mail is taken and a real sender simply retries later; with {@link
 * Builder#acceptMail(boolean)} it takes messages and discards them (bodies are counted, never
 * stored). A {@link SinkPolicy} may answer {@code MAIL}/{@code RCPT} instead.
 *
 * <p>Bounded like the probe: each line or handshake must arrive within the {@linkplain
 * Builder#timeout step timeout} ({@code SENDER_TIMEOUT}), a connection lasts at most its {@linkplain
 * Builder#sessionTimeout session timeout}, lines are capped in length, messages in size, commands in
 * number ({@code SENDER_PROTOCOL_VIOLATION}), and at most {@linkplain Builder#maxConnections N}
 * connections are served at once (more are answered {@code 421 4.3.2}: {@code
 * SENDER_TOO_MANY_CONNECTIONS}). A hostile sender costs a finding and its own connection, never the
 * sink.
 *
 * <pre>{@code
 * SmtpTlsSink sink = SmtpTlsSink.builder()
 *     .fqdn("sink.example.net")
 *     .trustSource(TrustSources.system())
 *     .build();
 * try (RunningSink running = sink.start()) {
 *   System.err.println("listening on " + running.address());
 *   SenderReport r = running.next(Duration.ofMinutes(5)).orElseThrow();
 *   System.out.println(r.heloName() + " TLS=" + r.startTls().used() + " " + r.findings());
 * }
 * }</pre>
 *
 * <p>It doubles as a test double for code that sends mail: start it on loopback port 0, point the
 * code under test at {@link RunningSink#address()}, and assert on the {@link SenderReport}s (the
 * testkit's {@code SmtpTlsSinkExtension} does the starting and closing).
 *
 * <p>Immutable and thread-safe; each {@link #start()} opens a new listener.
 */
public final class SmtpTlsSink {

  /** Recipients recorded per connection; more are answered {@code 452 4.5.3}. */
  public static final int MAX_RECIPIENTS = 100;
  /** Commands accepted per connection before the sink closes it. */
  public static final int MAX_COMMANDS = 1000;
  /** Bad commands (unknown, out of sequence, malformed) accepted per connection before the sink closes it. */
  public static final int MAX_ERRORS = 20;

  private final InetSocketAddress listen;
  private final String fqdn;
  private final PrivateKey key;
  private final List<X509Certificate> chain;
  private final CertificateChecker checker;
  private final Duration timeout;
  private final Duration sessionTimeout;
  private final int maxLineLength;
  private final long maxMessageSize;
  private final int maxConnections;
  private final boolean acceptMail;
  private final @Nullable SinkPolicy policy;
  private final Clock clock;

  private SmtpTlsSink(Builder b, PrivateKey key, List<X509Certificate> chain, CertificateChecker checker) {
    this.listen = b.listen;
    this.fqdn = b.fqdn;
    this.key = key;
    this.chain = List.copyOf(chain);
    this.checker = checker;
    this.timeout = b.timeout;
    this.sessionTimeout = b.sessionTimeout;
    this.maxLineLength = b.maxLineLength;
    this.maxMessageSize = b.maxMessageSize;
    this.maxConnections = b.maxConnections;
    this.acceptMail = b.acceptMail;
    this.policy = b.policy;
    this.clock = b.clock;
  }

  /** {@return a builder: 127.0.0.1 port 0, FQDN {@code sink.smtptls.test}, a self-signed certificate, the system trust store} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds the listening address and starts accepting connections.
   *
   * @return the running sink; close it to stop
   * @throws UncheckedIOException if the address cannot be bound
   */
  public RunningSink start() {
    ServerSocket ss;
    try {
      ss = new ServerSocket();
      ss.setReuseAddress(true);
      ss.bind(listen, 128);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + listen + ": " + e.getMessage(), e);
    }
    return new RunningSink(this, ss, sslContext());
  }

  private SSLContext sslContext() {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(new KeyManager[] {new FixedKeyManager(key, chain)},
          new TrustManager[] {new RecordingTrustManager()}, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot use this key and chain for TLS: " + e.getMessage(), e);
    }
  }

  /** {@return where the sink listens, as configured (port 0: the system chooses; see {@link RunningSink#address()})} */
  public InetSocketAddress listenAddress() {
    return listen;
  }

  /** {@return the FQDN in the greeting and EHLO reply} */
  public String fqdn() {
    return fqdn;
  }

  /** {@return the chain presented in the TLS handshake, leaf first} */
  public List<X509Certificate> certificateChain() {
    return chain;
  }

  /** {@return the checker that judges the senders' client certificates} */
  public CertificateChecker certificateChecker() {
    return checker;
  }

  /** {@return the bound of each step: a command line, a message line, the TLS handshake} */
  public Duration timeout() {
    return timeout;
  }

  /** {@return the bound of a whole connection} */
  public Duration sessionTimeout() {
    return sessionTimeout;
  }

  /** {@return the longest line accepted, in octets} */
  public int maxLineLength() {
    return maxLineLength;
  }

  /** {@return the largest message accepted, in octets} */
  public long maxMessageSize() {
    return maxMessageSize;
  }

  /** {@return the most connections served at once} */
  public int maxConnections() {
    return maxConnections;
  }

  /** {@return whether messages are taken (and discarded) rather than refused with {@code 451 4.3.0}} */
  public boolean acceptsMail() {
    return acceptMail;
  }

  /** {@return the policy consulted before answering {@code MAIL} and {@code RCPT}, or null} */
  public @Nullable SinkPolicy policy() {
    return policy;
  }

  PrivateKey privateKey() {
    return key;
  }

  Clock clock() {
    return clock;
  }

  /** Builds a {@link SmtpTlsSink}. Setters of single values may be called once. */
  public static final class Builder {
    private InetSocketAddress listen = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private boolean listenSet;
    private String fqdn = "sink.smtptls.test";
    private boolean fqdnSet;
    private @Nullable PrivateKey key;
    private @Nullable List<X509Certificate> chain;
    private @Nullable CertificateChecker checker;
    private @Nullable TrustSource trust;
    private Duration timeout = Duration.ofSeconds(30);
    private boolean timeoutSet;
    private Duration sessionTimeout = Duration.ofMinutes(10);
    private boolean sessionTimeoutSet;
    private int maxLineLength = 4096;
    private boolean maxLineLengthSet;
    private long maxMessageSize = 10L << 20;
    private boolean maxMessageSizeSet;
    private int maxConnections = 16;
    private boolean maxConnectionsSet;
    private boolean acceptMail;
    private boolean acceptMailSet;
    private @Nullable SinkPolicy policy;
    private Clock clock = Clock.systemUTC();
    private boolean clockSet;

    private Builder() {}

    /**
     * Where to listen. Default {@code 127.0.0.1} port 0 (the system chooses a free port, which
     * {@link RunningSink#address()} tells). Listening beyond loopback is allowed: that is how a
     * real sending MTA elsewhere reaches it.
     *
     * @param address an IP address and port (0 for an ephemeral port); never a name to resolve
     * @return this builder
     * @throws IllegalArgumentException if the address is unresolved
     * @throws IllegalStateException if already set
     */
    public Builder listen(InetSocketAddress address) {
      requireNonNull(address, "listen");
      if (address.isUnresolved()) {
        throw new IllegalArgumentException("listen needs an IP address, not a name: " + address.getHostString());
      }
      once(listenSet, "listen");
      listenSet = true;
      this.listen = address;
      return this;
    }

    /**
     * The FQDN in the greeting and the EHLO reply, and the name of the generated certificate.
     * Default {@code sink.smtptls.test}.
     *
     * @param name a host name
     * @return this builder
     * @throws IllegalArgumentException if blank or not one word
     * @throws IllegalStateException if already set
     */
    public Builder fqdn(String name) {
      requireNonNull(name, "fqdn");
      if (name.isBlank() || name.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
        throw new IllegalArgumentException("fqdn must be one word of printable ASCII: '" + name + "'");
      }
      once(fqdnSet, "fqdn");
      fqdnSet = true;
      this.fqdn = name.toLowerCase(Locale.ROOT);
      return this;
    }

    /**
     * The key and chain to present after STARTTLS (leaf first, then intermediates), whatever their
     * validity. Default: a self-signed ECDSA P-256 certificate for the {@linkplain #fqdn FQDN},
     * generated by {@link #build()}.
     *
     * @param privateKey the leaf's private key
     * @param certificates the chain as sent in the handshake
     * @return this builder
     * @throws IllegalArgumentException if the chain is empty
     * @throws IllegalStateException if already set
     */
    public Builder certificate(PrivateKey privateKey, List<X509Certificate> certificates) {
      requireNonNull(privateKey, "privateKey");
      requireNonNull(certificates, "certificates");
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException("the chain needs at least the leaf");
      }
      if (key != null) {
        throw new IllegalStateException("certificate was already set");
      }
      this.key = privateKey;
      this.chain = List.copyOf(certificates);
      return this;
    }

    /**
     * Where the senders' client certificates must chain to. Shorthand for a {@linkplain
     * #certificateChecker checker} with this trust source, the {@code clientAuth} purpose and no
     * revocation check. Default: the system trust store.
     *
     * @param source the trust source
     * @return this builder
     * @throws IllegalStateException if a trust source or checker was already set
     */
    public Builder trustSource(TrustSource source) {
      requireNonNull(source, "trustSource");
      if (trust != null || checker != null) {
        throw new IllegalStateException("trustSource or certificateChecker was already set");
      }
      this.trust = source;
      return this;
    }

    /**
     * The checker that judges each sender's client certificate (its findings become {@code
     * SENDER_CERT_*}). Default: the {@linkplain #trustSource trust source}, purpose {@link
     * CertificateChecker#CLIENT_AUTH}, no revocation check.
     *
     * @param c the checker
     * @return this builder
     * @throws IllegalStateException if a trust source or checker was already set
     */
    public Builder certificateChecker(CertificateChecker c) {
      requireNonNull(c, "certificateChecker");
      if (trust != null || checker != null) {
        throw new IllegalStateException("trustSource or certificateChecker was already set");
      }
      this.checker = c;
      return this;
    }

    /**
     * How long the sink waits for each step of a sender: a command line, a line of message data,
     * the TLS handshake. Default 30 s. A sender that takes longer gets {@code 421 4.4.2} and
     * {@code SENDER_TIMEOUT}.
     *
     * @param d positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     * @throws IllegalStateException if already set
     */
    public Builder timeout(Duration d) {
      positive(d, "timeout");
      once(timeoutSet, "timeout");
      timeoutSet = true;
      this.timeout = d;
      return this;
    }

    /**
     * How long one connection may last in all, whatever it does. Default 10 minutes.
     *
     * @param d positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     * @throws IllegalStateException if already set
     */
    public Builder sessionTimeout(Duration d) {
      positive(d, "sessionTimeout");
      once(sessionTimeoutSet, "sessionTimeout");
      sessionTimeoutSet = true;
      this.sessionTimeout = d;
      return this;
    }

    /**
     * The longest line accepted, in octets without the line ending: commands and message lines
     * (RFC 5321 §4.5.3.1 sets 512 and 1000). Default 4096.
     *
     * @param octets 512 to 1 MiB
     * @return this builder
     * @throws IllegalArgumentException if out of range
     * @throws IllegalStateException if already set
     */
    public Builder maxLineLength(int octets) {
      if (octets < 512 || octets > (1 << 20)) {
        throw new IllegalArgumentException("maxLineLength must be 512 to 1048576: " + octets);
      }
      once(maxLineLengthSet, "maxLineLength");
      maxLineLengthSet = true;
      this.maxLineLength = octets;
      return this;
    }

    /**
     * The largest message taken, in octets (advertised as {@code SIZE}, RFC 1870). A larger one
     * is answered {@code 552 5.3.4} and the connection closed. Default 10 MiB.
     *
     * @param octets positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     * @throws IllegalStateException if already set
     */
    public Builder maxMessageSize(long octets) {
      if (octets <= 0) {
        throw new IllegalArgumentException("maxMessageSize must be positive: " + octets);
      }
      once(maxMessageSizeSet, "maxMessageSize");
      maxMessageSizeSet = true;
      this.maxMessageSize = octets;
      return this;
    }

    /**
     * The most connections served at once; one more is answered {@code 421 4.3.2} and closed.
     * Default 16.
     *
     * @param n 1 to 10000
     * @return this builder
     * @throws IllegalArgumentException if out of range
     * @throws IllegalStateException if already set
     */
    public Builder maxConnections(int n) {
      if (n < 1 || n > 10_000) {
        throw new IllegalArgumentException("maxConnections must be 1 to 10000: " + n);
      }
      once(maxConnectionsSet, "maxConnections");
      maxConnectionsSet = true;
      this.maxConnections = n;
      return this;
    }

    /**
     * Whether to take mail: {@code 250} to {@code RCPT TO} and to the end of {@code DATA}, the
     * message counted and discarded, never stored. Default false: {@code RCPT TO} is answered
     * {@code 451 4.3.0}, a temporary failure after which a sending MTA keeps the message queued.
     *
     * @param on whether to accept and discard
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder acceptMail(boolean on) {
      once(acceptMailSet, "acceptMail");
      acceptMailSet = true;
      this.acceptMail = on;
      return this;
    }

    /**
     * A policy consulted before answering {@code MAIL FROM} and {@code RCPT TO}; its non-null
     * reply is what the sender hears. Default none.
     *
     * @param p the policy
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder policy(SinkPolicy p) {
      requireNonNull(p, "policy");
      if (policy != null) {
        throw new IllegalStateException("policy was already set");
      }
      this.policy = p;
      return this;
    }

    /**
     * The clock for the reports' timestamps (not for timeouts, which use the monotonic clock).
     * Default the system UTC clock.
     *
     * @param c the clock
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder clock(Clock c) {
      requireNonNull(c, "clock");
      once(clockSet, "clock");
      clockSet = true;
      this.clock = c;
      return this;
    }

    /**
     * Builds the sink; generates the self-signed certificate when none was given.
     *
     * @return an immutable, thread-safe sink, not yet listening
     */
    public SmtpTlsSink build() {
      PrivateKey k = key;
      List<X509Certificate> c = chain;
      if (k == null || c == null) {
        SelfSignedCertificate generated = SelfSignedCertificate.generate(fqdn, clock.instant());
        k = generated.key();
        c = List.of(generated.certificate());
      }
      CertificateChecker cc = checker;
      if (cc == null) {
        CertificateChecker.Builder b = CertificateChecker.builder()
            .purpose(CertificateChecker.CLIENT_AUTH)
            .revocationChecker(null)
            .clock(clock);
        if (trust != null) {
          b.trustSource(trust);
        }
        cc = b.build();
      }
      return new SmtpTlsSink(this, k, c, cc);
    }

    private static void positive(Duration d, String name) {
      requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
    }

    private static void once(boolean set, String name) {
      if (set) {
        throw new IllegalStateException(name + " was already set");
      }
    }
  }
}
