package dev.smtptls.crl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.SmtpTlsInspector;
import dev.smtptls.inspect.StartTlsOutcome;
import dev.smtptls.spi.RevocationChecker;
import dev.smtptls.testkit.ocsp.OcspResponder;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.RevocationReason;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.testkit.smtp.MockSmtpServer;
import dev.smtptls.trust.TrustSources;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OCSP stapling end to end: a testkit {@link MockSmtpServer} whose JDK TLS server fetches the
 * leaf's OCSP response from the testkit {@link OcspResponder} named in its AIA extension and
 * staples it; the probe asks for it and {@link OcspChecker} uses it without a request of its own.
 * Needs {@code jdk.tls.client.enableStatusRequestExtension=true} and {@code
 * jdk.tls.server.enableStatusRequestExtension=true}, which this module's Failsafe configuration
 * sets.
 */
class StapledOcspIT {

  private TestPki pki;
  private OcspResponder responder;
  private IssuedCertificate leaf;
  private MockSmtpServer server;

  @BeforeEach
  void start() {
    assertThat(Boolean.getBoolean("jdk.tls.client.enableStatusRequestExtension")).as("client stapling property").isTrue();
    assertThat(Boolean.getBoolean("jdk.tls.server.enableStatusRequestExtension")).as("server stapling property").isTrue();
    pki = TestPki.create();
    responder = OcspResponder.start(pki.intermediate());
    leaf = pki.newLeaf().dnsNames("mx.example.test").ocspUrl(responder.uri()).issue();
    server = MockSmtpServer.builder().fqdn("mx.example.test").certificate(leaf).build().start();
  }

  @AfterEach
  void stop() {
    server.close();
    responder.close();
  }

  private InspectionReport probe(RevocationChecker revocation) {
    return SmtpTlsInspector.builder()
        .certificateChecker(CertificateChecker.builder()
            .trustSource(TrustSources.anchors("t", pki.root().certificate()))
            .revocationChecker(revocation)
            .build())
        .build()
        .inspect(server.target());
  }

  private static StartTlsOutcome.Upgraded upgraded(InspectionReport report) {
    assertThat(report.startTls()).isInstanceOf(StartTlsOutcome.Upgraded.class);
    return (StartTlsOutcome.Upgraded) report.startTls();
  }

  @Test
  void revokedStapledResponseGivesOcspRevokedWithoutAClientRequest() {
    Instant revokedAt = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    responder.revoked(leaf.certificate(), RevocationReason.KEY_COMPROMISE, revokedAt);

    InspectionReport report = probe(OcspChecker.builder().build());

    StartTlsOutcome.Upgraded up = upgraded(report);
    assertThat(up.stapledOcsp()).as("the server stapled").isNotEmpty();
    assertThat(up.stapledOcspByCertificate()).containsKey(leaf.certificate());
    assertThat(report.finding(FindingCode.OCSP_REVOKED)).as("findings %s", report.findings())
        .hasValueSatisfying(f -> {
          assertThat(f.evidence("stapled")).contains("true");
          assertThat(f.evidence("url")).contains(responder.uri().toString());
          assertThat(f.evidence("reason")).contains("keyCompromise");
          assertThat(f.evidence("revokedAt")).contains(revokedAt.toString());
        });
    assertThat(report.finding(FindingCode.OCSP_UNAVAILABLE)).isEmpty();
    int afterFirst = responder.requestCount();
    assertThat(afterFirst).as("only the server's own fetch").isEqualTo(1);

    // A second probe with a new checker (empty cache): the server serves its cached response and
    // the checker asks nothing; at most the server refetches.
    InspectionReport again = probe(OcspChecker.builder().build());
    assertThat(again.finding(FindingCode.OCSP_REVOKED)).hasValueSatisfying(f -> assertThat(f.evidence("stapled")).contains("true"));
    int afterSecond = responder.requestCount();
    assertThat(afterSecond - afterFirst).isLessThanOrEqualTo(1);

    // Control: a checker that ignores stapled responses does ask the responder.
    OcspChecker plain = OcspChecker.builder().build();
    RevocationChecker ignoresStapling = plain::check; // the two-argument check
    InspectionReport control = probe(ignoresStapling);
    assertThat(control.finding(FindingCode.OCSP_REVOKED)).hasValueSatisfying(f -> assertThat(f.evidence("stapled")).isEmpty());
    assertThat(responder.requestCount()).isGreaterThan(afterSecond);
  }

  /**
   * A resumed handshake carries no certificate and no stapled response; the JSSE keeps the
   * session's from its full handshake, and the probe reports and checks those, so the resumed
   * probe's revocation verdict is the full one's and no responder is asked.
   */
  @Test
  void resumedProbeChecksTheStapledResponseOfItsFullHandshake() {
    Instant revokedAt = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    responder.revoked(leaf.certificate(), RevocationReason.KEY_COMPROMISE, revokedAt);
    SmtpTlsInspector inspector = SmtpTlsInspector.builder()
        .sessionResumption(true)
        .certificateChecker(CertificateChecker.builder()
            .trustSource(TrustSources.anchors("t", pki.root().certificate()))
            .revocationChecker(OcspChecker.builder().build())
            .build())
        .build();

    InspectionReport first = inspector.inspect(server.target());
    InspectionReport resumed = inspector.inspect(server.target());

    assertThat(upgraded(first).resumed()).isFalse();
    assertThat(upgraded(resumed).resumed()).isTrue();
    assertThat(server.fullHandshakeCount()).isEqualTo(1);
    assertThat(upgraded(resumed).stapledOcsp()).hasSameSizeAs(upgraded(first).stapledOcsp());
    assertThat(upgraded(resumed).stapledOcspByCertificate().get(leaf.certificate()))
        .isEqualTo(upgraded(first).stapledOcspByCertificate().get(leaf.certificate()));
    for (InspectionReport r : java.util.List.of(first, resumed)) {
      assertThat(r.finding(FindingCode.OCSP_REVOKED)).as("findings %s", r.findings())
          .hasValueSatisfying(f -> {
            assertThat(f.evidence("stapled")).contains("true");
            assertThat(f.evidence("revokedAt")).contains(revokedAt.toString());
          });
      assertThat(r.finding(FindingCode.OCSP_UNAVAILABLE)).isEmpty();
    }
    assertThat(responder.requestCount()).as("only the server's own fetch").isEqualTo(1);
  }

  @Test
  void goodStapledResponseGivesNoOcspFinding() {
    responder.good(leaf.certificate());

    InspectionReport report = probe(OcspChecker.builder().build());

    assertThat(upgraded(report).stapledOcspByCertificate()).containsKey(leaf.certificate());
    assertThat(report.findings()).extracting(Finding::code)
        .doesNotContain(FindingCode.OCSP_REVOKED, FindingCode.OCSP_UNAVAILABLE);
    assertThat(responder.requestCount()).as("only the server's own fetch").isEqualTo(1);
  }

  @Test
  void combinedCheckerPassesStapledResponsesToOcsp() {
    responder.revoked(leaf.certificate(), RevocationReason.KEY_COMPROMISE, Instant.now().minus(1, ChronoUnit.HOURS));

    InspectionReport report = probe(OcspChecker.combined((path, at) -> java.util.List.of(), OcspChecker.builder().build()));

    assertThat(report.finding(FindingCode.OCSP_REVOKED)).as("findings %s", report.findings())
        .hasValueSatisfying(f -> assertThat(f.evidence("stapled")).contains("true"));
    assertThat(responder.requestCount()).isEqualTo(1);
  }
}
