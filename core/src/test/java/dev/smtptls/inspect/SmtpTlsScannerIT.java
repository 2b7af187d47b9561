package dev.smtptls.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.smtptls.dns.DnsAnswer;
import dev.smtptls.dns.DnsRecord;
import dev.smtptls.dns.DnsStatus;
import dev.smtptls.dns.DnssecStatus;
import dev.smtptls.dns.DnsType;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.inspect.StartTlsOutcome.Status;
import dev.smtptls.spi.DnsResolver;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** inspectAll over real loopback servers: one result per entry, the limits, cancellation, laziness. */
class SmtpTlsScannerIT {

  private final List<LoopbackSmtpServer> servers = new ArrayList<>();
  private final AtomicInteger groupNow = new AtomicInteger();
  private final AtomicInteger groupPeak = new AtomicInteger();

  private final SmtpTlsInspector inspector =
      SmtpTlsInspector.builder()
          .ehloName("scanner.smtptls.test")
          .timeout(Duration.ofSeconds(20))
          .deadline(Duration.ofSeconds(30))
          .certificateChecker(null)
          .build();

  @AfterEach
  void closeServers() throws Exception {
    for (LoopbackSmtpServer s : servers) {
      s.close();
    }
  }

  private LoopbackSmtpServer server(String address, CountDownLatch hold, int gather) throws Exception {
    LoopbackSmtpServer s = new LoopbackSmtpServer(InetAddress.getByName(address), groupNow, groupPeak, hold, gather);
    servers.add(s);
    return s;
  }

  @Test
  void everyEntryGetsExactlyOneResultWithinBothLimits() throws Exception {
    int n = 6;
    int m = 2;
    CountDownLatch open = new CountDownLatch(0);
    List<LoopbackSmtpServer> four = List.of(
        server("127.0.0.1", open, m), server("127.0.0.2", open, m), server("127.0.0.3", open, m), server("127.0.0.4", open, m));
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 240; i++) {
      lines.add(four.get(i % 4).hostPort());
      if (i % 60 == 7) {
        lines.add("bad host name!");
      }
    }
    Map<Long, Integer> seen = new ConcurrentHashMap<>();
    List<ScanResult> all = Collections.synchronizedList(new ArrayList<>());

    // The client waits for the 221, which the server sends after uncounting the connection: the
    // servers' counts then never lag behind the client's slots.
    SmtpTlsInspector waitingForQuit = SmtpTlsInspector.builder()
        .ehloName("scanner.smtptls.test").quitReplyWait(Duration.ofSeconds(10)).certificateChecker(null).build();
    ScanSummary s = waitingForQuit.scanner().concurrency(n).perAddress(m).build()
        .run(ScanInput.lines(lines.iterator()), r -> {
          seen.merge(r.input().index(), 1, Integer::sum);
          all.add(r);
        });

