package dev.smtptls.internal.inspect;

import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.cert.CertificateReport;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.PlaintextCheck;
import dev.smtptls.inspect.SmtpTarget;
import dev.smtptls.inspect.StartTlsOutcome;
import dev.smtptls.inspect.Timings;
import dev.smtptls.inspect.TranscriptEntry;
import dev.smtptls.inspect.TranscriptEntry.Source;
import dev.smtptls.internal.smtp.ReplyReader;
import dev.smtptls.internal.smtp.SmtpLineReader;
import dev.smtptls.internal.smtp.SmtpProtocolException;
import dev.smtptls.smtp.EnhancedStatusCode;
import dev.smtptls.smtp.Ehlo;
import dev.smtptls.smtp.Greeting;
import dev.smtptls.smtp.SmtpReply;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * One probe: the client side of an SMTP dialogue up to and through STARTTLS. Single use, one
 * thread. Every remote failure ends as a finding; {@link #run()} does not throw.
 */
public final class ProbeSession {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern TLS_WORD = Pattern.compile("(?i)\\b(STARTTLS|TLS|encryption)\\b");

  private final ProbeSettings settings;
  private final SmtpTarget target;
  private final List<String> expectedNames;
  private final long t0 = System.nanoTime();
  private final long deadlineNanos;
  private final Instant startedAt;
  private final List<Finding> findings = new ArrayList<>();
  private final List<TranscriptEntry> transcript = new ArrayList<>();

  private @Nullable InetSocketAddress address;
  private @Nullable Socket raw;
  private @Nullable SSLSocket tls;
  private @Nullable OutputStream out;
  private @Nullable SmtpLineReader lineReader;
  private @Nullable ReplyReader replies;
  private @Nullable Watchdog watchdog;
  private final SocketTuning tuning = new SocketTuning();
  private final @Nullable Consumer<SSLSocket> tlsSetup;

  private String step = "connect";
  private long stepStart;
  private long stepDeadline;

  private @Nullable Greeting greeting;
  private @Nullable Ehlo ehlo;
  private @Nullable SmtpReply helo;
  private @Nullable StartTlsOutcome startTls;
  private @Nullable Ehlo ehloAfterTls;
  private @Nullable PlaintextCheck plaintext;
  private @Nullable Duration connectTime;
  private @Nullable Duration greetingTime;
  private @Nullable Duration ehloTime;
  private @Nullable Duration startTlsTime;
  private @Nullable Duration handshakeTime;
  private String notAttemptedReason = "the probe ended before STARTTLS";
  private boolean aborted;
  private boolean ticketPending;

  /**
   * Prepares a probe.
   *
   * @param settings the inspector's settings
   * @param target the server
   * @param expectedNames the names the certificate must cover
   */
  public ProbeSession(ProbeSettings settings, SmtpTarget target, List<String> expectedNames) {
    this(settings, target, expectedNames, null);
  }

  /**
   * Prepares a probe whose TLS socket is adjusted before the handshake: the capability
   * enumeration ({@code dev.smtptls.tls}) restricts the protocol versions and cipher suites
   * offered, and reuses the whole STARTTLS dialogue otherwise.
   *
   * @param settings the inspector's settings
   * @param target the server
   * @param expectedNames the names the certificate must cover
   * @param tlsSetup called with the client socket after SNI is set and before the handshake; it
   *     may throw {@link IllegalArgumentException} for a protocol or suite the JSSE rejects
   */
  public ProbeSession(
      ProbeSettings settings, SmtpTarget target, List<String> expectedNames, @Nullable Consumer<SSLSocket> tlsSetup) {
    this.tlsSetup = tlsSetup;
    this.settings = settings;
    this.target = target;
    this.expectedNames = List.copyOf(expectedNames);
    this.deadlineNanos = t0 + settings.deadline().toNanos();
    this.startedAt = settings.clock().instant();
  }

  /**
   * Runs the probe to the end.
   *
   * @return the report
   */
  public InspectionReport run() {
    try (Watchdog w = Watchdog.watchCurrentThread(deadlineNanos)) {
      watchdog = w;
      try {
        dialogue();
      } catch (IOException e) {
        onFailure(e);
      } finally {
        closeConnection();
      }
    }
    if (aborted) {
      Thread.currentThread().interrupt();
    }
    StartTlsOutcome outcome =
        startTls != null ? startTls : new StartTlsOutcome.NotAttempted(notAttemptedReason);
    InspectionReport dialogue = report(outcome, null);
    CertificateChecker checker = settings.certificateChecker();
    if (checker == null || dialogue.peerChain().isEmpty()) {
      return dialogue;
    }
    CertificateReport certificateCheck = checker.check(dialogue, expectedNames);
    findings.addAll(certificateCheck.findings());
    return report(outcome, certificateCheck);
  }

  private InspectionReport report(StartTlsOutcome outcome, @Nullable CertificateReport certificateCheck) {
    Duration total = Duration.ofNanos(System.nanoTime() - t0);
    return new InspectionReport(
        target,
        address,
        startedAt,
        total,
        greeting,
        ehlo,
        helo,
        outcome,
        ehloAfterTls,
        plaintext,
        certificateCheck,
        findings,
        transcript,
        new Timings(connectTime, greetingTime, ehloTime, startTlsTime, handshakeTime, total),
        aborted);
  }

  private void dialogue() throws IOException {
    InetSocketAddress addr = resolve();
    if (addr == null) {
      return;
    }
    address = addr;
    beginStep("connect");
    Socket s = settings.transport().connect(addr, Duration.ofNanos(Math.max(1_000_000, remaining())));
    raw = s;
    watchdogGuard(s);
    connectTime = endStep();
    out = s.getOutputStream();
    SmtpLineReader lr = new SmtpLineReader(s.getInputStream(), SmtpLineReader.DEFAULT_MAX_LINE, this::beforeRead);
    lineReader = lr;
    replies = new ReplyReader(lr, line -> note(Source.SERVER, line));

    // RFC 5321 §3.1: the client waits for the greeting before it sends anything.
    beginStep("greeting");
    Greeting g = new Greeting(readReply());
    greeting = g;
    greetingTime = endStep();
    if (!g.isReady()) {
      if (g.code() >= 400) {
        add(Finding.of(FindingCode.GREETING_REJECTED,
            "The server refused the session in its greeting: " + g.reply().oneLine(),
            "code", Integer.toString(g.code()), "text", g.text()));
      } else {
        add(Finding.of(FindingCode.PROTOCOL_VIOLATION,
            "The greeting was " + g.code() + ", not 220.",
            "step", "greeting", "reason", g.reply().oneLine()));
      }
      notAttemptedReason = "the server refused the session in its greeting";
      quit();
      return;
    }
    List<String> signs = new ArrayList<>(InspectionSigns.inGreeting(g));

    String name = settings.ehloName() != null ? settings.ehloName() : addressLiteral(s.getLocalAddress());
    beginStep("ehlo");
    send("EHLO " + name);
    SmtpReply ehloReply = readReply();
    ehloTime = endStep();
    boolean esmtp;
    if (ehloReply.isPositive()) {
      Ehlo e = new Ehlo(ehloReply);
      ehlo = e;
      esmtp = true;
      signs.addAll(InspectionSigns.inEhlo(e));
    } else if (ehloReply.code() == 500 || ehloReply.code() == 502) {
      // RFC 5321 §4.1.4: a client whose EHLO is not recognised may fall back to HELO.
      beginStep("helo");
      send("HELO " + name);
      SmtpReply h = readReply();
      endStep();
      if (!h.isPositive()) {
        add(Finding.of(FindingCode.EHLO_REJECTED,
            "The server refused both EHLO and HELO: " + h.oneLine(),
            "reply", h.oneLine(), "ehloReply", ehloReply.oneLine()));
        notAttemptedReason = "the server refused EHLO and HELO";
        quit();
        return;
      }
      helo = h;
      esmtp = false;
      add(Finding.of(FindingCode.ESMTP_NOT_SUPPORTED,
          "The server answered EHLO with \"" + ehloReply.oneLine()
              + "\": it speaks only SMTP, and STARTTLS is an ESMTP extension.",
          "reply", ehloReply.oneLine()));
    } else {
      add(Finding.of(FindingCode.EHLO_REJECTED,
          "The server refused EHLO " + name + ": " + ehloReply.oneLine(),
          "reply", ehloReply.oneLine()));
      notAttemptedReason = "the server refused EHLO";
      quit();
      return;
    }

    if (settings.plaintextCheck()) {
      plaintextCheck();
    }

    boolean advertised = ehlo != null && ehlo.supports("STARTTLS");
    if (!advertised && !settings.attemptStartTlsWhenNotAdvertised()) {
      startTls = new StartTlsOutcome.NotOffered(null);
      if (esmtp) {
        addNotOffered(ehloReply, null);
      }
      addInspectionSigns(signs);
      quit();
      return;
    }

    beginStep("starttls");
    send("STARTTLS");
    SmtpReply st = readReply();
    startTlsTime = endStep();
    if (st.code() != 220) {
      if (advertised) {
        startTls = new StartTlsOutcome.Refused(st);
        add(Finding.of(FindingCode.STARTTLS_REFUSED,
            "The server offers STARTTLS but refused it: " + st.oneLine(),
            "reply", st.oneLine()));
      } else {
        startTls = new StartTlsOutcome.NotOffered(st);
        if (esmtp) {
          addNotOffered(ehloReply, st);
        }
      }
      addInspectionSigns(signs);
      quit();
      return;
    }
    if (!advertised) {
      signs.add(esmtp
          ? "STARTTLS is missing from the EHLO reply, yet the server answered the STARTTLS command with 220"
          : "EHLO was refused, yet the server answered the STARTTLS command with 220");
      if (esmtp) {
        addNotOffered(ehloReply, st);
      }
    }
    addInspectionSigns(signs);

    if (!handshake(st, advertised)) {
      return;
    }
    if (settings.ehloAfterTls()) {
      beginStep("ehlo-after-tls");
      send("EHLO " + name);
      SmtpReply again = readReply();
      ticketPending = false;
      endStep();
      if (again.isPositive()) {
        ehloAfterTls = new Ehlo(again);
      }
    }
    quit();
  }

  private @Nullable InetSocketAddress resolve() {
    InetSocketAddress literal = target.literalSocketAddress();
    if (literal != null) {
      return literal;
    }
    beginStep("resolve");
    try {
      InetAddress[] all = InetAddress.getAllByName(target.host());
      return new InetSocketAddress(all[0], target.port());
    } catch (UnknownHostException e) {
      add(Finding.of(FindingCode.CONNECT_FAILED,
          "The host name " + target.host() + " could not be resolved.",
          "step", "resolve", "reason", "host name not found"));
      notAttemptedReason = "the host name could not be resolved";
      return null;
    }
  }

  private void plaintextCheck() throws IOException {
    beginStep("mail");
    send("MAIL FROM:<>");
    SmtpReply r = readReply();
    endStep();
    plaintext = new PlaintextCheck(r);
    if (r.isPositive()) {
      add(Finding.of(FindingCode.PLAINTEXT_ACCEPTED,
          "The server accepted MAIL FROM without TLS: senders that do not insist on TLS deliver in clear.",
          "reply", r.oneLine()));
    } else if (demandsTls(r)) {
      add(Finding.of(FindingCode.TLS_REQUIRED_BY_SERVER,
          "The server demands STARTTLS before it accepts mail: " + r.oneLine(),
          "reply", r.oneLine()));
    }
    beginStep("rset");
    send("RSET");
    readReply();
    endStep();
  }

  /** 530 (RFC 3207 §4), 5.7.10 "encryption needed" (RFC 5248), Exchange's 451 5.7.3, or words saying TLS. */
  private static boolean demandsTls(SmtpReply r) {
    if (r.code() == 530) {
      return true;
    }
    Optional<EnhancedStatusCode> esc = r.enhancedStatus();
    if (esc.isPresent() && esc.get().subject() == 7 && (esc.get().detail() == 10 || esc.get().detail() == 3)) {
      return true;
    }
    return !r.isPositive() && TLS_WORD.matcher(r.text()).find();
  }

  private boolean handshake(SmtpReply startTlsReply, boolean advertised) throws IOException {
    Socket s = require(raw);
    SmtpLineReader lr = require(lineReader);
    beginStep("handshake");
    int early = lr.buffered();
    if (early > 0) {
      // RFC 3207 §4.2: nothing the server sent before TLS may be used after it.
      add(Finding.of(FindingCode.PROTOCOL_VIOLATION,
          "The server sent " + early + " octets after its 220 to STARTTLS; they were discarded (an injection risk, CVE-2011-0411).",
          "step", "starttls", "reason", early + " octets after 220"));
    }
    // The capability enumeration (tlsSetup) wants the server's answer to its own offer, never a
    // session resumed from another one.
    SessionResumption shared = tlsSetup == null ? settings.sessionResumption() : null;
    CapturingTrustManager tm = shared != null ? shared.trustManager() : new CapturingTrustManager();
    SSLSocket ssl = shared != null ? shared.layer(s, target, require(address)) : freshSocket(s, tm);
    SSLParameters params = ssl.getSSLParameters();
    if (target.hostIsName()) {
      params.setServerNames(List.of(new SNIHostName(target.host())));
    }
    ssl.setSSLParameters(params);
    ssl.setUseClientMode(true);
    if (tlsSetup != null) {
      tlsSetup.accept(ssl);
    }
    beforeRead();
    IOException failure = null;
    List<X509Certificate> presented;
    try {
      ssl.startHandshake();
    } catch (IOException e) {
      failure = e;
    } finally {
      // Always taken, so that the shared trust manager forgets the socket.
      presented = tm.take(ssl);
    }
    if (failure != null) {
      if (failure instanceof SocketTimeoutException
          || watchdog != null && watchdog.fired() != null
          || Thread.currentThread().isInterrupted()) {
        throw failure;
      }
      String alert = describeHandshakeFailure(failure);
      handshakeTime = endStep();
      startTls = new StartTlsOutcome.HandshakeFailed(startTlsReply, alert, presented == null ? List.of() : presented);
      note(Source.TLS, "handshake failed: " + alert);
      add(Finding.of(FindingCode.TLS_HANDSHAKE_FAILED,
          "The TLS handshake after STARTTLS failed: " + alert, "alert", alert));
      return false;
    }
    handshakeTime = endStep();
    SSLSession session = ssl.getSession();
    // A full handshake always presents a certificate to the trust manager; a resumed one presents
    // none, and the JSSE gives the session's chain (and stapled responses) from its full handshake.
    boolean resumed = shared != null && presented == null;
    List<X509Certificate> chain = peerChain(session, presented);
    tls = ssl;
    out = ssl.getOutputStream();
    lr.switchTo(ssl.getInputStream());
    String protocol = session.getProtocol();
    // TLS 1.3 sends the ticket to resume with after the handshake, and the JDK's client uses a
    // ticket once: it must be read for the next probe to resume.
    ticketPending = shared != null && protocol.equals("TLSv1.3");
    List<byte[]> stapled = session instanceof ExtendedSSLSession ext ? ext.getStatusResponses() : List.of();
    startTls = new StartTlsOutcome.Upgraded(
        startTlsReply, protocol, session.getCipherSuite(), chain, advertised, stapled, resumed);
    String certificates = chain.size() + (chain.size() == 1 ? " certificate" : " certificates");
    note(Source.TLS, protocol + " " + session.getCipherSuite() + ", "
        + (resumed
            ? "resumed session (no certificate sent): " + certificates + " from its full handshake at "
                + Instant.ofEpochMilli(session.getCreationTime())
            : certificates)
        + (chain.isEmpty() ? "" : ", leaf " + chain.get(0).getSubjectX500Principal().getName()));
    if (protocol.equals("TLSv1") || protocol.equals("TLSv1.1") || protocol.startsWith("SSL")) {
      add(Finding.of(FindingCode.TLS_PROTOCOL_WEAK,
          "The server negotiated " + protocol + ", which RFC 8996 deprecates.", "protocol", protocol));
    }
    return true;
  }

  /** A context of the probe's own: the JDK resumes sessions within one context, and this one has none. */
  private SSLSocket freshSocket(Socket s, CapturingTrustManager tm) throws IOException {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {tm}, RANDOM);
      return (SSLSocket) ctx.getSocketFactory().createSocket(s, target.host(), target.port(), true);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no usable TLS context", e);
    }
  }

  private static List<X509Certificate> peerChain(SSLSession session, @Nullable List<X509Certificate> presented) {
    try {
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate c : session.getPeerCertificates()) {
        if (c instanceof X509Certificate x) {
          chain.add(x);
        }
      }
      return chain;
    } catch (SSLPeerUnverifiedException e) {
      return presented == null ? List.of() : presented;
    }
  }

  private static String describeHandshakeFailure(IOException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (m.startsWith("Received fatal alert: ")) {
      return m.substring("Received fatal alert: ".length());
    }
    if (m.contains("No appropriate protocol") || m.contains("protocol is disabled")) {
      return m + " (the server may offer only TLS 1.0/1.1, which this JDK disables)";
    }
    if (e instanceof SSLException || e instanceof EOFException) {
      return m;
    }
    return m + " (" + e.getClass().getSimpleName() + ")";
  }

  private void addNotOffered(SmtpReply ehloReply, @Nullable SmtpReply attempt) {
    String msg = "The server's EHLO reply does not offer STARTTLS";
    if (attempt != null) {
      msg += attempt.code() == 220
          ? "; when sent anyway, STARTTLS was accepted, so senders that follow the EHLO reply will not use TLS."
          : "; STARTTLS sent anyway was answered " + attempt.oneLine() + ".";
    } else {
      msg += ": senders will deliver without TLS, or queue if they require it.";
    }
    Finding f = attempt == null
        ? Finding.of(FindingCode.STARTTLS_NOT_OFFERED, msg, "reply", ehloReply.oneLine())
        : Finding.of(FindingCode.STARTTLS_NOT_OFFERED, msg, "reply", ehloReply.oneLine(), "attempt", attempt.oneLine());
    add(f);
  }

  private void addInspectionSigns(List<String> signs) {
    if (!signs.isEmpty()) {
      add(Finding.of(FindingCode.ESMTP_INSPECTION_SUSPECTED,
          "The dialogue shows the marks of a firewall's SMTP inspection (" + signs.get(0)
              + "); such inspection hides STARTTLS from senders. Turn off ESMTP inspection for this server.",
          "signs", List.copyOf(signs)));
    }
  }

  private void quit() {
    if (raw == null || out == null) {
      return;
    }
    beginStep("quit");
    try {
      send("QUIT");
      if (!settings.quitReplyWait().isZero()) {
        stepDeadline = Math.min(stepDeadline, System.nanoTime() + settings.quitReplyWait().toNanos());
        readReply();
      } else if (ticketPending) {
        // Nothing was read since the handshake: the reply comes after the TLS 1.3 session ticket.
        readReply();
      }
    } catch (IOException e) {
      // QUIT is a courtesy; a server that has gone by now has told us all we need.
    }
  }

  private void closeConnection() {
    SSLSocket t = tls;
    if (t != null) {
      try {
        // close_notify without waiting for the peer's: SSLSocket.close() on TLS 1.3 would block
        // in a read until the server answers or the timeout expires.
        t.shutdownOutput();
      } catch (IOException | RuntimeException ignored) {
        // best effort
      }
    }
    Socket s = raw;
    if (s != null) {
      Watchdog.closeQuietly(s);
    }
  }

  private void onFailure(IOException e) {
    Watchdog.Reason fired = watchdog == null ? null : watchdog.fired();
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (fired == Watchdog.Reason.INTERRUPTED
        || Thread.currentThread().isInterrupted()
        || (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException))) {
      aborted = true;
      notAttemptedReason = "the probe was interrupted";
      note(Source.TLS, "interrupted during " + step);
      return;
    }
    if (fired == Watchdog.Reason.DEADLINE || e instanceof SocketTimeoutException) {
      boolean wholeProbe = fired == Watchdog.Reason.DEADLINE || System.nanoTime() - deadlineNanos >= 0;
      Duration limit = wholeProbe ? settings.deadline() : settings.stepTimeout();
      add(Finding.of(FindingCode.TIMEOUT,
          "No answer during " + step + " within " + (wholeProbe ? "the probe's deadline of " : "the step timeout of ")
              + human(limit) + (step.equals("greeting") ? " (a slow greeting is a tarpit or greet-pause)" : "") + ".",
          "step", step, "limit", wholeProbe ? "deadline" : "timeout", "limitMs", Long.toString(limit.toMillis())));
      notAttemptedReason = "timed out during " + step;
    } else if (step.equals("connect")) {
      String where = address == null ? target.toString() : hostPort(address);
      add(Finding.of(FindingCode.CONNECT_FAILED,
          "Could not connect to " + where + ": " + reason, "step", "connect", "reason", reason, "address", where));
      notAttemptedReason = "the connection failed";
    } else if (e instanceof SmtpProtocolException) {
      add(Finding.of(FindingCode.PROTOCOL_VIOLATION,
          "The server broke the SMTP protocol during " + step + ": " + reason, "step", step, "reason", reason));
      notAttemptedReason = "protocol violation during " + step;
    } else {
      add(Finding.of(FindingCode.CONNECTION_CLOSED,
          "The server closed the connection during " + step + " (" + reason + ").",
          "step", step, "reason", reason));
      notAttemptedReason = "the connection closed during " + step;
    }
  }

  private static String hostPort(InetSocketAddress a) {
    String ip = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
    return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + a.getPort();
  }

  private static String human(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + " s" : ms + " ms";
  }

  private void beginStep(String name) {
    step = name;
    stepStart = System.nanoTime();
    stepDeadline = Math.min(stepStart + settings.stepTimeout().toNanos(), deadlineNanos);
    if (stepDeadline - deadlineNanos > 0) {
      stepDeadline = deadlineNanos;
    }
  }

  private Duration endStep() {
    return Duration.ofNanos(System.nanoTime() - stepStart);
  }

  private long remaining() {
    return stepDeadline - System.nanoTime();
  }

  private void beforeRead() throws IOException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedIOException("interrupted");
    }
    long left = remaining();
    if (left <= 0) {
      throw new SocketTimeoutException("step " + step + " timed out");
    }
    Socket s = require(raw);
    s.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, (left + 999_999L) / 1_000_000L)));
    tuning.quickAck(s);
  }

  private SmtpReply readReply() throws IOException {
    return require(replies).read();
  }

  private void send(String command) throws IOException {
    note(Source.CLIENT, command);
    OutputStream o = require(out);
    o.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
    o.flush();
  }

  private void note(Source from, String line) {
    transcript.add(new TranscriptEntry(Duration.ofNanos(System.nanoTime() - t0), from, line));
  }

  private void add(Finding f) {
    findings.add(f);
  }

  private void watchdogGuard(Socket s) {
    if (watchdog != null) {
      watchdog.guard(s);
    }
  }

  private static String addressLiteral(InetAddress local) {
    if (local instanceof Inet6Address) {
      return "[IPv6:" + local.getHostAddress().replaceFirst("%.*$", "").toLowerCase(Locale.ROOT) + "]";
    }
    return "[" + local.getHostAddress() + "]";
  }

  private static <T> T require(@Nullable T value) {
    if (value == null) {
      throw new IllegalStateException("probe step out of order");
    }
    return value;
  }
}
