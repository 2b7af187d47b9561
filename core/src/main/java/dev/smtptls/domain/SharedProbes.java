package dev.smtptls.domain;

import static java.util.Objects.requireNonNull;

import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.SmtpTarget;
import dev.smtptls.inspect.SmtpTlsInspector;
import dev.smtptls.internal.scan.AddressGate;
import java.net.InetAddress;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * How the domains of one scan probe their MX addresses: every probe waits for a turn at its
 * destination address ({@link AddressGate}: the per-address limit holds across all domains), and,
 * when sharing is on, an MX host probed (or being probed) at an address and port is probed once
 * and its report handed to every domain with that MX host name there. The key is (MX host name,
 * address, port): the probe checks the certificate for the MX host name, so two names at one
 * address are two probes. Thread-safe.
 *
 * <p>The shared reports are kept in a cache of at most {@code capacity} entries, least recently
 * used first out; the probes in flight are among them. A request for a probe in flight waits for
 * it, at most twice the inspector's deadline (its deadline, and as long again for its certificate
 * check's fetches): an in-flight entry is only made by a probe that holds its address's turn, so
 * its wait is one probe's. Past that it probes on its own. Aborted reports are never shared.
 */
final class SharedProbes implements DomainInspector.Prober {

  private final SmtpTlsInspector inspector;
  private final AddressGate gate;
  private final @Nullable Cache cache;
  private final Clock clock;
  private final long waitNanos;
  private final AtomicLong probes = new AtomicLong();
  private final AtomicLong reused = new AtomicLong();

  private record Key(String host, InetAddress address, int port) {}

  /**
   * Shared probes.
   *
   * @param inspector the inspector that probes
   * @param perAddress probes at once per destination address
   * @param capacity reports kept for reuse; 0 to probe every request
   * @param clock the clock of the reports of probes never started
   */
  SharedProbes(SmtpTlsInspector inspector, int perAddress, int capacity, Clock clock) {
    this.inspector = inspector;
    this.gate = new AddressGate(perAddress);
    this.cache = capacity > 0 ? new Cache(capacity) : null;
    this.clock = clock;
    this.waitNanos = inspector.deadline().multipliedBy(2).toNanos();
  }

  /** {@return the probes made (connections attempted)} */
  long probes() {
    return probes.get();
  }

  /** {@return the requests answered with another domain's probe} */
  long reused() {
    return reused.get();
  }

  @Override
  public DomainInspector.AddressProbe probe(SmtpTarget target, String mxHost) {
    InetAddress address = requireNonNull(target.address(), "target.address");
    Cache c = cache;
    try {
      if (c == null) {
        return new DomainInspector.AddressProbe(inTurn(target, mxHost), false);
      }
      Key key = new Key(mxHost.toLowerCase(Locale.ROOT), address, target.port());
      while (true) {
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedException();
        }
        Pending p = c.get(key);
        if (p != null) {
          InspectionReport r = p.await(waitNanos);
          if (r != null) {
            reused.incrementAndGet();
            return new DomainInspector.AddressProbe(r, true);
          }
          if (!p.isDone()) {
            // The probe in flight outlived its bound: probe on our own rather than wait on.
            return new DomainInspector.AddressProbe(inTurn(target, mxHost), false);
          }
          // Its probe was aborted: ask again (and probe, unless another request was quicker).
          continue;
        }
        InspectionReport mine = claimed(target, mxHost, c, key);
        if (mine != null) {
          return new DomainInspector.AddressProbe(mine, false);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new DomainInspector.AddressProbe(DomainInspector.notProbed(target, clock), false);
    }
  }

  /** Probes in turn at the address. */
  private InspectionReport inTurn(SmtpTarget target, String mxHost) throws InterruptedException {
    InetAddress address = requireNonNull(target.address());
    gate.acquire(address);
    try {
      InspectionReport report = inspector.inspect(target, List.of(mxHost));
      probes.incrementAndGet();
      return report;
    } finally {
      gate.release(address);
    }
  }

  /**
   * Probes in turn at the address, having claimed the key once the turn is held; null when another
   * request claimed it meanwhile (the caller then waits for that one).
   */
  private @Nullable InspectionReport claimed(SmtpTarget target, String mxHost, Cache c, Key key)
      throws InterruptedException {
    InetAddress address = requireNonNull(target.address());
    gate.acquire(address);
    try {
      Pending mine = c.claim(key);
      if (mine == null) {
        return null;
      }
      InspectionReport report = null;
      try {
        report = inspector.inspect(target, List.of(mxHost));
        probes.incrementAndGet();
        return report;
      } finally {
        c.settle(key, mine, report);
      }
    } finally {
      gate.release(address);
    }
  }

  /** A probe in flight or done. */
  private static final class Pending {
    // Guarded by this.
    private @Nullable InspectionReport report;
    private boolean done;

    synchronized void complete(@Nullable InspectionReport r) {
      report = r;
      done = true;
      notifyAll();
    }

    synchronized boolean isDone() {
      return done;
    }

    /** The report to share: null when the bound passed, or the probe failed or was aborted. */
    synchronized @Nullable InspectionReport await(long nanos) throws InterruptedException {
      long end = System.nanoTime() + nanos;
      while (!done) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      InspectionReport r = report;
      return r == null || r.aborted() ? null : r;
    }
  }

  /** The probes in flight and the reports kept: least recently used first out. */
  private static final class Cache {
    // Guarded by this.
    private final LinkedHashMap<Key, Pending> entries;

    Cache(int capacity) {
      this.entries =
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Pending> eldest) {
              return size() > capacity;
            }
          };
    }

    synchronized @Nullable Pending get(Key key) {
      return entries.get(key);
    }

    /** A new entry for the key, or null when the key has one already. */
    synchronized @Nullable Pending claim(Key key) {
      if (entries.containsKey(key)) {
        return null;
      }
      Pending p = new Pending();
      entries.put(key, p);
      return p;
    }

    /** Completes the claimed entry; one that cannot be shared is forgotten. */
    void settle(Key key, Pending p, @Nullable InspectionReport report) {
      if (report == null || report.aborted()) {
        // Out before its waiters wake, so that none of them finds it again.
        synchronized (this) {
          entries.remove(key, p);
        }
      }
      p.complete(report);
    }
  }
}
