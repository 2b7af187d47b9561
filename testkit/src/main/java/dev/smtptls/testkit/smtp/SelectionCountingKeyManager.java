package dev.smtptls.testkit.smtp;

import dev.smtptls.internal.tls.FixedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;

/**
 * The server's {@link FixedKeyManager}, counting the handshakes that selected the certificate.
 * The JSSE selects it on a full handshake only: a resumed one authenticates by the session's
 * secret and presents no certificate. That is how {@link MockSmtpServer} counts full handshakes.
 * A handshake is counted when the certificate is selected, before the server's flight that
 * carries it, so a client that has finished its handshake sees it counted.
 */
final class SelectionCountingKeyManager extends X509ExtendedKeyManager {
  private final FixedKeyManager keys;
  private final Set<Socket> selected = ConcurrentHashMap.newKeySet();
  private final AtomicInteger count = new AtomicInteger();

  SelectionCountingKeyManager(FixedKeyManager keys) {
    this.keys = keys;
  }

  /** {@return the handshakes so far that selected the certificate} */
  int selections() {
    return count.get();
  }

  /**
   * Forgets a socket whose handshake has ended (the JSSE may ask for the certificate more than
   * once in one handshake, one key type after another: each handshake counts once).
   *
   * @param socket the server socket
   */
  void forget(Socket socket) {
    selected.remove(socket);
  }

  @Override
  public @Nullable String chooseServerAlias(String keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
    String alias = keys.chooseServerAlias(keyType, issuers, socket);
    if (alias != null && socket != null && selected.add(socket)) {
      count.incrementAndGet();
    }
    return alias;
  }

  @Override
  public @Nullable String chooseEngineServerAlias(String keyType, Principal @Nullable [] issuers, @Nullable SSLEngine engine) {
    return keys.chooseEngineServerAlias(keyType, issuers, engine);
  }

  @Override
  public String @Nullable [] getServerAliases(String keyType, Principal @Nullable [] issuers) {
    return keys.getServerAliases(keyType, issuers);
  }

  @Override
  public String @Nullable [] getClientAliases(String keyType, Principal @Nullable [] issuers) {
    return keys.getClientAliases(keyType, issuers);
  }

  @Override
  public @Nullable String chooseClientAlias(String[] keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
    return keys.chooseClientAlias(keyType, issuers, socket);
  }

  @Override
  public X509Certificate @Nullable [] getCertificateChain(String alias) {
    return keys.getCertificateChain(alias);
  }

  @Override
  public @Nullable PrivateKey getPrivateKey(String alias) {
    return keys.getPrivateKey(alias);
  }
}
