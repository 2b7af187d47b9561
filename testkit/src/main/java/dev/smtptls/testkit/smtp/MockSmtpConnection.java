package dev.smtptls.testkit.smtp;

import dev.smtptls.internal.smtp.SmtpLineReader;
import dev.smtptls.smtp.SmtpReply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** The server side of one connection, scripted by a {@link SmtpBehaviour}. */
final class MockSmtpConnection {

  /** What the server learns of a connection's life. */
  interface Events {
    /** Before the greeting: may hold it back. */
    void beforeGreeting() throws InterruptedException;

    /** The client said QUIT: called before the 221, so a client that awaits it sees the effect. */
    void quit();
  }

  private final Socket socket;
  private final SmtpBehaviour b;
  private final String fqdn;
  private final SSLContext ssl;
  private final Duration readTimeout;
  private final Consumer<String> commandLog;
  private final Consumer<String> sniLog;
  private final Consumer<SSLSocket> handshakeEnded;
  private final BooleanSupplier serverClosed;
  private final Events events;
  private OutputStream out;
  private final SmtpLineReader lines;
  private boolean tls;

  MockSmtpConnection(
      Socket socket,
      SmtpBehaviour b,
      String fqdn,
      SSLContext ssl,
      Duration readTimeout,
      Consumer<String> commandLog,
      Consumer<String> sniLog,
      Consumer<SSLSocket> handshakeEnded,
      BooleanSupplier serverClosed,
      Events events)
      throws IOException {
    this.socket = socket;
    this.b = b;
    this.fqdn = fqdn;
    this.ssl = ssl;
    this.readTimeout = readTimeout;
    this.commandLog = commandLog;
    this.sniLog = sniLog;
    this.handshakeEnded = handshakeEnded;
    this.serverClosed = serverClosed;
    this.events = events;
    socket.setTcpNoDelay(true);
    socket.setSoTimeout((int) readTimeout.toMillis());
    this.out = socket.getOutputStream();
    this.lines = new SmtpLineReader(socket.getInputStream(), SmtpLineReader.DEFAULT_MAX_LINE, () -> {});
  }

