package dev.smtptls.internal.scan;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Results shared by the work items of a scan: one piece of work per key is done (a probe of an MX
 * host at an address, a DNS question) and the others asking for the same key wait for it and get
 * its result. An entry is {@linkplain #claim claimed} by the one who will do the work, then
 * {@linkplain #settle settled} with the result and how long it may be reused (zero: hand it to
 * those waiting now, then forget it). At most {@code capacity} entries, in flight ones included;
 * the least recently used goes first. Thread-safe.
 *
 * @param <K> the key
 * @param <V> the result
 */
public final class SharedResults<K, V> {

  private final LongSupplier nanoTime;
  // Guarded by itself. Access order: the eldest entry is the least recently used.
  private final LinkedHashMap<K, Slot<V>> entries;

  /**
   * Shared results.
   *
   * @param capacity entries kept at most, at least 1
   * @param nanoTime the clock for reuse bounds, {@link System#nanoTime} but in tests
   * @throws IllegalArgumentException if the capacity is below 1
   */
  public SharedResults(int capacity, LongSupplier nanoTime) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    this.nanoTime = requireNonNull(nanoTime, "nanoTime");
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, Slot<V>> eldest) {
        return size() > capacity;
      }
    };
  }

  /**
   * The entry for a key: in flight, or settled and still reusable (an expired one is dropped).
   *
   * @param key the key
   * @return the entry to wait on, or null when there is none
   */
  public @Nullable Slot<V> get(K key) {
    synchronized (entries) {
      Slot<V> s = entries.get(key);
      if (s != null && s.expired(nanoTime.getAsLong())) {
        entries.remove(key, s);
        return null;
      }
      return s;
    }
  }

  /**
   * Claims a key for the caller to do its work: a new entry in flight, or null when the key has a
   * live entry already (then wait on {@link #get}'s).
   *
   * @param key the key
   * @return the claimed entry, to {@link #settle}, or null
   */
  public @Nullable Slot<V> claim(K key) {
    synchronized (entries) {
      Slot<V> s = entries.get(key);
      if (s != null && !s.expired(nanoTime.getAsLong())) {
        return null;
      }
      Slot<V> mine = new Slot<>();
      entries.put(key, mine);
      return mine;
    }
  }

  /**
   * Settles a claimed entry: those waiting get {@code value}; it is reused for {@code keepNanos}
   * after now ({@link Long#MAX_VALUE}: until evicted), or, when {@code keepNanos} is not positive
   * or the value is null, forgotten before anyone waiting wakes (so none of them finds it again).
   *
   * @param key the key claimed
   * @param claimed what {@link #claim} gave
   * @param value the result, or null when the work failed
   * @param keepNanos how long the result may be reused
   */
  public void settle(K key, Slot<V> claimed, @Nullable V value, long keepNanos) {
    if (value == null || keepNanos <= 0) {
      synchronized (entries) {
        entries.remove(key, claimed);
      }
    }
    claimed.complete(value, nanoTime.getAsLong(), keepNanos);
  }

  /** {@return the entries kept now, expired ones included until they are asked for} */
  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  /**
   * One entry: in flight until settled.
   *
   * @param <V> the result
   */
  public static final class Slot<V> {
    // Guarded by this.
    private @Nullable V value;
    private boolean done;
    private long settledAt;
    private long keepNanos;

    Slot() {}

    synchronized void complete(@Nullable V v, long now, long keep) {
      value = v;
      settledAt = now;
      keepNanos = keep;
      done = true;
      notifyAll();
    }

    synchronized boolean expired(long now) {
      return done && now - settledAt >= keepNanos;
    }

    /** {@return whether the entry was settled} */
    public synchronized boolean isDone() {
      return done;
    }

    /**
     * Waits at most {@code nanos} for the entry to be settled.
     *
     * @param nanos the longest wait
     * @return the result; null when the wait ran out ({@link #isDone()} false) or the work failed
     * @throws InterruptedException if interrupted while waiting
     */
    public synchronized @Nullable V await(long nanos) throws InterruptedException {
      long end = System.nanoTime() + nanos;
      while (!done) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return value;
    }
  }
}
