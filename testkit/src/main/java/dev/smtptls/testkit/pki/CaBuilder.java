package dev.smtptls.testkit.pki;

import java.net.URI;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.jspecify.annotations.Nullable;

/**
 * Builds a certificate authority: an intermediate ({@link TestPki#newIntermediate}) or another
 * self-signed root ({@link TestPki#newRoot}).
 *
 * <p>Unless told otherwise the CA is valid from one day before to ten years after the PKI
 * clock's now, has a key of the PKI's {@link KeyType}, {@code basicConstraints cA=TRUE} without
 * a path length limit, {@code keyUsage} keyCertSign and cRLSign, and subject and authority key
 * identifiers. An intermediate is issued by the PKI's root and carries the PKI's default CRL
 * distribution points; a root carries none unless given.
 *
 * <pre>{@code
 * IssuedCertificate ca2 = pki.newIntermediate("CN=Other Intermediate")
 *     .issuedBy(pki.root())
 *     .pathLength(0)
 *     .issue();
 * IssuedCertificate leaf = pki.newLeaf().dnsNames("mx.example.test").issuedBy(ca2).issue();
 * }</pre>
 *
 * <p>Each option may be set once; setting it again throws {@link IllegalStateException}. A
 * builder is not thread-safe.
 */
public final class CaBuilder {
  private final PkiContext context;
  private final X500Name subject;
  private final @Nullable IssuedCertificate defaultIssuer;
  private final ValiditySpec validity = new ValiditySpec(Duration.ofDays(3650));
  private @Nullable IssuedCertificate issuer;
  private @Nullable Integer pathLength;
  private @Nullable KeyType keyType;
  private @Nullable KeyPair keyPair;
  private @Nullable String signatureAlgorithm;
  private @Nullable List<URI> crlDistributionPoints;
  private @Nullable URI ocspUrl;
  private @Nullable URI caIssuersUrl;
  private @Nullable List<String> permittedDnsNames;
  private @Nullable List<String> excludedDnsNames;

  /** A root when {@code defaultIssuer} is null, otherwise an intermediate. */
  CaBuilder(PkiContext context, X500Name subject, @Nullable IssuedCertificate defaultIssuer) {
    this.context = context;
    this.subject = subject;
    this.defaultIssuer = defaultIssuer;
  }

  /**
   * Sets the issuing CA of an intermediate; by default the PKI's root.
   *
   * @param issuer a CA of this or another {@link TestPki} (not checked, so broken chains can be
   *     made)
   * @return this builder
   * @throws IllegalStateException if this builds a self-signed root, or the issuer was already set
   */
  public CaBuilder issuedBy(IssuedCertificate issuer) {
    Objects.requireNonNull(issuer, "issuer");
    if (defaultIssuer == null) {
      throw new IllegalStateException("a root is self-signed; use newIntermediate(...) to choose an issuer");
    }
    Crypto.checkUnset(this.issuer, "issuer");
    this.issuer = issuer;
    return this;
  }

  /**
   * Sets {@code pathLenConstraint} in basicConstraints (RFC 5280, 4.2.1.9): how many more
   * intermediates may follow below this CA.
   *
   * @param pathLength 0 or more; 0 means this CA may issue only leaves
   * @return this builder
   * @throws IllegalArgumentException if pathLength is negative
   * @throws IllegalStateException if the path length was already set
   */
  public CaBuilder pathLength(int pathLength) {
    if (pathLength < 0) {
      throw new IllegalArgumentException("pathLength must be 0 or more, got " + pathLength);
    }
    Crypto.checkUnset(this.pathLength, "pathLength");
    this.pathLength = pathLength;
    return this;
  }

  /**
   * Sets the validity period exactly (truncated to whole seconds).
   *
   * @param notBefore the first instant the CA certificate is valid
   * @param notAfter the last instant the CA certificate is valid
   * @return this builder
   * @throws IllegalArgumentException if notAfter is before notBefore
   * @throws IllegalStateException if the validity was already set
   */
  public CaBuilder validity(Instant notBefore, Instant notAfter) {
    validity.validity(notBefore, notAfter);
    return this;
  }

