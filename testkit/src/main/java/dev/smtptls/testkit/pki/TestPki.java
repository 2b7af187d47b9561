package dev.smtptls.testkit.pki;

import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.jspecify.annotations.Nullable;

/**
 * A certificate authority made at test time: a self-signed root, one intermediate, and
 * builders for leaves, more CAs and CRLs. Nothing is read from or written to disk, and no
 * keystores are committed; each test makes the certificates it needs.
 *
 * <pre>{@code
 * TestPki pki = TestPki.create();
 * IssuedCertificate leaf = pki.leaf("mx.example.test", "*.example.test");
 * // leaf.chain() is [leaf, intermediate]: what a server sends; pki.root() is the trust anchor.
 *
 * Clock clock = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
 * TestPki rsa = TestPki.builder()
 *     .clock(clock)
 *     .keyType(KeyType.RSA_2048)
 *     .crlDistributionPoint(URI.create("http://127.0.0.1:8080/intermediate.crl"))
 *     .build();
 * IssuedCertificate weak = rsa.newLeaf()
 *     .dnsNames("mx.example.test")
 *     .keyType(KeyType.RSA_1024)
 *     .signatureAlgorithm("SHA1withRSA")
 *     .issue();
 * X509CRL crl = rsa.newCrl(rsa.intermediate())
 *     .revoke(weak.certificate(), RevocationReason.KEY_COMPROMISE, clock.instant())
 *     .build();
 * }</pre>
 *
 * <p>Every "now" (default validity periods, {@code expired()}, CRL update times) comes from the
 * PKI's {@link Clock}. Serial numbers are random, positive, 127 bits long and unique within a
 * PKI. Keys are EC P-256 unless another {@link KeyType} is asked for. Bouncy Castle does the
 * signing through a private provider instance; it is never registered globally, and the results
 * are plain JDK {@link X509Certificate} and {@link X509CRL} objects.
 *
 * <p>Instances are immutable and thread-safe; the builders they hand out are not.
 */
public final class TestPki {
  /** The subject of the default root. */
  public static final String DEFAULT_ROOT_NAME = "CN=smtptls Test Root";
  /** The subject of the default intermediate. */
  public static final String DEFAULT_INTERMEDIATE_NAME = "CN=smtptls Test Intermediate";

  private final PkiContext context;
  private final IssuedCertificate root;
  private final IssuedCertificate intermediate;

  private TestPki(Builder builder) {
    this.context = new PkiContext(
        builder.clock != null ? builder.clock : Clock.systemUTC(),
        builder.keyType != null ? builder.keyType : KeyType.EC_P256,
        builder.crlDistributionPoints != null ? builder.crlDistributionPoints : List.of());
    X500Name rootName = builder.rootName != null
        ? builder.rootName : Minter.parseName(DEFAULT_ROOT_NAME, "rootName");
    X500Name intermediateName = builder.intermediateName != null
        ? builder.intermediateName
        : Minter.parseName(DEFAULT_INTERMEDIATE_NAME, "intermediateName");
    this.root = new CaBuilder(context, rootName, null).issue();
    this.intermediate = new CaBuilder(context, intermediateName, root).issue();
  }

  /**
   * Makes a PKI with the defaults: system UTC clock, EC P-256 keys, root {@value
   * #DEFAULT_ROOT_NAME} and intermediate {@value #DEFAULT_INTERMEDIATE_NAME}, both valid from
   * one day ago for ten years, no CRL distribution points.
   *
   * @return a new PKI with fresh keys
   */
  public static TestPki create() {
    return builder().build();
  }

  /**
   * Starts a builder for a PKI with a chosen clock, key type, names or CRL distribution point.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the self-signed root CA, the trust anchor of this PKI.
   *
   * @return the root
   */
  public IssuedCertificate root() {
    return root;
  }

  /**
   * Returns the intermediate CA the root issued; it issues leaves by default.
   *
   * @return the intermediate
   */
  public IssuedCertificate intermediate() {
    return intermediate;
  }

