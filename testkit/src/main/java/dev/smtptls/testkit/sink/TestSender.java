package dev.smtptls.testkit.sink;

import dev.smtptls.testkit.pki.IssuedCertificate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * A minimal scripted SMTP sender for tests of receivers (such as {@code SmtpTlsSink}): one command
 * at a time, STARTTLS with an optional client certificate, the receiver's certificate not checked.
 * Connects with a 10 s timeout and waits at most 30 s for each reply. Not thread-safe.
 *
 * <pre>{@code
 * try (TestSender s = new TestSender(sink.address())) {   // reads the greeting
 *   s.command("EHLO sender.example.org");
 *   s.startTls(pki.leaf("sender.example.org"));
 *   s.command("EHLO sender.example.org");
 *   assertThat(s.command("MAIL FROM:<a@example.org>")).startsWith("250");
 * }
 * }</pre>
 */
public final class TestSender implements AutoCloseable {
  private Socket socket;
  private BufferedReader in;
  private OutputStream out;

  /**
   * Connects and reads the greeting.
   *
   * @param address the receiver
   * @throws IOException if the connection fails
   */
  public TestSender(InetSocketAddress address) throws IOException {
    socket = new Socket();
    socket.connect(address, 10_000);
    socket.setSoTimeout(30_000);
    in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    out = socket.getOutputStream();
    reply();
  }

  /**
   * {@return the last line of the next reply, "" when the connection closed}
   *
   * @throws IOException if reading fails
   */
  public String reply() throws IOException {
    String last = "";
    while (true) {
      String line = in.readLine();
      if (line == null) {
        return last;
      }
      last = line;
      if (line.length() < 4 || line.charAt(3) != '-') {
        return last;
      }
    }
  }

  /**
   * Sends one command line and reads its reply.
   *
   * @param line the command without CRLF
   * @return the last line of the reply
   * @throws IOException if writing or reading fails
   */
  public String command(String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return reply();
  }

  /**
   * STARTTLS and the handshake, presenting {@code client} when given; the receiver's certificate
   * is not checked.
   *
   * @param client the client certificate to present, or null for none
   * @throws IOException if STARTTLS is refused or the handshake fails
   * @throws GeneralSecurityException if the TLS context cannot be made
   */
  public void startTls(@Nullable IssuedCertificate client) throws IOException, GeneralSecurityException {
    String r = command("STARTTLS");
    if (!r.startsWith("220")) {
      throw new IOException("STARTTLS refused: " + r);
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(client == null ? null : new KeyManager[] {client.keyManager()}, new TrustManager[] {new TrustAll()}, null);
    SSLSocket s = (SSLSocket) ctx.getSocketFactory()
        .createSocket(socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
    s.setUseClientMode(true);
    s.startHandshake();
    socket = s;
    in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
    out = s.getOutputStream();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
