package dev.smtptls.domain;

import static java.util.Objects.requireNonNull;

import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.SmtpTarget;
import dev.smtptls.inspect.SmtpTlsInspector;
import dev.smtptls.internal.scan.AddressGate;
import dev.smtptls.internal.scan.SharedResults;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
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
  private final @Nullable SharedResults<Key, InspectionReport> cache;
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
    this.cache = capacity > 0 ? new SharedResults<>(capacity, System::nanoTime) : null;
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
    SharedResults<Key, InspectionReport> c = cache;
    try {
      if (c == null) {
        return new DomainInspector.AddressProbe(inTurn(target, mxHost), false);
      }
      Key key = new Key(mxHost.toLowerCase(Locale.ROOT), address, target.port());
      while (true) {
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedException();
        }
        SharedResults.Slot<InspectionReport> p = c.get(key);
        if (p != null) {
          InspectionReport r = p.await(waitNanos);
          if (r != null && !r.aborted()) {
            reused.incrementAndGet();
            return new DomainInspector.AddressProbe(r, true);
          }
          if (!p.isDone()) {
            // The probe in flight outlived its bound: probe on our own rather than wait on.
            return new DomainInspector.AddressProbe(inTurn(target, mxHost), false);
          }
          // Its probe failed or was aborted: ask again (and probe, unless another request was quicker).
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
  private @Nullable InspectionReport claimed(
      SmtpTarget target, String mxHost, SharedResults<Key, InspectionReport> c, Key key)
      throws InterruptedException {
    InetAddress address = requireNonNull(target.address());
    gate.acquire(address);
    try {
      SharedResults.Slot<InspectionReport> mine = c.claim(key);
      if (mine == null) {
        return null;
      }
      InspectionReport report = null;
      try {
        report = inspector.inspect(target, List.of(mxHost));
        probes.incrementAndGet();
        return report;
      } finally {
        // An aborted report is handed to those waiting (who then ask again), never kept.
        c.settle(key, mine, report, report == null || report.aborted() ? 0 : Long.MAX_VALUE);
      }
    } finally {
      gate.release(address);
    }
  }
}
