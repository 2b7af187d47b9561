package dev.smtptls.sink;

import java.net.Socket;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Accepts any client chain, so that the handshake completes whatever the sender presents and the
 * session keeps the chain ({@code SSLSession.getPeerCertificates()}) for the sink to record and
 * judge afterwards with the {@code CertificateChecker}. Names no acceptable issuers in its
 * certificate request, so a sender presents whatever certificate it is configured with. The sink
 * takes no mail on the strength of a certificate: judging is the report's job.
 */
final class RecordingTrustManager extends X509ExtendedTrustManager {

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
    // recorded from the session, judged after the handshake
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
    // recorded from the session, judged after the handshake
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) {
    // recorded from the session, judged after the handshake
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
    throw new UnsupportedOperationException("server side only");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
    throw new UnsupportedOperationException("server side only");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) {
    throw new UnsupportedOperationException("server side only");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
