package dev.smtptls.internal.inspect;

import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * Accepts any server chain and keeps it, by the socket whose handshake presented it. The probe
 * captures what a server presents whatever its validity; judging it is {@code
 * CertificateChecker}'s job, after the handshake, on every probe. Never used to protect data: the
 * probe sends no mail.
 *
 * <p>One instance may serve many sockets at once (the {@link SessionResumption} context shared by
 * an inspector's probes), so chains are kept per socket: the JSSE passes the {@code SSLSocket}
 * being handshaken. It is called only on a full handshake: a resumed one presents no certificate,
 * which is how the probe tells the two apart ({@link #take}).
 */
final class CapturingTrustManager extends X509ExtendedTrustManager {
  private final Map<Socket, List<X509Certificate>> chains = new ConcurrentHashMap<>();

  /**
   * Hands over, and forgets, the chain presented on a socket. Called once per socket, after its
   * handshake, whether the handshake succeeded or not.
   *
   * @param socket the client socket
   * @return the chain, or null when the server presented none on this socket (a resumed handshake,
   *     or a handshake that failed before the server's certificate)
   */
  @Nullable List<X509Certificate> take(Socket socket) {
    return chains.remove(socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] c, String authType, @Nullable Socket socket) {
    if (socket != null) {
      chains.put(socket, List.of(c));
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] c, String authType, SSLEngine engine) {
    // The probe uses sockets only; an engine handshake has no socket to file the chain under.
  }

  @Override
  public void checkServerTrusted(X509Certificate[] c, String authType) {
    // The JSSE calls the socket variant for an SSLSocket; this one has no socket to file under.
  }

  @Override
  public void checkClientTrusted(X509Certificate[] c, String authType, Socket socket) {
    throw new UnsupportedOperationException("client side only");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] c, String authType, SSLEngine engine) {
    throw new UnsupportedOperationException("client side only");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] c, String authType) {
    throw new UnsupportedOperationException("client side only");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