    assertThat(seen).hasSize(lines.size());
    assertThat(seen.values()).containsOnly(1);
    assertThat(s.results()).isEqualTo(lines.size());
    assertThat(s.pulled()).isEqualTo(lines.size());
    assertThat(s.inputErrors()).isEqualTo(4);
    assertThat(s.byStatus()).containsEntry(Status.NOT_OFFERED, 240L);
    assertThat(s.done()).isTrue();
    assertThat(s.cancelled()).isFalse();
    assertThat(all).filteredOn(r -> r.error() != null)
        .allSatisfy(r -> assertThat(r.input().text()).isEqualTo("bad host name!"));
    for (LoopbackSmtpServer srv : four) {
      assertThat(srv.accepted()).isEqualTo(60);
      // Reached (the server gathers pairs) and never exceeded.
      assertThat(srv.peak()).isEqualTo(m);
    }
    assertThat(groupPeak.get()).isGreaterThan(m).isLessThanOrEqualTo(n);
  }

  @Test
  void cancelStopsNewProbesAndEndsRunningOnes() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    LoopbackSmtpServer a = server("127.0.0.1", never, 1);
    LoopbackSmtpServer b = server("127.0.0.2", never, 1);
    Iterator<SmtpTarget> targets = IntStream.range(0, 1000).mapToObj(i -> (i % 2 == 0 ? a : b).target()).iterator();
    List<ScanResult> results = Collections.synchronizedList(new ArrayList<>());

    ScanHandle h = inspector.scanner().concurrency(4).perAddress(2).build()
        .start(ScanInput.targets(targets), results::add);
    assertThat(a.awaitAccepted(2, 10)).isTrue();
    assertThat(b.awaitAccepted(2, 10)).isTrue();
    h.cancel();

    assertThat(h.await(Duration.ofSeconds(10))).as("running probes end on cancel").isTrue();
    ScanSummary s = h.await();
    assertThat(s.cancelled()).isTrue();
    assertThat(s.results()).isEqualTo(4);
    assertThat(s.aborted()).isEqualTo(4);
    assertThat(results).allSatisfy(r -> assertThat(r.report().aborted()).isTrue());
    assertThat(s.pulled()).isLessThanOrEqualTo(4 + 4 + 1);
    assertThat(s.results() + s.notStarted()).isEqualTo(s.pulled());
    assertThat(a.accepted() + b.accepted()).isEqualTo(4);
    never.countDown();
  }

  @Test
  void interruptingTheCallerCancels() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    LoopbackSmtpServer a = server("127.0.0.1", never, 1);
    AtomicReference<ScanSummary> summary = new AtomicReference<>();
    Thread caller = new Thread(() -> summary.set(inspector.inspectAll(
        IntStream.range(0, 100).mapToObj(i -> a.target()), r -> {})));
    caller.start();
    assertThat(a.awaitAccepted(2, 10)).isTrue();
    caller.interrupt();
    caller.join(10_000);
    assertThat(caller.isAlive()).isFalse();
    assertThat(summary.get().cancelled()).isTrue();
    assertThat(summary.get().aborted()).isEqualTo(2);
    assertThat(a.accepted()).isEqualTo(2);
  }

  @Test
  void aLazyInputOfAHundredThousandIsPulledOnlyAsProbesComplete() throws Exception {
    LoopbackSmtpServer a = server("127.0.0.1", new CountDownLatch(0), 1);
    LoopbackSmtpServer b = server("127.0.0.2", new CountDownLatch(0), 1);
    AtomicLong pulled = new AtomicLong();
    Iterator<SmtpTarget> lazy = new Iterator<>() {
      private int i;

      @Override
      public boolean hasNext() {
        return i < 100_000;
      }

      @Override
      public SmtpTarget next() {
        pulled.incrementAndGet();
        return (i++ % 2 == 0 ? a : b).target();
      }
    };
    int n = 4;
    List<Long> excess = Collections.synchronizedList(new ArrayList<>());
    AtomicReference<ScanHandle> handle = new AtomicReference<>();
    AtomicLong delivered = new AtomicLong();
    CountDownLatch started = new CountDownLatch(1);
    ScanHandle h = inspector.scanner().concurrency(n).perAddress(2).build().start(ScanInput.targets(lazy), r -> {
      long k = delivered.incrementAndGet();
      excess.add(pulled.get() - k);
      if (k == 200) {
        awaitQuietly(started);
        handle.get().cancel();
      }
    });
    handle.set(h);
    started.countDown();
    ScanSummary s = h.await();

    // Pulled beyond what was delivered: at most N running + N waiting + 1 in the coordinator's hand.
    assertThat(excess).hasSizeGreaterThanOrEqualTo(200).allSatisfy(e -> assertThat(e).isLessThanOrEqualTo(2L * n + 1));
    assertThat(pulled.get()).isLessThan(200 + 2L * n + 2);
    assertThat(s.pulled()).isEqualTo(pulled.get());
    assertThat(s.results() + s.notStarted()).isEqualTo(s.pulled());
  }

  @Test
  void namesResolveThroughTheGivenResolver() throws Exception {
    LoopbackSmtpServer a = server("127.0.0.1", new CountDownLatch(0), 1);
    DnsResolver dns = mock(DnsResolver.class);
    when(dns.query(eq("mx.scan.test"), eq(DnsType.A))).thenReturn(new DnsAnswer(DnsStatus.NOERROR,
        List.of(new DnsRecord("mx.scan.test", DnsType.A, 60, "127.0.0.1")), DnssecStatus.INSECURE, "test"));
    when(dns.query(eq("gone.scan.test"), any())).thenReturn(DnsAnswer.empty(DnsStatus.NXDOMAIN, "test"));
    List<ScanResult> results = Collections.synchronizedList(new ArrayList<>());

    inspector.scanner().dnsResolver(dns).build().run(
        ScanInput.lines(List.of("mx.scan.test:" + a.port(), "gone.scan.test:" + a.port()).iterator()), results::add);

    assertThat(results).hasSize(2);
    ScanResult mx = results.stream().filter(r -> r.input().index() == 1).findFirst().orElseThrow();
    assertThat(mx.report().startTls().status()).isEqualTo(Status.NOT_OFFERED);
    assertThat(mx.report().target().host()).isEqualTo("mx.scan.test");
    assertThat(mx.report().address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    ScanResult gone = results.stream().filter(r -> r.input().index() == 2).findFirst().orElseThrow();
    assertThat(gone.report().finding(FindingCode.CONNECT_FAILED).orElseThrow().evidence())
        .containsEntry("step", "resolve");
    assertThat(a.accepted()).isEqualTo(1);
  }

  @Test
  void aThrowingConsumerCancelsAndSurfaces() throws Exception {
    LoopbackSmtpServer a = server("127.0.0.1", new CountDownLatch(0), 1);
    assertThatThrownBy(() -> inspector.inspectAll(IntStream.range(0, 50).mapToObj(i -> a.target()), r -> {
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
