package dev.smtptls.crl;

import static java.util.Objects.requireNonNull;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The response cache of one {@link OcspChecker}: verified good and revoked answers until their
 * nextUpdate (never longer than the maximum age), failures for at most {@link #NEGATIVE_TTL},
 * concurrent asks for the same key coalesced into one request, at most {@link #MAX_ENTRIES}
 * answers (the eldest evicted first). Thread-safe.
 */
final class OcspCache {

  /** How long a failure is reused at most, so a dead responder is not hammered but recovers quickly. */
  static final Duration NEGATIVE_TTL = Duration.ofSeconds(30);

  /** The most answers kept; the eldest is evicted first. */
  static final int MAX_ENTRIES = 10_000;

  /** What is asked: responder URL, SHA-1 hash of the issuer's key (hex), serial number. */
  record Key(String url, String issuerKeyHash, BigInteger serial) {}

  /** What a responder said: good, revoked, or a failure in words. */
  record Answer(Kind kind, String reason, @Nullable Instant revokedAt, @Nullable Instant nextUpdate) {
    enum Kind { GOOD, REVOKED, FAILED }

    static Answer good(@Nullable Instant nextUpdate) {
      return new Answer(Kind.GOOD, "", null, nextUpdate);
    }

    static Answer revoked(String reason, Instant revokedAt, @Nullable Instant nextUpdate) {
      return new Answer(Kind.REVOKED, reason, revokedAt, nextUpdate);
    }

    static Answer failed(String reason) {
      return new Answer(Kind.FAILED, reason, null, null);
    }
  }

  private record Cached(Answer answer, Instant expires) {}

  private final Clock clock;
  private final Duration maxAge;
  private final Duration wait;
  private final Map<Key, Cached> answers = new LinkedHashMap<>(64, 0.75f, false) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, Cached> eldest) {
      return size() > MAX_ENTRIES;
    }
  };
  private final ConcurrentHashMap<Key, CompletableFuture<Answer>> inFlight = new ConcurrentHashMap<>();

  /**
   * @param clock judges expiry
   * @param maxAge the longest an answer is reused; zero turns the cache off
   * @param wait how long a caller waits for another's request to the same key
   */
  OcspCache(Clock clock, Duration maxAge, Duration wait) {
    this.clock = requireNonNull(clock, "clock");
    this.maxAge = requireNonNull(maxAge, "maxAge");
    this.wait = requireNonNull(wait, "wait");
  }

  /** {@return the number of answers kept, expired ones included until evicted or asked again} */
  int size() {
    synchronized (answers) {
      return answers.size();
    }
  }

  /**
   * The answer for a key: the cached one while it is fresh, else the one another caller is
   * fetching now, else the one {@code fetch} gives (which is then cached).
   */
  Answer get(Key key, Supplier<Answer> fetch) {
    if (maxAge.isZero()) {
      return fetch.get();
    }
    Answer cached = fresh(key);
    if (cached != null) {
      return cached;
    }
    CompletableFuture<Answer> mine = new CompletableFuture<>();
    CompletableFuture<Answer> theirs = inFlight.putIfAbsent(key, mine);
    if (theirs != null) {
      return await(theirs);
    }
    try {
      Answer again = fresh(key); // stored between our look and our claim
      if (again != null) {
        mine.complete(again);
        return again;
      }
      Answer a;
      try {
        a = fetch.get();
      } catch (RuntimeException | Error e) {
        mine.completeExceptionally(e);
        throw e;
      }
      if (!Thread.currentThread().isInterrupted()) { // an interrupted fetch says nothing about the responder
        store(key, a);
      }
      mine.complete(a);
      return a;
    } finally {
      inFlight.remove(key, mine);
    }
  }

  private @Nullable Answer fresh(Key key) {
    Instant now = clock.instant();
    synchronized (answers) {
      Cached c = answers.get(key);
      if (c == null) {
        return null;
      }
      if (now.isBefore(c.expires())) {
        return c.answer();
      }
      answers.remove(key);
      return null;
    }
  }

  private void store(Key key, Answer a) {
    Instant now = clock.instant();
    Instant expires;
    if (a.kind() == Answer.Kind.FAILED) {
      expires = now.plus(NEGATIVE_TTL.compareTo(maxAge) < 0 ? NEGATIVE_TTL : maxAge);
    } else {
      expires = now.plus(maxAge);
      Instant next = a.nextUpdate();
      if (next != null && next.isBefore(expires)) {
        expires = next;
      }
    }
    if (!now.isBefore(expires)) {
      return;
    }
    synchronized (answers) {
      answers.remove(key); // re-inserted last: the eldest is the one stored longest ago
      answers.put(key, new Cached(a, expires));
    }
  }

  private Answer await(CompletableFuture<Answer> theirs) {
    try {
      return theirs.get(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Answer.failed("interrupted while waiting for another check's request to this responder");
    } catch (TimeoutException e) {
      return Answer.failed("another check's request to this responder gave no answer within "
          + OcspHttp.duration(wait));
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      return Answer.failed("another check's request to this responder failed: "
          + (cause == null ? e : cause));
    }
  }
}
