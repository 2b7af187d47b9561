package dev.smtptls.internal.dns;

import static java.util.Objects.requireNonNull;

import dev.smtptls.dns.DnsAnswer;
import dev.smtptls.dns.DnsRecord;
import dev.smtptls.dns.DnsStatus;
import dev.smtptls.dns.DnsType;
import dev.smtptls.spi.DnsResolver;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A bounded cache of answers in front of another resolver, for scans in which many domains share
 * their MX hosts. An answer is kept for the smallest TTL of its records, at most {@code maxTtl}; an
 * answer without records (NXDOMAIN, or NOERROR with none of the type) for {@code negativeTtl}
 * (RFC 2308 caps negative caching by the SOA, which answers here do not carry: the bound is
 * short). Failures (SERVFAIL, REFUSED, TIMEOUT, network errors) are never kept. Concurrent
 * queries for one name and type wait for the one lookup in flight. At most {@code maxEntries}
 * answers, the least recently used dropped first. Thread-safe.
 */
public final class CachingResolver implements DnsResolver {

  private final DnsResolver delegate;
  private final int maxEntries;
  private final long maxTtlNanos;
  private final long negativeTtlNanos;
  private final LongSupplier nanoTime;
  // Guarded by itself. Access order: the eldest entry is the least recently used.
  private final LinkedHashMap<Key, Entry> entries;

  /**
   * A cache in front of {@code delegate}.
   *
   * @param delegate the resolver asked on a miss
   * @param maxEntries at least 1
   * @param maxTtl the longest an answer is kept, positive
   * @param negativeTtl how long an answer without records is kept, zero or more
   * @param nanoTime the clock, {@link System#nanoTime} but in tests
   * @throws IllegalArgumentException naming a bound out of range
   */
  public CachingResolver(
      DnsResolver delegate, int maxEntries, Duration maxTtl, Duration negativeTtl, LongSupplier nanoTime) {
    this.delegate = requireNonNull(delegate, "delegate");
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
    }
    if (maxTtl.isNegative() || maxTtl.isZero()) {
      throw new IllegalArgumentException("maxTtl must be positive: " + maxTtl);
    }
    if (negativeTtl.isNegative()) {
      throw new IllegalArgumentException("negativeTtl must not be negative: " + negativeTtl);
    }
    this.maxEntries = maxEntries;
    this.maxTtlNanos = maxTtl.toNanos();
    this.negativeTtlNanos = negativeTtl.toNanos();
    this.nanoTime = requireNonNull(nanoTime, "nanoTime");
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
        return size() > CachingResolver.this.maxEntries;
      }
    };
  }

  @Override
  public DnsAnswer query(String name, DnsType type) {
    Key key = new Key(normalise(name), type);
    @Nullable Entry mine = null;
    Entry e;
    synchronized (entries) {
      e = entries.get(key);
      if (e == null || e.expired(nanoTime.getAsLong())) {
        mine = new Entry();
        entries.put(key, mine);
        e = mine;
      }
    }
    if (mine != null) {
      return lookUp(key, name, type, mine);
    }
    try {
      return e.answer.get();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      return DnsAnswer.empty(DnsStatus.TIMEOUT, "interrupted while waiting for the lookup of " + name + " " + type);
    } catch (ExecutionException | CancellationException ex) {
      // The lookup in flight threw: ask again, on this thread.
      return delegate.query(name, type);
    }
  }

  /** {@return the answers kept now, expired ones included until they are asked for again} */
  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  private DnsAnswer lookUp(Key key, String name, DnsType type, Entry mine) {
    DnsAnswer answer;
    try {
      answer = delegate.query(name, type);
    } catch (RuntimeException | Error ex) {
      forget(key, mine);
      mine.answer.completeExceptionally(ex);
      throw ex;
    }
    long ttl = ttlNanos(answer);
    if (ttl <= 0) {
      forget(key, mine);
    } else {
      mine.expiresAt = nanoTime.getAsLong() + ttl;
    }
    mine.answer.complete(answer);
    return answer;
  }

  private void forget(Key key, Entry mine) {
    synchronized (entries) {
      entries.remove(key, mine);
    }
  }

  private long ttlNanos(DnsAnswer a) {
    if (a.status() != DnsStatus.NOERROR && a.status() != DnsStatus.NXDOMAIN) {
      return 0;
    }
    if (a.records().isEmpty()) {
      return negativeTtlNanos;
    }
    long min = Long.MAX_VALUE;
    for (DnsRecord r : a.records()) {
      min = Math.min(min, r.ttl());
    }
    return min >= maxTtlNanos / 1_000_000_000L ? maxTtlNanos : Duration.ofSeconds(min).toNanos();
  }

  private static String normalise(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  private record Key(String name, DnsType type) {}

  private static final class Entry {
    final CompletableFuture<DnsAnswer> answer = new CompletableFuture<>();
    // Written before answer completes, by the one thread looking up; read under the map's lock
    // after completion (happens-before through the future) or never.
    volatile long expiresAt = Long.MAX_VALUE;

    boolean expired(long now) {
      return answer.isDone() && now - expiresAt >= 0;
    }
  }

  @Override
  public String toString() {
    return "CachingResolver[" + delegate + ", " + maxEntries + " entries]";
  }
}