  /**
   * Makes the CA certificate expired relative to the PKI clock (it ended one day before now).
   *
   * @return this builder
   * @throws IllegalStateException if the validity was already set
   */
  public CaBuilder expired() {
    validity.expired();
    return this;
  }

  /**
   * Makes the CA certificate not yet valid relative to the PKI clock (it starts one day after
   * now).
   *
   * @return this builder
   * @throws IllegalStateException if the validity was already set
   */
  public CaBuilder notYetValid() {
    validity.notYetValid();
    return this;
  }

  /**
   * Sets the type of key to generate; by default the PKI's key type.
   *
   * @param keyType the key type
   * @return this builder
   * @throws IllegalStateException if the key type or key pair was already set
   */
  public CaBuilder keyType(KeyType keyType) {
    Objects.requireNonNull(keyType, "keyType");
    Crypto.checkUnset(keyPair, "keyPair");
    Crypto.checkUnset(this.keyType, "keyType");
    this.keyType = keyType;
    return this;
  }

  /**
   * Uses an existing key pair instead of generating one, for example to cross-sign or re-issue
   * a CA with the same key.
   *
   * @param keyPair an RSA or EC key pair
   * @return this builder
   * @throws IllegalStateException if the key type or key pair was already set
   */
  public CaBuilder keyPair(KeyPair keyPair) {
    Objects.requireNonNull(keyPair, "keyPair");
    Crypto.checkUnset(keyType, "keyType");
    Crypto.checkUnset(this.keyPair, "keyPair");
    this.keyPair = keyPair;
    return this;
  }

  /**
   * Sets the JCA name of the algorithm the issuer (a root: its own key) signs with; by default
   * it follows that key, as for {@link LeafBuilder#signatureAlgorithm}. RSA algorithms need an
   * RSA signing key.
   *
   * @param algorithm a JCA signature algorithm name, such as {@code "SHA1withRSA"}
   * @return this builder
   * @throws IllegalStateException if the signature algorithm was already set
   */
  public CaBuilder signatureAlgorithm(String algorithm) {
    Objects.requireNonNull(algorithm, "algorithm");
    Crypto.checkUnset(signatureAlgorithm, "signatureAlgorithm");
    signatureAlgorithm = algorithm;
    return this;
  }

  /**
   * Sets the CRL distribution points, replacing the PKI's default; each URI becomes one
   * distribution point. With no arguments the extension is left out.
   *
   * @param uris absolute URIs, normally {@code http:} or {@code ldap:}
   * @return this builder
   * @throws IllegalArgumentException if a URI is not absolute
   * @throws IllegalStateException if the distribution points were already set
   */
  public CaBuilder crlDistributionPoints(URI... uris) {
    Objects.requireNonNull(uris, "uris");
    List<URI> list = Crypto.absoluteUris(uris, "uris");
    Crypto.checkUnset(crlDistributionPoints, "crlDistributionPoints");
    crlDistributionPoints = list;
    return this;
  }

  /**
   * Adds an OCSP responder to the Authority Information Access extension.
   *
   * @param url the responder's absolute URI
   * @return this builder
   * @throws IllegalArgumentException if the URI is not absolute
   * @throws IllegalStateException if the OCSP URL was already set
   */
  public CaBuilder ocspUrl(URI url) {
    URI checked = Crypto.absoluteUri(url, "ocspUrl");
    Crypto.checkUnset(ocspUrl, "ocspUrl");
    ocspUrl = checked;
    return this;
  }

