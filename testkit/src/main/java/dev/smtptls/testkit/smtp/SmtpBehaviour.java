package dev.smtptls.testkit.smtp;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link MockSmtpServer} behaves: a script of the faults and quirks real SMTP servers,
 * firewalls and tarpits show. Immutable; start from a factory such as {@link #healthy()} and
 * adjust with {@link #toBuilder()}.
 *
 * <pre>{@code
 * server.behave(SmtpBehaviour.startTlsRefused());            // 454 4.7.0 TLS not available
 * server.behave(SmtpBehaviour.healthy().toBuilder()
 *     .greeting(554, "5.7.1 Service unavailable; client host blocked using zen.spamhaus.org")
 *     .build());
 * }</pre>
 */
public final class SmtpBehaviour {

  /** Where and how the EHLO reply advertises STARTTLS. */
  public enum StartTlsAdvertisement {
    /** On a middle line: {@code 250-STARTTLS}. */
    NORMAL,
    /** On the last line: {@code 250 STARTTLS}. */
    LAST_LINE,
    /** In lower case: {@code 250-starttls}. */
    LOWER_CASE,
    /** Not advertised. */
    NONE
  }

  /** Replies that break the bounds a client must keep. */
  public enum Oversize {
    /** None. */
    NONE,
    /** A greeting of endless {@code 220-} lines. */
    ENDLESS_REPLY,
    /** A greeting line of endless octets without a line ending. */
    ENDLESS_LINE
  }

  /** The extensions a healthy server advertises besides STARTTLS. */
  public static final List<String> DEFAULT_EXTENSIONS =
      List.of("PIPELINING", "SIZE 10240000", "ENHANCEDSTATUSCODES", "8BITMIME");

  private final String name;
  private final int greetingCode;
  private final @Nullable String greetingText;
  private final Duration greetingDelay;
  private final Duration dripPerOctet;
  private final boolean maskGreeting;
  private final boolean esmtp;
  private final List<String> extensions;
  private final StartTlsAdvertisement startTlsAdvertisement;
  private final boolean maskEhloKeywords;
  private final boolean acceptStartTlsWhenNotAdvertised;
  private final String startTlsReply;
  private final boolean handshakeFails;
  private final boolean closeAfterEhlo;
  /** The reply to MAIL before STARTTLS when TLS is required, as Postfix gives it. */
  public static final String DEFAULT_TLS_REQUIRED_REPLY = "530 5.7.0 Must issue a STARTTLS command first";

  private final boolean requireTlsForMail;
  private final String tlsRequiredReply;
  private final Oversize oversize;
  private final List<String> tlsProtocols;
  private final List<String> cipherSuites;
  private final boolean honourClientCipherOrder;

  private SmtpBehaviour(Builder b) {
    this.name = b.name;
    this.greetingCode = b.greetingCode;
    this.greetingText = b.greetingText;
    this.greetingDelay = b.greetingDelay;
    this.dripPerOctet = b.dripPerOctet;
    this.maskGreeting = b.maskGreeting;
    this.esmtp = b.esmtp;
    this.extensions = List.copyOf(b.extensions);
    this.startTlsAdvertisement = b.startTlsAdvertisement;
    this.maskEhloKeywords = b.maskEhloKeywords;
    this.acceptStartTlsWhenNotAdvertised = b.acceptStartTlsWhenNotAdvertised;
    this.startTlsReply = b.startTlsReply;
    this.handshakeFails = b.handshakeFails;
    this.closeAfterEhlo = b.closeAfterEhlo;
    this.requireTlsForMail = b.requireTlsForMail;
    this.tlsRequiredReply = b.tlsRequiredReply;
    this.oversize = b.oversize;
    this.tlsProtocols = List.copyOf(b.tlsProtocols);
    this.cipherSuites = List.copyOf(b.cipherSuites);
    this.honourClientCipherOrder = b.honourClientCipherOrder;
  }

  /** {@return a server that greets, offers STARTTLS, completes the handshake and answers EHLO again} */
  public static SmtpBehaviour healthy() {
    return new Builder("healthy").build();
  }

  /** {@return STARTTLS missing from the EHLO reply and refused with 502 when sent anyway} */
  public static SmtpBehaviour startTlsNotAdvertised() {
    return new Builder("startTlsNotAdvertised").startTlsAdvertisement(StartTlsAdvertisement.NONE).build();
  }

  /** {@return STARTTLS advertised only on the last line of the EHLO reply ({@code 250 STARTTLS})} */
  public static SmtpBehaviour startTlsOnLastLine() {
    return new Builder("startTlsOnLastLine").startTlsAdvertisement(StartTlsAdvertisement.LAST_LINE).build();
  }

  /** {@return STARTTLS advertised in lower case ({@code 250-starttls})} */
  public static SmtpBehaviour startTlsLowerCase() {
    return new Builder("startTlsLowerCase").startTlsAdvertisement(StartTlsAdvertisement.LOWER_CASE).build();
  }

  /** {@return STARTTLS advertised but refused: {@code 454 4.7.0 TLS not available due to local problem}} */
  public static SmtpBehaviour startTlsRefused() {
    return new Builder("startTlsRefused")
        .startTlsReply("454 4.7.0 TLS not available due to local problem")
        .build();
  }

  /**
   * {@return STARTTLS answered 220, then the ClientHello answered with a fatal {@code
   * handshake_failure} alert, as from a server that shares no protocol version or cipher suite
   * with the client}
   */
  public static SmtpBehaviour handshakeFailure() {
    return new Builder("handshakeFailure").handshakeFails(true).build();
  }

  /** {@return the connection closed right after the EHLO reply} */
  public static SmtpBehaviour closeAfterEhlo() {
    return new Builder("closeAfterEhlo").closeAfterEhlo(true).build();
  }

  /** {@return a server that speaks SMTP only: EHLO answered {@code 500}, HELO accepted} */
  public static SmtpBehaviour heloOnly() {
    return new Builder("heloOnly").esmtp(false).build();
  }

  /**
   * A greeting that refuses the session.
   *
   * @param code 421 or 554 (any 4xx/5xx)
   * @param text the text after the code, e.g. a block list's message
   * @return the behaviour
   * @throws IllegalArgumentException if the code is not 400..599
   */
  public static SmtpBehaviour greetingRejected(int code, String text) {
    if (code < 400 || code > 599) {
      throw new IllegalArgumentException("a rejecting greeting has a 4xx or 5xx code: " + code);
    }
    return new Builder("greetingRejected").greeting(code, text).build();
  }

  /**
   * {@return a firewall's SMTP inspection (Cisco PIX/ASA style) in front of a server: the greeting
   * masked with {@code *}, EHLO keywords masked with {@code X} ({@code 250-XXXXXXXA}), yet the
   * STARTTLS command accepted when sent}
   */
  public static SmtpBehaviour esmtpInspectionMasking() {
    return new Builder("esmtpInspectionMasking")
        .maskGreeting(true)
        .maskEhloKeywords(true)
        .acceptStartTlsWhenNotAdvertised(true)
        .build();
  }

  /** {@return a server that refuses {@code MAIL} before STARTTLS: {@code 530 5.7.0 Must issue a STARTTLS command first}} */
  public static SmtpBehaviour tlsRequiredBeforeMail() {
    return new Builder("tlsRequiredBeforeMail").requireTlsForMail(true).build();
  }

  /**
   * A tarpit: the greeting comes only after a delay.
   *
   * @param delay how long to wait before greeting
   * @return the behaviour
   */
  public static SmtpBehaviour tarpit(Duration delay) {
    return new Builder("tarpit").greetingDelay(delay).build();
  }

  /**
   * A tarpit that drips its greeting one octet at a time, each within any per-read timeout: only
   * a deadline for the whole probe ends it.
   *
   * @param perOctet the pause before each octet
   * @return the behaviour
   */
  public static SmtpBehaviour drip(Duration perOctet) {
    return new Builder("drip").dripPerOctet(perOctet).build();
  }

  /** {@return a greeting of endless {@code 220-} lines: a client must stop at its bound} */
  public static SmtpBehaviour oversizeReply() {
    return new Builder("oversizeReply").oversize(Oversize.ENDLESS_REPLY).build();
  }

  /** {@return a greeting line that never ends: a client must stop at its line bound} */
  public static SmtpBehaviour oversizeLine() {
    return new Builder("oversizeLine").oversize(Oversize.ENDLESS_LINE).build();
  }

  /** {@return a builder starting from this behaviour} */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** {@return a builder for a custom behaviour, starting healthy} */
  public static Builder builder() {
    return new Builder("custom");
  }

  /** {@return a short name for logs} */
  public String name() {
    return name;
  }

  int greetingCode() {
    return greetingCode;
  }

  @Nullable String greetingText() {
    return greetingText;
  }

  Duration greetingDelay() {
    return greetingDelay;
  }

  Duration dripPerOctet() {
    return dripPerOctet;
  }

  boolean maskGreeting() {
    return maskGreeting;
  }

  boolean esmtp() {
    return esmtp;
  }

  List<String> extensions() {
    return extensions;
  }

  StartTlsAdvertisement startTlsAdvertisement() {
    return startTlsAdvertisement;
  }

  boolean maskEhloKeywords() {
    return maskEhloKeywords;
  }

  boolean acceptStartTlsWhenNotAdvertised() {
    return acceptStartTlsWhenNotAdvertised;
  }

  String startTlsReply() {
    return startTlsReply;
  }

  boolean handshakeFails() {
    return handshakeFails;
  }

  boolean closesAfterEhlo() {
    return closeAfterEhlo;
  }

  boolean requireTlsForMail() {
    return requireTlsForMail;
  }

  String tlsRequiredReply() {
    return tlsRequiredReply;
  }

  Oversize oversize() {
    return oversize;
  }

  List<String> tlsProtocols() {
    return tlsProtocols;
  }

  List<String> cipherSuites() {
    return cipherSuites;
  }

  boolean honourClientCipherOrder() {
    return honourClientCipherOrder;
  }

  @Override
  public String toString() {
    return "SmtpBehaviour[" + name + "]";
  }

  /** Builds a {@link SmtpBehaviour}. */
  public static final class Builder {
    private String name;
    private int greetingCode = 220;
    private @Nullable String greetingText;
    private Duration greetingDelay = Duration.ZERO;
    private Duration dripPerOctet = Duration.ZERO;
    private boolean maskGreeting;
    private boolean esmtp = true;
    private List<String> extensions = DEFAULT_EXTENSIONS;
    private StartTlsAdvertisement startTlsAdvertisement = StartTlsAdvertisement.NORMAL;
    private boolean maskEhloKeywords;
    private boolean acceptStartTlsWhenNotAdvertised;
    private String startTlsReply = "220 2.0.0 Ready to start TLS";
    private boolean handshakeFails;
    private boolean closeAfterEhlo;
    private boolean requireTlsForMail;
    private String tlsRequiredReply = DEFAULT_TLS_REQUIRED_REPLY;
    private Oversize oversize = Oversize.NONE;
    private List<String> tlsProtocols = List.of();
    private List<String> cipherSuites = List.of();
    private boolean honourClientCipherOrder;

    private Builder(String name) {
      this.name = name;
    }

    private Builder(SmtpBehaviour b) {
      this.name = b.name;
      this.greetingCode = b.greetingCode;
      this.greetingText = b.greetingText;
      this.greetingDelay = b.greetingDelay;
      this.dripPerOctet = b.dripPerOctet;
      this.maskGreeting = b.maskGreeting;
      this.esmtp = b.esmtp;
      this.extensions = b.extensions;
      this.startTlsAdvertisement = b.startTlsAdvertisement;
      this.maskEhloKeywords = b.maskEhloKeywords;
      this.acceptStartTlsWhenNotAdvertised = b.acceptStartTlsWhenNotAdvertised;
      this.startTlsReply = b.startTlsReply;
      this.handshakeFails = b.handshakeFails;
      this.closeAfterEhlo = b.closeAfterEhlo;
      this.requireTlsForMail = b.requireTlsForMail;
      this.tlsRequiredReply = b.tlsRequiredReply;
      this.oversize = b.oversize;
      this.tlsProtocols = b.tlsProtocols;
      this.cipherSuites = b.cipherSuites;
      this.honourClientCipherOrder = b.honourClientCipherOrder;
    }

    /**
     * A name for logs.
     *
     * @param n the name
     * @return this builder
     */
    public Builder name(String n) {
      this.name = requireNonNull(n, "name");
      return this;
    }

    /**
     * The greeting's code and text; the default is {@code 220 <fqdn> ESMTP}.
     *
     * @param code 200..599
     * @param text the text after the code
     * @return this builder
     * @throws IllegalArgumentException if the code is out of range
     */
    public Builder greeting(int code, String text) {
      if (code < 200 || code > 599) {
        throw new IllegalArgumentException("greeting code must be 200..599: " + code);
      }
      this.greetingCode = code;
      this.greetingText = requireNonNull(text, "text");
      return this;
    }

    /**
     * A pause before the greeting.
     *
     * @param d the delay
     * @return this builder
     */
    public Builder greetingDelay(Duration d) {
      this.greetingDelay = nonNegative(d, "greetingDelay");
      return this;
    }

    /**
     * Send the greeting one octet at a time with this pause before each.
     *
     * @param d the pause
     * @return this builder
     */
    public Builder dripPerOctet(Duration d) {
      this.dripPerOctet = nonNegative(d, "dripPerOctet");
      return this;
    }

    /**
     * Mask the greeting text with {@code *} as a Cisco PIX/ASA does.
     *
     * @param on whether to mask
     * @return this builder
     */
    public Builder maskGreeting(boolean on) {
      this.maskGreeting = on;
      return this;
    }

    /**
     * Whether EHLO is understood; false answers {@code 500} and accepts HELO.
     *
     * @param on whether ESMTP is spoken
     * @return this builder
     */
    public Builder esmtp(boolean on) {
      this.esmtp = on;
      return this;
    }

    /**
     * The extensions advertised besides STARTTLS.
     *
     * @param ext keyword lines such as {@code "SIZE 10240000"}
     * @return this builder
     */
    public Builder extensions(List<String> ext) {
      this.extensions = List.copyOf(ext);
      return this;
    }

    /**
     * How STARTTLS is advertised.
     *
     * @param a the advertisement
     * @return this builder
     */
    public Builder startTlsAdvertisement(StartTlsAdvertisement a) {
      this.startTlsAdvertisement = requireNonNull(a, "startTlsAdvertisement");
      return this;
    }

    /**
     * Mask EHLO keywords with {@code X} ({@code STARTTLS} becomes {@code XXXXXXXA}).
     *
     * @param on whether to mask
     * @return this builder
     */
    public Builder maskEhloKeywords(boolean on) {
      this.maskEhloKeywords = on;
      return this;
    }

    /**
     * Accept the STARTTLS command even when the EHLO reply did not advertise it.
     *
     * @param on whether to accept
     * @return this builder
     */
    public Builder acceptStartTlsWhenNotAdvertised(boolean on) {
      this.acceptStartTlsWhenNotAdvertised = on;
      return this;
    }

    /**
     * The reply to STARTTLS; TLS starts only when it begins with {@code 220}.
     *
     * @param reply a full reply line such as {@code "454 4.7.0 TLS not available"}
     * @return this builder
     * @throws IllegalArgumentException if it does not start with a three-digit code and a space
     */
    public Builder startTlsReply(String reply) {
      requireNonNull(reply, "startTlsReply");
      if (!reply.matches("[2-5]\\d\\d( .*)?")) {
        throw new IllegalArgumentException("startTlsReply must be 'ddd text': " + reply);
      }
      this.startTlsReply = reply;
      return this;
    }

    /**
     * Answer the ClientHello with a fatal {@code handshake_failure} alert.
     *
     * @param on whether it fails
     * @return this builder
     */
    public Builder handshakeFails(boolean on) {
      this.handshakeFails = on;
      return this;
    }

    /**
     * Close the connection right after the EHLO reply.
     *
     * @param on whether to close
     * @return this builder
     */
    public Builder closeAfterEhlo(boolean on) {
      this.closeAfterEhlo = on;
      return this;
    }

    /**
     * Refuse MAIL before STARTTLS with {@code 530 5.7.0 Must issue a STARTTLS command first}.
     *
     * @param on whether TLS is required
     * @return this builder
     */
    public Builder requireTlsForMail(boolean on) {
      this.requireTlsForMail = on;
      return this;
    }

    /**
     * Refuse MAIL before STARTTLS with this reply instead of the default {@value
     * #DEFAULT_TLS_REQUIRED_REPLY}, e.g. Exchange's {@code 451 5.7.3 STARTTLS is required to send
     * mail}; implies {@link #requireTlsForMail(boolean) requireTlsForMail(true)}.
     *
     * @param reply one reply line: a 4xx or 5xx code, a space and the text
     * @return this builder
     * @throws IllegalArgumentException if it is not a one-line 4xx or 5xx reply
     */
    public Builder tlsRequiredReply(String reply) {
      requireNonNull(reply, "reply");
      if (!reply.matches("[45][0-9][0-9] [^\\r\\n]*")) {
        throw new IllegalArgumentException("not a one-line 4xx or 5xx reply: \"" + reply + "\"");
      }
      this.tlsRequiredReply = reply;
      this.requireTlsForMail = true;
      return this;
    }

    /**
     * Send an oversized greeting.
     *
     * @param o which kind
     * @return this builder
     */
    public Builder oversize(Oversize o) {
      this.oversize = requireNonNull(o, "oversize");
      return this;
    }

    /**
     * The TLS versions the server accepts after STARTTLS, by their JSSE names ({@code "TLSv1.2"},
     * {@code "TLSv1.3"}). Default: the JSSE's defaults. A name the JSSE does not know fails the
     * handshake on the server side, as a misconfigured server would.
     *
     * @param protocols one or more JSSE protocol names
     * @return this builder
     * @throws IllegalArgumentException if empty
     */
    public Builder tlsProtocols(String... protocols) {
      if (protocols.length == 0) {
        throw new IllegalArgumentException("tlsProtocols: name at least one version");
      }
      this.tlsProtocols = List.of(protocols);
      return this;
    }

    /**
     * The cipher suites the server accepts, by their JSSE names, in the server's preference
     * order. Default: the JSSE's defaults.
     *
     * @param suites one or more JSSE cipher suite names
     * @return this builder
     * @throws IllegalArgumentException if empty
     */
    public Builder cipherSuites(String... suites) {
      if (suites.length == 0) {
        throw new IllegalArgumentException("cipherSuites: name at least one suite");
      }
      this.cipherSuites = List.of(suites);
      return this;
    }

    /**
     * Pick the first suite the client offers that the server accepts, instead of the server's
     * own order ({@link #cipherSuites(String...)}) which is the default (Postfix's {@code
     * tls_preempt_cipherlist = yes}).
     *
     * @param on whether the client's order wins
     * @return this builder
     */
    public Builder honourClientCipherOrder(boolean on) {
      this.honourClientCipherOrder = on;
      return this;
    }

    /** {@return the behaviour} */
    public SmtpBehaviour build() {
      return new SmtpBehaviour(this);
    }

    private static Duration nonNegative(Duration d, String what) {
      requireNonNull(d, what);
      if (d.isNegative()) {
        throw new IllegalArgumentException(what + " must not be negative: " + d);
      }
      return d;
    }
  }
}
