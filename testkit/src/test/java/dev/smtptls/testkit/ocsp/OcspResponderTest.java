package dev.smtptls.testkit.ocsp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.RevocationReason;
import dev.smtptls.testkit.pki.TestPki;
import java.net.URI;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.Test;

/** The testkit's {@link OcspResponder} over real HTTP on 127.0.0.1, asked with Bouncy Castle directly. */
class OcspResponderTest {

  private final TestPki pki = TestPki.create();

  /** Status, content type and body of one exchange. */
  private record Answer(int status, String contentType, byte[] body) {}

  private static Answer exchange(URI uri, byte @org.jspecify.annotations.Nullable [] post) {
    try {
      HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
      c.setConnectTimeout(5000);
      c.setReadTimeout(60_000);
      if (post != null) {
        c.setDoOutput(true);
        c.setRequestMethod("POST");
        c.setRequestProperty("Content-Type", "application/ocsp-request");
        try (OutputStream out = c.getOutputStream()) {
          out.write(post);
        }
      }
      int status = c.getResponseCode();
      byte[] body;
      try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
        body = in == null ? new byte[0] : in.readAllBytes();
      }
      return new Answer(status, String.valueOf(c.getContentType()), body);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private byte[] request(IssuedCertificate leaf) throws Exception {
    CertificateID id = new CertificateID(new BcDigestCalculatorProvider().get(CertificateID.HASH_SHA1),
        new X509CertificateHolder(pki.intermediate().certificate().getEncoded()),
        leaf.certificate().getSerialNumber());
    return new OCSPReqBuilder().addRequest(id).build().getEncoded();
  }

  private static Answer post(URI uri, byte[] body) {
    return exchange(uri, body);
  }

  @Test
  void answersRevokedSignedByTheIssuerAndUnknownByDefault() throws Exception {
    try (OcspResponder ocsp = OcspResponder.start(pki.intermediate())) {
      IssuedCertificate leaf = pki.newLeaf().dnsNames("mx.example.test").ocspUrl(ocsp.uri()).issue();
      Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);

      BasicOCSPResp unknown = (BasicOCSPResp) new OCSPResp(post(ocsp.uri(), request(leaf)).body()).getResponseObject();
      assertThat(unknown.getResponses()[0].getCertStatus()).isInstanceOf(UnknownStatus.class);

      ocsp.revoked(leaf.certificate(), RevocationReason.KEY_COMPROMISE, at);
      Answer r = post(ocsp.uri(), request(leaf));
      assertThat(r.contentType()).isEqualTo("application/ocsp-response");
      BasicOCSPResp basic = (BasicOCSPResp) new OCSPResp(r.body()).getResponseObject();
      assertThat(basic.isSignatureValid(
          new JcaContentVerifierProviderBuilder().build(pki.intermediate().publicKey()))).isTrue();
      RevokedStatus status = (RevokedStatus) basic.getResponses()[0].getCertStatus();
      assertThat(status.getRevocationReason()).isEqualTo(1);
      assertThat(status.getRevocationTime().toInstant()).isEqualTo(at);
      assertThat(ocsp.requestCount()).isEqualTo(2);
    }
  }

  @Test
  void answersTheGetForm() throws Exception {
    try (OcspResponder ocsp = OcspResponder.start(pki.intermediate())) {
      IssuedCertificate leaf = pki.leaf("mx.example.test");
      ocsp.good(leaf.certificate());
      // RFC 6960 A.1: the DER request, base64, URL-encoded, appended to the responder's URL.
      String std = Base64.getEncoder().encodeToString(request(leaf))
          .replace("+", "%2B").replace("/", "%2F").replace("=", "%3D");
      Answer r = exchange(URI.create(ocsp.uri() + "/" + std), null);
      assertThat(new OCSPResp(r.body()).getStatus()).isEqualTo(OCSPResp.SUCCESSFUL);
    }
  }

  @Test
  void faultsAndPromptClose() throws Exception {
    OcspResponder ocsp = OcspResponder.builder(pki.intermediate()).slowDelay(Duration.ofMinutes(10)).start();
    IssuedCertificate leaf = pki.leaf("mx.example.test");
    ocsp.fault(OcspFault.TRY_LATER);
    assertThat(new OCSPResp(post(ocsp.uri(), request(leaf)).body()).getStatus()).isEqualTo(OCSPResp.TRY_LATER);
    ocsp.fault(OcspFault.NOT_FOUND);
    assertThat(post(ocsp.uri(), request(leaf)).status()).isEqualTo(404);
    ocsp.fault(OcspFault.SLOW);
    byte[] req = request(leaf);
    CompletableFuture<Answer> pending = CompletableFuture.supplyAsync(() -> post(ocsp.uri(), req));
    while (ocsp.requestCount() < 3) {
      Thread.onSpinWait();
    }
    long start = System.nanoTime();
    ocsp.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    // The slow answer never comes: the connection ends without one.
    assertThat(pending).failsWithin(5, TimeUnit.SECONDS);
  }
}
