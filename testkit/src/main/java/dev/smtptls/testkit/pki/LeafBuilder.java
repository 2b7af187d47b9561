package dev.smtptls.testkit.pki;

import java.security.KeyPair;
import java.time.Duration;
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
public final class LeafBuilder extends CertificateBuilder<LeafBuilder> {
  private static final String SERVER_AUTH = KeyPurposeId.id_kp_serverAuth.getId();
  private static final String CLIENT_AUTH = KeyPurposeId.id_kp_clientAuth.getId();

  private @Nullable X500Name subject;
  private @Nullable List<String> dnsNames;
  private @Nullable List<String> ipAddresses;
  private @Nullable String issuerSetBy;
  private boolean selfSigned;
  private @Nullable List<String> extendedKeyUsages;

  LeafBuilder(PkiContext context, IssuedCertificate defaultIssuer) {
    super(context, defaultIssuer, Duration.ofDays(90));
  }

  @Override
  LeafBuilder self() {
    return this;
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

  @Override
  void claimIssuedBy() {
    claimIssuer("issuedBy(...)");
  }

  private void claimIssuer(String by) {
    if (issuerSetBy != null) {
      throw new IllegalStateException(
          "the issuer was already chosen by " + issuerSetBy + "; cannot also use " + by);
    }
    issuerSetBy = by;
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
  @Override
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
    KeyPair keys = keys();
    IssuedCertificate signer = selfSigned ? null : issuerOrDefault();

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
    return mint(subjectName, keys, signer, extensions, true);
  }
}
