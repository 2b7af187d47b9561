package dev.smtptls.crl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.RevocationReason;
import dev.smtptls.testkit.pki.TestPki;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.CRLReason;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERUTCTime;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.ReasonFlags;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** {@link ParsedCrl} against the JDK's {@link X509CRL} on CRLs Bouncy Castle builds at test time. */
class ParsedCrlTest {

  static final X500Name CA = new X500Name("CN=Parsed CRL Test CA,O=smtptls,C=DE");
  static final X500Principal CA_PRINCIPAL = principal(CA);
  static final KeyPair EC = keyPair("EC");
  static final KeyPair RSA = keyPair("RSA");
  static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  static KeyPair keyPair(String algorithm) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
      if (algorithm.equals("EC")) {
        g.initialize(new ECGenParameterSpec("secp256r1"));
      } else if (algorithm.equals("RSA")) {
        g.initialize(2048);
      }
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static X500Principal principal(X500Name name) {
    try {
      return new X500Principal(name.getEncoded());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static X509v2CRLBuilder builder() {
    X509v2CRLBuilder b = new X509v2CRLBuilder(CA, Date.from(NOW));
    b.setNextUpdate(Date.from(NOW.plus(7, ChronoUnit.DAYS)));
    return b;
  }

  static byte[] sign(X509v2CRLBuilder b, KeyPair keys, String algorithm) {
    try {
      ContentSigner signer = new JcaContentSignerBuilder(algorithm).setProvider(BC).build(keys.getPrivate());
      return b.build(signer).getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] sign(X509v2CRLBuilder b) {
    return sign(b, EC, "SHA256withECDSA");
  }

  static X509CRL jdk(byte[] der) {
    try {
      return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static ParsedCrl parse(byte[] der) {
    try {
      return ParsedCrl.parse(der);
    } catch (CrlFormatException e) {
      throw new AssertionError(e);
    }
  }

  static void addAki(X509v2CRLBuilder b, PublicKey key) throws Exception {
    b.addExtension(Extension.authorityKeyIdentifier, false,
        new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(key));
  }

  @Test
  void agreesWithTheJdkOnARandomCrl() throws Exception {
    Random rnd = new Random(42);
    X509v2CRLBuilder b = builder();
    Map<BigInteger, Integer> reasons = new HashMap<>();
    Set<BigInteger> serials = new HashSet<>();
    while (serials.size() < 3000) {
      int kind = rnd.nextInt(5);
      BigInteger s = switch (kind) {
        case 0 -> BigInteger.valueOf(rnd.nextInt(1000));                      // small, incl. 0
        case 1 -> new BigInteger(159, rnd);                                    // 20 octets
        case 2 -> new BigInteger(128, rnd);                                    // 16-17 octets
        case 3 -> BigInteger.valueOf(rnd.nextLong());                          // negative too
        default -> new BigInteger(64, rnd).negate();                           // negative, 8-9 octets
      };
      if (!serials.add(s)) {
        continue;
      }
      // before and after 2050: UTCTime and GeneralizedTime
      Instant at = rnd.nextInt(10) == 0
          ? Instant.parse("2050-01-01T00:00:00Z").plusSeconds(rnd.nextInt(1_000_000_000))
          : Instant.parse("1990-01-01T00:00:00Z").plusSeconds(rnd.nextInt(1_100_000_000));
      int reason = rnd.nextInt(12) - 1; // -1: none; 0..10 (7 is unused)
      if (reason == 7) {
        reason = -1;
      }
      if (reason < 0) {
        b.addCRLEntry(s, Date.from(at), (org.bouncycastle.asn1.x509.Extensions) null);
      } else {
        // Bouncy Castle's addCRLEntry(serial, date, 0) leaves reason 0 out; write it explicitly
        ExtensionsGenerator g = new ExtensionsGenerator();
        g.addExtension(Extension.reasonCode, false, org.bouncycastle.asn1.x509.CRLReason.lookup(reason));
        b.addCRLEntry(s, Date.from(at), g.generate());
      }
      reasons.put(s, reason);
    }
    b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(4711)));
    addAki(b, EC.getPublic());
    byte[] der = sign(b);

    ParsedCrl crl = parse(der);
    X509CRL jdk = jdk(der);

    assertThat(crl.size()).isEqualTo(jdk.getRevokedCertificates().size()).isEqualTo(3000);
    assertThat(crl.issuer()).isEqualTo(jdk.getIssuerX500Principal());
    assertThat(crl.thisUpdate()).isEqualTo(jdk.getThisUpdate().toInstant());
    assertThat(crl.nextUpdate()).isEqualTo(jdk.getNextUpdate().toInstant());
    assertThat(crl.crlNumber()).isEqualTo(BigInteger.valueOf(4711));
    assertThat(crl.crlNumberCritical()).isFalse();
    assertThat(crl.deltaCrlIndicator()).isNull();
    assertThat(crl.issuingDistributionPoint()).isNull();
    assertThat(crl.unknownCriticalExtensions()).isEmpty();
    assertThat(crl.unknownCriticalEntryExtensions()).isFalse();
    assertThat(crl.signatureAlgorithm()).isEqualTo("SHA256withECDSA").isEqualTo(jdk.getSigAlgName());
    assertThat(crl.signatureAlgorithmsMatch()).isTrue();
    assertThat(crl.encodedLength()).isEqualTo(der.length);
    byte[] jdkAki = org.bouncycastle.asn1.x509.AuthorityKeyIdentifier.getInstance(
        org.bouncycastle.asn1.ASN1OctetString.getInstance(jdk.getExtensionValue("2.5.29.35")).getOctets())
        .getKeyIdentifier();
    assertThat(crl.authorityKeyIdentifier()).isEqualTo(jdkAki);
    assertThat(crl.verify(EC.getPublic())).isTrue();
    assertThat(crl.verify(keyPair("EC").getPublic())).isFalse();
    assertThat(crl.verify(RSA.getPublic())).isFalse();

    for (X509CRLEntry e : jdk.getRevokedCertificates()) {
      RevokedEntry got = crl.lookup(e.getSerialNumber(), CA_PRINCIPAL).orElseThrow(
          () -> new AssertionError("not found: " + e.getSerialNumber()));
      assertThat(got.serial()).isEqualTo(e.getSerialNumber());
      assertThat(got.revokedAt()).isEqualTo(e.getRevocationDate().toInstant());
      assertThat(got.reason()).isEqualTo(e.getRevocationReason());
      assertThat(got.certificateIssuer()).isEqualTo(CA_PRINCIPAL);
      int code = reasons.get(e.getSerialNumber());
      assertThat(got.reason()).isEqualTo(code < 0 ? null : CRLReason.values()[code]);
      assertThat(crl.lookup(e.getSerialNumber(), new X500Principal("CN=Someone Else"))).isEmpty();
    }
    for (int i = 0; i < 3000; i++) {
      BigInteger s = new BigInteger(rnd.nextInt(170) + 1, rnd);
      if (rnd.nextBoolean()) {
        s = s.negate();
      }
      assertThat(crl.lookup(s, CA_PRINCIPAL).isPresent()).as("%s", s).isEqualTo(serials.contains(s));
    }
    assertThat(crl.lookup(new BigInteger(300, rnd), CA_PRINCIPAL)).isEmpty();
  }

  @Test
  void sortsSerialsThatShareLongPrefixesAndNeighbours() throws Exception {
    Random rnd = new Random(7);
    X509v2CRLBuilder b = builder();
    List<BigInteger> serials = new ArrayList<>();
    BigInteger prefix = new BigInteger(1, new byte[] {0x7f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}).shiftLeft(64);
    for (int i = 0; i < 2000; i++) {
      serials.add(prefix.add(BigInteger.valueOf(rnd.nextInt(4000))));
      serials.add(prefix.negate().subtract(BigInteger.valueOf(i)));
      serials.add(BigInteger.valueOf(i - 1000));
    }
    List<BigInteger> distinct = new ArrayList<>(new HashSet<>(serials));
    java.util.Collections.shuffle(distinct, rnd);
    for (BigInteger s : distinct) {
      b.addCRLEntry(s, Date.from(NOW), CRLReason.KEY_COMPROMISE.ordinal());
    }
    ParsedCrl crl = parse(sign(b));
    assertThat(crl.size()).isEqualTo(distinct.size());
    for (BigInteger s : distinct) {
      assertThat(crl.lookup(s, CA_PRINCIPAL)).as("%s", s).isPresent();
      assertThat(crl.lookup(s.add(BigInteger.valueOf(100_000)), CA_PRINCIPAL).isPresent())
          .isEqualTo(distinct.contains(s.add(BigInteger.valueOf(100_000))));
    }
  }

  @Test
  void findsEntriesOfAnAlreadySortedCrl() {
    X509v2CRLBuilder b = builder();
    for (int i = -300; i < 300; i += 3) {
      b.addCRLEntry(BigInteger.valueOf(i).shiftLeft(40), Date.from(NOW), CRLReason.SUPERSEDED.ordinal());
    }
    ParsedCrl crl = parse(sign(b));
    assertThat(crl.size()).isEqualTo(200);
    for (int i = -301; i < 301; i++) {
      assertThat(crl.lookup(BigInteger.valueOf(i).shiftLeft(40), CA_PRINCIPAL).isPresent()).as("%d", i)
          .isEqualTo(i % 3 == 0 && i < 300);
      assertThat(crl.lookup(BigInteger.valueOf(i).shiftLeft(40).add(BigInteger.ONE), CA_PRINCIPAL)).isEmpty();
    }
  }

  @Test
  void readsAnRsaSignedCrlFromTestPki() throws Exception {
    TestPki pki = TestPki.builder().keyType(dev.smtptls.testkit.pki.KeyType.RSA_2048).build();
    IssuedCertificate ca = pki.intermediate();
    X509Certificate leaf = pki.leaf("mx.example.test").certificate();
    X509Certificate other = pki.leaf("mx2.example.test").certificate();
    Instant at = pki.clock().instant().minusSeconds(3600).truncatedTo(ChronoUnit.SECONDS);
    X509CRL jdkCrl = pki.newCrl(ca).revoke(leaf, RevocationReason.KEY_COMPROMISE, at).crlNumber(9).build();

    ParsedCrl crl = parse(jdkCrl.getEncoded());

    assertThat(crl.issuer()).isEqualTo(leaf.getIssuerX500Principal());
    assertThat(crl.signatureAlgorithm()).isEqualTo(jdkCrl.getSigAlgName());
    assertThat(crl.verify(ca.publicKey())).isTrue();
    assertThat(crl.verify(pki.root().publicKey())).isFalse();
    assertThat(crl.crlNumber()).isEqualTo(BigInteger.valueOf(9));
    assertThat(crl.lookup(leaf.getSerialNumber(), leaf.getIssuerX500Principal())).hasValueSatisfying(e -> {
      assertThat(e.reason()).isEqualTo(CRLReason.KEY_COMPROMISE);
      assertThat(e.revokedAt()).isEqualTo(at);
    });
    assertThat(crl.lookup(other.getSerialNumber(), other.getIssuerX500Principal())).isEmpty();
    assertThat(jdkCrl.isRevoked(leaf)).isTrue();
  }

  @Test
  void verifiesEveryKindOfSignature() {
    for (String[] alg : new String[][] {
      {"RSA", "SHA256withRSA"}, {"RSA", "SHA384withRSA"}, {"RSA", "SHA512withRSA"}, {"RSA", "SHA1withRSA"},
      {"EC", "SHA384withECDSA"}, {"EC", "SHA512withECDSA"}, {"RSA", "SHA256withRSAandMGF1"},
      {"Ed25519", "Ed25519"}
    }) {
      KeyPair keys = alg[0].equals("RSA") ? RSA : alg[0].equals("EC") ? EC : keyPair(alg[0]);
      X509v2CRLBuilder b = builder();
      b.addCRLEntry(BigInteger.TEN, Date.from(NOW), CRLReason.SUPERSEDED.ordinal());
      byte[] der = sign(b, keys, alg[1]);
      ParsedCrl crl = parse(der);
      assertThat(crl.verify(keys.getPublic())).as(alg[1]).isTrue();
      assertThat(crl.signatureAlgorithm()).as(alg[1]).isEqualTo(
          alg[1].equals("SHA256withRSAandMGF1") ? "RSASSA-PSS" : alg[1]);
      byte[] tampered = der.clone();
      tampered[tampered.length - 3] ^= 1; // inside the signature
      assertThat(parse(tampered).verify(keys.getPublic())).as(alg[1] + " tampered signature").isFalse();
    }
  }

  @Test
  void aTamperedTbsByteFailsVerification() {
    X509v2CRLBuilder b = builder();
    b.addCRLEntry(BigInteger.valueOf(0x1234567), Date.from(NOW), CRLReason.KEY_COMPROMISE.ordinal());
    byte[] der = sign(b, RSA, "SHA256withRSA");
    assertThat(parse(der).verify(RSA.getPublic())).isTrue();
    byte[] tampered = der.clone();
    int at = indexOf(tampered, new byte[] {0x01, 0x23, 0x45, 0x67});
    tampered[at + 3] = 0x68;
    ParsedCrl crl = parse(tampered);
    assertThat(crl.lookup(BigInteger.valueOf(0x1234568), CA_PRINCIPAL)).isPresent();
    assertThat(crl.verify(RSA.getPublic())).isFalse();
  }

  @Test
  void readsAnIndirectCrl() throws Exception {
    X500Name other = new X500Name("CN=Other CA,O=smtptls,C=DE");
    X500Principal otherPrincipal = principal(other);
    X509v2CRLBuilder b = builder();
    b.addCRLEntry(BigInteger.ONE, Date.from(NOW), CRLReason.KEY_COMPROMISE.ordinal());
    ExtensionsGenerator g = new ExtensionsGenerator();
    g.addExtension(Extension.reasonCode, false, org.bouncycastle.asn1.x509.CRLReason.lookup(1));
    g.addExtension(Extension.certificateIssuer, true, new GeneralNames(new GeneralName(other)));
    b.addCRLEntry(BigInteger.TWO, Date.from(NOW), g.generate());
    b.addCRLEntry(BigInteger.ONE, Date.from(NOW), CRLReason.CA_COMPROMISE.ordinal()); // carries over
    g = new ExtensionsGenerator();
    g.addExtension(Extension.certificateIssuer, true, new GeneralNames(new GeneralName(CA)));
    b.addCRLEntry(BigInteger.valueOf(3), Date.from(NOW), g.generate());
    b.addExtension(Extension.issuingDistributionPoint, true,
        new org.bouncycastle.asn1.x509.IssuingDistributionPoint(null, false, false, null, true, false));
    byte[] der = sign(b);

    ParsedCrl crl = parse(der);
    X509CRL jdk = jdk(der);

    assertThat(crl.size()).isEqualTo(4);
    assertThat(crl.unknownCriticalExtensions()).isEmpty();
    assertThat(crl.unknownCriticalEntryExtensions()).isFalse();
    assertThat(crl.issuingDistributionPoint()).isNotNull();
    assertThat(crl.issuingDistributionPoint().indirectCrl()).isTrue();
    assertThat(crl.lookup(BigInteger.ONE, CA_PRINCIPAL)).hasValueSatisfying(
        e -> assertThat(e.reason()).isEqualTo(CRLReason.KEY_COMPROMISE));
    assertThat(crl.lookup(BigInteger.ONE, otherPrincipal)).hasValueSatisfying(e -> {
      assertThat(e.reason()).isEqualTo(CRLReason.CA_COMPROMISE);
      assertThat(e.certificateIssuer()).isEqualTo(otherPrincipal);
    });
    assertThat(crl.lookup(BigInteger.TWO, otherPrincipal)).isPresent();
    assertThat(crl.lookup(BigInteger.TWO, CA_PRINCIPAL)).isEmpty();
    assertThat(crl.lookup(BigInteger.valueOf(3), CA_PRINCIPAL)).isPresent();
    assertThat(crl.lookup(BigInteger.valueOf(3), otherPrincipal)).isEmpty();
    for (X509CRLEntry e : jdk.getRevokedCertificates()) {
      X500Principal certIssuer = e.getCertificateIssuer() == null ? CA_PRINCIPAL : e.getCertificateIssuer();
      assertThat(crl.lookup(e.getSerialNumber(), certIssuer)).as("%s %s", e.getSerialNumber(), certIssuer)
          .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(e.getRevocationReason()));
    }
  }

  @Test
  void readsADeltaCrlAndTheIssuingDistributionPoint() throws Exception {
    X509v2CRLBuilder b = builder();
    b.addCRLEntry(BigInteger.valueOf(77), Date.from(NOW), CRLReason.REMOVE_FROM_CRL.ordinal());
    b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(12)));
    b.addExtension(Extension.deltaCRLIndicator, true, new CRLNumber(BigInteger.valueOf(10)));
    b.addExtension(Extension.issuingDistributionPoint, true,
        new org.bouncycastle.asn1.x509.IssuingDistributionPoint(
            new DistributionPointName(new GeneralNames(new GeneralName[] {
              new GeneralName(GeneralName.uniformResourceIdentifier, "http://crl.example.test/delta.crl"),
              new GeneralName(new X500Name("CN=not a URI")),
              new GeneralName(GeneralName.uniformResourceIdentifier, "ldap://ldap.example.test/cn=CA")})),
            true, false, new ReasonFlags(ReasonFlags.keyCompromise | ReasonFlags.aACompromise), false, false));
    byte[] der = sign(b);

    ParsedCrl crl = parse(der);

    assertThat(crl.deltaCrlIndicator()).isEqualTo(BigInteger.TEN);
    assertThat(crl.crlNumber()).isEqualTo(BigInteger.valueOf(12));
    assertThat(crl.unknownCriticalExtensions()).isEmpty();
    IssuingDistributionPoint idp = crl.issuingDistributionPoint();
    assertThat(idp).isEqualTo(new IssuingDistributionPoint(
        List.of("http://crl.example.test/delta.crl", "ldap://ldap.example.test/cn=CA"), null,
        true, false, false, false, EnumSet.of(CRLReason.KEY_COMPROMISE, CRLReason.AA_COMPROMISE)));
    assertThat(crl.lookup(BigInteger.valueOf(77), CA_PRINCIPAL)).hasValueSatisfying(
        e -> assertThat(e.reason()).isEqualTo(CRLReason.REMOVE_FROM_CRL).isEqualTo(
            jdk(der).getRevokedCertificate(BigInteger.valueOf(77)).getRevocationReason()));
  }

