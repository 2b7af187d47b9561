package dev.smtptls.testkit.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.jspecify.annotations.Nullable;

/**
 * Builds a version 2 CRL (RFC 5280, section 5) signed by a CA; get one from {@link
 * TestPki#newCrl}.
 *
 * <p>Unless told otherwise {@code thisUpdate} is the PKI clock's now, {@code nextUpdate} seven
 * days later, the CRL number 1, and the CRL carries an authority key identifier matching the
 * CA's.
 *
 * <pre>{@code
 * X509CRL crl = pki.newCrl(pki.intermediate())
 *     .revoke(leaf.certificate(), RevocationReason.KEY_COMPROMISE, clock.instant())
 *     .build();
 * }</pre>
 *
 * <p>{@code thisUpdate}, {@code nextUpdate} and the CRL number may each be set once; setting
 * one again throws {@link IllegalStateException}. A builder is not thread-safe.
 */
public final class CrlBuilder {
  private static final Duration DEFAULT_LIFETIME = Duration.ofDays(7);

  private record Entry(BigInteger serial, Instant at, @Nullable RevocationReason reason) {}

  private final PkiContext context;
  private final IssuedCertificate issuer;
  private final List<Entry> entries = new ArrayList<>();
  private final Set<BigInteger> revoked = new HashSet<>();
  private @Nullable Instant thisUpdate;
  private @Nullable Instant nextUpdate;
  private boolean noNextUpdate;
  private @Nullable Long crlNumber;
  private @Nullable String signatureAlgorithm;

  CrlBuilder(PkiContext context, IssuedCertificate issuer) {
    this.context = context;
    this.issuer = issuer;
  }

  /**
   * Lists a certificate as revoked, with a {@code reasonCode} entry extension.
   *
   * @param certificate the revoked certificate; only its serial number is used, so a
   *     certificate of another CA can be listed too, for tests of wrong CRLs
   * @param reason why, written as given (even {@link RevocationReason#UNSPECIFIED})
   * @param revokedAt the revocation date
   * @return this builder
   * @throws IllegalArgumentException if that serial number is already listed
   */
  public CrlBuilder revoke(X509Certificate certificate, RevocationReason reason, Instant revokedAt) {
    Objects.requireNonNull(certificate, "certificate");
    return revoke(certificate.getSerialNumber(), reason, revokedAt);
  }

  /**
   * Lists a serial number as revoked, with a {@code reasonCode} entry extension.
   *
   * @param serialNumber the revoked certificate's serial number
   * @param reason why, written as given
   * @param revokedAt the revocation date
   * @return this builder
   * @throws IllegalArgumentException if that serial number is already listed
   */
  public CrlBuilder revoke(BigInteger serialNumber, RevocationReason reason, Instant revokedAt) {
    Objects.requireNonNull(reason, "reason");
    add(serialNumber, revokedAt, reason);
    return this;
  }

  /**
   * Lists a certificate as revoked now (by the PKI clock) without a reason code, as RFC 5280
   * recommends for an unspecified reason.
   *
   * @param certificate the revoked certificate
   * @return this builder
   * @throws IllegalArgumentException if that serial number is already listed
   */
  public CrlBuilder revoke(X509Certificate certificate) {
    Objects.requireNonNull(certificate, "certificate");
    add(certificate.getSerialNumber(), context.now(), null);
    return this;
  }

  private void add(BigInteger serial, Instant at, @Nullable RevocationReason reason) {
    Objects.requireNonNull(serial, "serialNumber");
    Objects.requireNonNull(at, "revokedAt");
    if (!revoked.add(serial)) {
      throw new IllegalArgumentException(
          "serial number " + serial.toString(16) + " is already listed in this CRL");
    }
    entries.add(new Entry(serial, Crypto.seconds(at), reason));
  }

  /**
   * Sets when this CRL was issued; by default the PKI clock's now.
   *
   * @param thisUpdate the issue time
   * @return this builder
   * @throws IllegalStateException if thisUpdate was already set
   */
  public CrlBuilder thisUpdate(Instant thisUpdate) {
    Objects.requireNonNull(thisUpdate, "thisUpdate");
    Crypto.checkUnset(this.thisUpdate, "thisUpdate");
    this.thisUpdate = Crypto.seconds(thisUpdate);
    return this;
  }

