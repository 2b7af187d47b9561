package dev.smtptls.testkit.pki;

import java.security.KeyPair;
import java.time.Duration;
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
public final class CaBuilder extends CertificateBuilder<CaBuilder> {
  private final X500Name subject;
  private @Nullable Integer pathLength;
  private @Nullable List<String> permittedDnsNames;
  private @Nullable List<String> excludedDnsNames;

  /** A root when {@code defaultIssuer} is null, otherwise an intermediate. */
  CaBuilder(PkiContext context, X500Name subject, @Nullable IssuedCertificate defaultIssuer) {
    super(context, defaultIssuer, Duration.ofDays(3650));
    this.subject = subject;
  }

  @Override
  CaBuilder self() {
    return this;
  }

  @Override
  void claimIssuedBy() {
    if (defaultIssuer() == null) {
      throw new IllegalStateException("a root is self-signed; use newIntermediate(...) to choose an issuer");
    }
    Crypto.checkUnset(chosenIssuer(), "issuer");
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
  @Override
  public IssuedCertificate issue() {
    KeyPair keys = keys();
    IssuedCertificate signer = issuerOrDefault();
    List<Minter.Ext> extensions = new ArrayList<>();
    extensions.add(new Minter.Ext(Extension.basicConstraints, true,
        pathLength == null ? new BasicConstraints(true) : new BasicConstraints(pathLength)));
    extensions.add(new Minter.Ext(Extension.keyUsage, true,
        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)));
    if (permittedDnsNames != null || excludedDnsNames != null) {
      extensions.add(new Minter.Ext(Extension.nameConstraints, true,
          new NameConstraints(subtrees(permittedDnsNames), subtrees(excludedDnsNames))));
    }
    return mint(subject, keys, signer, extensions, signer != null);
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