  @Test
  void readsARelativeNameAndTheOtherIdpFlags() throws Exception {
    X509v2CRLBuilder b = builder();
    org.bouncycastle.asn1.x500.RDN rdn = new X500Name("CN=Partition 7").getRDNs()[0];
    b.addExtension(Extension.issuingDistributionPoint, true,
        new org.bouncycastle.asn1.x509.IssuingDistributionPoint(
            new DistributionPointName(DistributionPointName.NAME_RELATIVE_TO_CRL_ISSUER, rdn.toASN1Primitive()),
            false, false, null, false, true));
    ParsedCrl crl = parse(sign(b));
    assertThat(crl.issuingDistributionPoint()).isEqualTo(
        new IssuingDistributionPoint(List.of(), "CN=Partition 7", false, false, true, false, Set.of()));
    assertThat(crl.size()).isZero();
  }

  @Test
  void listsCriticalExtensionsItDoesNotProcess() throws Exception {
    X509v2CRLBuilder b = builder();
    b.addExtension(new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"), true, new DERUTF8String("x"));
    b.addExtension(new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.2"), false, new DERUTF8String("y"));
    b.addExtension(Extension.freshestCRL, true, new DERSequence());
    b.addExtension(Extension.cRLNumber, true, new CRLNumber(BigInteger.ONE));
    ExtensionsGenerator g = new ExtensionsGenerator();
    g.addExtension(new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.3"), true, new DERUTF8String("z"));
    b.addCRLEntry(BigInteger.ONE, Date.from(NOW), g.generate());
    ParsedCrl crl = parse(sign(b));
    assertThat(crl.unknownCriticalExtensions()).containsExactly("1.3.6.1.4.1.99999.1", "2.5.29.46");
    assertThat(crl.unknownCriticalEntryExtensions()).isTrue();
    assertThat(crl.crlNumberCritical()).isTrue();
    assertThat(crl.lookup(BigInteger.ONE, CA_PRINCIPAL)).hasValueSatisfying(e -> assertThat(e.reason()).isNull());
  }

  @Test
  void readsAnEmptyCrlAndPem() {
    X509v2CRLBuilder b = new X509v2CRLBuilder(CA, Date.from(NOW)); // no nextUpdate, no entries
    byte[] der = sign(b);
    String pem = "Certificate Revocation List (CRL):\n  something openssl printed\n-----BEGIN X509 CRL-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END X509 CRL-----\n";
    ParsedCrl crl = parse(pem.getBytes(StandardCharsets.US_ASCII));
    assertThat(crl.size()).isZero();
    assertThat(crl.nextUpdate()).isNull();
    assertThat(crl.crlNumber()).isNull();
    assertThat(crl.authorityKeyIdentifier()).isNull();
    assertThat(crl.thisUpdate()).isEqualTo(NOW);
    assertThat(crl.encodedLength()).isEqualTo(der.length);
    assertThat(crl.verify(EC.getPublic())).isTrue();
    assertThat(crl.lookup(BigInteger.ONE, CA_PRINCIPAL)).isEmpty();
  }

  @Test
  void readsAVersion1Crl() throws Exception {
    AlgorithmIdentifier alg = new AlgorithmIdentifier(new ASN1ObjectIdentifier("1.2.840.113549.1.1.11"),
        org.bouncycastle.asn1.DERNull.INSTANCE);
    ASN1EncodableVector tbs = new ASN1EncodableVector();
    tbs.add(alg);
    tbs.add(CA);
    tbs.add(new DERUTCTime("260301120000Z"));
    tbs.add(new DERUTCTime("260308120000Z"));
    tbs.add(new DERSequence(new ASN1Encodable[] {
      new DERSequence(new ASN1Encodable[] {new ASN1Integer(5), new DERUTCTime("250101000000Z")}),
      new DERSequence(new ASN1Encodable[] {new ASN1Integer(-3), new DERUTCTime("491231235959Z")}),
      new DERSequence(new ASN1Encodable[] {new ASN1Integer(4), new DERUTCTime("500101000000Z")})
    }));
    byte[] tbsDer = new DERSequence(tbs).getEncoded();
    java.security.Signature s = java.security.Signature.getInstance("SHA256withRSA");
    s.initSign(RSA.getPrivate());
    s.update(tbsDer);
    byte[] der = new DERSequence(new ASN1Encodable[] {
      org.bouncycastle.asn1.ASN1Primitive.fromByteArray(tbsDer), alg, new DERBitString(s.sign())
    }).getEncoded();

    ParsedCrl crl = parse(der);
    X509CRL jdk = jdk(der);

    assertThat(jdk.getVersion()).isEqualTo(1);
    assertThat(crl.size()).isEqualTo(3);
    assertThat(crl.verify(RSA.getPublic())).isTrue();
    assertThat(crl.thisUpdate()).isEqualTo(jdk.getThisUpdate().toInstant());
    for (X509CRLEntry e : jdk.getRevokedCertificates()) {
      assertThat(crl.lookup(e.getSerialNumber(), CA_PRINCIPAL)).hasValueSatisfying(r -> {
        assertThat(r.revokedAt()).isEqualTo(e.getRevocationDate().toInstant());
        assertThat(r.reason()).isNull();
      });
    }
    assertThat(crl.lookup(BigInteger.valueOf(-3), CA_PRINCIPAL).orElseThrow().revokedAt())
        .isEqualTo(Instant.parse("2049-12-31T23:59:59Z"));
    assertThat(crl.lookup(BigInteger.valueOf(4), CA_PRINCIPAL).orElseThrow().revokedAt())
        .isEqualTo(Instant.parse("1950-01-01T00:00:00Z"));
  }

  @Test
  void noticesDifferentSignatureAlgorithms() {
    X509v2CRLBuilder b = builder();
    byte[] der = sign(b, RSA, "SHA256withRSA");
    byte[] oid = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x0b};
    int inner = indexOf(der, oid);
    der[inner + oid.length - 1] = 0x0c; // tbsCertList.signature says SHA384withRSA
    ParsedCrl crl = parse(der);
    assertThat(crl.signatureAlgorithmsMatch()).isFalse();
    assertThat(crl.signatureAlgorithm()).isEqualTo("SHA256withRSA");
  }

  @Test
  void anUnknownAlgorithmNeverVerifies() throws Exception {
    X509v2CRLBuilder b = builder();
    byte[] der = sign(b, EC, "SHA256withECDSA");
    byte[] oid = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x04, 0x03, 0x02};
    int outer = lastIndexOf(der, oid);
    der[outer + oid.length - 1] = 0x09;
    ParsedCrl crl = parse(der);
    assertThat(crl.signatureAlgorithm()).isEqualTo("1.2.840.10045.4.3.9");
    assertThat(crl.verify(EC.getPublic())).isFalse();
  }

  static int indexOf(byte[] in, byte[] what) {
    outer:
    for (int i = 0; i <= in.length - what.length; i++) {
      for (int j = 0; j < what.length; j++) {
        if (in[i + j] != what[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  static int lastIndexOf(byte[] in, byte[] what) {
    outer:
    for (int i = in.length - what.length; i >= 0; i--) {
      for (int j = 0; j < what.length; j++) {
        if (in[i + j] != what[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
