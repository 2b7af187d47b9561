package dev.smtptls.examples.realmta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.cert.CertificateInfo;
import dev.smtptls.connector.ConnectorPolicies;
import dev.smtptls.connector.PolicyVerdict;
import dev.smtptls.connector.SenderPolicy;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.sink.RunningSink;
import dev.smtptls.sink.SenderReport;
import dev.smtptls.sink.SmtpTlsSink;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.trust.TrustSources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * swaks, the Swiss Army Knife for SMTP (Debian's {@code swaks} with {@code libnet-ssleay-perl}),
 * as a second real sender: plain, and with {@code --tls} presenting a {@link TestPki} client
 * certificate ({@code --tls-cert}/{@code --tls-key}). Fails, never skips, without swaks.
 */
@Tag("real-mta")
class SinkSwaksRealMtaIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final TestPki PKI = TestPki.create();

  @TempDir Path dir;

  @Test
  void swaksWithTlsAndAClientCertificateIsSeenWithIt() throws Exception {
    IssuedCertificate client = PKI.leaf("sender.example.net");
    Path cert = Files.writeString(dir.resolve("client-chain.pem"), client.chainPem(), StandardCharsets.US_ASCII);
    Path key = Files.writeString(dir.resolve("client.key"), client.privateKeyPem(), StandardCharsets.US_ASCII);
    try (RunningSink sink = sink()) {
      Processes.Result swaks = swaks(sink, "--tls", "--tls-cert", cert.toString(), "--tls-key", key.toString());

      SenderReport r = sink.next(WAIT).orElseThrow();

      assertThat(swaks.exit()).as(swaks.output()).isZero();
      assertThat(r.heloName()).isEqualTo("sender.example.net");
      assertThat(r.startTls().used()).isTrue();
      assertThat(r.clientCertificates()).extracting(CertificateInfo::sha1)
          .first().isEqualTo(CertificateInfo.of(client.certificate()).sha1());
      // swaks presents only the first certificate of --tls-cert, not the intermediate after it: the
      // sink sees what a strict receiver would, a chain it cannot complete.
      assertThat(r.clientChain()).hasSize(1);
      assertThat(r.findings()).extracting(Finding::code).containsExactly(FindingCode.SENDER_CERT_CHAIN_INCOMPLETE);
      assertThat(r.findings().get(0).message()).contains("not sent by the sender");
      assertThat(r.mailFrom()).isEqualTo("alice@example.net");
      assertThat(r.messages()).isEqualTo(1);
    }
  }

  @Test
  void swaksWithoutTlsIsSenderNoStartTls() throws Exception {
    try (RunningSink sink = sink()) {
      Processes.Result swaks = swaks(sink);

      SenderReport r = sink.next(WAIT).orElseThrow();

      assertThat(swaks.exit()).as(swaks.output()).isZero();
      assertThat(r.startTls().issuedAt()).isNull();
      assertThat(r.findings()).extracting(Finding::code).containsExactly(FindingCode.SENDER_NO_STARTTLS);
    }
  }

  @Test
  void swaksWithTlsButNoCertificateIsSenderNoClientCert() throws Exception {
    try (RunningSink sink = sink()) {
      Processes.Result swaks = swaks(sink, "--tls");

      SenderReport r = sink.next(WAIT).orElseThrow();

      assertThat(swaks.exit()).as(swaks.output()).isZero();
      assertThat(r.startTls().used()).isTrue();
      assertThat(r.findings()).extracting(Finding::code).containsExactly(FindingCode.SENDER_NO_CLIENT_CERT);
    }
  }

  private static final SenderPolicy REQUIRE_TLS = (SenderPolicy) ConnectorPolicies.parse("exo-inbound:RequireTls=true");

  @Test
  void swaksWithoutTlsUnderRequireTlsHearsExchangeOnlinesRefusal() throws Exception {
    try (RunningSink sink = sink(REQUIRE_TLS)) {
      Processes.Result swaks = swaks(sink);

      SenderReport r = sink.next(WAIT).orElseThrow();
      PolicyVerdict v = REQUIRE_TLS.evaluate(r);

      assertThat(swaks.exit()).as(swaks.output()).isNotZero();
      assertThat(swaks.output()).contains("451 5.7.3 STARTTLS is required to send mail.");
      assertThat(r.policyReply()).isNotNull();
      assertThat(r.messages()).isZero();
      assertThat(v.outcome()).isEqualTo(PolicyVerdict.Outcome.QUEUED);
      assertThat(v.smtpResponse()).isEqualTo("451 5.7.3 STARTTLS is required to send mail.");
      assertThat(v.reasons()).extracting(Finding::code).containsExactly(FindingCode.SENDER_NO_STARTTLS);
    }
  }

  @Test
  void swaksWithTlsUnderRequireTlsIsDeliveredOverTls() throws Exception {
    try (RunningSink sink = sink(REQUIRE_TLS)) {
      Processes.Result swaks = swaks(sink, "--tls");

      SenderReport r = sink.next(WAIT).orElseThrow();
      PolicyVerdict v = REQUIRE_TLS.evaluate(r);

      assertThat(swaks.exit()).as(swaks.output()).isZero();
      assertThat(r.policyReply()).isNull();
      assertThat(r.messages()).isEqualTo(1);
      assertThat(v.outcome()).isEqualTo(PolicyVerdict.Outcome.DELIVERED_TLS);
    }
  }

  private static RunningSink sink() {
    return builder().build().start();
  }

  private static RunningSink sink(SenderPolicy connector) {
    return builder().policy(connector.sinkPolicy()).build().start();
  }

  private static SmtpTlsSink.Builder builder() {
    return SmtpTlsSink.builder()
        .fqdn("sink.smtptls.test")
        .trustSource(TrustSources.anchors("test root", List.of(PKI.root().certificate())))
        .acceptMail(true);
  }

  private static Processes.Result swaks(RunningSink sink, String... more) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Processes.program("swaks", "swaks"),
        "--server", sink.address().getAddress().getHostAddress(), "--port", Integer.toString(sink.address().getPort()),
        "--ehlo", "sender.example.net", "--from", "alice@example.net", "--to", "bob@example.org",
        "--timeout", "30", "--body", "hello from swaks"));
    cmd.addAll(List.of(more));
    return Processes.run("", cmd.toArray(new String[0]));
  }
}
