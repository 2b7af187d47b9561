package dev.smtptls.examples.realmta;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A CA of the Postfix lab (its certificate and private key, read from the PEM files the lab
 * wrote) that signs CRLs at test time with Bouncy Castle's {@link X509v2CRLBuilder}. A CRL names
 * this CA as its issuer and carries its authority key identifier; {@link Crl#signedWith} signs it
 * with another key instead, for a CRL that claims this issuer but is signed by the wrong key.
 */
final class LabCa {

  private static final AtomicLong CRL_NUMBER = new AtomicLong(1);

  private record Entry(BigInteger serial, int reason, Instant at) {}

  private final X509Certificate certificate;
  private final PrivateKey key;

  private LabCa(X509Certificate certificate, PrivateKey key) {
    this.certificate = certificate;
    this.key = key;
  }

  /**
   * Reads a CA.
   *
   * @param certificatePem the certificate (the first in the file)
   * @param keyPem its private key: PKCS#8 ({@code PRIVATE KEY}) or PKCS#1 ({@code RSA PRIVATE KEY})
   * @return the CA
   */
  static LabCa read(Path certificatePem, Path keyPem) throws IOException, GeneralSecurityException {
    X509Certificate cert;
    try (InputStream in = Files.newInputStream(certificatePem)) {
      cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    Object parsed;
    try (Reader r = Files.newBufferedReader(keyPem, StandardCharsets.US_ASCII);
        PEMParser pem = new PEMParser(r)) {
      parsed = pem.readObject();
    }
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    PrivateKey key;
    if (parsed instanceof PrivateKeyInfo info) {
      key = converter.getPrivateKey(info);
    } else if (parsed instanceof PEMKeyPair pair) {
      key = converter.getKeyPair(pair).getPrivate();
    } else {
      throw new IOException(keyPem + " holds no unencrypted private key but " + parsed);
    }
    return new LabCa(cert, key);
  }

  /** {@return the CA's certificate} */
  X509Certificate certificate() {
    return certificate;
  }

  /** {@return a CRL of this CA: thisUpdate an hour ago, nextUpdate in a week, nothing revoked} */
  Crl newCrl() {
    return new Crl();
  }

  /** A CRL being made; {@link #der()} signs and encodes it. */
  final class Crl {
    private Instant thisUpdate = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    private Instant nextUpdate = thisUpdate.plus(7, ChronoUnit.DAYS);
    private final List<Entry> revoked = new ArrayList<>();
    private PrivateKey signingKey = key;

    Crl thisUpdate(Instant at) {
      thisUpdate = at.truncatedTo(ChronoUnit.SECONDS);
      return this;
    }

    Crl nextUpdate(Instant at) {
      nextUpdate = at.truncatedTo(ChronoUnit.SECONDS);
      return this;
    }

    /**
     * Lists a serial.
     *
     * @param serial the serial number
     * @param reason an RFC 5280 reason code ({@link org.bouncycastle.asn1.x509.CRLReason})
     * @param at the revocation date
     */
    Crl revoke(BigInteger serial, int reason, Instant at) {
      revoked.add(new Entry(serial, reason, at.truncatedTo(ChronoUnit.SECONDS)));
      return this;
    }

    /** Signs with another CA's key; the CRL still names this CA as issuer. */
    Crl signedWith(LabCa other) {
      signingKey = other.key;
      return this;
    }

    /** {@return the DER encoding of the signed CRL} */
    byte[] der() throws IOException, GeneralSecurityException {
      X509v2CRLBuilder b = new X509v2CRLBuilder(
          X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()), Date.from(thisUpdate));
      b.setNextUpdate(Date.from(nextUpdate));
      for (Entry e : revoked) {
        b.addCRLEntry(e.serial(), Date.from(e.at()), e.reason());
      }
      b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(CRL_NUMBER.getAndIncrement())));
      b.addExtension(Extension.authorityKeyIdentifier, false,
          new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate));
      try {
        return b.build(new JcaContentSignerBuilder("SHA256withRSA").build(signingKey)).getEncoded();
      } catch (OperatorCreationException e) {
        throw new GeneralSecurityException("cannot sign the CRL", e);
      }
    }
  }
}
