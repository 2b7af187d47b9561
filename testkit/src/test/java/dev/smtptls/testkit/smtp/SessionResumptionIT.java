package dev.smtptls.testkit.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.ScanInput;
import dev.smtptls.inspect.ScanResult;
import dev.smtptls.inspect.SmtpTarget;
import dev.smtptls.inspect.SmtpTlsInspector;
import dev.smtptls.inspect.StartTlsOutcome;
import dev.smtptls.inspect.TranscriptEntry;
import dev.smtptls.spi.Transport;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.trust.TrustSources;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS session resumption across probes ({@code SmtpTlsInspector.Builder.sessionResumption}), over
 * real TLS on loopback. The server counts its full handshakes (those in which it selected its
 * certificate), so every claim the probe makes about resumption is checked against the server's
 * side of it.
 */
class SessionResumptionIT {

  private static final TestPki PKI = TestPki.create();
  private static final String FQDN = "mx.resume.test";

  private static SmtpTlsInspector.Builder inspector() {
    return SmtpTlsInspector.builder()
        .ehloName("probe.smtptls.test")
        .timeout(Duration.ofSeconds(5))
        .certificateChecker(CertificateChecker.builder()
            .trustSource(TrustSources.anchors("testkit", PKI.root().certificate()))
            .build());
  }

  /** A healthy server; TLS 1.3 when the JDK's defaults apply. */
  private static MockSmtpServer.Builder server() {
    return MockSmtpServer.builder().fqdn(FQDN).certificate(PKI.leaf(FQDN));
  }

  private static MockSmtpServer.Builder server(String protocol) {
    return server().behaviour(SmtpBehaviour.healthy().toBuilder().tlsProtocols(protocol).build());
  }

  private static StartTlsOutcome.Upgraded upgraded(InspectionReport r) {
    assertThat(r.startTls()).as("%s", r.findings()).isInstanceOf(StartTlsOutcome.Upgraded.class);
    return (StartTlsOutcome.Upgraded) r.startTls();
  }

  private static List<Tuple> findings(InspectionReport r) {
    return r.findings().stream().map(f -> tuple(f.code(), f.severity(), f.evidence())).toList();
  }

  private static List<String> tlsNotes(InspectionReport r) {
    return r.transcript().stream()
        .filter(e -> e.from() == TranscriptEntry.Source.TLS)
        .map(TranscriptEntry::line)
        .toList();
  }

  @ParameterizedTest(name = "{0}, EHLO after TLS {1}")
  @CsvSource({"TLSv1.3, true", "TLSv1.3, false", "TLSv1.2, true", "TLSv1.2, false"})
  void secondProbeResumesAndReportsTheSameChainAndFindings(String protocol, boolean ehloAfterTls) {
    SmtpTlsInspector inspector = inspector().sessionResumption(true).ehloAfterTls(ehloAfterTls).build();
    try (MockSmtpServer server = server(protocol).build().start()) {
      InspectionReport first = inspector.inspect(server.target());
      InspectionReport second = inspector.inspect(server.target());
      InspectionReport third = inspector.inspect(server.target());

      assertThat(upgraded(first).resumed()).isFalse();
      assertThat(upgraded(second).resumed()).as("second probe resumed").isTrue();
      assertThat(upgraded(third).resumed()).as("third probe resumed").isTrue();
      assertThat(server.fullHandshakeCount()).as("full handshakes the server made").isEqualTo(1);
      for (InspectionReport r : List.of(first, second, third)) {
        assertThat(upgraded(r).protocol()).isEqualTo(protocol);
        assertThat(r.peerChain()).containsExactlyElementsOf(server.certificateChain());
        assertThat(r.certificateCheck()).isNotNull();
        assertThat(r.certificateCheck().valid()).isTrue();
        assertThat(r.certificateCheck().path()).hasSize(3);
        assertThat(r.ehloAfterTls() != null).isEqualTo(ehloAfterTls);
      }
      assertThat(findings(second)).isEqualTo(findings(first));
      assertThat(tlsNotes(first)).singleElement().asString().doesNotContain("resumed");
      assertThat(tlsNotes(second)).singleElement().asString()
          .contains(protocol, "resumed session (no certificate sent): 2 certificates from its full handshake at ")
          .contains("leaf CN=" + FQDN);
    }
  }

