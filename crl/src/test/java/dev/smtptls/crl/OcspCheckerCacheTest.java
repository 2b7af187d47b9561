package dev.smtptls.crl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.testkit.ocsp.OcspFault;
import dev.smtptls.testkit.ocsp.OcspResponder;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.RevocationReason;
import dev.smtptls.testkit.pki.TestPki;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The response cache of {@link OcspChecker}: a real {@link OcspResponder} on 127.0.0.1 and a
 * mutable clock shared by the responder (which dates its answers: nextUpdate an hour on) and the
 * checker (which judges freshness and expiry).
 */
class OcspCheckerCacheTest {

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
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
      return now;
    }
  }

  private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private TestPki pki;
  private OcspResponder responder;
  private IssuedCertificate leaf;

  @BeforeEach
  void start() {
    pki = TestPki.create();
    responder = OcspResponder.builder(pki.intermediate()).clock(clock).slowDelay(Duration.ofMillis(400)).start();
    leaf = issue("mx.example.test");
  }

  @AfterEach
  void stop() {
    responder.close();
  }

  private IssuedCertificate issue(String dns) {
    return pki.newLeaf().dnsNames(dns).ocspUrl(responder.uri()).issue();
  }

  private List<X509Certificate> path(IssuedCertificate c) {
    return List.of(c.certificate(), pki.intermediate().certificate(), pki.root().certificate());
  }

  private OcspChecker.Builder quick() {
    return OcspChecker.builder().clock(clock).connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(5));
  }

  private static List<FindingCode> codes(List<Finding> findings) {
    return findings.stream().map(Finding::code).toList();
  }

  @Test
  void aSecondCheckReusesTheAnswer() {
    responder.good(leaf.certificate());
    OcspChecker checker = quick().build();

    assertThat(checker.check(path(leaf), Instant.now())).isEmpty();
    assertThat(checker.check(path(leaf), Instant.now())).isEmpty();
    assertThat(responder.requestCount()).isEqualTo(1);
  }

  @Test
  void afterNextUpdateTheResponderIsAskedAgain() {
    responder.good(leaf.certificate());
    OcspChecker checker = quick().maxCacheAge(Duration.ofHours(3)).build();

    assertThat(checker.check(path(leaf), Instant.now())).isEmpty();
    clock.advance(Duration.ofMinutes(59));
    assertThat(checker.check(path(leaf), Instant.now())).isEmpty();
    assertThat(responder.requestCount()).isEqualTo(1);

    clock.advance(Duration.ofMinutes(1)); // nextUpdate (an hour after the answer) has come
    assertThat(checker.check(path(leaf), Instant.now())).isEmpty();
    assertThat(responder.requestCount()).isEqualTo(2);
  }

  @Test
  void maxCacheAgeCapsAnAnswerThatIsGoodForLonger() {
    responder.good(leaf.certificate());
    OcspChecker checker = quick().maxCacheAge(Duration.ofMinutes(10)).build();

    checker.check(path(leaf), Instant.now());
    clock.advance(Duration.ofMinutes(9));
    checker.check(path(leaf), Instant.now());
    assertThat(responder.requestCount()).isEqualTo(1);
    clock.advance(Duration.ofMinutes(1));
    checker.check(path(leaf), Instant.now());
    assertThat(responder.requestCount()).isEqualTo(2);
  }

  @Test
  void aZeroMaxCacheAgeTurnsTheCacheOff() {
    responder.good(leaf.certificate());
    OcspChecker checker = quick().maxCacheAge(Duration.ZERO).build();

    checker.check(path(leaf), Instant.now());
    checker.check(path(leaf), Instant.now());
    assertThat(responder.requestCount()).isEqualTo(2);
    assertThat(checker.maxCacheAge()).isZero();
    assertThat(checker.toString()).contains("cache off");
  }

  @Test
  void aRevokedAnswerIsCachedToo() {
    Instant revokedAt = clock.instant().minus(Duration.ofDays(1));
    responder.revoked(leaf.certificate(), RevocationReason.KEY_COMPROMISE, revokedAt);
    OcspChecker checker = quick().build();

    for (int i = 0; i < 3; i++) {
      assertThat(checker.check(path(leaf), Instant.now())).singleElement().satisfies(f -> {
        assertThat(f.code()).isEqualTo(FindingCode.OCSP_REVOKED);
        assertThat(f.evidence("reason")).contains("keyCompromise");
        assertThat(f.evidence("revokedAt")).contains(revokedAt.toString());
        assertThat(f.evidence("subject")).contains("CN=mx.example.test");
      });
    }
    assertThat(responder.requestCount()).isEqualTo(1);
  }

  @Test
  void aFailureIsCachedBrieflyThenTheResponderIsAskedAgain() {
    responder.good(leaf.certificate());
    responder.fault(OcspFault.NOT_FOUND);
    OcspChecker checker = quick().build();

    assertThat(codes(checker.check(path(leaf), Instant.now()))).containsExactly(FindingCode.OCSP_UNAVAILABLE);
    responder.clearFault();
    assertThat(codes(checker.check(path(leaf), Instant.now()))).containsExactly(FindingCode.OCSP_UNAVAILABLE);
    assertThat(responder.requestCount()).isEqualTo(1); // the dead responder is not hammered

    clock.advance(Duration.ofSeconds(29));
    assertThat(codes(checker.check(path(leaf), Instant.now()))).containsExactly(FindingCode.OCSP_UNAVAILABLE);
    assertThat(responder.requestCount()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(1)); // the negative TTL is over
    assertThat(checker.check(path(leaf), Instant.now())).isEmpty();
    assertThat(responder.requestCount()).isEqualTo(2);
    assertThat(checker.check(path(leaf), Instant.now())).isEmpty();
    assertThat(responder.requestCount()).isEqualTo(2);
  }

  @Test
  void concurrentChecksOfOneCertificateShareOneRequest() throws Exception {
    responder.good(leaf.certificate());
    responder.fault(OcspFault.SLOW); // answers after 400 ms, so the checks overlap
    OcspChecker checker = quick().build();
    int n = 16;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch ready = new CountDownLatch(n);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<List<Finding>>> results = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        results.add(pool.submit(() -> {
          ready.countDown();
          go.await();
          return checker.check(path(leaf), Instant.now());
        }));
      }
      assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
      go.countDown();
      for (Future<List<Finding>> r : results) {
        assertThat(r.get(10, TimeUnit.SECONDS)).isEmpty();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(responder.requestCount()).isEqualTo(1);
  }

  @Test
  void differentCertificatesAreNotConfused() {
    IssuedCertificate other = issue("mx2.example.test");
    responder.good(leaf.certificate());
    responder.revoked(other.certificate(), RevocationReason.SUPERSEDED, clock.instant().minus(Duration.ofDays(1)));
    OcspChecker checker = quick().build();

    for (int i = 0; i < 2; i++) {
      assertThat(checker.check(path(leaf), Instant.now())).isEmpty();
      assertThat(checker.check(path(other), Instant.now())).singleElement().satisfies(f -> {
        assertThat(f.code()).isEqualTo(FindingCode.OCSP_REVOKED);
        assertThat(f.evidence("subject")).contains("CN=mx2.example.test");
        assertThat(f.evidence("reason")).contains("superseded");
      });
    }
    assertThat(responder.requestCount()).isEqualTo(2);
  }

  @Test
  void checkersDoNotShareTheirCaches() {
    responder.good(leaf.certificate());

    quick().build().check(path(leaf), Instant.now());
    quick().build().check(path(leaf), Instant.now());
    assertThat(responder.requestCount()).isEqualTo(2);
  }

  @Test
  void maxCacheAgeIsValidatedAndSetOnce() {
    assertThat(OcspChecker.builder().build().maxCacheAge()).isEqualTo(OcspChecker.DEFAULT_MAX_CACHE_AGE);
    assertThatThrownBy(() -> OcspChecker.builder().maxCacheAge(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OcspChecker.builder().maxCacheAge(Duration.ofMinutes(1)).maxCacheAge(Duration.ofMinutes(2)))
        .isInstanceOf(IllegalStateException.class);
  }
}
