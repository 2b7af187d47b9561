package dev.smtptls.testkit.cert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.cert.CertificateReport;
import dev.smtptls.cert.PeerIdentity;
import dev.smtptls.cert.TrustResult;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.testkit.crl.CrlFault;
import dev.smtptls.testkit.crl.CrlServer;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.trust.TrustSources;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A server that sends only its leaf: the intermediate is fetched through AIA caIssuers, or not. */
class AiaCompletionTest {

  private static final TestPki PKI = TestPki.create();
  private static final String PATH = "/intermediate.cer";
  private static final String HOST = "mx.example.test";

  private CrlServer server;
  private URI url;
  private X509Certificate leaf;

  @BeforeEach
  void start() throws Exception {
    server = CrlServer.start();
    url = server.uri(PATH);
    IssuedCertificate issued = PKI.newLeaf().dnsNames(HOST).caIssuersUrl(url).issue();
    leaf = issued.certificate();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private CertificateChecker.Builder checker() {
    return CertificateChecker.builder()
        .trustSource(TrustSources.anchors("test", PKI.root().certificate()))
        .revocationChecker(null);
  }

  private CertificateReport check(CertificateChecker checker) {
    return checker.check(List.of(leaf), PeerIdentity.of(HOST));
  }

  private static Finding incomplete(CertificateReport r) {
    return r.findings().stream().filter(f -> f.code() == FindingCode.CERT_CHAIN_INCOMPLETE).findFirst().orElseThrow();
  }

  @Test
  void completesTheChainFromTheCaIssuersUrlAndStillReportsIt() throws Exception {
    server.publish(PATH, PKI.intermediate().certificate().getEncoded());

    CertificateReport r = check(checker().completeChainFromAia(true).build());

    TrustResult trust = r.trust().get(0);
    assertThat(trust.trusted()).isTrue();
    assertThat(trust.path()).containsExactly(leaf, PKI.intermediate().certificate(), PKI.root().certificate());
    assertThat(r.path()).hasSize(3);
    Finding f = incomplete(r);
    assertThat(f.evidence("fetched")).contains("true");
    assertThat(f.evidence("url")).contains(url.toString());
    assertThat(f.message()).contains("fetched from " + url).contains("the completed chain is trusted");
    assertThat(r.valid()).isFalse(); // CERT_CHAIN_INCOMPLETE stays an ERROR
    assertThat(r.findings()).extracting(Finding::code).containsExactly(FindingCode.CERT_CHAIN_INCOMPLETE);
    assertThat(server.requestCount(PATH)).isEqualTo(1);
  }

  @Test
  void acceptsPem() {
    server.publish(PATH, TestPki.pem(PKI.intermediate().certificate()).getBytes(StandardCharsets.US_ASCII));

    CertificateReport r = check(checker().completeChainFromAia(true).build());

    assertThat(r.trust().get(0).trusted()).isTrue();
    assertThat(incomplete(r).evidence("fetched")).contains("true");
  }

  @Test
  void fetchesNothingWhenCompletionIsOff() throws Exception {
    server.publish(PATH, PKI.intermediate().certificate().getEncoded());

    CertificateReport r = check(checker().build());

    assertThat(r.trust().get(0).trusted()).isFalse();
    assertThat(incomplete(r).evidence()).doesNotContainKey("fetched");
    assertThat(server.requestCount(PATH)).isZero();
  }

  @Test
  void reportsA404() {
    server.fault(PATH, CrlFault.NOT_FOUND);

    CertificateReport r = check(checker().completeChainFromAia(true).build());

    assertThat(r.trust().get(0).trusted()).isFalse();
    Finding f = incomplete(r);
    assertThat(f.evidence("fetched")).contains("false");
    assertThat(f.evidence("url")).contains(url.toString());
    assertThat(f.message()).contains("404");
  }

  @Test
  void givesUpOnASlowServerWithinTheTimeout() throws Exception {
    server.publish(PATH, PKI.intermediate().certificate().getEncoded());
    server.fault(PATH, CrlFault.SLOW);

    long start = System.nanoTime();
    CertificateReport r = check(checker().completeChainFromAia(true).aiaTimeout(Duration.ofMillis(300)).build());

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    Finding f = incomplete(r);
    assertThat(f.evidence("fetched")).contains("false");
    assertThat(f.message()).contains("within");
  }

  @Test
  void refusesAnOversizeAnswer() {
    server.fault(PATH, CrlFault.OVERSIZE);

    CertificateReport r = check(checker().completeChainFromAia(true).build());

    Finding f = incomplete(r);
    assertThat(f.evidence("fetched")).contains("false");
    assertThat(f.message()).contains("too large");
    assertThat(server.bytesSent(PATH)).isLessThan(16L * 1024 * 1024);
  }

  @Test
  void reportsSomethingThatIsNotACertificate() {
    server.publish(PATH, "hello".getBytes(StandardCharsets.US_ASCII));

    CertificateReport r = check(checker().completeChainFromAia(true).build());

    Finding f = incomplete(r);
    assertThat(f.evidence("fetched")).contains("false");
    assertThat(f.message()).contains("not a certificate");
  }
}
