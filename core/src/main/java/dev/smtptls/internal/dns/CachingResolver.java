package dev.smtptls.internal.dns;

import static java.util.Objects.requireNonNull;

import dev.smtptls.dns.DnsAnswer;
import dev.smtptls.dns.DnsRecord;
import dev.smtptls.dns.DnsStatus;
import dev.smtptls.dns.DnsType;
import dev.smtptls.internal.scan.SharedResults;
import dev.smtptls.spi.DnsResolver;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A bounded cache of answers in front of another resolver, for scans in which many domains share
 * their MX hosts. An answer is kept for the smallest TTL of its records, at most {@code maxTtl}; an
 * answer without records (NXDOMAIN, or NOERROR with none of the type) for {@code negativeTtl}
 * (RFC 2308 caps negative caching by the SOA, which answers here do not carry: the bound is
 * short). Failures (SERVFAIL, REFUSED, TIMEOUT, network errors) are never kept, only handed to the
 * questions waiting for them. Concurrent questions for one name and type wait for the one lookup
 * in flight, at most {@link #MAX_WAIT}, then ask themselves. At most {@code maxEntries} answers,
 * the least recently used dropped first. Thread-safe.
 */
public final class CachingResolver implements DnsResolver {

  /** The longest a question waits for the same question in flight before it asks itself. */
  public static final Duration MAX_WAIT = Duration.ofMinutes(1);

  private final DnsResolver delegate;
  private final long maxTtlSeconds;
  private final long negativeTtlNanos;
  private final SharedResults<Key, DnsAnswer> answers;

  /**
   * A cache in front of {@code delegate}.
   *
   * @param delegate the resolver asked on a miss
   * @param maxEntries at least 1
   * @param maxTtl the longest an answer is kept, at least a second; whole seconds count (TTLs are)
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
    if (maxTtl.getSeconds() < 1) {
      throw new IllegalArgumentException("maxTtl must be positive (whole seconds): " + maxTtl);
    }
    if (negativeTtl.isNegative()) {
      throw new IllegalArgumentException("negativeTtl must not be negative: " + negativeTtl);
    }
    this.maxTtlSeconds = maxTtl.getSeconds();
    this.negativeTtlNanos = negativeTtl.toNanos();
    this.answers = new SharedResults<>(maxEntries, nanoTime);
  }

  @Override
  public DnsAnswer query(String name, DnsType type) {
    Key key = new Key(normalise(name), type);
    while (true) {
      SharedResults.Slot<DnsAnswer> inFlight = answers.get(key);
      if (inFlight == null) {
        SharedResults.Slot<DnsAnswer> mine = answers.claim(key);
        if (mine == null) {
          continue; // another question claimed it meanwhile: wait for that one
        }
        return lookUp(key, name, type, mine);
      }
      try {
        DnsAnswer a = inFlight.await(MAX_WAIT.toNanos());
        // Null: the wait ran out, or the lookup in flight threw; ask on this thread.
        return a != null ? a : delegate.query(name, type);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        return DnsAnswer.empty(DnsStatus.TIMEOUT, "interrupted while waiting for the lookup of " + name + " " + type);
      }
    }
  }

  /** {@return the answers kept now, expired ones included until they are asked for again} */
  public int size() {
    return answers.size();
  }

  private DnsAnswer lookUp(Key key, String name, DnsType type, SharedResults.Slot<DnsAnswer> mine) {
    DnsAnswer answer = null;
    try {
      answer = delegate.query(name, type);
      return answer;
    } finally {
      answers.settle(key, mine, answer, answer == null ? 0 : ttlNanos(answer));
    }
  }

  private long ttlNanos(DnsAnswer a) {
    if (a.status() != DnsStatus.NOERROR && a.status() != DnsStatus.NXDOMAIN) {
      return 0;
    }
    if (a.records().isEmpty()) {
      return negativeTtlNanos;
    }
    long min = maxTtlSeconds;
    for (DnsRecord r : a.records()) {
      min = Math.min(min, r.ttl());
    }
    return Duration.ofSeconds(min).toNanos();
  }

  private static String normalise(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  private record Key(String name, DnsType type) {}

  @Override
  public String toString() {
    return "CachingResolver[" + delegate + "]";
  }
}
