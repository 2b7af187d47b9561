package dev.smtptls.testkit.pki;

import java.net.URI;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.util.IPAddress;
import org.jspecify.annotations.Nullable;

/**
 * Builds an end-entity (server or client) certificate; get one from {@link TestPki#newLeaf()}.
 *
 * <p>Unless told otherwise the leaf is issued by the PKI's {@linkplain TestPki#intermediate()
 * intermediate}, is valid from one day before to 90 days after the PKI clock's now, has a key of
 * the PKI's {@link KeyType}, {@code keyUsage} digitalSignature (plus keyEncipherment for RSA
 * keys), {@code extendedKeyUsage} serverAuth and clientAuth, {@code basicConstraints cA=FALSE},
 * subject and authority key identifiers, and the PKI's default CRL distribution points.
 *
 * <pre>{@code
 * IssuedCertificate expired = pki.newLeaf()
 *     .commonName("mx.example.test")
 *     .dnsNames("mx.example.test")
 *     .expired()
 *     .issue();
 * }</pre>
 *
 * <p>Each option may be set once; setting it again, or setting two options that contradict
 * each other (such as {@link #expired()} and {@link #validity}), throws {@link
 * IllegalStateException}. A builder is not thread-safe; {@link #issue()} may be called again
 * and makes a new certificate (and a new key, unless {@link #keyPair} was given) each time.
 */
public final class LeafBuilder {
  private static final String SERVER_AUTH = KeyPurposeId.id_kp_serverAuth.getId();
  private static final String CLIENT_AUTH = KeyPurposeId.id_kp_clientAuth.getId();

  private final PkiContext context;
  private final IssuedCertificate defaultIssuer;
  private final ValiditySpec validity = new ValiditySpec(Duration.ofDays(90));
  private @Nullable X500Name subject;
  private @Nullable List<String> dnsNames;
  private @Nullable List<String> ipAddresses;
  private @Nullable String issuerSetBy;
  private @Nullable IssuedCertificate issuer;
  private boolean selfSigned;
  private @Nullable KeyType keyType;
  private @Nullable KeyPair keyPair;
  private @Nullable String signatureAlgorithm;
  private @Nullable List<URI> crlDistributionPoints;
  private @Nullable URI ocspUrl;
  private @Nullable URI caIssuersUrl;
  private @Nullable List<String> extendedKeyUsages;

  LeafBuilder(PkiContext context, IssuedCertificate defaultIssuer) {
    this.context = context;
    this.defaultIssuer = defaultIssuer;
  }

  /**
   * Sets the subject distinguished name. Without it (and without {@link #commonName}) the
   * subject is {@code CN=} the first DNS name, or else the first IP address.
   *
   * @param distinguishedName an RFC 4514 name such as {@code "CN=mx.example.test,O=Example"};
   *     {@code ""} makes an empty subject, and the subjectAltName extension becomes critical
   *     as RFC 5280 section 4.2.1.6 requires
   * @return this builder
   * @throws IllegalArgumentException if the name cannot be parsed
   * @throws IllegalStateException if the subject or common name was already set
   */
  public LeafBuilder subject(String distinguishedName) {
    X500Name name = Minter.parseName(distinguishedName, "subject");
    Crypto.checkUnset(subject, "subject (or commonName)");
    subject = name;
    return this;
  }

  /**
   * Sets the subject to just {@code CN=commonName}. The common name is not copied into the
   * subjectAltName: a certificate with a common name and no SAN is what some tests want.
   *
   * @param commonName the common name, such as {@code "mx.example.test"}
   * @return this builder
   * @throws IllegalArgumentException if it is blank
   * @throws IllegalStateException if the subject or common name was already set
   */
  public LeafBuilder commonName(String commonName) {
    Objects.requireNonNull(commonName, "commonName");
    if (commonName.isBlank()) {
      throw new IllegalArgumentException("commonName is blank");
    }
    Crypto.checkUnset(subject, "subject (or commonName)");
    subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    return this;
  }

