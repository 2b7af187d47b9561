package dev.smtptls.crl.internal;

import static java.util.Objects.requireNonNull;

import dev.smtptls.crl.internal.FetchResult.Failed;
import dev.smtptls.crl.internal.FetchResult.Fetched;
import dev.smtptls.crl.internal.FetchResult.NotModified;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A cache of decoded CRLs keyed by URL, in front of a {@link CrlFetcher}.
 *
 * <p>An entry is served from the cache while {@code now < min(nextUpdate, fetchedAt + maxAge)}
 * (by the injected clock; {@code nextUpdate} as the given function reads it from the decoded
 * value, none meaning {@code maxAge} alone). After that the next {@link #get} fetches again,
 * conditionally ({@code If-None-Match} / {@code If-Modified-Since} with the validators of the copy
 * held); a {@code 304 Not Modified} keeps the decoded value. A CRL already past its {@code
 * nextUpdate} when fetched is kept for the short negative time (30 s), so that a stale CRL is not
 * fetched again on every call. A failed fetch, or a body that does not decode, is cached for that
 * short time only.
 *
 * <p>Concurrent {@link #get} calls for one URL share one fetch: the first caller fetches and
 * decodes on its own thread, the others wait for its result (bounded by the fetcher's timeouts
 * and the decoder). A waiting caller that is interrupted returns at once with a {@link
 * FetchResult.Failure#IO} "interrupted" result and its interrupt flag set; when the fetching
 * caller is interrupted, nothing is cached and one of the waiters fetches instead.
 *
 * <p>The cache holds one entry per URL asked for, until {@link #invalidate} or {@link #clear}:
 * the decoded value and the last fetch result (for a fetched CRL that includes its bytes). It
 * does not depend on what the decoded value is.
 *
 * <p>Thread-safe.
 *
 * @param <T> the decoded CRL
 */
public final class CrlCache<T> {

  /** How long a failed fetch or an undecodable body is cached: 30 s. */
  public static final Duration DEFAULT_NEGATIVE_TTL = Duration.ofSeconds(30);

  /**
   * Turns a fetched body into the cached value, e.g. {@code ParsedCrl::parse}.
   *
   * @param <T> the decoded CRL
   */
  @FunctionalInterface
  public interface Decoder<T> {
    /**
     * Decodes a body.
     *
     * @param body the bytes as fetched
     * @return the decoded value
     * @throws Exception if the body is not a usable CRL; its message becomes {@link
     *     Entry#decodeError()}
     */
    T decode(byte[] body) throws Exception;
  }

  /**
   * What {@link #get} returns for a URL.
   *
   * @param uri the URL
   * @param value the decoded CRL; null when {@code lastFetch} is a {@link Failed} or the body did
   *     not decode
   * @param lastFetch the fetch that gave this entry: {@link Fetched}, {@link NotModified} (the
   *     value was revalidated) or {@link Failed}
   * @param decodeError why the fetched body did not decode, or null
   * @param fromCache true when the value is one the cache held before this call (served without a
   *     fetch, or revalidated by {@code 304 Not Modified}), and for a cached failure; false when
   *     this call (or the concurrent call it joined) fetched it
   * @param <T> the decoded CRL
   */
  public record Entry<T>(
      URI uri, @Nullable T value, FetchResult lastFetch, @Nullable String decodeError, boolean fromCache) {

    /** Validates. */
    public Entry {
      requireNonNull(uri, "uri");
      requireNonNull(lastFetch, "lastFetch");
    }

    Entry<T> cached() {
      return fromCache ? this : new Entry<>(uri, value, lastFetch, decodeError, true);
    }
  }

  /** The last good copy of one URL, its validators and the entry to serve while fresh. */
  private static final class Slot<T> {
    // all guarded by this
    @Nullable T value;
    @Nullable Instant valueNextUpdate;
    @Nullable String etag;
    @Nullable String lastModified;
    @Nullable Entry<T> last;
    Instant freshUntil = Instant.MIN;
    @Nullable CompletableFuture<Outcome<T>> inFlight;
  }

  /** An entry for the caller, or (entry null) "the fetching caller was interrupted: try again". */
  private record Outcome<T>(@Nullable Entry<T> entry) {}

  private final CrlFetcher fetcher;
  private final Decoder<T> decoder;
  private final Function<T, @Nullable Instant> nextUpdate;
  private final Duration maxAge;
  private final Clock clock;
  private final Duration negativeTtl;
  private final Runnable onJoin;
  private final ConcurrentHashMap<URI, Slot<T>> slots = new ConcurrentHashMap<>();

  /**
   * A cache.
   *
   * @param fetcher fetches on a miss
   * @param decoder turns a body into the cached value
   * @param nextUpdate reads {@code nextUpdate} from a decoded value (null when it has none)
   * @param maxAge the longest a value is served without asking the server again, whatever its
   *     {@code nextUpdate}; zero asks on every call (concurrent calls still share a fetch)
   * @param clock decides freshness
   * @throws IllegalArgumentException if {@code maxAge} is negative
   */
  public CrlCache(
      CrlFetcher fetcher,
      Decoder<T> decoder,
      Function<T, @Nullable Instant> nextUpdate,
      Duration maxAge,
      Clock clock) {
    this(fetcher, decoder, nextUpdate, maxAge, clock, DEFAULT_NEGATIVE_TTL, () -> {});
  }

  /** For tests: a negative TTL and a hook run when a caller joins a fetch in flight. */
  CrlCache(
      CrlFetcher fetcher,
      Decoder<T> decoder,
      Function<T, @Nullable Instant> nextUpdate,
      Duration maxAge,
      Clock clock,
      Duration negativeTtl,
      Runnable onJoin) {
    this.fetcher = requireNonNull(fetcher, "fetcher");
    this.decoder = requireNonNull(decoder, "decoder");
    this.nextUpdate = requireNonNull(nextUpdate, "nextUpdate");
    this.maxAge = requireNonNull(maxAge, "maxAge");
    if (maxAge.isNegative()) {
      throw new IllegalArgumentException("maxAge must not be negative, got " + maxAge);
    }
    this.clock = requireNonNull(clock, "clock");
    this.negativeTtl = requireNonNull(negativeTtl, "negativeTtl");
    this.onJoin = requireNonNull(onJoin, "onJoin");
  }

  /**
   * The CRL at a URL: from the cache while fresh, else fetched (conditionally when a copy is
   * held), decoded and cached. Never throws for remote failures or undecodable bodies.
   *
   * @param uri the URL
   * @return the entry
   */
  public Entry<T> get(URI uri) {
    requireNonNull(uri, "uri");
    long start = System.nanoTime();
    while (true) {
      Slot<T> slot = slots.computeIfAbsent(uri, k -> new Slot<>());
      CompletableFuture<Outcome<T>> pending;
      boolean leader = false;
      @Nullable String etag = null;
      @Nullable String lastModified = null;
      synchronized (slot) {
        Entry<T> last = slot.last;
        if (last != null && clock.instant().isBefore(slot.freshUntil)) {
          return last.cached();
        }
        CompletableFuture<Outcome<T>> inFlight = slot.inFlight;
        if (inFlight != null) {
          pending = inFlight;
        } else {
          pending = new CompletableFuture<>();
          slot.inFlight = pending;
          leader = true;
          if (slot.value != null) {
            etag = slot.etag;
            lastModified = slot.lastModified;
          }
        }
      }
      if (leader) {
        Outcome<T> outcome;
        try {
          outcome = load(slot, uri, etag, lastModified);
        } catch (RuntimeException | Error e) {
          synchronized (slot) {
            slot.inFlight = null;
          }
          pending.completeExceptionally(e);
          throw e;
        }
        pending.complete(outcome);
        Entry<T> entry = outcome.entry();
        if (entry != null) {
          return entry;
        }
        // Interrupted while fetching: nothing was cached; the flag is set.
        return interrupted(uri, start);
      }
      onJoin.run();
      Outcome<T> outcome;
      try {
        outcome = pending.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return interrupted(uri, start);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException runtime) {
          throw runtime;
        }
        if (cause instanceof Error error) {
          throw error;
        }
        throw new IllegalStateException(cause);
      }
      Entry<T> entry = outcome.entry();
      if (entry != null) {
        return entry;
      }
      // the fetching caller was interrupted: try again, perhaps as the one who fetches
    }
  }

  /**
   * Forgets a URL: the next {@link #get} fetches it unconditionally. A fetch in flight completes
   * for its callers but is not cached.
   *
   * @param uri the URL
   */
  public void invalidate(URI uri) {
    slots.remove(requireNonNull(uri, "uri"));
  }

  /** Forgets every URL, as {@link #invalidate} does for one. */
  public void clear() {
    slots.clear();
  }

  private Outcome<T> load(Slot<T> slot, URI uri, @Nullable String etag, @Nullable String lastModified) {
    FetchResult result = fetcher.fetch(uri, etag, lastModified);
    if (result instanceof Failed && Thread.currentThread().isInterrupted()) {
      synchronized (slot) {
        slot.inFlight = null;
      }
      return new Outcome<>(null);
    }
    if (result instanceof Fetched fetched) {
      T value;
      Instant next;
      try {
        value = decoder.decode(fetched.body());
        next = nextUpdate.apply(value);
      } catch (Exception e) {
        String message = e.getMessage();
        String error = message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
        Entry<T> entry = new Entry<>(uri, null, fetched, error, false);
        synchronized (slot) {
          slot.value = null;
          slot.valueNextUpdate = null;
          slot.etag = null;
          slot.lastModified = null;
          store(slot, entry, clock.instant().plus(negativeTtl));
        }
        return new Outcome<>(entry);
      }
      Entry<T> entry = new Entry<>(uri, value, fetched, null, false);
      synchronized (slot) {
        slot.value = value;
        slot.valueNextUpdate = next;
        slot.etag = fetched.etag();
        slot.lastModified = fetched.lastModified();
        store(slot, entry, freshUntil(next));
      }
      return new Outcome<>(entry);
    }
    if (result instanceof NotModified) {
      synchronized (slot) {
        T value = slot.value;
        Entry<T> entry;
        if (value != null) {
          entry = new Entry<>(uri, value, result, null, true);
          store(slot, entry, freshUntil(slot.valueNextUpdate));
        } else {
          // Not reachable through get(): validators are only sent with a value held.
          entry = new Entry<>(uri, null, result,
              "the server answered 304 Not Modified, but no copy of the CRL is held", false);
          store(slot, entry, clock.instant().plus(negativeTtl));
        }
        return new Outcome<>(entry);
      }
    }
    Entry<T> entry = new Entry<>(uri, null, result, null, false);
    synchronized (slot) {
      store(slot, entry, clock.instant().plus(negativeTtl));
    }
    return new Outcome<>(entry);
  }

  /** min(nextUpdate, now + maxAge); a time already past becomes now + the negative TTL. */
  private Instant freshUntil(@Nullable Instant next) {
    Instant now = clock.instant();
    Instant until = now.plus(maxAge);
    if (next != null && next.isBefore(until)) {
      until = next;
    }
    if (!until.isAfter(now) && !maxAge.isZero()) {
      until = now.plus(negativeTtl.compareTo(maxAge) < 0 ? negativeTtl : maxAge);
    }
    return until;
  }

  private static <T> void store(Slot<T> slot, Entry<T> entry, Instant freshUntil) {
    slot.last = entry;
    slot.freshUntil = freshUntil;
    slot.inFlight = null;
  }

  private Entry<T> interrupted(URI uri, long start) {
    return new Entry<>(uri, null,
        new Failed(uri, FetchResult.Failure.IO, "interrupted before the CRL arrived", null,
            Duration.ofNanos(System.nanoTime() - start)),
        null, false);
  }
}
