package dev.smtptls.crl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.spi.RevocationChecker;
import dev.smtptls.testkit.ocsp.OcspResponder;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.TestPki;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link OcspChecker} with stapled OCSP responses, without TLS: the responses are made here with
 * Bouncy Castle, signed by the {@link TestPki} intermediate, and a testkit {@link OcspResponder}
 * counts whether the checker asked anyway.
 */
class StapledOcspTest {

  private TestPki pki;
  private OcspResponder responder;
  private IssuedCertificate leaf;

  @BeforeEach
  void start() {
    pki = TestPki.create();
    responder = OcspResponder.start(pki.intermediate());
    leaf = pki.newLeaf().dnsNames("mx.example.test").ocspUrl(responder.uri()).issue();
  }

  @AfterEach
  void stop() {
    responder.close();
  }

  private List<X509Certificate> path(IssuedCertificate l) {
    return List.of(l.certificate(), pki.intermediate().certificate(), pki.root().certificate());
  }

  private static OcspChecker checker() {
    return OcspChecker.builder().connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(2)).build();
  }

  /** A successful basic response about {@code serial}, signed with {@code key}, as a server staples it. */
  private byte[] response(BigInteger serial, CertificateStatus status, PrivateKey key, Instant thisUpdate,
      Instant nextUpdate) throws Exception {
    X509CertificateHolder issuer = new X509CertificateHolder(pki.intermediate().certificate().getEncoded());
    CertificateID id = new CertificateID(new BcDigestCalculatorProvider().get(CertificateID.HASH_SHA1), issuer, serial);
    BasicOCSPRespBuilder b = new BasicOCSPRespBuilder(new RespID(X500Name.getInstance(
        pki.intermediate().certificate().getSubjectX500Principal().getEncoded())));
    b.addResponse(id, status, Date.from(thisUpdate), Date.from(nextUpdate), null);
    String alg = key.getAlgorithm().startsWith("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    BasicOCSPResp basic = b.build(new JcaContentSignerBuilder(alg).build(key), null, new Date());
    return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
  }

  private byte[] response(CertificateStatus status) throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return response(leaf.certificate().getSerialNumber(), status, pki.intermediate().privateKey(),
        now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofHours(1)));
  }

  private static CertificateStatus revoked(Instant at) {
    return new RevokedStatus(Date.from(at), 1); // keyCompromise
  }

  @Test
  void goodStapledResponseGivesNothingAndAsksNoResponder() throws Exception {
    List<Finding> findings = checker().check(path(leaf), Instant.now(),
        Map.of(leaf.certificate(), response(CertificateStatus.GOOD)));

    assertThat(findings).isEmpty();
    assertThat(responder.requestCount()).isZero();
  }

  @Test
  void revokedStapledResponseGivesOcspRevokedMarkedStapled() throws Exception {
    Instant revokedAt = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    responder.good(leaf.certificate()); // were it asked, it would say good

    List<Finding> findings = checker().check(path(leaf), Instant.now(),
        Map.of(leaf.certificate(), response(revoked(revokedAt))));

    assertThat(findings).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo(FindingCode.OCSP_REVOKED);
      assertThat(f.evidence("stapled")).contains("true");
      assertThat(f.evidence("url")).contains(responder.uri().toString());
      assertThat(f.evidence("reason")).contains("keyCompromise");
      assertThat(f.evidence("revokedAt")).contains(revokedAt.toString());
      assertThat(f.evidence("subject")).hasValueSatisfying(s -> assertThat(s).contains("CN=mx.example.test"));
      assertThat(f.message()).contains("stapled");
    });
    assertThat(responder.requestCount()).isZero();
  }

  @Test
  void stapledResponseForACertificateWithoutOcspUrlIsUsedAndItsUrlIsStapled() throws Exception {
    leaf = pki.newLeaf().dnsNames("mx.example.test").issue();

    List<Finding> findings = checker().check(path(leaf), Instant.now(),
        Map.of(leaf.certificate(), response(revoked(Instant.now().minus(Duration.ofHours(2))))));

    assertThat(findings).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo(FindingCode.OCSP_REVOKED);
      assertThat(f.evidence("url")).contains("stapled");
      assertThat(f.evidence("stapled")).contains("true");
    });
  }

  @Test
  void corruptStapledResponseIsUnavailableThenTheResponderIsAsked() {
    responder.good(leaf.certificate());

    List<Finding> findings = checker().check(path(leaf), Instant.now(),
        Map.of(leaf.certificate(), "not an OCSP response".getBytes(StandardCharsets.US_ASCII)));

    assertThat(findings).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo(FindingCode.OCSP_UNAVAILABLE);
      assertThat(f.evidence("stapled")).contains("true");
      assertThat(f.evidence("url")).contains(responder.uri().toString());
      assertThat(f.evidence("reason"))
          .hasValueSatisfying(r -> assertThat(r).startsWith("the stapled OCSP response is unusable: "));
    });
    assertThat(responder.requestCount()).isEqualTo(1);
  }

  @Test
  void corruptStapledResponseThenRevokedFromTheResponder() {
    responder.revoked(leaf.certificate(), dev.smtptls.testkit.pki.RevocationReason.KEY_COMPROMISE,
        Instant.now().minus(Duration.ofHours(1)));

    List<Finding> findings = checker().check(path(leaf), Instant.now(), Map.of(leaf.certificate(), new byte[] {0x30, 0x00}));

    assertThat(findings).extracting(Finding::code)
        .containsExactly(FindingCode.OCSP_UNAVAILABLE, FindingCode.OCSP_REVOKED);
    assertThat(findings.get(0).evidence("stapled")).contains("true");
    assertThat(findings.get(1).evidence("stapled")).isEmpty();
    assertThat(responder.requestCount()).isEqualTo(1);
  }

  @Test
  void stapledResponseSignedByAnotherKeyIsUnusable() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    PrivateKey other = g.generateKeyPair().getPrivate();
    Instant now = Instant.now();
    byte[] forged = response(leaf.certificate().getSerialNumber(), revoked(now), other,
        now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofHours(1)));
    responder.good(leaf.certificate());

    List<Finding> findings = checker().check(path(leaf), Instant.now(), Map.of(leaf.certificate(), forged));

    assertThat(findings).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo(FindingCode.OCSP_UNAVAILABLE);
      assertThat(f.evidence("reason")).hasValueSatisfying(r -> assertThat(r).contains("signature"));
    });
    assertThat(responder.requestCount()).isEqualTo(1);
  }

  @Test
  void staleStapledResponseIsUnusable() throws Exception {
    Instant now = Instant.now();
    byte[] stale = response(leaf.certificate().getSerialNumber(), CertificateStatus.GOOD,
        pki.intermediate().privateKey(), now.minus(Duration.ofDays(8)), now.minus(Duration.ofDays(1)));
    responder.good(leaf.certificate());

    List<Finding> findings = checker().check(path(leaf), Instant.now(), Map.of(leaf.certificate(), stale));

    assertThat(findings).singleElement().satisfies(f -> assertThat(f.evidence("reason"))
        .hasValueSatisfying(r -> assertThat(r).contains("stapled").contains("out of date")));
    assertThat(responder.requestCount()).isEqualTo(1);
  }

  @Test
  void stapledResponseAboutAnotherCertificateIsUnusable() throws Exception {
    Instant now = Instant.now();
    byte[] other = response(leaf.certificate().getSerialNumber().add(BigInteger.ONE), CertificateStatus.GOOD,
        pki.intermediate().privateKey(), now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofHours(1)));
    responder.good(leaf.certificate());

    List<Finding> findings = checker().check(path(leaf), Instant.now(), Map.of(leaf.certificate(), other));

    assertThat(findings).singleElement().satisfies(f -> assertThat(f.evidence("reason"))
        .hasValueSatisfying(r -> assertThat(r).contains("CertID")));
  }

  @Test
  void emptyStapledEntryMeansNoneAndTheTwoArgumentCheckStillAsks() {
    responder.good(leaf.certificate());

    assertThat(checker().check(path(leaf), Instant.now(), Map.of(leaf.certificate(), new byte[0]))).isEmpty();
    assertThat(responder.requestCount()).isEqualTo(1);
    assertThat(checker().check(path(leaf), Instant.now())).isEmpty();
    assertThat(responder.requestCount()).isEqualTo(2);
  }

  @Test
  void combinedForwardsStapledResponses() throws Exception {
    RevocationChecker nothing = (p, at) -> List.of();
    RevocationChecker both = OcspChecker.combined(nothing, checker());

    List<Finding> findings = both.check(path(leaf), Instant.now(),
        Map.of(leaf.certificate(), response(revoked(Instant.now().minus(Duration.ofHours(1))))));

    assertThat(findings).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo(FindingCode.OCSP_REVOKED);
      assertThat(f.evidence("stapled")).contains("true");
    });
    assertThat(responder.requestCount()).isZero();
  }
}
