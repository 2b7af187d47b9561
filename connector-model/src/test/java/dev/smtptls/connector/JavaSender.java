package dev.smtptls.connector;

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

/** A minimal SMTP sender for the tests: EHLO, optional STARTTLS with a client certificate, MAIL, RCPT. */
final class JavaSender implements AutoCloseable {
  private Socket socket;
  private BufferedReader in;
  private OutputStream out;

  JavaSender(InetSocketAddress address) throws IOException {
    socket = new Socket();
    socket.connect(address, 10_000);
    socket.setSoTimeout(30_000);
    in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    out = socket.getOutputStream();
    reply();
  }

  /** {@return the last line of the next reply, "" when the connection closed} */
  String reply() throws IOException {
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

  String command(String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return reply();
  }

  /** STARTTLS and the handshake, presenting {@code client} when given; the sink's certificate is not checked. */
  void startTls(@Nullable IssuedCertificate client) throws IOException, GeneralSecurityException {
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
