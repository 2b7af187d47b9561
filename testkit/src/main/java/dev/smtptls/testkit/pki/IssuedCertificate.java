package dev.smtptls.testkit.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;

/**
 * A certificate made by {@link TestPki} together with its key pair and the chain a server
 * would send with it. Immutable and thread-safe.
 *
 * <pre>{@code
 * IssuedCertificate leaf = pki.leaf("mx.example.test");
 * X509KeyManager keys = leaf.keyManager();          // for an SSLContext
 * Files.writeString(dir.resolve("cert.pem"), leaf.chainPem());
 * Files.writeString(dir.resolve("key.pem"), leaf.privateKeyPem());
 * }</pre>
 */
public final class IssuedCertificate {
  private final X509Certificate certificate;
  private final KeyPair keyPair;
  private final List<X509Certificate> chain;
  private final boolean selfSigned;

  IssuedCertificate(
      X509Certificate certificate, KeyPair keyPair, List<X509Certificate> chain, boolean selfSigned) {
    this.certificate = certificate;
    this.keyPair = keyPair;
    this.chain = List.copyOf(chain);
    this.selfSigned = selfSigned;
  }

  /**
   * Returns the certificate.
   *
   * @return the X.509 certificate, as parsed by the JDK
   */
  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * Returns the certificate's private key.
   *
   * @return the private key matching {@link #publicKey()}
   */
  public PrivateKey privateKey() {
    return keyPair.getPrivate();
  }

  /**
   * Returns the certificate's public key.
   *
   * @return the subject public key
   */
  public PublicKey publicKey() {
    return keyPair.getPublic();
  }

  /**
   * Returns the certificate's key pair.
   *
   * @return the key pair whose public half the certificate certifies
   */
  public KeyPair keyPair() {
    return keyPair;
  }

  /**
   * Returns what a server sends in its TLS Certificate message: this certificate first, then
   * the intermediates that issued it, up to but not including the self-signed root. A
   * self-signed certificate's chain is just itself; so is the chain of a certificate the root
   * issued directly.
   *
   * @return an unmodifiable list, this certificate first
   */
  public List<X509Certificate> chain() {
    return chain;
  }

  /**
   * Tells whether this certificate is self-signed (a root, or a leaf made with {@link
   * LeafBuilder#selfSigned()}).
   *
   * @return {@code true} if subject and issuer are the same and it is signed by its own key
   */
  public boolean isSelfSigned() {
    return selfSigned;
  }

  /**
   * Tells whether this certificate may issue others ({@code basicConstraints cA=TRUE}).
   *
   * @return {@code true} for roots and intermediates
   */
  public boolean isCertificateAuthority() {
    return certificate.getBasicConstraints() >= 0;
  }

  /**
   * Returns the certificate as one PEM {@code CERTIFICATE} block.
   *
   * @return the PEM text, ending with a newline
   */
  public String certificatePem() {
    return TestPki.pem(certificate);
  }

  /**
   * Returns {@link #chain()} as concatenated PEM {@code CERTIFICATE} blocks, the form of a
   * Postfix {@code smtpd_tls_chain_files} certificate file.
   *
   * @return the PEM text, this certificate first
   */
  public String chainPem() {
    return TestPki.pem(chain.toArray(new X509Certificate[0]));
  }

  /**
   * Returns the private key as an unencrypted PKCS#8 PEM block ({@code BEGIN PRIVATE KEY},
   * RFC 5208 / RFC 7468 section 10).
   *
   * @return the PEM text, ending with a newline
   */
  public String privateKeyPem() {
    return Pem.encode("PRIVATE KEY", keyPair.getPrivate().getEncoded());
  }

  /**
   * Returns a new in-memory PKCS#12 key store holding the private key and {@link #chain()}
   * under the alias {@code "smtptls"}.
   *
   * @param password protects the key entry; use the same one with a {@link KeyManagerFactory}
   * @return a new key store with one key entry
   */
  public KeyStore keyStore(char[] password) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          "smtptls", keyPair.getPrivate(), password.clone(), chain.toArray(new X509Certificate[0]));
      return store;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot put the key into a PKCS12 key store", e);
    }
  }

  /**
   * Returns a key manager that presents this certificate and its {@link #chain()}, for a TLS
   * server (or a client presenting a client certificate).
   *
   * @return a new key manager with this one key
   */
  public X509KeyManager keyManager() {
    char[] password = "smtptls".toCharArray();
    try {
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(keyStore(password), password);
      for (KeyManager manager : factory.getKeyManagers()) {
        if (manager instanceof X509KeyManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("the JDK's key manager factory made no X509KeyManager");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a key manager", e);
    }
  }

  /**
   * Returns the subject and serial number, for test failure messages.
   *
   * @return a short description
   */
  @Override
  public String toString() {
    return "IssuedCertificate[" + certificate.getSubjectX500Principal().getName()
        + ", serial=" + certificate.getSerialNumber().toString(16) + "]";
  }

  static List<X509Certificate> chainOf(X509Certificate certificate, IssuedCertificate issuer) {
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(certificate);
    if (!issuer.isSelfSigned()) {
      chain.addAll(issuer.chain());
    }
    return chain;
  }

  static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("certificate cannot be encoded", e);
    }
  }
}
