package dev.smtptls.internal.https;

import java.net.Socket;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Lets the handshake complete whatever the server's chain, so that {@link HttpsGet} can judge it
 * with the library's {@code CertificateChecker} (its trust sources, its clock, its name rules)
 * and report why it fails. {@link HttpsGet} sends nothing over the connection before that check
 * has passed.
 */
final class AcceptingTrustManager extends X509ExtendedTrustManager {

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
    // judged after the handshake, before any request byte
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
    // judged after the handshake, before any request byte
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) {
    // judged after the handshake, before any request byte
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
    throw new UnsupportedOperationException("client side only");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
    throw new UnsupportedOperationException("client side only");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) {
    throw new UnsupportedOperationException("client side only");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
