package dev.smtptls.testkit.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.dns.DnsResolvers;
import dev.smtptls.dns.MxStatus;
import dev.smtptls.domain.AddressReport;
import dev.smtptls.domain.DomainInspector;
import dev.smtptls.domain.DomainReport;
import dev.smtptls.domain.HostReport;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import dev.smtptls.inspect.SmtpTlsInspector;
import dev.smtptls.inspect.StartTlsOutcome.Status;
import dev.smtptls.testkit.dns.MockDnsServer;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.testkit.smtp.MockSmtpServer;
import dev.smtptls.testkit.smtp.SmtpBehaviour;
import dev.smtptls.trust.TrustSources;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link DomainInspector} over real DNS (MockDnsServer on UDP/TCP) and real SMTP servers on
 * several loopback addresses sharing one port, as the MX hosts of a domain share port 25.
 */
@Timeout(60)
class DomainInspectorIT {

  private static final TestPki PKI = TestPki.create();
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  private MockSmtpServer smtp(String fqdn, String bind, int port, SmtpBehaviour behaviour) throws Exception {
    MockSmtpServer s =
        MockSmtpServer.builder()
            .bindAddress(InetAddress.getByName(bind))
            .port(port)
            .fqdn(fqdn)
            .certificate(PKI.leaf(fqdn))
            .behaviour(behaviour)
            .build()
            .start();
    closing.add(s);
    return s;
  }

  private MockDnsServer dns(MockDnsServer.Builder b) {
    MockDnsServer d = b.start();
    closing.add(d);
    return d;
  }

  private static DomainInspector inspector(MockDnsServer dns, int port) {
    CertificateChecker checker =
        CertificateChecker.builder().trustSource(TrustSources.anchors("testkit", PKI.root().certificate())).build();
    return DomainInspector.builder()
        .resolver(DnsResolvers.dnsjava(dns.address(), Duration.ofSeconds(2)))
        .inspector(SmtpTlsInspector.builder().timeout(Duration.ofSeconds(5)).certificateChecker(checker).build())
        .smtpPort(port)
        .mtaSts(false)
        .build();
  }

  @Test
  void probesEveryAddressOfEveryMxHostAndTagsEachFindingWithHostAndAddress() throws Exception {
    MockSmtpServer mx1 = smtp("mx1.example.test", "127.0.0.1", 0, SmtpBehaviour.healthy());
    int port = mx1.port();
    MockSmtpServer mx2 = smtp("mx2.example.test", "127.0.0.2", port, SmtpBehaviour.startTlsNotAdvertised());
    MockDnsServer dns =
        dns(MockDnsServer.builder()
            .mx("example.test", 20, "mx2.example.test")
            .mx("example.test", 10, "mx1.example.test")
            .a("mx1.example.test", "127.0.0.1")
            .a("mx2.example.test", "127.0.0.2"));

    DomainReport r = inspector(dns, port).inspect("Example.TEST.");

    assertThat(r.domain()).isEqualTo("example.test");
    assertThat(r.mx().status()).isEqualTo(MxStatus.MX);
    assertThat(r.hosts()).extracting(HostReport::host).containsExactly("mx1.example.test", "mx2.example.test");
    HostReport h1 = r.hosts().get(0);
    HostReport h2 = r.hosts().get(1);
    assertThat(h1.preference()).isEqualTo(10);
    assertThat(h1.addresses()).extracting(a -> a.probe().startTls().status()).containsExactly(Status.UPGRADED);
    assertThat(h1.addresses().get(0).probe().certificateCheck().valid()).isTrue();
    assertThat(h2.addresses()).extracting(a -> a.address().getHostAddress()).containsExactly("127.0.0.2");
    assertThat(h2.addresses()).extracting(a -> a.probe().startTls().status()).isNotEqualTo(List.of(Status.UPGRADED));
    assertThat(mx1.connectionCount()).isEqualTo(1);
    assertThat(mx2.connectionCount()).isEqualTo(1);

    Finding notOffered = r.findings().stream().filter(f -> f.code() == FindingCode.STARTTLS_NOT_OFFERED).findFirst().orElseThrow();
    assertThat(notOffered.evidence("host")).contains("mx2.example.test");
    assertThat(notOffered.evidence("address")).contains("127.0.0.2");
    assertThat(r.findings()).filteredOn(f -> f.code() == FindingCode.MX_ADDRESS_NOT_PUBLIC)
        .extracting(f -> f.evidence("address").orElseThrow())
        .containsExactlyInAnyOrder("127.0.0.1", "127.0.0.2");
    assertThat(r.findings().get(0).severity()).isEqualTo(Severity.ERROR);
    assertThat(r.ok()).isFalse();
    assertThat(r.summary())
        .contains("2 MX hosts, 2 addresses")
        .contains("STARTTLS on 1 of 2")
        .contains("STARTTLS_NOT_OFFERED on mx2.example.test [127.0.0.2]");
  }

  @Test
  void certificateNotCoveringTheMxHostIsAFindingOfThatHost() throws Exception {
    MockSmtpServer mx = smtp("mx.example.test", "127.0.0.1", 0, SmtpBehaviour.healthy());
    MockDnsServer dns =
        dns(MockDnsServer.builder().mx("example.test", 10, "mail.example.test").a("mail.example.test", "127.0.0.1"));

    DomainReport r = inspector(dns, mx.port()).inspect("example.test");

    Finding mismatch = r.findings().stream().filter(f -> f.code() == FindingCode.CERT_NAME_MISMATCH).findFirst().orElseThrow();
    assertThat(mismatch.evidence("host")).contains("mail.example.test");
    assertThat(r.hosts().get(0).findings()).extracting(Finding::code).contains(FindingCode.CERT_NAME_MISMATCH);
  }

