package dev.smtptls.internal.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;

/**
 * Presents one key and exactly the chain it was given, in its order, whatever it contains: a key
 * store would refuse a chain out of order or with foreign certificates, and both the sink (an
 * administrator may want to present exactly what their receiver presents) and the testkit's
 * servers (which exist to serve such chains) need exactly that. Not API: exported to the testkit
 * only.
 */
public final class FixedKeyManager extends X509ExtendedKeyManager {
  private static final String ALIAS = "fixed";
  private final PrivateKey key;
  private final X509Certificate[] chain;

  /**
   * A key manager for one key and chain.
   *
   * @param key the private key of the chain's first certificate
   * @param chain the certificates to present, in the order given
   */
  public FixedKeyManager(PrivateKey key, List<X509Certificate> chain) {
    this.key = key;
    this.chain = chain.toArray(new X509Certificate[0]);
  }

  private @Nullable String aliasFor(@Nullable String keyType) {
    if (keyType == null) {
      return null;
    }
    String alg = key.getAlgorithm();
    boolean fits = keyType.equalsIgnoreCase(alg)
        || (keyType.equals("RSASSA-PSS") && alg.equals("RSA"))
        || (keyType.startsWith("EC") && alg.equals("EC"))
        || (keyType.startsWith("RSA") && alg.equals("RSA"));
    return fits ? ALIAS : null;
  }

  @Override
  public String @Nullable [] getClientAliases(String keyType, Principal @Nullable [] issuers) {
    return null;
  }

  @Override
  public @Nullable String chooseClientAlias(String[] keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
    return null;
  }

  @Override
  public String @Nullable [] getServerAliases(String keyType, Principal @Nullable [] issuers) {
    String a = aliasFor(keyType);
    return a == null ? null : new String[] {a};
  }

  @Override
  public @Nullable String chooseServerAlias(String keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
    return aliasFor(keyType);
  }

  @Override
  public @Nullable String chooseEngineServerAlias(String keyType, Principal @Nullable [] issuers, @Nullable SSLEngine engine) {
    return aliasFor(keyType);
  }

  @Override
  public X509Certificate @Nullable [] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? chain.clone() : null;
  }

  @Override
  public @Nullable PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? key : null;
  }
}