  /**
   * Adds a CA Issuers location to the Authority Information Access extension.
   *
   * @param url an absolute URI
   * @return this builder
   * @throws IllegalArgumentException if the URI is not absolute
   * @throws IllegalStateException if the CA Issuers URL was already set
   */
  public CaBuilder caIssuersUrl(URI url) {
    URI checked = Crypto.absoluteUri(url, "caIssuersUrl");
    Crypto.checkUnset(caIssuersUrl, "caIssuersUrl");
    caIssuersUrl = checked;
    return this;
  }

  /**
   * Adds a critical name constraints extension (RFC 5280, 4.2.1.10) permitting only these DNS
   * subtrees.
   *
   * @param names DNS subtrees such as {@code "example.test"} (the name and all below it)
   * @return this builder
   * @throws IllegalArgumentException if a name is blank or not ASCII, or none is given
   * @throws IllegalStateException if the permitted names were already set
   */
  public CaBuilder permittedDnsNames(String... names) {
    List<String> list = dnsSubtrees(names, "permittedDnsNames");
    Crypto.checkUnset(permittedDnsNames, "permittedDnsNames");
    permittedDnsNames = list;
    return this;
  }

  /**
   * Adds a critical name constraints extension (RFC 5280, 4.2.1.10) excluding these DNS
   * subtrees.
   *
   * @param names DNS subtrees such as {@code "forbidden.test"}
   * @return this builder
   * @throws IllegalArgumentException if a name is blank or not ASCII, or none is given
   * @throws IllegalStateException if the excluded names were already set
   */
  public CaBuilder excludedDnsNames(String... names) {
    List<String> list = dnsSubtrees(names, "excludedDnsNames");
    Crypto.checkUnset(excludedDnsNames, "excludedDnsNames");
    excludedDnsNames = list;
    return this;
  }

  private static List<String> dnsSubtrees(String[] names, String what) {
    Objects.requireNonNull(names, what);
    if (names.length == 0) {
      throw new IllegalArgumentException(what + " needs at least one name");
    }
    List<String> list = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      list.add(Minter.dnsName(names[i], what + "[" + i + "]"));
    }
    return List.copyOf(list);
  }

  /**
   * Generates the key (unless one was given) and signs the CA certificate.
   *
   * @return the new CA with its key and chain
   * @throws IllegalArgumentException if the signature algorithm does not fit the signing key
   */
  public IssuedCertificate issue() {
    KeyPair keys =
        keyPair != null ? keyPair : Crypto.generate(keyType != null ? keyType : context.keyType);
    IssuedCertificate signer = issuer != null ? issuer : defaultIssuer;
    List<Minter.Ext> extensions = new ArrayList<>();
    extensions.add(new Minter.Ext(Extension.basicConstraints, true,
        pathLength == null ? new BasicConstraints(true) : new BasicConstraints(pathLength)));
    extensions.add(new Minter.Ext(Extension.keyUsage, true,
        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)));
    if (permittedDnsNames != null || excludedDnsNames != null) {
      extensions.add(new Minter.Ext(Extension.nameConstraints, true,
          new NameConstraints(subtrees(permittedDnsNames), subtrees(excludedDnsNames))));
    }
    List<URI> crlDps = crlDistributionPoints;
    if (crlDps == null) {
      crlDps = signer == null ? List.of() : context.crlDistributionPoints;
    }
    if (!crlDps.isEmpty()) {
      extensions.add(Minter.crlDistributionPoints(crlDps));
    }
    Minter.Ext aia = Minter.authorityInformationAccess(ocspUrl, caIssuersUrl);
    if (aia != null) {
      extensions.add(aia);
    }
    return Minter.mint(context, subject, keys, signer,
        validity.resolve(context.now()), signatureAlgorithm, extensions);
  }

  private static GeneralSubtree @Nullable [] subtrees(@Nullable List<String> names) {
    if (names == null) {
      return null;
    }
    GeneralSubtree[] subtrees = new GeneralSubtree[names.size()];
    for (int i = 0; i < subtrees.length; i++) {
      subtrees[i] = new GeneralSubtree(new GeneralName(GeneralName.dNSName, names.get(i)));
    }
    return subtrees;
  }
}