  void serve() {
    try {
      if (!greet()) {
        return;
      }
      while (!serverClosed.getAsBoolean()) {
        String line = lines.readLine();
        if (line == null) {
          return;
        }
        commandLog.accept(line);
        if (!handle(line)) {
          return;
        }
      }
    } catch (IOException e) {
      // The client went away or broke a bound: the connection simply ends.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean greet() throws IOException, InterruptedException {
    events.beforeGreeting();
    if (!b.greetingDelay().isZero()) {
      pause(b.greetingDelay());
    }
    switch (b.oversize()) {
      case ENDLESS_REPLY -> {
        byte[] line = "220-this reply never ends, a client must stop reading it\r\n".getBytes(StandardCharsets.US_ASCII);
        while (!serverClosed.getAsBoolean()) {
          out.write(line);
        }
        return false;
      }
      case ENDLESS_LINE -> {
        byte[] chunk = "220 ".getBytes(StandardCharsets.US_ASCII);
        out.write(chunk);
        byte[] filler = new byte[4096];
        java.util.Arrays.fill(filler, (byte) 'x');
        while (!serverClosed.getAsBoolean()) {
          out.write(filler);
        }
        return false;
      }
      case NONE -> {
        // a normal greeting follows
      }
    }
    String text = b.greetingText() != null ? b.greetingText() : fqdn + " ESMTP smtptls-testkit";
    if (b.maskGreeting()) {
      text = "*".repeat(Math.max(20, text.length()));
    }
    String greeting = b.greetingCode() + " " + text + "\r\n";
    if (!b.dripPerOctet().isZero()) {
      for (byte octet : greeting.getBytes(StandardCharsets.US_ASCII)) {
        pause(b.dripPerOctet());
        out.write(octet);
        out.flush();
      }
    } else {
      write(greeting);
    }
    if (b.greetingCode() != 220) {
      // RFC 5321 §3.1: after a 554 greeting the server waits for QUIT; 421 closes.
      if (b.greetingCode() == 421) {
        return false;
      }
    }
    return true;
  }

  private void pause(Duration d) throws InterruptedException {
    // Wakes early when the server closes, so close() never waits out a tarpit.
    long end = System.nanoTime() + d.toNanos();
    while (!serverClosed.getAsBoolean()) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return;
      }
      Thread.sleep(Math.min(50, Math.max(1, left / 1_000_000)));
    }
  }

  private boolean handle(String line) throws IOException {
    String verb = (line.contains(" ") ? line.substring(0, line.indexOf(' ')) : line).toUpperCase(Locale.ROOT);
    if (b.greetingCode() != 220 && !verb.equals("QUIT")) {
      reply("503 5.5.1 Bad sequence of commands");
      return true;
    }
    switch (verb) {
      case "EHLO" -> {
        if (!b.esmtp()) {
          reply("500 5.5.1 Command unrecognized: \"" + line + "\"");
          return true;
        }
        write(ehloReply(line).toWire());
        return !b.closesAfterEhlo();
      }
      case "HELO" -> reply("250 " + fqdn);
      case "STARTTLS" -> {
        return startTls();
      }
      case "MAIL" -> {
        if (b.requireTlsForMail() && !tls) {
          reply(b.tlsRequiredReply());
        } else {
          reply("250 2.1.0 Ok");
        }
      }
      case "RCPT" -> reply("451 4.3.0 The testkit server does not take mail");
      case "DATA" -> reply("554 5.5.1 No valid recipients");
      case "RSET", "NOOP" -> reply("250 2.0.0 Ok");
      case "QUIT" -> {
        events.quit();
        reply("221 2.0.0 Bye");
        return false;
      }
      default -> reply("502 5.5.2 Error: command not recognized");
    }
    return true;
  }

  private SmtpReply ehloReply(String line) {
    List<String> out = new ArrayList<>();
    String client = line.length() > 5 ? line.substring(5).strip() : "";
    out.add(fqdn + (client.isEmpty() ? "" : " Hello " + client));
    for (String ext : b.extensions()) {
      out.add(mask(ext));
    }
    if (!tls) {
      switch (b.startTlsAdvertisement()) {
        case NORMAL -> out.add(1, mask("STARTTLS"));
        case LOWER_CASE -> out.add(1, mask("starttls"));
        case LAST_LINE -> out.add(mask("STARTTLS"));
        case NONE -> {
          // not advertised
        }
      }
    }
    return new SmtpReply(250, out);
  }

  private String mask(String keyword) {
    if (!b.maskEhloKeywords()) {
      return keyword;
    }
    String word = keyword.split(" ", 2)[0];
    // Cisco PIX/ASA style: all but the last character become X.
    return "X".repeat(word.length() - 1) + "A";
  }

  private boolean startTls() throws IOException {
    if (tls) {
      reply("503 5.5.1 Error: TLS already active");
      return true;
    }
    boolean advertised =
        b.esmtp() && b.startTlsAdvertisement() != SmtpBehaviour.StartTlsAdvertisement.NONE && !b.maskEhloKeywords();
    if (!advertised && !b.acceptStartTlsWhenNotAdvertised()) {
      // An SMTP-only server knows no extension verbs at all (RFC 821).
      reply(b.esmtp() ? "502 5.5.2 Error: command not recognized" : "500 5.5.1 Command unrecognized: \"STARTTLS\"");
      return true;
    }
    reply(b.startTlsReply());
    if (!b.startTlsReply().startsWith("220")) {
      return true;
    }
    if (b.handshakeFails()) {
      refuseHandshake();
      return false;
    }
    SSLSocket s = (SSLSocket) ssl.getSocketFactory().createSocket(socket, (InputStream) null, true);
    s.setUseClientMode(false);
    SSLParameters params = s.getSSLParameters();
    if (!b.tlsProtocols().isEmpty()) {
      params.setProtocols(b.tlsProtocols().toArray(String[]::new));
    }
    if (!b.cipherSuites().isEmpty()) {
      params.setCipherSuites(b.cipherSuites().toArray(String[]::new));
    }
    params.setUseCipherSuitesOrder(!b.honourClientCipherOrder());
    s.setSSLParameters(params);
    s.setSoTimeout((int) readTimeout.toMillis());
    try {
      s.startHandshake();
    } finally {
      handshakeEnded.accept(s);
    }
    if (s.getSession() instanceof ExtendedSSLSession ext) {
      for (SNIServerName name : ext.getRequestedServerNames()) {
        if (name instanceof SNIHostName host) {
          sniLog.accept(host.getAsciiName());
        }
      }
    }
    tls = true;
    out = s.getOutputStream();
    InputStream in = s.getInputStream();
    lines.switchTo(in);
    return true;
  }

  /**
   * Reads the ClientHello record and answers with a fatal handshake_failure alert (RFC 8446
   * §6.2), as a server does that shares no cipher suite or protocol version with the client.
   */
  private void refuseHandshake() throws IOException {
    InputStream in = socket.getInputStream();
    byte[] header = in.readNBytes(5);
    if (header.length == 5 && header[0] == 0x16) {
      int length = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
      in.readNBytes(Math.min(length, 1 << 14));
    }
    socket.getOutputStream().write(new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28});
    socket.getOutputStream().flush();
  }

  private void reply(String line) throws IOException {
    write(line + "\r\n");
  }

  private void write(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
