package dev.smtptls.crl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import dev.smtptls.crl.internal.CrlCache.Entry;
import dev.smtptls.crl.internal.FetchResult.Failed;
import dev.smtptls.crl.internal.FetchResult.Failure;
import dev.smtptls.crl.internal.FetchResult.Fetched;
import dev.smtptls.crl.internal.FetchResult.NotModified;
import dev.smtptls.testkit.crl.CrlFault;
import dev.smtptls.testkit.crl.CrlServer;
import dev.smtptls.testkit.pki.TestPki;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CrlCacheTest {
  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final Duration MAX_AGE = Duration.ofHours(1);
  private static final Duration NEGATIVE_TTL = Duration.ofSeconds(30);

  private final MutableClock clock = new MutableClock(NOW);
  private final TestPki pki = TestPki.builder().clock(clock).build();
  private final CrlFetcher fetcher =
      new CrlFetcher(Duration.ofSeconds(5), Duration.ofSeconds(10), 1 << 20, clock);
  private final AtomicInteger decodes = new AtomicInteger();
  private CrlServer server;

  @BeforeEach
  void start() {
    server = CrlServer.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private X509CRL decode(byte[] body) throws Exception {
    decodes.incrementAndGet();
    return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(body));
  }

  private static @Nullable Instant nextUpdate(X509CRL crl) {
    return crl.getNextUpdate() == null ? null : crl.getNextUpdate().toInstant();
  }

  private CrlCache<X509CRL> cache(Duration maxAge) {
    return new CrlCache<>(fetcher, this::decode, CrlCacheTest::nextUpdate, maxAge, clock);
  }

  private X509CRL crl(Duration lifetime) {
    return pki.newCrl(pki.intermediate()).thisUpdate(clock.instant()).nextUpdate(clock.instant().plus(lifetime)).build();
  }

  @Test
  void servesFromTheCacheUntilMaxAgeThenRevalidatesWith304() throws Exception {
    X509CRL crl = crl(Duration.ofDays(7));
    URI uri = server.publish("/a.crl", crl);
    CrlCache<X509CRL> cache = cache(MAX_AGE);

    Entry<X509CRL> first = cache.get(uri);
    assertThat(first.fromCache()).isFalse();
    assertThat(first.value()).isEqualTo(crl);
    assertThat(first.decodeError()).isNull();
    assertThat(first.lastFetch()).isInstanceOf(Fetched.class);

    clock.advance(MAX_AGE.minusSeconds(1));
    Entry<X509CRL> cached = cache.get(uri);
    assertThat(cached.fromCache()).isTrue();
    assertThat(cached.value()).isSameAs(first.value());
    assertThat(server.requestCount("/a.crl")).isEqualTo(1);

    clock.advance(Duration.ofSeconds(1)); // now == fetchedAt + maxAge: stale
    Entry<X509CRL> revalidated = cache.get(uri);
    assertThat(server.requestCount("/a.crl")).isEqualTo(2);
    assertThat(server.lastRequestHeaders("/a.crl"))
        .containsKey("If-None-Match")
        .containsKey("If-Modified-Since");
    assertThat(revalidated.lastFetch()).isInstanceOf(NotModified.class);
    assertThat(revalidated.fromCache()).isTrue();
    assertThat(revalidated.value()).isSameAs(first.value());
    assertThat(decodes).hasValue(1);

    // fresh again for maxAge from the revalidation
    clock.advance(MAX_AGE.minusSeconds(1));
    assertThat(cache.get(uri).fromCache()).isTrue();
    assertThat(server.requestCount("/a.crl")).isEqualTo(2);
  }

  @Test
  void nextUpdateBeforeMaxAgeTriggersTheRefetch() {
    URI uri = server.publish("/a.crl", crl(Duration.ofMinutes(10)));
    CrlCache<X509CRL> cache = cache(MAX_AGE);
    cache.get(uri);

    clock.advance(Duration.ofMinutes(9));
    assertThat(cache.get(uri).fromCache()).isTrue();

    X509CRL newer = crl(Duration.ofDays(1));
    server.publish("/a.crl", newer);
    clock.advance(Duration.ofMinutes(1)); // at nextUpdate
    Entry<X509CRL> refetched = cache.get(uri);

    assertThat(refetched.fromCache()).isFalse();
    assertThat(refetched.value()).isEqualTo(newer);
    assertThat(refetched.lastFetch()).isInstanceOf(Fetched.class);
    assertThat(server.requestCount("/a.crl")).isEqualTo(2);
  }

  @Test
  void aCrlAlreadyStaleIsAskedForAgainOnlyAfterTheNegativeTtl() {
    X509CRL stale = pki.newCrl(pki.intermediate())
        .thisUpdate(NOW.minus(Duration.ofDays(8)))
        .nextUpdate(NOW.minus(Duration.ofDays(1)))
        .build();
    URI uri = server.publish("/stale.crl", stale);
    CrlCache<X509CRL> cache = cache(MAX_AGE);

    assertThat(cache.get(uri).value()).isEqualTo(stale); // the checker decides it is expired
    clock.advance(NEGATIVE_TTL.minusSeconds(1));
    assertThat(cache.get(uri).fromCache()).isTrue();
    assertThat(server.requestCount("/stale.crl")).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    cache.get(uri);
    assertThat(server.requestCount("/stale.crl")).isEqualTo(2);
  }

  @Test
  void failuresAreCachedForTheNegativeTtlOnly() {
    URI uri = server.uri("/a.crl");
    server.fault("/a.crl", CrlFault.NOT_FOUND);
    CrlCache<X509CRL> cache = cache(MAX_AGE);

    Entry<X509CRL> failed = cache.get(uri);
    assertThat(failed.value()).isNull();
    assertThat(failed.fromCache()).isFalse();
    assertThat(failed.lastFetch()).asInstanceOf(type(Failed.class))
        .extracting(Failed::failure).isEqualTo(Failure.HTTP_STATUS);

    clock.advance(NEGATIVE_TTL.minusSeconds(1));
    Entry<X509CRL> again = cache.get(uri);
    assertThat(again.fromCache()).isTrue();
    assertThat(again.lastFetch()).isSameAs(failed.lastFetch());
    assertThat(server.requestCount("/a.crl")).isEqualTo(1);

    server.clearFault("/a.crl");
    X509CRL crl = crl(Duration.ofDays(7));
    server.publish("/a.crl", crl);
    clock.advance(Duration.ofSeconds(1));
    Entry<X509CRL> recovered = cache.get(uri);
    assertThat(recovered.value()).isEqualTo(crl);
    assertThat(recovered.fromCache()).isFalse();
    assertThat(server.requestCount("/a.crl")).isEqualTo(2);
  }

  @Test
  void aFailedRefetchDoesNotServeTheOldValueButKeepsItsValidators() {
    X509CRL crl = crl(Duration.ofDays(7));
    URI uri = server.publish("/a.crl", crl);
    CrlCache<X509CRL> cache = cache(MAX_AGE);
    cache.get(uri);

    server.fault("/a.crl", CrlFault.SERVER_ERROR);
    clock.advance(MAX_AGE);
    Entry<X509CRL> failed = cache.get(uri);
    assertThat(failed.value()).isNull();
    assertThat(failed.lastFetch()).isInstanceOf(Failed.class);

    server.clearFault("/a.crl");
    clock.advance(NEGATIVE_TTL);
    Entry<X509CRL> back = cache.get(uri);
    assertThat(back.lastFetch()).isInstanceOf(NotModified.class);
    assertThat(back.value()).isEqualTo(crl);
    assertThat(decodes).hasValue(1);
  }

  @Test
  void anUndecodableBodyGivesADecodeErrorAndIsRefetchedUnconditionally() {
    URI uri = server.publish("/junk.crl", new byte[] {0x30, 0x03, 1, 2, 3});
    CrlCache<X509CRL> cache = cache(MAX_AGE);

    Entry<X509CRL> entry = cache.get(uri);
    assertThat(entry.value()).isNull();
    assertThat(entry.decodeError()).isNotBlank();
    assertThat(entry.lastFetch()).isInstanceOf(Fetched.class);

    clock.advance(NEGATIVE_TTL);
    cache.get(uri);
    assertThat(server.requestCount("/junk.crl")).isEqualTo(2);
    assertThat(server.lastRequestHeaders("/junk.crl")).doesNotContainKey("If-None-Match");
  }

  @Test
  void invalidateAndClearForget() {
    URI uri = server.publish("/a.crl", crl(Duration.ofDays(7)));
    CrlCache<X509CRL> cache = cache(MAX_AGE);
    cache.get(uri);

    cache.invalidate(uri);
    assertThat(cache.get(uri).fromCache()).isFalse();
    cache.clear();
    assertThat(cache.get(uri).fromCache()).isFalse();
    assertThat(server.requestCount("/a.crl")).isEqualTo(3);
    assertThat(server.lastRequestHeaders("/a.crl")).doesNotContainKey("If-None-Match");
  }

  @Test
  void concurrentGetsForOneUrlShareOneFetch() throws Exception {
    int callers = 20;
    X509CRL crl = crl(Duration.ofDays(7));
    URI uri = server.publish("/a.crl", crl);
    // The fetching caller's decoder waits until the 19 others have joined its fetch.
    CountDownLatch joined = new CountDownLatch(callers - 1);
    CrlCache<X509CRL> cache = new CrlCache<>(
        fetcher,
        body -> {
          assertThat(joined.await(10, TimeUnit.SECONDS)).as("all callers joined the fetch").isTrue();
          return decode(body);
        },
        CrlCacheTest::nextUpdate, MAX_AGE, clock, NEGATIVE_TTL, joined::countDown);
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      List<Future<Entry<X509CRL>>> results = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        results.add(pool.submit(() -> {
          go.await();
          return cache.get(uri);
        }));
      }
      go.countDown();
      int fetched = 0;
      for (Future<Entry<X509CRL>> f : results) {
        Entry<X509CRL> e = f.get(20, TimeUnit.SECONDS);
        assertThat(e.value()).isEqualTo(crl);
        assertThat(e.fromCache()).isFalse();
        fetched += e.lastFetch() instanceof Fetched ? 1 : 0;
      }
      assertThat(fetched).isEqualTo(callers);
      assertThat(joined.getCount()).isZero();
    } finally {
      pool.shutdownNow();
    }
    assertThat(server.requestCount("/a.crl")).isEqualTo(1);
    assertThat(decodes).hasValue(1);
  }

  @Test
  void concurrentGetsOverlappingASlowServerShareOneFetch() throws Exception {
    // The same through the server's SLOW fault: the body takes 300 ms, the callers overlap it.
    try (CrlServer slow = CrlServer.builder().slowDelay(Duration.ofMillis(300)).start()) {
      X509CRL crl = crl(Duration.ofDays(7));
      URI uri = slow.publish("/a.crl", crl);
      slow.fault("/a.crl", CrlFault.SLOW);
      CrlCache<X509CRL> cache = cache(MAX_AGE);
      int callers = 20;
      CountDownLatch go = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(callers);
      try {
        List<Future<Entry<X509CRL>>> results = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
          results.add(pool.submit(() -> {
            go.await();
            return cache.get(uri);
          }));
        }
        go.countDown();
        for (Future<Entry<X509CRL>> f : results) {
          assertThat(f.get(20, TimeUnit.SECONDS).value()).isEqualTo(crl);
        }
      } finally {
        pool.shutdownNow();
      }
      // Late callers find the cached value: one request whatever the overlap.
      assertThat(slow.requestCount("/a.crl")).isEqualTo(1);
    }
  }

  @Test
  void anInterruptedWaiterReturnsAtOnceWithItsFlagSet() throws Exception {
    URI uri = server.publish("/a.crl", crl(Duration.ofDays(7)));
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch joined = new CountDownLatch(1);
    CrlCache<X509CRL> cache = new CrlCache<>(
        fetcher,
        body -> {
          release.await(10, TimeUnit.SECONDS);
          return decode(body);
        },
        CrlCacheTest::nextUpdate, MAX_AGE, clock, NEGATIVE_TTL, joined::countDown);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Entry<X509CRL>> leader = pool.submit(() -> cache.get(uri));
      AtomicReference<Thread> waiterThread = new AtomicReference<>();
      Future<Object[]> waiter = pool.submit(() -> {
        waiterThread.set(Thread.currentThread());
        Entry<X509CRL> e = cache.get(uri);
        return new Object[] {e, Thread.currentThread().isInterrupted()};
      });
      assertThat(joined.await(10, TimeUnit.SECONDS)).isTrue();
      waiterThread.get().interrupt();
      Object[] out = waiter.get(10, TimeUnit.SECONDS);
      @SuppressWarnings("unchecked")
      Entry<X509CRL> e = (Entry<X509CRL>) out[0];
      assertThat(e.value()).isNull();
      assertThat(e.lastFetch()).asInstanceOf(type(Failed.class)).satisfies(f -> {
        assertThat(f.failure()).isEqualTo(Failure.IO);
        assertThat(f.detail()).contains("interrupted");
      });
      assertThat(out[1]).isEqualTo(true);
      release.countDown();
      assertThat(leader.get(10, TimeUnit.SECONDS).value()).isNotNull();
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    private final AtomicReference<Instant> now;

    MutableClock(Instant start) {
      this.now = new AtomicReference<>(start);
    }

    void advance(Duration d) {
      now.updateAndGet(t -> t.plus(d));
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }
}