  /**
   * Sets when the next CRL will be issued; by default seven days after thisUpdate. A time in
   * the past makes a stale CRL.
   *
   * @param nextUpdate the next update time
   * @return this builder
   * @throws IllegalStateException if nextUpdate was already set, or {@link #noNextUpdate()}
   *     was called
   */
  public CrlBuilder nextUpdate(Instant nextUpdate) {
    Objects.requireNonNull(nextUpdate, "nextUpdate");
    checkNextUpdateUnset();
    this.nextUpdate = Crypto.seconds(nextUpdate);
    return this;
  }

  /**
   * Leaves {@code nextUpdate} out, which RFC 5280 requires of conforming CAs: for tests of
   * non-conforming CRLs.
   *
   * @return this builder
   * @throws IllegalStateException if nextUpdate was already set
   */
  public CrlBuilder noNextUpdate() {
    checkNextUpdateUnset();
    noNextUpdate = true;
    return this;
  }

  private void checkNextUpdateUnset() {
    if (nextUpdate != null || noNextUpdate) {
      throw new IllegalStateException("nextUpdate (or noNextUpdate) was already set");
    }
  }

  /**
   * Sets the CRL number extension (RFC 5280, 5.2.3); by default 1.
   *
   * @param crlNumber a number of 0 or more, larger in each newer CRL
   * @return this builder
   * @throws IllegalArgumentException if crlNumber is negative
   * @throws IllegalStateException if the CRL number was already set
   */
  public CrlBuilder crlNumber(long crlNumber) {
    if (crlNumber < 0) {
      throw new IllegalArgumentException("crlNumber must be 0 or more, got " + crlNumber);
    }
    Crypto.checkUnset(this.crlNumber, "crlNumber");
    this.crlNumber = crlNumber;
    return this;
  }

  /**
   * Sets the JCA signature algorithm; by default it follows the CA's key, as for {@link
   * LeafBuilder#signatureAlgorithm}.
   *
   * @param algorithm a JCA signature algorithm name
   * @return this builder
   * @throws IllegalStateException if the signature algorithm was already set
   */
  public CrlBuilder signatureAlgorithm(String algorithm) {
    Objects.requireNonNull(algorithm, "algorithm");
    Crypto.checkUnset(signatureAlgorithm, "signatureAlgorithm");
    signatureAlgorithm = algorithm;
    return this;
  }

  /**
   * Signs the CRL with the CA's private key.
   *
   * @return the CRL, as parsed by the JDK
   * @throws IllegalStateException if nextUpdate is before thisUpdate
   * @throws IllegalArgumentException if the signature algorithm does not fit the CA's key
   */
  public X509CRL build() {
    Instant issued = thisUpdate != null ? thisUpdate : context.now();
    Instant next = nextUpdate != null ? nextUpdate : issued.plus(DEFAULT_LIFETIME);
    if (!noNextUpdate && next.isBefore(issued)) {
      throw new IllegalStateException("nextUpdate " + next + " is before thisUpdate " + issued);
    }
    X500Name issuerName =
        X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
    String algorithm = Crypto.signatureAlgorithm(
        signatureAlgorithm, issuer.publicKey(), "CRL issuer " + issuerName);
    X509v2CRLBuilder builder = new X509v2CRLBuilder(issuerName, Date.from(issued));
    if (!noNextUpdate) {
      builder.setNextUpdate(Date.from(next));
    }
    try {
      for (Entry entry : entries) {
        RevocationReason reason = entry.reason();
        if (reason == null) {
          builder.addCRLEntry(entry.serial(), Date.from(entry.at()), 0);
        } else {
          ExtensionsGenerator generator = new ExtensionsGenerator();
          generator.addExtension(Extension.reasonCode, false, CRLReason.lookup(reason.code()));
          Extensions extensions = generator.generate();
          builder.addCRLEntry(entry.serial(), Date.from(entry.at()), extensions);
        }
      }
      builder.addExtension(Extension.cRLNumber, false,
          new CRLNumber(BigInteger.valueOf(crlNumber != null ? crlNumber : 1L)));
      builder.addExtension(Extension.authorityKeyIdentifier, false,
          Crypto.authorityKeyIdentifier(issuer.publicKey()));
      byte[] der = builder.build(Crypto.signer(algorithm, issuer.privateKey())).getEncoded();
      return Crypto.toCrl(der);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode the CRL", e);
    }
  }
}