  /**
   * Sets the subjectAltName {@code dNSName} entries (RFC 5280, 4.2.1.6), in this order.
   * Wildcards such as {@code "*.example.test"} are written as given; so are malformed names,
   * for tests of name matching.
   *
   * @param names ASCII host names (internationalized names as A-labels)
   * @return this builder
   * @throws IllegalArgumentException if a name is blank or not ASCII, or none is given
   * @throws IllegalStateException if the DNS names were already set
   */
  public LeafBuilder dnsNames(String... names) {
    Objects.requireNonNull(names, "names");
    if (names.length == 0) {
      throw new IllegalArgumentException("dnsNames needs at least one name");
    }
    List<String> list = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      list.add(Minter.dnsName(names[i], "dnsNames[" + i + "]"));
    }
    Crypto.checkUnset(dnsNames, "dnsNames");
    dnsNames = List.copyOf(list);
    return this;
  }

  /**
   * Sets the subjectAltName {@code iPAddress} entries.
   *
   * @param addresses IPv4 or IPv6 literals such as {@code "127.0.0.1"} or {@code "::1"}; host
   *     names are refused, never looked up
   * @return this builder
   * @throws IllegalArgumentException if an address is not an IP literal, or none is given
   * @throws IllegalStateException if the IP addresses were already set
   */
  public LeafBuilder ipAddresses(String... addresses) {
    Objects.requireNonNull(addresses, "addresses");
    if (addresses.length == 0) {
      throw new IllegalArgumentException("ipAddresses needs at least one address");
    }
    List<String> list = new ArrayList<>();
    for (int i = 0; i < addresses.length; i++) {
      String address = Objects.requireNonNull(addresses[i], "addresses[" + i + "]");
      if (!IPAddress.isValid(address)) {
        throw new IllegalArgumentException(
            "addresses[" + i + "] is not an IPv4 or IPv6 literal: " + address);
      }
      list.add(address);
    }
    Crypto.checkUnset(ipAddresses, "ipAddresses");
    ipAddresses = List.copyOf(list);
    return this;
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
  public LeafBuilder validity(Instant notBefore, Instant notAfter) {
    validity.validity(notBefore, notAfter);
    return this;
  }

  /**
   * Makes the certificate expired relative to the PKI clock: valid for 90 days ending one day
   * before now.
   *
   * @return this builder
   * @throws IllegalStateException if the validity was already set
   */
  public LeafBuilder expired() {
    validity.expired();
    return this;
  }

  /**
   * Makes the certificate not yet valid relative to the PKI clock: valid for 90 days starting
   * one day after now.
   *
   * @return this builder
   * @throws IllegalStateException if the validity was already set
   */
  public LeafBuilder notYetValid() {
    validity.notYetValid();
    return this;
  }

  /**
   * Makes the certificate self-signed: its issuer is its subject and it is signed with its own
   * key. It keeps {@code cA=FALSE}, as the self-signed certificates mail servers ship with do.
   *
   * @return this builder
   * @throws IllegalStateException if {@link #issuedBy} was called
   */
  public LeafBuilder selfSigned() {
    claimIssuer("selfSigned()");
    selfSigned = true;
    return this;
  }

  /**
   * Sets the issuing certificate; by default the PKI's intermediate. The issuer need not be a
   * CA: issuing from a leaf makes the invalid chains some tests need. The leaf's {@link
   * IssuedCertificate#chain()} is then it followed by the issuer's chain (without the root).
   *
   * @param issuer a certificate of this or another {@link TestPki}
   * @return this builder
   * @throws IllegalStateException if the issuer was already chosen, or {@link #selfSigned()} was
   *     called
   */
  public LeafBuilder issuedBy(IssuedCertificate issuer) {
    Objects.requireNonNull(issuer, "issuer");
    claimIssuer("issuedBy(...)");
    this.issuer = issuer;
    return this;
  }

  private void claimIssuer(String by) {
    if (issuerSetBy != null) {
      throw new IllegalStateException(
          "the issuer was already chosen by " + issuerSetBy + "; cannot also use " + by);
    }
    issuerSetBy = by;
  }

  /**
   * Sets the type of key to generate; by default the PKI's key type.
   *
   * @param keyType the key type, such as {@link KeyType#RSA_1024} for weak-key tests
   * @return this builder
   * @throws IllegalStateException if the key type or key pair was already set
   */
  public LeafBuilder keyType(KeyType keyType) {
    Objects.requireNonNull(keyType, "keyType");
    Crypto.checkUnset(keyPair, "keyPair");
    Crypto.checkUnset(this.keyType, "keyType");
    this.keyType = keyType;
    return this;
  }

  /**
   * Uses an existing key pair instead of generating one, for example to renew a certificate
   * with the same key.
   *
   * @param keyPair an RSA or EC key pair
   * @return this builder
   * @throws IllegalStateException if the key type or key pair was already set
   */
  public LeafBuilder keyPair(KeyPair keyPair) {
    Objects.requireNonNull(keyPair, "keyPair");
    Crypto.checkUnset(keyType, "keyType");
    Crypto.checkUnset(this.keyPair, "keyPair");
    this.keyPair = keyPair;
    return this;
  }

  /**
   * Sets the JCA name of the algorithm the issuer signs with. By default it follows the
   * issuer's key: SHA256withECDSA for P-256, SHA384withECDSA for P-384, SHA256withRSA for RSA.
   *
   * <p>An RSA algorithm such as {@code "SHA1withRSA"} needs an RSA issuer, and the default
   * PKI's issuers are EC: for weak-signature tests build the PKI with {@code
   * keyType(KeyType.RSA_2048)}, issue from an RSA intermediate, or combine with {@link
   * #selfSigned()} and an RSA {@link #keyType}.
   *
   * @param algorithm a JCA signature algorithm name, such as {@code "SHA1withRSA"}
   * @return this builder
   * @throws IllegalStateException if the signature algorithm was already set
   */
  public LeafBuilder signatureAlgorithm(String algorithm) {
    Objects.requireNonNull(algorithm, "algorithm");
    Crypto.checkUnset(signatureAlgorithm, "signatureAlgorithm");
    signatureAlgorithm = algorithm;
    return this;
  }

  /**
   * Sets the CRL distribution points (RFC 5280, 4.2.1.13), replacing the PKI's default; each
   * URI becomes one distribution point with that URI as its full name. With no arguments the
   * extension is left out.
   *
   * @param uris absolute URIs, normally {@code http:} or {@code ldap:}; other schemes are
   *     written as given, for tests that refuse them
   * @return this builder
   * @throws IllegalArgumentException if a URI is not absolute
   * @throws IllegalStateException if the distribution points were already set
   */
  public LeafBuilder crlDistributionPoints(URI... uris) {
    Objects.requireNonNull(uris, "uris");
    List<URI> list = Crypto.absoluteUris(uris, "uris");
    Crypto.checkUnset(crlDistributionPoints, "crlDistributionPoints");
    crlDistributionPoints = list;
    return this;
  }

  /**
   * Adds an OCSP responder to the Authority Information Access extension (RFC 5280, 4.2.2.1).
   *
   * @param url the responder's absolute URI
   * @return this builder
   * @throws IllegalArgumentException if the URI is not absolute
   * @throws IllegalStateException if the OCSP URL was already set
   */
  public LeafBuilder ocspUrl(URI url) {
    URI checked = Crypto.absoluteUri(url, "ocspUrl");
    Crypto.checkUnset(ocspUrl, "ocspUrl");
    ocspUrl = checked;
    return this;
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
  public LeafBuilder caIssuersUrl(URI url) {
    URI checked = Crypto.absoluteUri(url, "caIssuersUrl");
    Crypto.checkUnset(caIssuersUrl, "caIssuersUrl");
    caIssuersUrl = checked;
    return this;
  }

  /**
   * Replaces the default extended key usages (serverAuth, clientAuth).
   *
   * @param oids dotted key purpose OIDs, such as {@code "1.3.6.1.5.5.7.3.2"} for clientAuth only
   * @return this builder
   * @throws IllegalArgumentException if an OID is malformed, or none is given (use {@link
   *     #noExtendedKeyUsage()})
   * @throws IllegalStateException if the extended key usages were already set
   */
  public LeafBuilder extendedKeyUsages(String... oids) {
    Objects.requireNonNull(oids, "oids");
    if (oids.length == 0) {
      throw new IllegalArgumentException(
          "extendedKeyUsages needs at least one OID; use noExtendedKeyUsage() to leave it out");
    }
    List<String> list = new ArrayList<>();
    for (int i = 0; i < oids.length; i++) {
      String oid = Objects.requireNonNull(oids[i], "oids[" + i + "]");
      if (ASN1ObjectIdentifier.tryFromID(oid) == null) {
        throw new IllegalArgumentException("oids[" + i + "] is not a dotted OID: " + oid);
      }
      list.add(oid);
    }
    Crypto.checkUnset(extendedKeyUsages, "extendedKeyUsages (or noExtendedKeyUsage)");
    extendedKeyUsages = List.copyOf(list);
    return this;
  }

  /**
   * Leaves the extendedKeyUsage extension out, which RFC 5280 reads as "any purpose".
   *
   * @return this builder
   * @throws IllegalStateException if the extended key usages were already set
   */
  public LeafBuilder noExtendedKeyUsage() {
    Crypto.checkUnset(extendedKeyUsages, "extendedKeyUsages (or noExtendedKeyUsage)");
    extendedKeyUsages = List.of();
    return this;
  }

  /**
   * Generates the key (unless one was given) and signs the certificate.
   *
   * @return the new certificate with its key and chain
   * @throws IllegalStateException if the leaf would have neither a subject nor a SAN
   * @throws IllegalArgumentException if the signature algorithm does not fit the issuer's key
   */
  public IssuedCertificate issue() {
    List<String> dns = dnsNames == null ? List.of() : dnsNames;
    List<String> ips = ipAddresses == null ? List.of() : ipAddresses;
    X500Name subjectName = subject;
    if (subjectName == null) {
      String cn = !dns.isEmpty() ? dns.get(0) : !ips.isEmpty() ? ips.get(0) : null;
      if (cn == null) {
        throw new IllegalStateException(
            "a leaf needs a subject, a commonName, dnsNames or ipAddresses");
      }
      subjectName = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build();
    }
    boolean emptySubject = subjectName.getRDNs().length == 0;
    if (emptySubject && dns.isEmpty() && ips.isEmpty()) {
      throw new IllegalStateException(
          "a leaf with an empty subject needs dnsNames or ipAddresses (RFC 5280, 4.1.2.6)");
    }
    KeyPair keys =
        keyPair != null ? keyPair : Crypto.generate(keyType != null ? keyType : context.keyType);
    IssuedCertificate signer =
        selfSigned ? null : issuer != null ? issuer : defaultIssuer;

    List<Minter.Ext> extensions = new ArrayList<>();
    extensions.add(new Minter.Ext(Extension.basicConstraints, true, new BasicConstraints(false)));
    int usage = KeyUsage.digitalSignature;
    if ("RSA".equals(keys.getPublic().getAlgorithm())) {
      usage |= KeyUsage.keyEncipherment;
    }
    extensions.add(new Minter.Ext(Extension.keyUsage, true, new KeyUsage(usage)));
    List<String> ekus =
        extendedKeyUsages != null ? extendedKeyUsages : List.of(SERVER_AUTH, CLIENT_AUTH);
    if (!ekus.isEmpty()) {
      KeyPurposeId[] purposes = new KeyPurposeId[ekus.size()];
      for (int i = 0; i < purposes.length; i++) {
        purposes[i] = KeyPurposeId.getInstance(new ASN1ObjectIdentifier(ekus.get(i)));
      }
      extensions.add(
          new Minter.Ext(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes)));
    }
    if (!dns.isEmpty() || !ips.isEmpty()) {
      List<GeneralName> names = new ArrayList<>();
      for (String name : dns) {
        names.add(new GeneralName(GeneralName.dNSName, name));
      }
      for (String address : ips) {
        names.add(new GeneralName(GeneralName.iPAddress, address));
      }
      extensions.add(new Minter.Ext(Extension.subjectAlternativeName, emptySubject,
          new GeneralNames(names.toArray(new GeneralName[0]))));
    }
    List<URI> crlDps =
        crlDistributionPoints != null ? crlDistributionPoints : context.crlDistributionPoints;
    if (!crlDps.isEmpty()) {
      extensions.add(Minter.crlDistributionPoints(crlDps));
    }
    Minter.Ext aia = Minter.authorityInformationAccess(ocspUrl, caIssuersUrl);
    if (aia != null) {
      extensions.add(aia);
    }
    return Minter.mint(context, subjectName, keys, signer,
        validity.resolve(context.now()), signatureAlgorithm, extensions);
  }
}
