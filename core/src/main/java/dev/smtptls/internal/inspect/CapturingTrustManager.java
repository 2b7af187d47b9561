package dev.smtptls.internal.inspect;

import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Accepts any server chain and keeps it. The probe captures what a server presents whatever its
 * validity; judging it is {@code CertificateChecker}'s job. Never used to protect data: the probe
 * sends no mail.
 */
final class CapturingTrustManager extends X509ExtendedTrustManager {
  private volatile List<X509Certificate> chain = List.of();

  List<X509Certificate> chain() {
    return chain;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] c, String authType, Socket socket) {
    chain = List.of(c);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] c, String authType, SSLEngine engine) {
    chain = List.of(c);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] c, String authType) {
    chain = List.of(c);
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
