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
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/** A minimal SMTP client of the tests' own: it says exactly what a test tells it to, hostile or not. */
final class RawSender implements AutoCloseable {
  private Socket socket;
  private BufferedReader in;
  private OutputStream out;

  private RawSender(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(30_000);
    this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    this.out = socket.getOutputStream();
  }

  static RawSender connect(InetSocketAddress address) throws IOException {
    Socket s = new Socket();
    s.connect(address, 10_000);
    return new RawSender(s);
  }

  /** {@return the lines of the next reply; empty when the connection closed first} */
  List<String> reply() throws IOException {
    List<String> lines = new ArrayList<>();
    while (true) {
      String line = in.readLine();
      if (line == null) {
        return lines;
      }
      lines.add(line);
      if (line.length() < 4 || line.charAt(3) != '-') {
        return lines;
      }
    }
  }

  /** {@return the last line of the reply to a command} */
  String command(String line) throws IOException {
    send(line + "\r\n");
    List<String> r = reply();
    return r.isEmpty() ? "" : r.get(r.size() - 1);
  }

  void send(String raw) throws IOException {
    out.write(raw.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  void sendBytes(byte[] raw) throws IOException {
    out.write(raw);
    out.flush();
  }

  /** Sends STARTTLS and makes the handshake, presenting {@code client} when given. */
  String startTls(@Nullable IssuedCertificate client) throws IOException, GeneralSecurityException {
    String r = command("STARTTLS");
    if (!r.startsWith("220")) {
      return r;
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(client == null ? null : new KeyManager[] {client.keyManager()}, new TrustManager[] {new TrustAll()}, null);
    SSLSocket s = (SSLSocket) ctx.getSocketFactory()
        .createSocket(socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
    s.setUseClientMode(true);
    s.startHandshake();
    socket = s;
    in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
    out = s.getOutputStream();
    return r;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** The sink's certificate is self-signed: this client, like an opportunistic MTA, does not verify it. */
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
