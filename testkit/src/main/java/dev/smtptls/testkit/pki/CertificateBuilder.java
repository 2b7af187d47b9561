package dev.smtptls.testkit.pki;

import java.net.URI;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.jspecify.annotations.Nullable;

/**
 * The options a {@link LeafBuilder} and a {@link CaBuilder} share: the issuer, the key, the
 * signature algorithm, the validity period, the CRL distribution points and the Authority
 * Information Access URIs. Every setter returns the concrete builder, so calls chain as in
 * {@code pki.newLeaf().dnsNames("mx.example.test").expired().selfSigned().issue()}.
 *
 * <p>Each option may be set once; setting it again, or setting two options that contradict
 * each other, throws {@link IllegalStateException}. A builder is not thread-safe.
 *
 * @param <B> the concrete builder type each setter returns
 */
public abstract sealed class CertificateBuilder<B extends CertificateBuilder<B>>
    permits LeafBuilder, CaBuilder {
  private final PkiContext context;
  private final @Nullable IssuedCertificate defaultIssuer;
  private final ValiditySpec validity;
  private @Nullable IssuedCertificate issuer;
  private @Nullable KeyType keyType;
  private @Nullable KeyPair keyPair;
  private @Nullable String signatureAlgorithm;
  private @Nullable List<URI> crlDistributionPoints;
  private @Nullable URI ocspUrl;
  private @Nullable URI caIssuersUrl;

  /**
   * @param defaultIssuer the issuer unless {@link #issuedBy} chooses another; null for a
   *     self-signed root
   * @param validityLength how long the certificate is valid unless {@link #validity} is given
   */
  CertificateBuilder(
      PkiContext context, @Nullable IssuedCertificate defaultIssuer, Duration validityLength) {
    this.context = context;
    this.defaultIssuer = defaultIssuer;
    this.validity = new ValiditySpec(validityLength);
  }

  /** Returns this builder as its concrete type. */
  abstract B self();

  /**
   * Throws {@link IllegalStateException} if {@link #issuedBy} may not be used now, and
   * otherwise records that it was; called before the issuer is set.
   */
  abstract void claimIssuedBy();

  /**
   * Sets the issuing certificate. By default a leaf is issued by the PKI's {@linkplain
   * TestPki#intermediate() intermediate} and an intermediate CA by the PKI's {@linkplain
   * TestPki#root() root}; a root made by {@link TestPki#newRoot} is always self-signed.
   *
   * <p>The issuer is not checked: it may belong to another {@link TestPki}, and a leaf may even
   * be issued from another leaf, to make the broken chains some tests need. The new
   * certificate's {@link IssuedCertificate#chain()} is then it followed by the issuer's chain
   * (without the root).
   *
   * @param issuer a certificate of this or another {@link TestPki}
   * @return this builder
   * @throws IllegalStateException if the issuer was already chosen, or this builds a
   *     self-signed certificate (a root from {@link TestPki#newRoot}, or a leaf after {@link
   *     LeafBuilder#selfSigned()})
   */
  public B issuedBy(IssuedCertificate issuer) {
    Objects.requireNonNull(issuer, "issuer");
    claimIssuedBy();
    this.issuer = issuer;
    return self();
  }

  /**
   * Sets the validity period exactly (truncated to whole seconds, as X.509 encodes it).
   *
   * @param notBefore the first instant the certificate is valid
   * @param notAfter the last instant the certificate is valid
   * @return this builder
   * @throws IllegalArgumentException if notAfter is before notBefore
   * @throws IllegalStateException if the validity was already set, or {@link #expired()} or
   *     {@link #notYetValid()} was called
   */
  public B validity(Instant notBefore, Instant notAfter) {
    validity.validity(notBefore, notAfter);
    return self();
  }

  /**
   * Makes the certificate expired relative to the PKI clock: valid for its default length (90
   * days for a leaf, ten years for a CA) ending one day before now.
   *
   * @return this builder
   * @throws IllegalStateException if the validity was already set
   */
  public B expired() {
    validity.expired();
    return self();
  }

  /**
   * Makes the certificate not yet valid relative to the PKI clock: valid for its default length
   * (90 days for a leaf, ten years for a CA) starting one day after now.
   *
   * @return this builder
   * @throws IllegalStateException if the validity was already set
   */
  public B notYetValid() {
    validity.notYetValid();
    return self();
  }

  /**
   * Sets the type of key to generate; by default the PKI's key type.
   *
   * @param keyType the key type, such as {@link KeyType#RSA_1024} for weak-key tests
   * @return this builder
   * @throws IllegalStateException if the key type or key pair was already set
   */
  public B keyType(KeyType keyType) {
    Objects.requireNonNull(keyType, "keyType");
    Crypto.checkUnset(keyPair, "keyPair");
    Crypto.checkUnset(this.keyType, "keyType");
    this.keyType = keyType;
    return self();
  }

  /**
   * Uses an existing key pair instead of generating one, for example to renew a certificate,
   * or to cross-sign or re-issue a CA, with the same key.
   *
   * @param keyPair an RSA or EC key pair
   * @return this builder
   * @throws IllegalStateException if the key type or key pair was already set
   */
  public B keyPair(KeyPair keyPair) {
    Objects.requireNonNull(keyPair, "keyPair");
    Crypto.checkUnset(keyType, "keyType");
    Crypto.checkUnset(this.keyPair, "keyPair");
    this.keyPair = keyPair;
    return self();
  }

  /**
   * Sets the JCA name of the algorithm the issuer (for a self-signed certificate: its own key)
   * signs with. By default it follows that key: SHA256withECDSA for P-256, SHA384withECDSA for
   * P-384, SHA256withRSA for RSA.
   *
   * <p>An RSA algorithm such as {@code "SHA1withRSA"} needs an RSA signing key, and the default
   * PKI's issuers are EC: for weak-signature tests build the PKI with {@code
   * keyType(KeyType.RSA_2048)}, issue from an RSA intermediate, or combine with {@link
   * LeafBuilder#selfSigned()} and an RSA {@link #keyType}.
   *
   * @param algorithm a JCA signature algorithm name, such as {@code "SHA1withRSA"}
   * @return this builder
   * @throws IllegalStateException if the signature algorithm was already set
   */
  public B signatureAlgorithm(String algorithm) {
    Objects.requireNonNull(algorithm, "algorithm");
    Crypto.checkUnset(signatureAlgorithm, "signatureAlgorithm");
    signatureAlgorithm = algorithm;
    return self();
  }

  /**
   * Sets the CRL distribution points (RFC 5280, 4.2.1.13), replacing the PKI's default (which
   * leaves and intermediates carry, and roots do not); each URI becomes one distribution point
   * with that URI as its full name. With no arguments the extension is left out.
   *
   * @param uris absolute URIs, normally {@code http:} or {@code ldap:}; other schemes are
   *     written as given, for tests that refuse them
   * @return this builder
   * @throws IllegalArgumentException if a URI is not absolute
   * @throws IllegalStateException if the distribution points were already set
   */
  public B crlDistributionPoints(URI... uris) {
    Objects.requireNonNull(uris, "uris");
    List<URI> list = Crypto.absoluteUris(uris, "uris");
    Crypto.checkUnset(crlDistributionPoints, "crlDistributionPoints");
    crlDistributionPoints = list;
    return self();
  }

  /**
   * Adds an OCSP responder to the Authority Information Access extension (RFC 5280, 4.2.2.1).
   *
   * @param url the responder's absolute URI
   * @return this builder
   * @throws IllegalArgumentException if the URI is not absolute
   * @throws IllegalStateException if the OCSP URL was already set
   */
  public B ocspUrl(URI url) {
    URI checked = Crypto.absoluteUri(url, "ocspUrl");
    Crypto.checkUnset(ocspUrl, "ocspUrl");
    ocspUrl = checked;
    return self();
  }

  /**
   * Adds a CA Issuers location (where to fetch the issuer's certificate) to the Authority
   * Information Access extension (RFC 5280, 4.2.2.1).
   *
   * @param url an absolute URI
   * @return this builder
   * @throws IllegalArgumentException if the URI is not absolute
   * @throws IllegalStateException if the CA Issuers URL was already set
   */
  public B caIssuersUrl(URI url) {
    URI checked = Crypto.absoluteUri(url, "caIssuersUrl");
    Crypto.checkUnset(caIssuersUrl, "caIssuersUrl");
    caIssuersUrl = checked;
    return self();
  }

  /**
   * Generates the key (unless one was given) and signs the certificate.
   *
   * @return the new certificate with its key and chain
   * @throws IllegalArgumentException if the signature algorithm does not fit the signing key
   */
  public abstract IssuedCertificate issue();

  /** The issuer given to the constructor; null for a self-signed root. */
  final @Nullable IssuedCertificate defaultIssuer() {
    return defaultIssuer;
  }

  /** The issuer set by {@link #issuedBy}, or null. */
  final @Nullable IssuedCertificate chosenIssuer() {
    return issuer;
  }

  /** The chosen issuer, or else the default one (null for a self-signed root). */
  final @Nullable IssuedCertificate issuerOrDefault() {
    return issuer != null ? issuer : defaultIssuer;
  }

  /** The given key pair, or a new one of the chosen or the PKI's key type. */
  final KeyPair keys() {
    return keyPair != null ? keyPair : Crypto.generate(keyType != null ? keyType : context.keyType);
  }

  /**
   * Adds the CRL distribution points and Authority Information Access to {@code extensions} and
   * signs the certificate.
   *
   * @param signer the issuer, or null to self-sign with {@code keys}
   * @param defaultCrlDistributionPoints whether the PKI's default distribution points apply
   *     when none were set
   */
  final IssuedCertificate mint(
      X500Name subject,
      KeyPair keys,
      @Nullable IssuedCertificate signer,
      List<Minter.Ext> extensions,
      boolean defaultCrlDistributionPoints) {
    List<Minter.Ext> all = new ArrayList<>(extensions);
    List<URI> crlDps = crlDistributionPoints;
    if (crlDps == null) {
      crlDps = defaultCrlDistributionPoints ? context.crlDistributionPoints : List.of();
    }
    if (!crlDps.isEmpty()) {
      all.add(Minter.crlDistributionPoints(crlDps));
    }
    Minter.Ext aia = Minter.authorityInformationAccess(ocspUrl, caIssuersUrl);
    if (aia != null) {
      all.add(aia);
    }
    return Minter.mint(context, subject, keys, signer,
        validity.resolve(context.now()), signatureAlgorithm, all);
  }
}
