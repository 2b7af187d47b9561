package dev.smtptls.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smtptls.dns.DnsType;
import dev.smtptls.testkit.dns.KnotDnsServer;
import dev.smtptls.testkit.mtasts.MtaStsPolicyServer;
import dev.smtptls.testkit.mtasts.PolicyResponse;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.testkit.smtp.MockSmtpServer;
import dev.smtptls.testkit.smtp.SmtpBehaviour;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code smtptls domain} end to end against real components on loopback: a DNSSEC-signed zone
 * served by Knot DNS (with a deliberately corrupted TLSA signature) and an unsigned one, STARTTLS
 * servers on several loopback addresses sharing one port, and the MTA-STS policy over real HTTPS.
 * Every lookup goes to Knot; the test PKI's root is the trust and the zone's DS the DNSSEC anchor.
 * Needs Debian's {@code knot} and {@code ldnsutils}; fails (never skips) without them.
 */
@Tag("real-dns")
@Timeout(120)
class DomainCommandIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TestPki PKI = TestPki.create();
  private static final List<AutoCloseable> RUNNING = new ArrayList<>();
  private static KnotDnsServer knot;
  private static MtaStsPolicyServer policy;
  private static int smtpPort;
  private static boolean ipv6;
  @TempDir static Path dir;
  private static Path anchorFile;
  private static Path trustFile;

  @BeforeAll
  static void start() throws Exception {
    IssuedCertificate mx1 = PKI.leaf("mx1.good.smtptls.test");
    MockSmtpServer first = smtp("mx1.good.smtptls.test", "127.0.0.1", 0, mx1, SmtpBehaviour.healthy());
    smtpPort = first.port();
    ipv6 = canBind(InetAddress.getByName("::1"), smtpPort);
    if (ipv6) {
      smtp("mx1.good.smtptls.test", "::1", smtpPort, mx1, SmtpBehaviour.healthy());
    }
    smtp("mx2.good.smtptls.test", "127.0.0.2", smtpPort, PKI.leaf("mx2.good.smtptls.test"), SmtpBehaviour.healthy());
    IssuedCertificate bogusLeaf = PKI.leaf("mx.bogus.smtptls.test");
    smtp("mx.bogus.smtptls.test", "127.0.0.3", smtpPort, bogusLeaf, SmtpBehaviour.healthy());
    IssuedCertificate plainLeaf = PKI.leaf("mx.plain.test");
    smtp("mx.plain.test", "127.0.0.4", smtpPort, plainLeaf, SmtpBehaviour.healthy());

    policy = MtaStsPolicyServer.builder().certificate(PKI.leaf("mta-sts.good.smtptls.test")).start();
    RUNNING.add(policy);
    policy.respond(PolicyResponse.policy(
        "version: STSv1\r\nmode: enforce\r\nmx: mx1.good.smtptls.test\r\nmx: *.good.smtptls.test\r\nmax_age: 86400\r\n"));
    // Every policy host is fetched on the same port, as senders fetch them all from 443.
    MtaStsPolicyServer testing = MtaStsPolicyServer.builder().certificate(PKI.leaf("mta-sts.testing.smtptls.test"))
        .bindAddress(InetAddress.getByName("127.0.0.5")).port(policy.port()).start();
    RUNNING.add(testing);
    testing.respond(PolicyResponse.policy("version: STSv1\nmode: testing\nmx: mx.elsewhere.example\nmax_age: 86400\n"));
    MtaStsPolicyServer none = MtaStsPolicyServer.builder().certificate(PKI.leaf("mta-sts.none.smtptls.test"))
        .bindAddress(InetAddress.getByName("127.0.0.6")).port(policy.port()).start();
    RUNNING.add(none);
    none.respond(PolicyResponse.policy("version: STSv1\nmode: none\nmax_age: 86400\n"));

    String p = Integer.toString(smtpPort);
    knot = KnotDnsServer.builder()
        .zone(KnotDnsServer.Zone.of("smtptls.test", """
            good              MX    10 mx1.good
            good              MX    20 mx2.good
            mx1.good          A     127.0.0.1
            %5$s
            mx2.good          A     127.0.0.2
            _%1$s._tcp.mx1.good  TLSA  3 1 1 %2$s
            _%1$s._tcp.mx2.good  TLSA  3 1 1 %3$s
            _mta-sts.good     TXT   "v=STSv1; id=20261128T1200"
            mta-sts.good      A     127.0.0.1
            _smtp._tls.good   TXT   "v=TLSRPTv1; rua=mailto:tlsrpt@good.smtptls.test"
            testing           MX    10 mx2.good
            _mta-sts.testing  TXT   "v=STSv1; id=1"
            mta-sts.testing   A     127.0.0.5
            none              MX    10 mx2.good
            _mta-sts.none     TXT   "v=STSv1; id=2"
            mta-sts.none      A     127.0.0.6
            _smtp._tls.none   TXT   "v=TLSRPTv1; rua=ftp://wrong.example"
            bogus             MX    10 mx.bogus
            mx.bogus          A     127.0.0.3
            _%1$s._tcp.mx.bogus  TLSA  3 1 1 %4$s
            """.formatted(p, spki(mx1), spki(PKI.leaf("someone-else.smtptls.test")), spki(bogusLeaf),
                ipv6 ? "mx1.good          AAAA  ::1" : ""))
            .signed(true)
            .bogus("_" + p + "._tcp.mx.bogus.smtptls.test", DnsType.TLSA))
        .zone(KnotDnsServer.Zone.of("plain.test", """
            @                 MX    10 mx
            mx                A     127.0.0.4
            _%s._tcp.mx       TLSA  3 1 1 %s
            """.formatted(p, spki(plainLeaf))))
        .start();
    RUNNING.add(knot);
    anchorFile = Files.writeString(dir.resolve("anchor.ds"), knot.anchors());
    trustFile = Files.writeString(dir.resolve("root.pem"), TestPki.pem(PKI.root().certificate()));
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : RUNNING) {
      c.close();
    }
  }

  private static MockSmtpServer smtp(String fqdn, String bind, int port, IssuedCertificate cert, SmtpBehaviour b)
      throws IOException {
    MockSmtpServer s = MockSmtpServer.builder().bindAddress(InetAddress.getByName(bind)).port(port).fqdn(fqdn)
        .certificate(cert).behaviour(b).build().start();
    RUNNING.add(s);
    return s;
  }

  private static boolean canBind(InetAddress a, int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(a, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String spki(IssuedCertificate c) throws Exception {
    return HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(c.certificate().getPublicKey().getEncoded()));
  }

  private static Cli.Result domain(String... more) {
    List<String> args = new ArrayList<>(List.of("domain", "--dns", "127.0.0.1:" + knot.address().getPort(),
        "--dnssec-anchor", anchorFile.toString(), "--smtp-port", Integer.toString(smtpPort),
        "--mta-sts-port", Integer.toString(policy.port()), "--trust", trustFile.toString(),
        "--revocation", "none", "--timeout", "5s", "--ehlo", "probe.smtptls.test"));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  private static JsonNode host(JsonNode report, String name) {
    return StreamSupport.stream(report.at("/mx/hosts").spliterator(), false)
        .filter(h -> h.get("host").asText().equals(name)).findFirst().orElseThrow();
  }

  private static List<String> codes(JsonNode findings) {
    return StreamSupport.stream(findings.spliterator(), false).map(f -> f.get("code").asText()).toList();
  }

  @Test
  void listsEveryMxAndAddressWithProbeMtaStsDaneAndTlsRpt() throws Exception {
    Cli.Result r = domain("good.smtptls.test", "--json");

    assertThat(r.err()).isEmpty();
    JsonNode j = JSON.readTree(r.out());
    for (String key : List.of("tool", "domain", "startedAt", "durationMs", "summary", "dns", "mx", "mtaSts", "tlsRpt", "findings")) {
      assertThat(j.has(key)).as(key).isTrue();
    }
    assertThat(j.get("domain").asText()).isEqualTo("good.smtptls.test");
    assertThat(j.at("/dns/server").asText()).isEqualTo("127.0.0.1:" + knot.address().getPort());
    assertThat(j.at("/mx/status").asText()).isEqualTo("MX");
    assertThat(j.at("/mx/dnssec").asText()).isEqualTo("SECURE");
    assertThat(j.at("/mx/hosts")).extracting(h -> h.get("host").asText())
        .containsExactly("mx1.good.smtptls.test", "mx2.good.smtptls.test");

    JsonNode mx1 = host(j, "mx1.good.smtptls.test");
    assertThat(mx1.get("preference").asInt()).isEqualTo(10);
    List<String> families = StreamSupport.stream(mx1.get("addresses").spliterator(), false)
        .map(a -> a.get("family").asText()).toList();
    assertThat(families).isEqualTo(ipv6 ? List.of("IPV4", "IPV6") : List.of("IPV4"));
    for (JsonNode a : mx1.get("addresses")) {
      assertThat(a.at("/probe/startTls/status").asText()).isEqualTo("UPGRADED");
      assertThat(a.at("/probe/certificates/0/dnsNames/0").asText()).isEqualTo("mx1.good.smtptls.test");
      assertThat(a.at("/dane/status").asText()).isEqualTo("MATCH");
    }
    assertThat(mx1.at("/dane/status").asText()).isEqualTo("MATCH");
    assertThat(mx1.at("/dane/dnssec").asText()).isEqualTo("SECURE");
    assertThat(mx1.at("/dane/tlsaName").asText()).isEqualTo("_" + smtpPort + "._tcp.mx1.good.smtptls.test");
    assertThat(mx1.at("/dane/records/0/usage").asInt()).isEqualTo(3);
    assertThat(mx1.at("/mtaSts/matches").asBoolean()).isTrue();
    assertThat(mx1.at("/mtaSts/pattern").asText()).isEqualTo("mx1.good.smtptls.test");
    assertThat(mx1.at("/mtaSts/certificateValid").asBoolean()).isTrue();

    JsonNode mx2 = host(j, "mx2.good.smtptls.test");
    assertThat(mx2.at("/addresses/0/address").asText()).isEqualTo("127.0.0.2");
    assertThat(mx2.at("/addresses/0/dane/status").asText()).isEqualTo("MISMATCH");
    assertThat(mx2.at("/dane/status").asText()).isEqualTo("MISMATCH");
    assertThat(mx2.at("/mtaSts/pattern").asText()).isEqualTo("*.good.smtptls.test");
    assertThat(codes(mx2.get("findings"))).contains("DANE_TLSA_MISMATCH");

    assertThat(j.at("/mtaSts/status").asText()).isEqualTo("VALID");
    assertThat(j.at("/mtaSts/record/id").asText()).isEqualTo("20261128T1200");
    assertThat(j.at("/mtaSts/fetch/status").asText()).isEqualTo("OK");
    assertThat(j.at("/mtaSts/policy/mode").asText()).isEqualTo("enforce");
    assertThat(j.at("/tlsRpt/status").asText()).isEqualTo("VALID");
    assertThat(j.at("/tlsRpt/record/rua/0").asText()).isEqualTo("mailto:tlsrpt@good.smtptls.test");
    assertThat(policy.serverNames()).contains("mta-sts.good.smtptls.test");

    JsonNode mismatch = StreamSupport.stream(j.get("findings").spliterator(), false)
        .filter(f -> f.get("code").asText().equals("DANE_TLSA_MISMATCH")).findFirst().orElseThrow();
    assertThat(mismatch.get("severity").asText()).isEqualTo("ERROR");
    assertThat(mismatch.at("/evidence/host").asText()).isEqualTo("mx2.good.smtptls.test");
    assertThat(mismatch.at("/evidence/address").asText()).isEqualTo("127.0.0.2");
    assertThat(codes(j.get("findings"))).contains("MX_ADDRESS_NOT_PUBLIC").doesNotContain("MTA_STS_MX_MISMATCH");
    assertThat(r.exit()).isEqualTo(1);
  }

  @Test
  void anMxOutsideATestingPolicyIsAWarningOnly() throws Exception {
    Cli.Result r = domain("testing.smtptls.test", "--json");

    JsonNode j = JSON.readTree(r.out());
    assertThat(j.at("/mtaSts/policy/mode").asText()).isEqualTo("testing");
    JsonNode mx = host(j, "mx2.good.smtptls.test");
    assertThat(mx.at("/mtaSts/matches").asBoolean()).isFalse();
    JsonNode mismatch = StreamSupport.stream(j.get("findings").spliterator(), false)
        .filter(f -> f.get("code").asText().equals("MTA_STS_MX_MISMATCH")).findFirst().orElseThrow();
    assertThat(mismatch.get("severity").asText()).isEqualTo("WARNING");
    assertThat(mismatch.at("/evidence/host").asText()).isEqualTo("mx2.good.smtptls.test");
  }

  @Test
  void aPolicyOfModeNoneAppliesNothingAndABadTlsRptRecordIsAWarning() throws Exception {
    Cli.Result r = domain("none.smtptls.test", "--json");

    JsonNode j = JSON.readTree(r.out());
    assertThat(j.at("/mtaSts/status").asText()).isEqualTo("VALID");
    assertThat(j.at("/mtaSts/policy/mode").asText()).isEqualTo("none");
    assertThat(codes(j.get("findings"))).doesNotContain("MTA_STS_MX_MISMATCH", "MTA_STS_CERT_INVALID")
        .contains("TLSRPT_RECORD_INVALID");
    assertThat(j.at("/tlsRpt/status").asText()).isEqualTo("INVALID");
  }

  @Test
  void aCorruptedTlsaSignatureIsBogusAndAnError() throws Exception {
    Cli.Result r = domain("bogus.smtptls.test", "--json");

    JsonNode j = JSON.readTree(r.out());
    JsonNode mx = host(j, "mx.bogus.smtptls.test");
    assertThat(mx.at("/dane/status").asText()).isEqualTo("BOGUS");
    assertThat(mx.at("/dane/dnssec").asText()).isEqualTo("BOGUS");
    assertThat(mx.at("/addresses/0/probe/startTls/status").asText()).isEqualTo("UPGRADED");
    assertThat(codes(j.get("findings"))).contains("DANE_DNSSEC_BOGUS");
    assertThat(j.at("/mtaSts/status").asText()).isEqualTo("NONE");
    assertThat(j.at("/tlsRpt/status").asText()).isEqualTo("NONE");
    assertThat(r.exit()).isEqualTo(1);
  }

  @Test
  void tlsaInAnUnsignedZoneIsInsecureAndOnlyInformation() throws Exception {
    Cli.Result r = domain("plain.test", "--json");

    JsonNode j = JSON.readTree(r.out());
    assertThat(j.at("/mx/dnssec").asText()).isEqualTo("INSECURE");
    JsonNode mx = host(j, "mx.plain.test");
    assertThat(mx.at("/dane/status").asText()).isEqualTo("INSECURE");
    assertThat(mx.at("/addresses/0/dane").isNull()).isTrue();
    JsonNode insecure = StreamSupport.stream(j.get("findings").spliterator(), false)
        .filter(f -> f.get("code").asText().equals("DANE_INSECURE")).findFirst().orElseThrow();
    assertThat(insecure.get("severity").asText()).isEqualTo("INFO");
    assertThat(r.exit()).as(r.out()).isZero();
  }

  @Test
  void printsASummaryAPersonReadsFirst() {
    Cli.Result r = domain("good.smtptls.test");

    assertThat(r.out()).startsWith("good.smtptls.test: 2 MX hosts, " + (ipv6 ? 3 : 2) + " addresses");
    assertThat(r.out()).contains("MTA-STS: mode enforce, 2 of 2 MX hosts match")
        .contains("DANE: mx1.good.smtptls.test MATCH, mx2.good.smtptls.test MISMATCH")
        .contains("TLS-RPT: reports go to mailto:tlsrpt@good.smtptls.test")
        .contains("MX 20 mx2.good.smtptls.test");
  }

  @Test
  void writesAnRfc8460AggregateReportUnderTheMtaStsPolicy() throws Exception {
    Path file = dir.resolve("tlsrpt.json");
    Cli.Result r = domain("good.smtptls.test", "--tlsrpt-report", file.toString());

    assertThat(r.exit()).isEqualTo(1);
    JsonNode rpt = JSON.readTree(Files.readString(file));
    assertThat(rpt.get("organization-name").asText()).isEqualTo("smtptls");
    assertThat(rpt.at("/date-range/start-datetime").asText()).endsWith("Z");
    JsonNode policy = rpt.at("/policies/0");
    assertThat(policy.at("/policy/policy-type").asText()).isEqualTo("sts");
    assertThat(policy.at("/policy/policy-domain").asText()).isEqualTo("good.smtptls.test");
    assertThat(policy.at("/policy/mx-host")).extracting(JsonNode::asText)
        .containsExactly("mx1.good.smtptls.test", "*.good.smtptls.test");
    // Every address took TLS with a valid certificate under the policy: the DANE mismatch of
    // mx2 is not an MTA-STS failure.
    assertThat(policy.at("/summary/total-successful-session-count").asInt()).isEqualTo(ipv6 ? 3 : 2);
    assertThat(policy.at("/summary/total-failure-session-count").asInt()).isZero();
  }

  @Test
  void reportsTheTlsaPolicyAndItsFailuresWhereDaneApplies() throws Exception {
    Path file = dir.resolve("tlsrpt-bogus.json");
    domain("bogus.smtptls.test", "--tlsrpt-report", file.toString());

    JsonNode policy = JSON.readTree(Files.readString(file)).at("/policies/0");
    // A TLSA lookup that fails DNSSEC validation is a DANE failure (RFC 8460 §4.3.2).
    assertThat(policy.at("/policy/policy-type").asText()).isEqualTo("tlsa");
    assertThat(policy.at("/summary/total-successful-session-count").asInt()).isZero();
    assertThat(policy.at("/summary/total-failure-session-count").asInt()).isEqualTo(1);
    assertThat(policy.at("/failure-details/0/result-type").asText()).isEqualTo("dnssec-invalid");
    assertThat(policy.at("/failure-details/0/receiving-mx-hostname").asText()).isEqualTo("mx.bogus.smtptls.test");
    assertThat(policy.at("/failure-details/0/receiving-ip").asText()).isEqualTo("127.0.0.3");
  }

  @Test
  void aBadAnchorFileIsAUsageError() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.anchor"), "this is not a DS record\n");
    Cli.Result r = Cli.run("domain", "good.smtptls.test", "--dns", "127.0.0.1:" + knot.address().getPort(),
        "--dnssec-anchor", bad.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines()).singleElement().asString().contains("--dnssec-anchor");
    assertThat(r.out()).isEmpty();
  }
}
