package dev.smtptls.internal.scan;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * At most {@code perAddress} holders at once per destination address, shared by every probe of a
 * scan; the rest wait their turn, first come first served. The wait is bounded by the holders:
 * each is a probe bounded by its deadline, and the waiters are the scan's own bounded number of
 * probes, so a waiter goes in at most (waiters ahead / {@code perAddress}) probe deadlines; an
 * interrupt ends it at once. Only addresses with a holder or a waiter take memory. Thread-safe.
 * Not API.
 */
public final class AddressGate {

  private final int perAddress;
  // Guarded by this.
  private final Map<InetAddress, Slot> slots = new HashMap<>();

  private static final class Slot {
    final Semaphore permits;
    int users;

    Slot(int permits) {
      this.permits = new Semaphore(permits, true);
    }
  }

  /**
   * A gate.
   *
   * @param perAddress holders at once per address, 1 or more
   * @throws IllegalArgumentException if less than 1
   */
  public AddressGate(int perAddress) {
    if (perAddress < 1) {
      throw new IllegalArgumentException("perAddress must be at least 1: " + perAddress);
    }
    this.perAddress = perAddress;
  }

  /**
   * Waits for a turn at {@code address}; pair with {@link #release} in a {@code finally}.
   *
   * @param address the destination address
   * @throws InterruptedException if interrupted while waiting (then nothing is held)
   */
  public void acquire(InetAddress address) throws InterruptedException {
    requireNonNull(address, "address");
    Slot s;
    synchronized (this) {
      s = slots.computeIfAbsent(address, a -> new Slot(perAddress));
      s.users++;
    }
    boolean held = false;
    try {
      s.permits.acquire();
      held = true;
    } finally {
      if (!held) {
        leave(address, s);
      }
    }
  }

  /**
   * Ends a turn taken with {@link #acquire}.
   *
   * @param address the destination address
   * @throws IllegalStateException if no turn is held at the address
   */
  public void release(InetAddress address) {
    Slot s;
    synchronized (this) {
      s = slots.get(address);
    }
    if (s == null) {
      throw new IllegalStateException("no turn held at " + address.getHostAddress());
    }
    s.permits.release();
    leave(address, s);
  }

  private synchronized void leave(InetAddress address, Slot s) {
    if (--s.users == 0) {
      slots.remove(address);
    }
  }

  /** {@return how many addresses have a holder or a waiter now} */
  public synchronized int addresses() {
    return slots.size();
  }
}
