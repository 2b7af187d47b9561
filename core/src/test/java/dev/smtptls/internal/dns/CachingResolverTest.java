package dev.smtptls.internal.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtptls.dns.DnsAnswer;
import dev.smtptls.dns.DnsRecord;
import dev.smtptls.dns.DnsResolvers;
import dev.smtptls.dns.DnsStatus;
import dev.smtptls.dns.DnsType;
import dev.smtptls.dns.DnssecStatus;
import dev.smtptls.spi.DnsResolver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CachingResolverTest {

  /** A resolver at the SPI seam that counts the questions it is asked and answers from a table. */
  private static final class Counting implements DnsResolver {
    final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
    final Map<String, DnsAnswer> answers = new ConcurrentHashMap<>();

    @Override
    public DnsAnswer query(String name, DnsType type) {
      asked.computeIfAbsent(name + " " + type, k -> new AtomicInteger()).incrementAndGet();
      DnsAnswer a = answers.get(name + " " + type);
      return a != null ? a : DnsAnswer.empty(DnsStatus.NXDOMAIN, "no such name");
    }

    int asked(String name, DnsType type) {
      AtomicInteger n = asked.get(name + " " + type);
      return n == null ? 0 : n.get();
    }
  }

  private static DnsAnswer a(String name, long ttl, String address) {
    return new DnsAnswer(DnsStatus.NOERROR, List.of(new DnsRecord(name, DnsType.A, ttl, address)),
        DnssecStatus.SECURE, "answered");
  }

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final Counting upstream = new Counting();
  private final CachingResolver cache =
      new CachingResolver(upstream, 3, Duration.ofHours(1), Duration.ofSeconds(60), now::get);

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void anAnswerIsKeptForItsTtlWithItsDnssecStatus() {
    upstream.answers.put("mx1.example.org A", a("mx1.example.org", 300, "192.0.2.1"));

    DnsAnswer first = cache.query("mx1.example.org", DnsType.A);
    DnsAnswer again = cache.query("MX1.Example.ORG.", DnsType.A); // case and trailing dot do not matter
    advance(Duration.ofSeconds(299));
    cache.query("mx1.example.org", DnsType.A);

    assertThat(upstream.asked("mx1.example.org", DnsType.A)).isEqualTo(1);
    assertThat(again).isSameAs(first);
    assertThat(again.dnssec()).isEqualTo(DnssecStatus.SECURE);

    advance(Duration.ofSeconds(1));
    cache.query("mx1.example.org", DnsType.A);
    assertThat(upstream.asked("mx1.example.org", DnsType.A)).as("asked again once the TTL has run out").isEqualTo(2);
  }

  @Test
  void theSmallestTtlOfTheRecordsCountsAndMaxTtlCapsIt() {
    upstream.answers.put("two.example.org A", new DnsAnswer(DnsStatus.NOERROR, List.of(
        new DnsRecord("two.example.org", DnsType.A, 86_400, "192.0.2.1"),
        new DnsRecord("two.example.org", DnsType.A, 10, "192.0.2.2")), DnssecStatus.INSECURE, "answered"));
    upstream.answers.put("long.example.org A", a("long.example.org", 7 * 86_400, "192.0.2.3"));

    cache.query("two.example.org", DnsType.A);
    cache.query("long.example.org", DnsType.A);
    advance(Duration.ofSeconds(10));
    cache.query("two.example.org", DnsType.A);
    advance(Duration.ofHours(1));
    cache.query("long.example.org", DnsType.A);

    assertThat(upstream.asked("two.example.org", DnsType.A)).isEqualTo(2);
    assertThat(upstream.asked("long.example.org", DnsType.A)).as("kept an hour, not a week").isEqualTo(2);
  }

  @Test
  void answersWithoutRecordsAreKeptForTheNegativeTtlAndFailuresNever() {
    upstream.answers.put("empty.example.org AAAA", DnsAnswer.empty(DnsStatus.NOERROR, "no AAAA"));
    upstream.answers.put("broken.example.org A", DnsAnswer.empty(DnsStatus.SERVFAIL, "bogus"));
    upstream.answers.put("slow.example.org A", DnsAnswer.empty(DnsStatus.TIMEOUT, "no answer"));

    for (int i = 0; i < 3; i++) {
      cache.query("gone.example.org", DnsType.MX); // NXDOMAIN
      cache.query("empty.example.org", DnsType.AAAA);
      cache.query("broken.example.org", DnsType.A);
      cache.query("slow.example.org", DnsType.A);
    }
    assertThat(upstream.asked("gone.example.org", DnsType.MX)).isEqualTo(1);
    assertThat(upstream.asked("empty.example.org", DnsType.AAAA)).isEqualTo(1);
    assertThat(upstream.asked("broken.example.org", DnsType.A)).isEqualTo(3);
    assertThat(upstream.asked("slow.example.org", DnsType.A)).isEqualTo(3);

    advance(Duration.ofSeconds(60));
    cache.query("gone.example.org", DnsType.MX);
    assertThat(upstream.asked("gone.example.org", DnsType.MX)).isEqualTo(2);
  }

  @Test
  void theLeastRecentlyUsedAnswerGoesFirstPastTheBound() {
    for (String n : List.of("a", "b", "c")) {
      upstream.answers.put(n + ".example.org A", a(n + ".example.org", 300, "192.0.2.1"));
      cache.query(n + ".example.org", DnsType.A);
    }
    cache.query("a.example.org", DnsType.A); // a is now more recent than b
    upstream.answers.put("d.example.org A", a("d.example.org", 300, "192.0.2.4"));
    cache.query("d.example.org", DnsType.A); // over the bound of 3: b goes

    cache.query("a.example.org", DnsType.A);
    cache.query("b.example.org", DnsType.A);
    assertThat(cache.size()).isEqualTo(3);
    assertThat(upstream.asked("a.example.org", DnsType.A)).isEqualTo(1);
    assertThat(upstream.asked("b.example.org", DnsType.A)).isEqualTo(2);
  }

  @Test
  void concurrentQueriesForOneNameWaitForTheOneLookupInFlight() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    DnsResolver gated = (name, type) -> {
      calls.incrementAndGet();
      entered.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return a(name, 300, "192.0.2.9");
    };
    DnsResolver shared = DnsResolvers.caching(gated, 100);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      Future<DnsAnswer> first = pool.submit(() -> shared.query("mx.example.org", DnsType.A));
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      List<Future<DnsAnswer>> others = new java.util.ArrayList<>();
      for (int i = 0; i < 7; i++) {
        others.add(pool.submit(() -> shared.query("mx.example.org", DnsType.A)));
      }
      release.countDown();
      DnsAnswer answer = first.get(10, TimeUnit.SECONDS);
      for (Future<DnsAnswer> f : others) {
        assertThat(f.get(10, TimeUnit.SECONDS)).isSameAs(answer);
      }
      assertThat(calls).hasValue(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aLookupThatThrowsIsNotKept() {
    AtomicInteger calls = new AtomicInteger();
    DnsResolver throwing = (name, type) -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("resolver broke");
      }
      return a(name, 300, "192.0.2.7");
    };
    DnsResolver shared = DnsResolvers.caching(throwing, 10);
    assertThatThrownBy(() -> shared.query("x.example.org", DnsType.A)).hasMessage("resolver broke");
    assertThat(shared.query("x.example.org", DnsType.A).records()).hasSize(1);
    assertThat(calls).hasValue(2);
  }

  @Test
  void boundsAreChecked() {
    assertThatThrownBy(() -> DnsResolvers.caching(upstream, 0)).hasMessageContaining("maxEntries must be at least 1: 0");
    assertThatThrownBy(() -> DnsResolvers.caching(upstream, 10, Duration.ZERO, Duration.ZERO))
        .hasMessageContaining("maxTtl must be positive");
    assertThatThrownBy(() -> DnsResolvers.caching(upstream, 10, Duration.ofSeconds(1), Duration.ofSeconds(-1)))
        .hasMessageContaining("negativeTtl must not be negative");
  }
}
