package dev.smtptls.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.inspect.StartTlsOutcome.Status;
import dev.smtptls.spi.Transport;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pins the round trips of a probe: not a timing assertion, a count of how often the client waits
 * for the server.
 *
 * <p>How it counts: the probe connects through a {@link Transport} (the SPI seam) whose socket
 * logs every client write ({@code W}) and every client read that returned data ({@code R}), in
 * order, at the TCP level (below TLS: the handshake's records are logged too). A run of reads
 * between writes is one <em>wait</em> for the server: the client had sent all it could and needed
 * the server's answer to go on. A run of writes is one <em>flight</em>. One write is neither: the
 * dummy change_cipher_spec record of TLS 1.3's middlebox compatibility mode (RFC 8446 §D.4), which
 * the JDK writes as soon as the ServerHello arrives, in the middle of reading the server's flight;
 * it answers nothing and awaits nothing, so it is logged apart ({@code c}) and skipped. The round trips of a probe
 * are the TCP connect (one: SYN, SYN-ACK) plus its waits. The log is taken at the client rather
 * than at the server because a server also writes unsolicited (TLS 1.3 sends its session tickets
 * after the client's Finished), which would split one client flight in two in a server's read log.
 *
 * <p>The probe against a loopback server speaking TLS 1.3:
 *
 * <ol>
 *   <li>connect: 1 round trip (counted apart, it is not a read);
 *   <li>wait for the greeting ({@code 220}): RFC 5321 §3.1, the client may not speak first;
 *   <li>flight {@code EHLO}, wait for its {@code 250};
 *   <li>flight {@code STARTTLS}, wait for its {@code 220};
 *   <li>flight ClientHello, wait for ServerHello … server Finished (TLS 1.3: one round trip);
 *   <li>flight client Finished: the chain is in hand.
 * </ol>
 *
 * <p>"Fast" ({@code ehloAfterTls(false)}, {@code quitReplyWait(ZERO)}) then sends {@code QUIT} and
 * close_notify in the same flight as the client Finished and waits for nothing: 1 + 4 = <b>5</b>
 * round trips, the floor (the chain cannot be had earlier). The default probe sends {@code EHLO}
 * over TLS with the Finished and waits for its reply (which arrives behind the session tickets):
 * <b>6</b>. Waiting for the reply to {@code QUIT} adds one: <b>7</b>. With session resumption a
 * fast probe waits for that reply too, as the TLS 1.3 ticket to resume with comes after the
 * handshake: <b>6</b>, resumed or not. (Against Postfix without
 * {@code TCP_QUICKACK}, delayed ACKs can add a round trip to the EHLO after TLS; loopback here has
 * no such stall, and the count is of waits, not of milliseconds.)
 */
class ProbeRoundTripsIT {

  private ServerSocket listener;
  private Thread serverThread;
  private SSLContext serverTls;

  @BeforeEach
  void startServer() throws Exception {
    serverTls = serverContext();
    listener = new ServerSocket();
    listener.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
    serverThread = new Thread(this::serve, "round-trip-server");
    serverThread.setDaemon(true);
    serverThread.start();
  }

  @AfterEach
  void stopServer() throws Exception {
    listener.close();
    serverThread.join(5000);
  }

  @Test
  void fastProbeTakesFiveRoundTrips() {
    Probe p = probe(b -> b.ehloAfterTls(false).quitReplyWait(Duration.ZERO));
    assertThat(p.report.startTls().status()).isEqualTo(Status.UPGRADED);
    assertThat(p.report.peerChain()).hasSize(1);
    assertThat(p.waits()).as("waits in %s", p.log).isEqualTo(4);
    assertThat(p.roundTrips()).isEqualTo(5);
  }

  @Test
  void defaultProbeWithEhloAfterTlsTakesSix() {
    Probe p = probe(b -> b);
    assertThat(p.report.ehloAfterTls()).isNotNull();
    assertThat(p.waits()).as("waits in %s", p.log).isEqualTo(5);
    assertThat(p.roundTrips()).isEqualTo(6);
  }

  @Test
  void waitingForTheQuitReplyCostsOneMore() {
    Probe p = probe(b -> b.quitReplyWait(Duration.ofSeconds(5)));
    assertThat(p.waits()).as("waits in %s", p.log).isEqualTo(6);
    assertThat(p.roundTrips()).isEqualTo(7);
  }

  @Test
  void resumingFastProbeWaitsForTheQuitReplyOverTls13AndResumesInAsManyRoundTrips() {
    // TLS 1.3 sends the ticket to resume with after the handshake: a fast probe reads it before the
    // 221 to QUIT, one wait more than without resumption. A resumed TLS 1.3 handshake (PSK with
    // (EC)DHE) takes the one round trip of a full one.
    List<Probe> p = probes(3, b -> b.ehloAfterTls(false).sessionResumption(true));
    assertThat(p).extracting(x -> ((StartTlsOutcome.Upgraded) x.report.startTls()).resumed())
        .containsExactly(false, true, true);
    assertThat(p).allSatisfy(x -> {
      assertThat(x.waits()).as("waits in %s", x.log).isEqualTo(5);
      assertThat(x.roundTrips()).isEqualTo(6);
    });
  }

  private record Probe(InspectionReport report, List<Character> log) {
    /** Runs of reads. */
    int waits() {
      int runs = 0;
      char last = ' ';
      for (char c : log) {
        if (c == 'c') {
          continue;
        }
        if (c == 'R' && last != 'R') {
          runs++;
        }
        last = c;
      }
      return runs;
    }

    int roundTrips() {
      return 1 + waits();
    }
  }

  private Probe probe(java.util.function.UnaryOperator<SmtpTlsInspector.Builder> options) {
    return probes(1, options).get(0);
  }

  /** Probes one after the other with one inspector, each connection with a log of its own. */
  private List<Probe> probes(int count, java.util.function.UnaryOperator<SmtpTlsInspector.Builder> options) {
    List<List<Character>> logs = Collections.synchronizedList(new ArrayList<>());
    Transport logging = new Transport() {
      @Override
      public Socket connect(InetSocketAddress address, Duration timeout) throws IOException {
        List<Character> log = Collections.synchronizedList(new ArrayList<>());
        logs.add(log);
        LoggingSocket s = new LoggingSocket(log);
        s.setTcpNoDelay(true);
        s.connect(address, (int) timeout.toMillis());
        return s;
      }

      @Override
      public String name() {
        return "logging";
      }
    };
    SmtpTlsInspector inspector = options.apply(SmtpTlsInspector.builder()
        .ehloName("rtt.smtptls.test").timeout(Duration.ofSeconds(10)).transport(logging).certificateChecker(null))
        .build();
    List<Probe> probes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      InspectionReport r = inspector.inspect(SmtpTarget.of("127.0.0.1", listener.getLocalPort()));
      probes.add(new Probe(r, List.copyOf(logs.get(i))));
    }
    return probes;
  }

  /** A socket that logs the client's writes and the reads that returned data. */
  private static final class LoggingSocket extends Socket {
    private final List<Character> log;

    LoggingSocket(List<Character> log) {
      this.log = log;
    }

    @Override
    public InputStream getInputStream() throws IOException {
      return new FilterInputStream(super.getInputStream()) {
        @Override
        public int read() throws IOException {
          int c = super.read();
          if (c >= 0) {
            log.add('R');
          }
          return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = in.read(b, off, len);
          if (n > 0) {
            log.add('R');
          }
          return n;
        }
      };
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
      return new FilterOutputStream(super.getOutputStream()) {
        @Override
        public void write(int b) throws IOException {
          log.add('W');
          out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          if (isCompatibilityChangeCipherSpec(b, off, len)) {
            log.add('c');
          } else if (len > 0) {
            log.add('W');
          }
          out.write(b, off, len);
        }
      };
    }
  }

  /** The 6-byte change_cipher_spec record of TLS 1.3's middlebox compatibility mode. */
  private static boolean isCompatibilityChangeCipherSpec(byte[] b, int off, int len) {
    return len == 6 && b[off] == 0x14 && b[off + 1] == 0x03 && b[off + 2] == 0x03
        && b[off + 3] == 0x00 && b[off + 4] == 0x01 && b[off + 5] == 0x01;
  }

  // ---- a lock-step SMTP server with STARTTLS, TLS 1.3 only, one connection at a time

  private void serve() {
    while (!listener.isClosed()) {
      try (Socket raw = listener.accept()) {
        raw.setSoTimeout(10_000);
        raw.setTcpNoDelay(true);
        OutputStream out = raw.getOutputStream();
        BufferedReader in = new BufferedReader(new InputStreamReader(raw.getInputStream(), StandardCharsets.US_ASCII));
        write(out, "220 rtt.server.test ESMTP\r\n");
        String line;
        while ((line = in.readLine()) != null) {
          if (line.startsWith("EHLO")) {
            write(out, "250-rtt.server.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n");
          } else if (line.equals("STARTTLS")) {
            write(out, "220 2.0.0 go ahead\r\n");
            SSLSocket tls = (SSLSocket) serverTls.getSocketFactory().createSocket(raw, null, raw.getPort(), false);
            tls.setUseClientMode(false);
            tls.setEnabledProtocols(new String[] {"TLSv1.3"});
            tls.setTcpNoDelay(true);
            tls.startHandshake();
            serveTls(tls);
            break;
          } else if (line.equals("QUIT")) {
            write(out, "221 bye\r\n");
            break;
          } else {
            write(out, "502 no\r\n");
          }
        }
      } catch (IOException e) {
        // the client closed, or the listener was closed
      }
    }
  }

  private static void serveTls(SSLSocket tls) throws IOException {
    OutputStream out = tls.getOutputStream();
    BufferedReader in = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.US_ASCII));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.startsWith("EHLO")) {
        write(out, "250-rtt.server.test\r\n250 PIPELINING\r\n");
      } else if (line.equals("QUIT")) {
        write(out, "221 bye\r\n");
        return;
      } else {
        write(out, "502 no\r\n");
      }
    }
  }

  private static void write(OutputStream out, String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static SSLContext serverContext() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = g.generateKeyPair();
    X500Name name = new X500Name("CN=rtt.server.test");
    Instant now = Instant.now();
    X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
        new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(now.minusSeconds(3600)),
            Date.from(now.plusSeconds(86_400)), name, keys.getPublic())
            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    char[] pw = "test".toCharArray();
    ks.setKeyEntry("server", keys.getPrivate(), pw, new Certificate[] {cert});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, pw);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }
}