  /**
   * Issues a default leaf from the intermediate: subject {@code CN=} the first name, all names
   * as subjectAltName {@code dNSName}s, valid from one day ago for 90 days, keyUsage
   * digitalSignature (plus keyEncipherment for RSA), extendedKeyUsage serverAuth and
   * clientAuth. Shorthand for {@code newLeaf().dnsNames(dnsName, moreDnsNames...).issue()}.
   *
   * @param dnsName the first DNS name, which is also the common name
   * @param moreDnsNames further DNS names, wildcards such as {@code "*.example.test"} allowed
   * @return the new leaf
   * @throws IllegalArgumentException if a name is blank or not ASCII
   */
  public IssuedCertificate leaf(String dnsName, String... moreDnsNames) {
    Objects.requireNonNull(dnsName, "dnsName");
    Objects.requireNonNull(moreDnsNames, "moreDnsNames");
    String[] names = new String[moreDnsNames.length + 1];
    names[0] = dnsName;
    System.arraycopy(moreDnsNames, 0, names, 1, moreDnsNames.length);
    return newLeaf().dnsNames(names).issue();
  }

  /**
   * Starts a builder for a leaf (end-entity) certificate, issued by the intermediate unless told
   * otherwise.
   *
   * @return a new leaf builder
   */
  public LeafBuilder newLeaf() {
    return new LeafBuilder(context, intermediate);
  }

  /**
   * Starts a builder for another intermediate CA, issued by the root unless told otherwise.
   *
   * @param subject its distinguished name, such as {@code "CN=Other Intermediate"}
   * @return a new CA builder
   * @throws IllegalArgumentException if the name cannot be parsed
   */
  public CaBuilder newIntermediate(String subject) {
    return new CaBuilder(context, Minter.parseName(subject, "subject"), root);
  }

  /**
   * Starts a builder for another self-signed root CA, sharing this PKI's clock and serial
   * numbers but not trusted through {@link #root()}: for chains to an unknown anchor.
   *
   * @param subject its distinguished name, such as {@code "CN=Untrusted Root"}
   * @return a new CA builder whose {@link CaBuilder#issuedBy} throws
   * @throws IllegalArgumentException if the name cannot be parsed
   */
  public CaBuilder newRoot(String subject) {
    return new CaBuilder(context, Minter.parseName(subject, "subject"), null);
  }

  /**
   * Starts a builder for a CRL signed by a CA.
   *
   * @param issuer the CA that signs the CRL, usually {@link #intermediate()} or {@link #root()}
   * @return a new CRL builder
   */
  public CrlBuilder newCrl(IssuedCertificate issuer) {
    Objects.requireNonNull(issuer, "issuer");
    return new CrlBuilder(context, issuer);
  }

  /**
   * Returns the clock every "now" of this PKI comes from.
   *
   * @return the clock
   */
  public Clock clock() {
    return context.clock;
  }

  /**
   * Returns the key type used when a builder is not told another.
   *
   * @return the default key type
   */
  public KeyType keyType() {
    return context.keyType;
  }

  /**
   * Returns the CRL distribution points put into every leaf and intermediate by default.
   *
   * @return an unmodifiable list, empty if none were configured
   */
  public List<URI> crlDistributionPoints() {
    return context.crlDistributionPoints;
  }

