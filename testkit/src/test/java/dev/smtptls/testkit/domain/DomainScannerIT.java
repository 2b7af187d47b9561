package dev.smtptls.testkit.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.dns.DnsResolvers;
import dev.smtptls.dns.MxStatus;
import dev.smtptls.domain.AddressReport;
import dev.smtptls.domain.DomainInspector;
import dev.smtptls.domain.DomainReport;
import dev.smtptls.domain.DomainScanHandle;
import dev.smtptls.domain.DomainScanInput;
import dev.smtptls.domain.DomainScanResult;
import dev.smtptls.domain.DomainScanSummary;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import dev.smtptls.inspect.InspectionReport;
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
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link dev.smtptls.domain.DomainScanner} over real DNS (MockDnsServer) and real SMTP servers on
 * several loopback addresses sharing one port, as the MX hosts of many domains share port 25 and,
 * at a mail provider, the hosts themselves.
 */
@Timeout(60)
class DomainScannerIT {

  private static final TestPki PKI = TestPki.create();
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  private MockSmtpServer smtp(String fqdn, String bind, int port) {
    MockSmtpServer s =
        MockSmtpServer.builder()
            .bindAddress(loopback(bind))
            .port(port)
            .fqdn(fqdn)
            .certificate(PKI.leaf(fqdn))
            .behaviour(SmtpBehaviour.healthy())
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

  private static InetAddress loopback(String ip) {
    try {
      return InetAddress.getByName(ip);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(ip, e);
    }
  }

  /**
   * Domains over the test DNS, probed on {@code port}. The probe awaits the reply to QUIT, which
   * the server sends once it has counted the connection out: a client's turn at an address then
   * never ends before the server has seen the connection end, and the server's peak is exact.
   */
  private static DomainInspector domains(MockDnsServer dns, int port, Duration timeout) {
    CertificateChecker checker =
        CertificateChecker.builder().trustSource(TrustSources.anchors("testkit", PKI.root().certificate())).build();
    return DomainInspector.builder()
        .resolver(DnsResolvers.dnsjava(dns.address(), Duration.ofSeconds(2)))
        .inspector(SmtpTlsInspector.builder()
            .timeout(timeout)
            .deadline(timeout.multipliedBy(2))
            .quitReplyWait(Duration.ofSeconds(5))
            .certificateChecker(checker)
            .build())
        .smtpPort(port)
        .mtaSts(false)
        .publicAddressCheck(false)
        .build();
  }

  private static DomainInspector domains(MockDnsServer dns, int port) {
    return domains(dns, port, Duration.ofSeconds(5));
  }

  private static List<String> names(String pattern, int count) {
    return IntStream.range(0, count).mapToObj(i -> pattern.formatted(i)).toList();
  }

  @Test
  void manyDomainsAtOneProviderProbeEachMxAddressOnceAndShareTheReport() throws Exception {
    MockSmtpServer first = smtp("mx.provider.test", "127.0.0.1", 0);
    MockSmtpServer second = smtp("mx.provider.test", "127.0.0.2", first.port());
    List<String> customers = names("customer%d.test", 40);
    MockDnsServer.Builder zone = MockDnsServer.builder().a("mx.provider.test", "127.0.0.1").a("mx.provider.test", "127.0.0.2");
    customers.forEach(d -> zone.mx(d, 10, "mx.provider.test"));
    MockDnsServer dns = dns(zone);
    List<DomainScanResult> results = Collections.synchronizedList(new ArrayList<>());

    DomainScanSummary s = domains(dns, first.port()).scanner().concurrency(8).build()
        .run(DomainScanInput.domains(customers.iterator()), results::add);

    assertThat(results).hasSize(40).allSatisfy(r -> {
      DomainReport rep = r.report();
      assertThat(rep.ok()).as(rep.summary()).isTrue();
      assertThat(rep.addresses()).extracting(a -> a.probe().startTls().status())
          .containsExactly(Status.UPGRADED, Status.UPGRADED);
    });
    assertThat(first.connectionCount()).isEqualTo(1);
    assertThat(second.connectionCount()).isEqualTo(1);
    assertThat(s.probes()).isEqualTo(2);
    assertThat(s.probesReused()).isEqualTo(78);
    List<AddressReport> all = results.stream().flatMap(r -> r.report().addresses().stream()).toList();
    // One domain made each probe; every other domain says it reused it, and holds that very report.
    assertThat(all).filteredOn(a -> !a.probeReused()).extracting(a -> a.address().getHostAddress())
        .containsExactlyInAnyOrder("127.0.0.1", "127.0.0.2");
    for (String ip : List.of("127.0.0.1", "127.0.0.2")) {
      List<InspectionReport> probes = all.stream().filter(a -> a.address().getHostAddress().equals(ip))
          .map(AddressReport::probe).distinct().toList();
      assertThat(probes).hasSize(1);
    }
    assertThat(s.results()).isEqualTo(40);
    assertThat(s.hasErrors()).isFalse();
  }

  @Test
  void twoMxNamesAtOneAddressAreTwoProbesForTheCertificateIsCheckedPerName() throws Exception {
    MockSmtpServer mx = smtp("mx-a.provider.test", "127.0.0.1", 0);
    MockDnsServer dns = dns(MockDnsServer.builder()
        .mx("one.test", 10, "mx-a.provider.test")
        .mx("two.test", 10, "mx-a.provider.test")
        .mx("three.test", 10, "mx-b.provider.test")
        .a("mx-a.provider.test", "127.0.0.1")
        .a("mx-b.provider.test", "127.0.0.1"));
    Map<String, DomainReport> byDomain = new ConcurrentHashMap<>();

    DomainScanSummary s = domains(dns, mx.port()).inspectAll(Stream.of("one.test", "two.test", "three.test"),
        r -> byDomain.put(r.report().domain(), r.report()));

    assertThat(mx.connectionCount()).isEqualTo(2);
    assertThat(s.probes()).isEqualTo(2);
    assertThat(s.probesReused()).isEqualTo(1);
    // mx-b's probe found the certificate of mx-a: its own finding, never mx-a's clean report.
    assertThat(byDomain.get("three.test").findings()).extracting(Finding::code).contains(FindingCode.CERT_NAME_MISMATCH);
    assertThat(byDomain.get("one.test").ok()).isTrue();
    assertThat(byDomain.get("two.test").ok()).isTrue();
  }

  @Test
  void atMostMConnectionsPerAddressAcrossAllDomainsAndEveryDomainProbesWithoutDedupe() throws Exception {
    MockSmtpServer provider = smtp("mx.provider.test", "127.0.0.1", 0);
    MockSmtpServer other = smtp("mx.other.test", "127.0.0.2", provider.port());
    List<String> atProvider = names("p%d.test", 12);
    List<String> atOther = names("o%d.test", 6);
    MockDnsServer.Builder zone = MockDnsServer.builder().a("mx.provider.test", "127.0.0.1").a("mx.other.test", "127.0.0.2");
    atProvider.forEach(d -> zone.mx(d, 10, "mx.provider.test"));
    atOther.forEach(d -> zone.mx(d, 10, "mx.other.test"));
    MockDnsServer dns = dns(zone);
    List<String> input = new ArrayList<>(atProvider);
    input.addAll(atOther);
    List<DomainScanResult> results = Collections.synchronizedList(new ArrayList<>());
    provider.holdGreetings();
    other.holdGreetings();

    DomainScanHandle h = domains(dns, provider.port()).scanner().concurrency(18).perAddress(2).dedupe(false).build()
        .start(DomainScanInput.domains(input.iterator()), results::add);
    // Both addresses have two connections open at once, held: the limit is per address, not global.
    assertThat(provider.awaitOpenConnections(2, Duration.ofSeconds(10))).isTrue();
    assertThat(other.awaitOpenConnections(2, Duration.ofSeconds(10))).isTrue();
    provider.releaseGreetings();
    other.releaseGreetings();
    DomainScanSummary s = h.await();

    assertThat(provider.peakConnections()).isEqualTo(2);
    assertThat(other.peakConnections()).isEqualTo(2);
    assertThat(provider.connectionCount()).isEqualTo(12);
    assertThat(other.connectionCount()).isEqualTo(6);
    assertThat(s.probes()).isEqualTo(18);
    assertThat(s.probesReused()).isZero();
    assertThat(results).hasSize(18).allSatisfy(r -> assertThat(r.report().addresses())
        .singleElement().satisfies(a -> {
          assertThat(a.probeReused()).isFalse();
          assertThat(a.tls()).isTrue();
        }));
  }

  @Test
  void resultsStreamAsEachDomainCompletes() throws Exception {
    MockSmtpServer slow = smtp("mx.slow.test", "127.0.0.1", 0);
    MockSmtpServer quick = smtp("mx.quick.test", "127.0.0.2", slow.port());
    MockDnsServer dns = dns(MockDnsServer.builder()
        .mx("slow.test", 10, "mx.slow.test").a("mx.slow.test", "127.0.0.1")
        .mx("quick.test", 10, "mx.quick.test").a("mx.quick.test", "127.0.0.2"));
    slow.holdGreetings();
    List<String> delivered = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch quickDone = new CountDownLatch(1);

    DomainScanHandle h = domains(dns, slow.port(), Duration.ofSeconds(20)).scanner().build().start(
        DomainScanInput.domains(List.of("slow.test", "quick.test").iterator()), r -> {
          delivered.add(r.input().text());
          if (r.input().text().equals("quick.test")) {
            quickDone.countDown();
          }
        });

    assertThat(quickDone.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(delivered).containsExactly("quick.test");
    assertThat(h.isDone()).isFalse();
    slow.releaseGreetings();
    h.await();
    assertThat(delivered).containsExactly("quick.test", "slow.test");
  }

  @Test
  void aLazyInputIsPulledOnlyAsDomainsComplete() throws Exception {
    // Unknown names: every domain is an NXDOMAIN, a quick report with MX_NONE and no probe.
    MockDnsServer dns = dns(MockDnsServer.builder().txt("unrelated.test", "v=spf1 -all"));
    AtomicLong pulled = new AtomicLong();
    Iterator<String> lazy = new Iterator<>() {
      private int i;

      @Override
      public boolean hasNext() {
        return i < 100_000;
      }

      @Override
      public String next() {
        pulled.incrementAndGet();
        return "d" + i++ + ".lazy.test";
      }
    };
    int n = 4;
    List<Long> excess = Collections.synchronizedList(new ArrayList<>());
    AtomicReference<DomainScanHandle> handle = new AtomicReference<>();
    CountDownLatch started = new CountDownLatch(1);
    AtomicLong delivered = new AtomicLong();

    DomainScanHandle h = domains(dns, 2525).scanner().concurrency(n).build().start(DomainScanInput.domains(lazy), r -> {
      long k = delivered.incrementAndGet();
      excess.add(pulled.get() - k);
      assertThat(r.report().mx().status()).isEqualTo(MxStatus.NONE);
      if (k == 200) {
        awaitQuietly(started);
        handle.get().cancel();
      }
    });
    handle.set(h);
    started.countDown();
    DomainScanSummary s = h.await();

    // Pulled beyond what was delivered: at most N in flight and 1 in the coordinator's hand.
    assertThat(excess).hasSizeGreaterThanOrEqualTo(200).allSatisfy(e -> assertThat(e).isLessThanOrEqualTo(n + 1L));
    assertThat(pulled.get()).isLessThan(200 + 2L * n);
    assertThat(s.pulled()).isEqualTo(pulled.get());
    assertThat(s.results() + s.notStarted()).isEqualTo(s.pulled());
    assertThat(s.probes()).isZero();
  }

  @Test
  void aBadLineIsAResultWithAnErrorAndAnNxdomainIsAReportWithItsFinding() throws Exception {
    MockSmtpServer mx = smtp("mx.good.test", "127.0.0.1", 0);
    MockDnsServer dns = dns(MockDnsServer.builder().mx("good.test", 10, "mx.good.test").a("mx.good.test", "127.0.0.1"));
    List<String> lines = List.of("# domains", "Good.Test.", "", "not a domain!", "user@example.org", "gone.test");
    Map<Long, DomainScanResult> byLine = new ConcurrentHashMap<>();

    DomainScanSummary s = domains(dns, mx.port()).scanner().build()
        .run(DomainScanInput.lines(lines.iterator()), r -> byLine.put(r.input().index(), r));

    assertThat(byLine.keySet()).containsExactlyInAnyOrder(2L, 4L, 5L, 6L);
    assertThat(byLine.get(2L).report().domain()).isEqualTo("good.test");
    assertThat(byLine.get(2L).hasErrors()).isFalse();
    assertThat(byLine.get(4L).report()).isNull();
    assertThat(byLine.get(4L).error()).contains("not a domain!");
    assertThat(byLine.get(5L).error()).contains("user@example.org");
    DomainReport gone = byLine.get(6L).report();
    assertThat(gone.mx().status()).isEqualTo(MxStatus.NONE);
    Finding none = gone.findings().get(0);
    assertThat(none.code()).isEqualTo(FindingCode.MX_NONE);
    assertThat(none.severity()).isEqualTo(Severity.ERROR);
    assertThat(none.evidence("domain")).contains("gone.test");
    assertThat(s.results()).isEqualTo(4);
    assertThat(s.inputErrors()).isEqualTo(2);
    assertThat(s.withErrorFindings()).isEqualTo(1);
    assertThat(s.hasErrors()).isTrue();
    assertThat(mx.connectionCount()).isEqualTo(1);
  }

  @Test
  void cancelEndsRunningDomainsAndStartsNoProbe() throws Exception {
    MockSmtpServer mx = smtp("mx.held.test", "127.0.0.1", 0);
    mx.holdGreetings();
    List<String> domains = names("h%d.test", 50);
    MockDnsServer.Builder zone = MockDnsServer.builder();
    // One MX name per domain: no probe is shared, so each in-flight domain wants a connection.
    for (int i = 0; i < domains.size(); i++) {
      zone.mx(domains.get(i), 10, "mx" + i + ".held.test").a("mx" + i + ".held.test", "127.0.0.1");
    }
    MockDnsServer dns = dns(zone);
    List<DomainScanResult> results = Collections.synchronizedList(new ArrayList<>());

    DomainScanHandle h = domains(dns, mx.port(), Duration.ofSeconds(30)).scanner().concurrency(4).perAddress(2).build()
        .start(DomainScanInput.domains(domains.iterator()), results::add);
    assertThat(mx.awaitOpenConnections(2, Duration.ofSeconds(10))).isTrue();
    h.cancel();

    assertThat(h.await(Duration.ofSeconds(10))).as("running domains end on cancel").isTrue();
    DomainScanSummary s = h.await();
    assertThat(s.cancelled()).isTrue();
    assertThat(s.results()).isEqualTo(4);
    assertThat(s.aborted()).isEqualTo(4);
    assertThat(results).allSatisfy(r -> {
      assertThat(r.report().aborted()).isTrue();
      assertThat(r.report().summary()).contains("Cut short");
      assertThat(r.report().addresses()).allSatisfy(a -> assertThat(a.probe().aborted()).isTrue());
    });
    assertThat(s.pulled()).isLessThanOrEqualTo(4 + 1);
    assertThat(s.results() + s.notStarted()).isEqualTo(s.pulled());
    // The two domains waiting for the address never connected.
    assertThat(mx.connectionCount()).isEqualTo(2);
    assertThat(s.probes()).isEqualTo(2);
  }

  @Test
  void interruptingTheCallerOfInspectAllCancels() throws Exception {
    MockSmtpServer mx = smtp("mx.held.test", "127.0.0.1", 0);
    mx.holdGreetings();
    MockDnsServer dns = dns(MockDnsServer.builder()
        .mx("a.test", 10, "mx1.held.test").a("mx1.held.test", "127.0.0.1")
        .mx("b.test", 10, "mx2.held.test").a("mx2.held.test", "127.0.0.1")
        .mx("c.test", 10, "mx3.held.test").a("mx3.held.test", "127.0.0.1"));
    DomainInspector inspector = domains(dns, mx.port(), Duration.ofSeconds(30));
    AtomicReference<DomainScanSummary> summary = new AtomicReference<>();
    AtomicReference<Boolean> interruptKept = new AtomicReference<>();
    Thread caller = new Thread(() -> {
      summary.set(inspector.inspectAll(Stream.of("a.test", "b.test", "c.test"), r -> {}));
      interruptKept.set(Thread.currentThread().isInterrupted());
    });
    caller.start();
    assertThat(mx.awaitOpenConnections(2, Duration.ofSeconds(10))).isTrue();
    caller.interrupt();
    caller.join(10_000);

    assertThat(caller.isAlive()).isFalse();
    assertThat(interruptKept.get()).isTrue();
    assertThat(summary.get().cancelled()).isTrue();
    assertThat(summary.get().aborted()).isEqualTo(3);
    assertThat(mx.connectionCount()).isEqualTo(2);
  }

  @Test
  void aThrowingConsumerCancelsAndSurfaces() throws Exception {
    MockDnsServer dns = dns(MockDnsServer.builder().txt("unrelated.test", "v=spf1 -all"));
    DomainInspector inspector = domains(dns, 2525);
    assertThatThrownBy(() -> inspector.inspectAll(names("x%d.test", 20).stream(), r -> {
      throw new IllegalStateException("consumer broke");
    })).isInstanceOf(CompletionException.class).hasRootCauseMessage("consumer broke");
  }

  private static void awaitQuietly(CountDownLatch l) {
    try {
      l.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
