package dev.smtptls.internal.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class AddressGateTest {

  @Test
  void aWaiterGoesInWhenATurnEndsAndAnAddressNobodyHoldsIsForgotten() throws Exception {
    AddressGate gate = new AddressGate(2);
    InetAddress a = InetAddress.getByName("192.0.2.1");
    InetAddress b = InetAddress.getByName("192.0.2.2");
    gate.acquire(a);
    gate.acquire(a);
    gate.acquire(b);
    assertThat(gate.addresses()).isEqualTo(2);
    CountDownLatch third = new CountDownLatch(1);
    Thread waiter = new Thread(() -> {
      try {
        gate.acquire(a);
        third.countDown();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    waiter.start();
    gate.release(a);
    assertThat(third.await(10, TimeUnit.SECONDS)).isTrue();
    gate.release(a);
    gate.release(a);
    gate.release(b);
    waiter.join();
    assertThat(gate.addresses()).isZero();
  }

  @Test
  void anInterruptedWaiterHoldsNothing() throws Exception {
    AddressGate gate = new AddressGate(1);
    InetAddress a = InetAddress.getByName("192.0.2.1");
    gate.acquire(a);
    AtomicBoolean interrupted = new AtomicBoolean();
    Thread waiter = new Thread(() -> {
      try {
        gate.acquire(a);
      } catch (InterruptedException e) {
        interrupted.set(true);
      }
    });
    waiter.start();
    waiter.interrupt();
    waiter.join();
    assertThat(interrupted).isTrue();
    gate.release(a);
    assertThat(gate.addresses()).isZero();
    gate.acquire(a);
    gate.release(a);
  }

  @Test
  void refusesAZeroLimitAndAReleaseWithoutATurn() throws Exception {
    assertThatThrownBy(() -> new AddressGate(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
    InetAddress a = InetAddress.getByName("192.0.2.1");
    assertThatThrownBy(() -> new AddressGate(1).release(a)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("192.0.2.1");
  }
}