  @Test
  void aNullMxIsAWarningAndNothingIsProbed() throws Exception {
    MockSmtpServer mx = smtp("mx.example.test", "127.0.0.1", 0, SmtpBehaviour.healthy());
    MockDnsServer dns = dns(MockDnsServer.builder().mx("example.test", 0, ".").a("example.test", "127.0.0.1"));

    DomainReport r = inspector(dns, mx.port()).inspect("example.test");

    assertThat(r.mx().status()).isEqualTo(MxStatus.NULL_MX);
    assertThat(r.hosts()).isEmpty();
    assertThat(r.findings()).extracting(Finding::code, Finding::severity)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(FindingCode.NULL_MX, Severity.WARNING));
    assertThat(mx.connectionCount()).isZero();
    assertThat(r.summary()).contains("null MX");
  }

  @Test
  void aDomainWithoutMailHostIsMxNone() throws Exception {
    MockDnsServer dns = dns(MockDnsServer.builder().txt("example.test", "v=spf1 -all"));

    DomainReport r = inspector(dns, 2525).inspect("example.test");

    assertThat(r.mx().status()).isEqualTo(MxStatus.NONE);
    Finding none = r.findings().get(0);
    assertThat(none.code()).isEqualTo(FindingCode.MX_NONE);
    assertThat(none.severity()).isEqualTo(Severity.ERROR);
    assertThat(none.evidence("domain")).contains("example.test");
  }

  @Test
  void aDomainWithoutMxButWithAnAddressIsItsOwnImplicitMx() throws Exception {
    MockSmtpServer mx = smtp("example.test", "127.0.0.1", 0, SmtpBehaviour.healthy());
    MockDnsServer dns = dns(MockDnsServer.builder().a("example.test", "127.0.0.1"));

    DomainReport r = inspector(dns, mx.port()).inspect("example.test");

    assertThat(r.mx().status()).isEqualTo(MxStatus.IMPLICIT);
    HostReport h = r.hosts().get(0);
    assertThat(h.implicit()).isTrue();
    assertThat(h.addresses()).extracting(AddressReport::tls).containsExactly(true);
    assertThat(r.summary()).contains("implicit MX");
  }

  @Test
  void mxHostsWithoutAnyAddressAreMxNone() throws Exception {
    MockDnsServer dns = dns(MockDnsServer.builder().mx("example.test", 10, "gone.example.test"));

    DomainReport r = inspector(dns, 2525).inspect("example.test");

    assertThat(r.hosts()).hasSize(1);
    assertThat(r.hosts().get(0).addresses()).isEmpty();
    assertThat(r.findings()).extracting(Finding::code).contains(FindingCode.MX_NONE);
  }

  @Test
  void interruptingTheCallerAbortsTheProbesInFlightAndStartsNoOther() throws Exception {
    MockSmtpServer mx = smtp("mx.example.test", "127.0.0.1", 0, SmtpBehaviour.healthy());
    mx.holdGreetings();
    // Three MX hosts at one held address; two probes run at once (concurrency 2), the third is queued.
    MockDnsServer dns = dns(MockDnsServer.builder()
        .mx("example.test", 10, "mx1.example.test").a("mx1.example.test", "127.0.0.1")
        .mx("example.test", 20, "mx2.example.test").a("mx2.example.test", "127.0.0.1")
        .mx("example.test", 30, "mx3.example.test").a("mx3.example.test", "127.0.0.1"));
    DomainInspector d = DomainInspector.builder()
        .resolver(DnsResolvers.dnsjava(dns.address(), Duration.ofSeconds(2)))
        .inspector(SmtpTlsInspector.builder().timeout(Duration.ofSeconds(30)).deadline(Duration.ofSeconds(60)).build())
        .smtpPort(mx.port()).mtaSts(false).dane(false).tlsRpt(false).concurrency(2).build();
    java.util.concurrent.atomic.AtomicReference<DomainReport> report = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicBoolean interruptKept = new java.util.concurrent.atomic.AtomicBoolean();
    Thread caller = new Thread(() -> {
      report.set(d.inspect("example.test"));
      interruptKept.set(Thread.currentThread().isInterrupted());
    });
    caller.start();
    assertThat(mx.awaitOpenConnections(2, Duration.ofSeconds(10))).isTrue();
    caller.interrupt();
    caller.join(10_000);

    assertThat(caller.isAlive()).as("the queued probe must not hang the inspection").isFalse();
    assertThat(interruptKept).isTrue();
    DomainReport r = report.get();
    assertThat(r.aborted()).isTrue();
    assertThat(r.addresses()).hasSize(3).allSatisfy(a -> assertThat(a.probe().aborted()).isTrue());
    assertThat(mx.connectionCount()).isEqualTo(2);
  }

  @Test
  void refusesSomethingThatIsNotADomainName() {
    DomainInspector d = DomainInspector.builder().resolver((n, t) -> { throw new AssertionError("no lookup expected"); }).build();
    assertThatThrownBy(() -> d.inspect("")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> d.inspect("user@example.org")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("user@example.org");
  }
}