  @Test
  void fastTls13ProbeReadsTheReplyToQuitForTheTicketOnlyWhenResuming() {
    try (MockSmtpServer server = server("TLSv1.3").build().start()) {
      InspectionReport plain = inspector().ehloAfterTls(false).build().inspect(server.target());
      InspectionReport resuming = inspector().ehloAfterTls(false).sessionResumption(true).build().inspect(server.target());

      assertThat(plain.transcript()).extracting(TranscriptEntry::line).doesNotContain("221 2.0.0 Bye");
      assertThat(resuming.transcript()).extracting(TranscriptEntry::line).contains("221 2.0.0 Bye");
    }
  }

  @Test
  void withoutResumptionEveryProbeIsAFullHandshake() {
    SmtpTlsInspector inspector = inspector().build();
    assertThat(inspector.sessionResumption()).isFalse();
    try (MockSmtpServer server = server().build().start()) {
      List<InspectionReport> reports =
          IntStream.range(0, 3).mapToObj(i -> inspector.inspect(server.target())).toList();

      assertThat(reports).allSatisfy(r -> {
        assertThat(upgraded(r).resumed()).isFalse();
        assertThat(r.peerChain()).containsExactlyElementsOf(server.certificateChain());
      });
      assertThat(server.fullHandshakeCount()).isEqualTo(3);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
  void serverThatRefusesResumptionGetsFullHandshakes(String protocol) {
    SmtpTlsInspector inspector = inspector().sessionResumption(true).build();
    try (MockSmtpServer server = server(protocol).sessionResumption(false).build().start()) {
      List<InspectionReport> reports =
          IntStream.range(0, 3).mapToObj(i -> inspector.inspect(server.target())).toList();

      assertThat(reports).allSatisfy(r -> {
        assertThat(upgraded(r).resumed()).isFalse();
        assertThat(upgraded(r).protocol()).isEqualTo(protocol);
        assertThat(r.peerChain()).containsExactlyElementsOf(server.certificateChain());
        assertThat(r.certificateCheck().valid()).isTrue();
      });
      assertThat(server.fullHandshakeCount()).isEqualTo(3);
    }
  }

  /**
   * The JSSE would resume a session for any target with the same host string and port, and the
   * server here would accept it whatever the SNI name, address or port the client meant: the
   * transport takes every connection to the one server. So only the probe's session key keeps
   * another host name, address or port from resuming, and reporting, this server's session.
   */
  @Test
  void sessionsAreKeptApartByHostNameAddressAndPort() throws Exception {
    try (MockSmtpServer server = server().build().start()) {
      InetSocketAddress real = new InetSocketAddress(server.target().address(), server.port());
      Transport allToTheServer = new Transport() {
        @Override
        public Socket connect(InetSocketAddress address, Duration timeout) throws IOException {
          Socket s = new Socket();
          s.connect(real, (int) timeout.toMillis());
          return s;
        }

        @Override
        public String name() {
          return "all to one server";
        }
      };
      SmtpTlsInspector inspector = inspector().transport(allToTheServer).sessionResumption(true).build();
      SmtpTarget home = server.target();
      SmtpTarget otherName = new SmtpTarget("alias.resume.test", home.port(), home.address());
      SmtpTarget otherAddress = home.withAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 2}));
      SmtpTarget otherPort = new SmtpTarget(home.host(), home.port() == 65535 ? 1 : home.port() + 1, home.address());

      boolean firstHome = upgraded(inspector.inspect(home)).resumed();
      boolean againHome = upgraded(inspector.inspect(home)).resumed();
      boolean name = upgraded(inspector.inspect(otherName)).resumed();
      boolean address = upgraded(inspector.inspect(otherAddress)).resumed();
      boolean port = upgraded(inspector.inspect(otherPort)).resumed();
      boolean lastHome = upgraded(inspector.inspect(home)).resumed();

      assertThat(List.of(firstHome, againHome, name, address, port, lastHome))
          .containsExactly(false, true, false, false, false, true);
      assertThat(server.fullHandshakeCount()).isEqualTo(4);
    }
  }

  @Test
  void resumedProbeReportsTheSameCertificateErrors() {
    IssuedCertificate expired = PKI.newLeaf().dnsNames(FQDN).expired().issue();
    IssuedCertificate selfSigned = PKI.newLeaf().dnsNames(FQDN).selfSigned().issue();
    SmtpTlsInspector inspector = inspector().sessionResumption(true).build();
    for (IssuedCertificate cert : List.of(expired, selfSigned)) {
      try (MockSmtpServer server = MockSmtpServer.builder().fqdn(FQDN).certificate(cert).build().start()) {
        InspectionReport first = inspector.inspect(server.target());
        InspectionReport second = inspector.inspect(server.target());

        assertThat(upgraded(second).resumed()).isTrue();
        assertThat(server.fullHandshakeCount()).isEqualTo(1);
        assertThat(second.peerChain()).containsExactlyElementsOf(cert.chain());
        FindingCode expectedError = cert == expired ? FindingCode.CERT_EXPIRED : FindingCode.CERT_SELF_SIGNED;
        assertThat(first.finding(expectedError)).map(Finding::severity).contains(Severity.ERROR);
        assertThat(second.finding(expectedError)).map(Finding::severity).contains(Severity.ERROR);
        assertThat(findings(second)).isEqualTo(findings(first));
        assertThat(second.certificateCheck().valid()).isFalse();
      }
    }
  }

  @Test
  void resumedProbeIsJudgedAfreshForTheNamesItIsAskedAbout() {
    SmtpTlsInspector inspector = inspector().sessionResumption(true).build();
    try (MockSmtpServer server = server().build().start()) {
      InspectionReport matching = inspector.inspect(server.target());
      InspectionReport otherName = inspector.inspect(server.target(), List.of("mx.elsewhere.test"));

      assertThat(upgraded(otherName).resumed()).isTrue();
      assertThat(matching.finding(FindingCode.CERT_NAME_MISMATCH)).isEmpty();
      assertThat(otherName.finding(FindingCode.CERT_NAME_MISMATCH))
          .hasValueSatisfying(f -> assertThat(f.evidence("expected")).contains("mx.elsewhere.test"));
    }
  }

  @Test
  void concurrentProbesShareTheContextSafely() {
    SmtpTlsInspector inspector = inspector().sessionResumption(true).build();
    try (MockSmtpServer server = server().build().start()) {
      int probes = 40;
      ConcurrentLinkedQueue<ScanResult> results = new ConcurrentLinkedQueue<>();
      inspector.scanner().concurrency(8).perAddress(8).build()
          .run(ScanInput.targets(IntStream.range(0, probes).mapToObj(i -> server.target()).iterator()), results::add);

      List<InspectionReport> reports = results.stream().map(ScanResult::report).filter(Objects::nonNull).toList();
      assertThat(reports).hasSize(probes).allSatisfy(r -> {
        assertThat(r.peerChain()).containsExactlyElementsOf(server.certificateChain());
        assertThat(r.certificateCheck().valid()).isTrue();
      });
      long resumed = reports.stream().filter(r -> upgraded(r).resumed()).count();
      assertThat(resumed).as("resumed probes").isPositive();
      assertThat(server.fullHandshakeCount()).as("the server's full handshakes are the probes not resumed")
          .isEqualTo(probes - resumed);
    }
  }
}
