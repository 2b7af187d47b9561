package dev.smtptls.sink;

import dev.smtptls.cert.CertificateReport;
import dev.smtptls.cert.PeerIdentity;
import dev.smtptls.finding.Finding;
import dev.smtptls.inspect.TranscriptEntry;
import dev.smtptls.internal.smtp.ReplyReader;
import dev.smtptls.internal.smtp.SmtpLineReader;
import dev.smtptls.internal.smtp.SmtpProtocolException;
import dev.smtptls.smtp.SmtpReply;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * The server side of one connection from a sender (RFC 5321 §4, RFC 3207): the dialogue, its
 * bounds, and what it saw. Runs on one thread; never throws from {@link #serve()}.
 */
final class SinkSession {

  /** Transcript entries kept per connection; later lines are counted, not kept. */
  static final int MAX_TRANSCRIPT = 2000;

  private final SmtpTlsSink sink;
  private final Socket plain;
  private final SSLContext ssl;
  private final BooleanSupplier sinkClosed;
  private final long startNanos = System.nanoTime();
  private final Instant connectedAt;
  private final InetSocketAddress remote;
  private final List<TranscriptEntry> transcript = new ArrayList<>();
  private int dropped;

  private Socket current;
  private @Nullable OutputStream out;
  private @Nullable SmtpLineReader lines;
  private long lineDeadline;
  private String step = "helo";
  private volatile boolean sessionExpired;

  private @Nullable String heloName;
  private boolean esmtp;
  private boolean greeted;
  private @Nullable Duration startTlsAt;
  private boolean tls;
  private @Nullable String protocol;
  private @Nullable String cipherSuite;
  private @Nullable String tlsFailure;
  private List<X509Certificate> clientChain = List.of();
  private @Nullable String mailFrom;
  private boolean inTransaction;
  private int acceptedRecipients;
  private final List<String> recipients = new ArrayList<>();
  private int messages;
  private long messageOctets;
  private @Nullable SmtpReply policyReply;
  private final List<Finding> sessionFindings = new ArrayList<>();
  private int commands;
  private int errors;
  private @Nullable CertificateReport certificateCheck;
  private @Nullable String checkedFor;

  SinkSession(SmtpTlsSink sink, Socket socket, SSLContext ssl, BooleanSupplier sinkClosed) {
    this.sink = sink;
    this.plain = socket;
    this.current = socket;
    this.ssl = ssl;
    this.sinkClosed = sinkClosed;
    this.connectedAt = sink.clock().instant();
    this.remote = remoteOf(socket);
  }

  /** Called by the sink's timer when the connection outlives its session timeout; closes the socket. */
  void expire() {
    sessionExpired = true;
    try {
      current.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /** {@return the connection's report, after serving it to the end} */
  SenderReport serve() {
    SenderReport.Ending ending;
    try {
      plain.setTcpNoDelay(true);
      out = plain.getOutputStream();
      lines = new SmtpLineReader(plain.getInputStream(), sink.maxLineLength(), this::beforeRead);
      reply("220 " + sink.fqdn() + " ESMTP smtptls sink");
      ending = dialogue();
    } catch (SocketTimeoutException e) {
      sessionFindings.add(SenderFindings.timeout(step, millis(sink.timeout())));
      tryReply("421 4.4.2 " + sink.fqdn() + " Timeout exceeded, closing connection");
      ending = SenderReport.Ending.TIMEOUT;
    } catch (SmtpProtocolException e) {
      sessionFindings.add(SenderFindings.violation(step, String.valueOf(e.getMessage())));
      tryReply("500 5.5.6 " + e.getMessage() + ", closing connection");
      ending = SenderReport.Ending.PROTOCOL_VIOLATION;
    } catch (IOException e) {
      ending = broken(e);
    } finally {
      closeQuietly();
    }
    return report(ending);
  }

  private SenderReport.Ending broken(IOException e) {
    if (sessionExpired) {
      sessionFindings.add(SenderFindings.timeout("session", millis(sink.sessionTimeout())));
      return SenderReport.Ending.TIMEOUT;
    }
    if (sinkClosed.getAsBoolean()) {
      return SenderReport.Ending.SINK_CLOSED;
    }
    if (step.equals("data") || step.equals("tls-handshake") || e instanceof EOFException) {
      String what = e instanceof EOFException || e.getMessage() == null ? "the connection was closed" : e.getMessage();
      sessionFindings.add(SenderFindings.violation(step, what + " in the middle of " + stepWords()));
      return SenderReport.Ending.PROTOCOL_VIOLATION;
    }
    return SenderReport.Ending.CLOSED;
  }

  private String stepWords() {
    return switch (step) {
      case "data" -> "the message data";
      case "tls-handshake" -> "the TLS handshake";
      default -> "a command line";
    };
  }

  private SenderReport.@Nullable Ending dialogueStep(String line) throws IOException {
    int sp = line.indexOf(' ');
    String verb = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
    String rest = sp < 0 ? "" : line.substring(sp + 1);
    switch (verb) {
      case "EHLO", "HELO" -> {
        return helo(verb, rest.strip());
      }
      case "STARTTLS" -> {
        return startTls(rest);
      }
      case "MAIL" -> {
        return mail(rest);
      }
      case "RCPT" -> {
        return rcpt(rest);
      }
      case "DATA" -> {
        return data(rest);
      }
      case "RSET" -> {
        resetTransaction();
        reply("250 2.0.0 Ok");
      }
      case "NOOP" -> reply("250 2.0.0 Ok");
      case "VRFY" -> reply("252 2.0.0 Cannot VRFY user, but will accept message and attempt delivery");
      case "HELP" -> reply("214 2.0.0 smtptls sink: EHLO, STARTTLS, MAIL, RCPT, DATA, RSET, NOOP, QUIT");
      case "QUIT" -> {
        reply("221 2.0.0 Bye");
        return SenderReport.Ending.QUIT;
      }
      case "BDAT", "AUTH", "EXPN", "ETRN", "TURN" -> {
        return bad("502 5.5.1 " + verb + " is not implemented here");
      }
      default -> {
        return bad("500 5.5.2 Command not recognized");
      }
    }
    return null;
  }

  private SenderReport.Ending dialogue() throws IOException {
    while (true) {
      step = greeted ? "command" : "helo";
      String line = readLine();
      if (line == null) {
        return SenderReport.Ending.CLOSED;
      }
      note(TranscriptEntry.Source.CLIENT, line);
      if (++commands > SmtpTlsSink.MAX_COMMANDS) {
        sessionFindings.add(SenderFindings.violation(step, "more than " + SmtpTlsSink.MAX_COMMANDS + " commands in one connection"));
        reply("421 4.7.0 " + sink.fqdn() + " Too many commands, closing connection");
        return SenderReport.Ending.PROTOCOL_VIOLATION;
      }
      SenderReport.Ending e = dialogueStep(line);
      if (e != null) {
        return e;
      }
    }
  }

  private SenderReport.@Nullable Ending bad(String replyLine) throws IOException {
    if (++errors > SmtpTlsSink.MAX_ERRORS) {
      sessionFindings.add(SenderFindings.violation(step, "more than " + SmtpTlsSink.MAX_ERRORS + " rejected commands"));
      reply("421 4.7.0 " + sink.fqdn() + " Too many errors, closing connection");
      return SenderReport.Ending.PROTOCOL_VIOLATION;
    }
    reply(replyLine);
    return null;
  }

  private SenderReport.@Nullable Ending helo(String verb, String arg) throws IOException {
    if (arg.isEmpty()) {
      return bad("501 5.5.4 Syntax: " + verb + " hostname");
    }
    int sp = arg.indexOf(' ');
    heloName = sp < 0 ? arg : arg.substring(0, sp);
    esmtp = verb.equals("EHLO");
    greeted = true;
    resetTransaction();
    if (!esmtp) {
      reply("250 " + sink.fqdn());
      return null;
    }
    List<String> ehlo = new ArrayList<>();
    ehlo.add(sink.fqdn() + " greets " + heloName);
    ehlo.add("PIPELINING");
    ehlo.add("SIZE " + sink.maxMessageSize());
    if (!tls) {
      ehlo.add("STARTTLS");
    }
    ehlo.add("ENHANCEDSTATUSCODES");
    ehlo.add("8BITMIME");
    reply(new SmtpReply(250, ehlo));
    return null;
  }

  private SenderReport.@Nullable Ending startTls(String rest) throws IOException {
    if (tls) {
      return bad("503 5.5.1 TLS already active");
    }
    if (!rest.isBlank()) {
      return bad("501 5.5.4 Syntax: STARTTLS");
    }
    startTlsAt = elapsed();
    SmtpLineReader reader = lines();
    if (reader.buffered() > 0) {
      // RFC 3207 §4.2 and CVE-2011-0411: nothing may follow STARTTLS before the handshake.
      sessionFindings.add(SenderFindings.violation("starttls", "it sent " + reader.buffered()
          + " octets after STARTTLS before the TLS handshake (command injection)"));
      reply("554 5.5.1 Data after STARTTLS, closing connection");
      return SenderReport.Ending.PROTOCOL_VIOLATION;
    }
    reply("220 2.0.0 Ready to start TLS");
    step = "tls-handshake";
    SSLSocket s = (SSLSocket) ssl.getSocketFactory().createSocket(plain, (InputStream) null, true);
    current = s;
    s.setUseClientMode(false);
    s.setWantClientAuth(true);
    s.setSoTimeout(timeoutMillis(sink.timeout().toNanos()));
    try {
      s.startHandshake();
    } catch (SocketTimeoutException e) {
      tlsFailure = "timeout";
      throw e;
    } catch (IOException e) {
      if (sessionExpired || sinkClosed.getAsBoolean()) {
        throw e;
      }
      tlsFailure = String.valueOf(e.getMessage());
      note(TranscriptEntry.Source.TLS, "handshake failed: " + tlsFailure);
      sessionFindings.add(SenderFindings.violation("tls-handshake", "the TLS handshake failed: " + tlsFailure));
      return SenderReport.Ending.PROTOCOL_VIOLATION;
    }
    SSLSession session = s.getSession();
    protocol = session.getProtocol();
    cipherSuite = session.getCipherSuite();
    clientChain = peerChain(session);
    tls = true;
    note(TranscriptEntry.Source.TLS, protocol + " " + cipherSuite + ", "
        + (clientChain.isEmpty() ? "no client certificate"
            : "client certificate " + clientChain.get(0).getSubjectX500Principal().getName()));
    out = s.getOutputStream();
    reader.switchTo(s.getInputStream());
    // RFC 3207 §4.2: the server forgets what the client said before TLS; it must EHLO again.
    greeted = false;
    resetTransaction();
    return null;
  }

  private static List<X509Certificate> peerChain(SSLSession session) {
    try {
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate c : session.getPeerCertificates()) {
        if (c instanceof X509Certificate x) {
          chain.add(x);
        }
      }
      return List.copyOf(chain);
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
  }

  private SenderReport.@Nullable Ending mail(String rest) throws IOException {
    if (!greeted) {
      return bad("503 5.5.1 Send EHLO or HELO first");
    }
    if (inTransaction) {
      return bad("503 5.5.1 Nested MAIL command");
    }
    String[] path = path(rest, "FROM:");
    if (path == null) {
      return bad("501 5.5.4 Syntax: MAIL FROM:<address>");
    }
    mailFrom = path[0];
    Long size = sizeParameter(path[1]);
    if (size != null && size > sink.maxMessageSize()) {
      reply("552 5.3.4 Message size exceeds fixed maximum message size");
      return null;
    }
    SmtpReply p = consult(SinkPolicy.Command.MAIL);
    if (p != null) {
      reply(p);
      inTransaction = p.isPositive();
      return null;
    }
    inTransaction = true;
    reply("250 2.1.0 Ok");
    return null;
  }

  private SenderReport.@Nullable Ending rcpt(String rest) throws IOException {
    if (!inTransaction) {
      return bad("503 5.5.1 Need MAIL command");
    }
    String[] path = path(rest, "TO:");
    if (path == null) {
      return bad("501 5.5.4 Syntax: RCPT TO:<address>");
    }
    if (recipients.size() >= SmtpTlsSink.MAX_RECIPIENTS) {
      reply("452 4.5.3 Too many recipients");
      return null;
    }
    recipients.add(path[0]);
    SmtpReply p = consult(SinkPolicy.Command.RCPT);
    if (p != null) {
      reply(p);
      if (p.isPositive()) {
        acceptedRecipients++;
      }
      return null;
    }
    if (sink.acceptsMail()) {
      acceptedRecipients++;
      reply("250 2.1.5 Ok");
    } else {
      reply("451 4.3.0 " + sink.fqdn() + " is an smtptls sink and takes no mail; try again later");
    }
    return null;
  }

  private SenderReport.@Nullable Ending data(String rest) throws IOException {
    if (!inTransaction) {
      return bad("503 5.5.1 Need MAIL command");
    }
    if (!rest.isBlank()) {
      return bad("501 5.5.4 Syntax: DATA");
    }
    if (acceptedRecipients == 0) {
      reply("554 5.5.1 No valid recipients");
      return null;
    }
    reply("354 End data with <CR><LF>.<CR><LF>");
    step = "data";
    long octets = 0;
    int count = 0;
    while (true) {
      String line = readLine();
      if (line == null) {
        throw new EOFException("connection closed inside DATA");
      }
      if (line.equals(".")) {
        break;
      }
      count++;
      octets += line.getBytes(StandardCharsets.UTF_8).length + 2;
      if (octets > sink.maxMessageSize()) {
        note(TranscriptEntry.Source.CLIENT, "[message data: more than " + sink.maxMessageSize() + " octets, discarded]");
        reply("552 5.3.4 Message size exceeds fixed maximum message size");
        return SenderReport.Ending.MESSAGE_TOO_LARGE;
      }
    }
    note(TranscriptEntry.Source.CLIENT, "[message data: " + count + " lines, " + octets + " octets, discarded]");
    messages++;
    messageOctets += octets;
    resetTransaction();
    reply("250 2.0.0 Ok: message discarded by the smtptls sink (" + octets + " octets)");
    return null;
  }

  /** The address between angle brackets after {@code FROM:} or {@code TO:}, and the parameters after it. */
  private static String @Nullable [] path(String rest, String keyword) {
    if (rest.length() < keyword.length() || !rest.regionMatches(true, 0, keyword, 0, keyword.length())) {
      return null;
    }
    String after = rest.substring(keyword.length()).stripLeading();
    if (!after.startsWith("<")) {
      return null;
    }
    int close = after.indexOf('>');
    if (close < 0) {
      return null;
    }
    return new String[] {after.substring(1, close), after.substring(close + 1).strip()};
  }

  private static @Nullable Long sizeParameter(String params) {
    for (String p : params.split(" ")) {
      if (p.regionMatches(true, 0, "SIZE=", 0, 5)) {
        try {
          return Long.parseLong(p.substring(5));
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return null;
  }

  private @Nullable SmtpReply consult(SinkPolicy.Command command) {
    SinkPolicy policy = sink.policy();
    if (policy == null) {
      return null;
    }
    SmtpReply r;
    try {
      r = policy.answer(report(null), command);
    } catch (RuntimeException e) {
      return null;
    }
    if (r != null && !r.isPositive() && policyReply == null) {
      policyReply = r;
    }
    return r;
  }

  private void resetTransaction() {
    inTransaction = false;
    acceptedRecipients = 0;
  }

  private SmtpLineReader lines() {
    SmtpLineReader r = lines;
    if (r == null) {
      throw new IllegalStateException("not serving");
    }
    return r;
  }

  private @Nullable String readLine() throws IOException {
    lineDeadline = System.nanoTime() + sink.timeout().toNanos();
    return lines().readLine();
  }

  /** Before each blocking read: the rest of this line's time as the socket's read timeout. */
  private void beforeRead() throws IOException {
    if (sinkClosed.getAsBoolean()) {
      throw new IOException("the sink is closing");
    }
    long left = lineDeadline - System.nanoTime();
    if (left <= 0) {
      throw new SocketTimeoutException("the step timed out");
    }
    current.setSoTimeout(timeoutMillis(left));
  }

  private static int timeoutMillis(long nanos) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(nanos)));
  }

  private void reply(String line) throws IOException {
    write(line + "\r\n");
    note(TranscriptEntry.Source.SERVER, line);
  }

  private void reply(SmtpReply r) throws IOException {
    String wire = r.toWire();
    write(wire);
    for (String line : wire.split("\r\n")) {
      note(TranscriptEntry.Source.SERVER, line);
    }
  }

  private void tryReply(String line) {
    try {
      current.setSoTimeout(1);
      reply(line);
    } catch (IOException | RuntimeException ignored) {
      // the sender is gone or broken: the reply is a courtesy
    }
  }

  private void write(String text) throws IOException {
    OutputStream o = out;
    if (o == null) {
      throw new IOException("not connected");
    }
    o.write(text.getBytes(StandardCharsets.UTF_8));
    o.flush();
  }

  private void note(TranscriptEntry.Source from, String line) {
    if (transcript.size() < MAX_TRANSCRIPT) {
      transcript.add(new TranscriptEntry(elapsed(), from, ReplyReader.abbreviate(line.length() > 1000 ? line.substring(0, 1000) : line)));
    } else {
      dropped++;
    }
  }

  private Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  private void closeQuietly() {
    try {
      current.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    try {
      plain.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  private @Nullable CertificateReport certificateCheck() {
    if (clientChain.isEmpty()) {
      return null;
    }
    String name = heloName == null ? "" : heloName;
    CertificateReport c = certificateCheck;
    if (c == null || !name.equals(checkedFor)) {
      PeerIdentity identity = SenderFindings.isFqdn(name) ? PeerIdentity.of(stripDot(name)) : PeerIdentity.none();
      c = sink.certificateChecker().check(clientChain, identity);
      certificateCheck = c;
      checkedFor = name;
    }
    return c;
  }

  private static String stripDot(String name) {
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }

  /** The report: final with an ending, a snapshot (for the policy) without. */
  SenderReport report(SenderReport.@Nullable Ending ending) {
    List<Finding> findings = new ArrayList<>();
    if (heloName != null && startTlsAt == null) {
      findings.add(SenderFindings.noStartTls(heloName, esmtp));
    }
    if (heloName != null && !SenderFindings.isFqdn(heloName)) {
      findings.add(SenderFindings.notFqdn(heloName));
    }
    String p = protocol;
    if (tls && p != null && SenderFindings.isWeakProtocol(p)) {
      findings.add(SenderFindings.weakProtocol(p));
    }
    if (tls && clientChain.isEmpty()) {
      findings.add(SenderFindings.noClientCertificate(heloName));
    }
    CertificateReport check = certificateCheck();
    if (check != null) {
      check.findings().forEach(f -> findings.add(SenderFindings.forSender(f)));
    }
    findings.addAll(sessionFindings);
    List<TranscriptEntry> t = new ArrayList<>(transcript);
    if (dropped > 0) {
      t.add(new TranscriptEntry(elapsed(), TranscriptEntry.Source.TLS, "[" + dropped + " more lines not kept]"));
    }
    SenderReport.StartTls startTls = startTlsAt == null
        ? SenderReport.StartTls.notIssued()
        : new SenderReport.StartTls(tls, startTlsAt, protocol, cipherSuite, tlsFailure);
    return new SenderReport(remote, connectedAt, elapsed(), heloName, esmtp, startTls, clientChain, check,
        mailFrom, recipients, messages, messageOctets, policyReply, findings, t, ending);
  }

  /**
   * The report of a connection refused because the sink serves its maximum already.
   *
   * @param sink the sink
   * @param socket the refused connection (closed by the caller)
   * @return the report
   */
  static SenderReport refused(SmtpTlsSink sink, Socket socket) {
    String line = "421 4.3.2 " + sink.fqdn() + " Too many connections, try again later";
    try {
      socket.setSoTimeout(1);
      OutputStream o = socket.getOutputStream();
      o.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
      o.flush();
    } catch (IOException ignored) {
      // the sender is gone: the report stands
    }
    return new SenderReport(remoteOf(socket), sink.clock().instant(), Duration.ZERO, null, false,
        SenderReport.StartTls.notIssued(), List.of(), null, null, List.of(), 0, 0, null,
        List.of(SenderFindings.tooManyConnections(sink.maxConnections())),
        List.of(new TranscriptEntry(Duration.ZERO, TranscriptEntry.Source.SERVER, line)),
        SenderReport.Ending.TOO_MANY_CONNECTIONS);
  }

  private static InetSocketAddress remoteOf(Socket socket) {
    if (socket.getRemoteSocketAddress() instanceof InetSocketAddress a) {
      return a;
    }
    return new InetSocketAddress(socket.getInetAddress(), socket.getPort());
  }

  private static String millis(Duration d) {
    return d.toMillis() + " ms";
  }
}