  /**
   * Returns a new in-memory PKCS#12 key store with the root as its one trusted certificate
   * (alias {@code "root"}).
   *
   * @return a new trust store
   */
  public KeyStore trustStore() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("root", root.certificate());
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot make a PKCS12 trust store", e);
    }
  }

  /**
   * Returns the JDK's PKIX trust manager trusting only the root, without revocation checking.
   *
   * @return a new trust manager
   */
  public X509TrustManager trustManager() {
    try {
      TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
      factory.init(trustStore());
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("the JDK's trust manager factory made no X509TrustManager");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a trust manager", e);
    }
  }

  /**
   * Encodes certificates as concatenated PEM {@code CERTIFICATE} blocks (RFC 7468).
   *
   * @param certificates the certificates, in the order to write them
   * @return the PEM text, each block ending with a newline; empty for no certificates
   * @throws IllegalArgumentException if a certificate cannot be encoded
   */
  public static String pem(X509Certificate... certificates) {
    Objects.requireNonNull(certificates, "certificates");
    StringBuilder pem = new StringBuilder();
    for (int i = 0; i < certificates.length; i++) {
      X509Certificate certificate =
          Objects.requireNonNull(certificates[i], "certificates[" + i + "]");
      try {
        pem.append(Pem.encode("CERTIFICATE", certificate.getEncoded()));
      } catch (CertificateEncodingException e) {
        throw new IllegalArgumentException("certificates[" + i + "] cannot be encoded", e);
      }
    }
    return pem.toString();
  }

  /**
   * Encodes a CRL as a PEM {@code X509 CRL} block (RFC 7468, section 6).
   *
   * @param crl the CRL
   * @return the PEM text, ending with a newline
   * @throws IllegalArgumentException if the CRL cannot be encoded
   */
  public static String pem(X509CRL crl) {
    Objects.requireNonNull(crl, "crl");
    try {
      return Pem.encode("X509 CRL", crl.getEncoded());
    } catch (CRLException e) {
      throw new IllegalArgumentException("crl cannot be encoded", e);
    }
  }

  /**
   * Configures a {@link TestPki}. Each option may be set once; setting it again throws {@link
   * IllegalStateException}.
   */
  public static final class Builder {
    private @Nullable Clock clock;
    private @Nullable KeyType keyType;
    private @Nullable X500Name rootName;
    private @Nullable X500Name intermediateName;
    private @Nullable List<URI> crlDistributionPoints;

    private Builder() {}

    /**
     * Sets the clock for every "now"; by default {@link Clock#systemUTC()}. A fixed clock makes
     * expiry tests deterministic.
     *
     * @param clock the clock
     * @return this builder
     * @throws IllegalStateException if the clock was already set
     */
    public Builder clock(Clock clock) {
      Objects.requireNonNull(clock, "clock");
      Crypto.checkUnset(this.clock, "clock");
      this.clock = clock;
      return this;
    }

    /**
     * Sets the key type of the root, the intermediate, and every certificate not told
     * otherwise; by default {@link KeyType#EC_P256}.
     *
     * @param keyType the key type
     * @return this builder
     * @throws IllegalStateException if the key type was already set
     */
    public Builder keyType(KeyType keyType) {
      Objects.requireNonNull(keyType, "keyType");
      Crypto.checkUnset(this.keyType, "keyType");
      this.keyType = keyType;
      return this;
    }

    /**
     * Sets the root's subject; by default {@value TestPki#DEFAULT_ROOT_NAME}.
     *
     * @param distinguishedName an RFC 4514 name
     * @return this builder
     * @throws IllegalArgumentException if the name cannot be parsed
     * @throws IllegalStateException if the root name was already set
     */
    public Builder rootName(String distinguishedName) {
      X500Name name = Minter.parseName(distinguishedName, "rootName");
      Crypto.checkUnset(rootName, "rootName");
      rootName = name;
      return this;
    }

    /**
     * Sets the intermediate's subject; by default {@value TestPki#DEFAULT_INTERMEDIATE_NAME}.
     *
     * @param distinguishedName an RFC 4514 name
     * @return this builder
     * @throws IllegalArgumentException if the name cannot be parsed
     * @throws IllegalStateException if the intermediate name was already set
     */
    public Builder intermediateName(String distinguishedName) {
      X500Name name = Minter.parseName(distinguishedName, "intermediateName");
      Crypto.checkUnset(intermediateName, "intermediateName");
      intermediateName = name;
      return this;
    }

    /**
     * Sets one CRL distribution point to put into the intermediate and every leaf and
     * intermediate issued later, unless a builder replaces it. The root carries none.
     *
     * @param uri an absolute URI, normally {@code http:} or {@code ldap:}
     * @return this builder
     * @throws IllegalArgumentException if the URI is not absolute
     * @throws IllegalStateException if the distribution points were already set
     */
    public Builder crlDistributionPoint(URI uri) {
      return crlDistributionPoints(uri);
    }

    /**
     * Sets several default CRL distribution points, each its own distribution point, as {@link
     * #crlDistributionPoint} does for one.
     *
     * @param uris absolute URIs
     * @return this builder
     * @throws IllegalArgumentException if a URI is not absolute
     * @throws IllegalStateException if the distribution points were already set
     */
    public Builder crlDistributionPoints(URI... uris) {
      Objects.requireNonNull(uris, "uris");
      List<URI> list = Crypto.absoluteUris(uris, "uris");
      Crypto.checkUnset(crlDistributionPoints, "crlDistributionPoints");
      crlDistributionPoints = list;
      return this;
    }

    /**
     * Generates the root and intermediate keys and certificates.
     *
     * @return a new PKI
     */
    public TestPki build() {
      return new TestPki(this);
    }
  }
}
