package dev.smtptls.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.finding.FindingCode;
import dev.smtptls.inspect.SmtpTarget;
import dev.smtptls.inspect.SmtpTlsInspector;
import dev.smtptls.spi.Transport;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shared probes of a domain scan, over a transport (the SPI seam) that counts connection
 * attempts and refuses them: each probe is a quick CONNECT_FAILED report, a real one.
 */
@Timeout(30)
class SharedProbesTest {

  /** Refuses every connection; the first one only after {@code release} opens, when held. */
  private static final class CountingTransport implements Transport {
    final AtomicInteger attempts = new AtomicInteger();
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release;

    CountingTransport(boolean holdFirst) {
      this.release = new CountDownLatch(holdFirst ? 1 : 0);
    }

    @Override
    public Socket connect(InetSocketAddress address, Duration timeout) throws IOException {
      if (attempts.incrementAndGet() == 1) {
        entered.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted");
        }
      }
      throw new ConnectException("Connection refused");
    }

    @Override
    public String name() {
      return "counting";
    }
  }

  private static SmtpTlsInspector inspector(Transport t, Duration deadline) {
    return SmtpTlsInspector.builder().transport(t).timeout(deadline).deadline(deadline).certificateChecker(null).build();
  }

  private static SmtpTarget at(String mx, String ip) throws IOException {
    return SmtpTarget.of(mx, 25).withAddress(InetAddress.getByName(ip));
  }

  @Test
  void reusesAReportPerMxNameAddressAndPortAndForgetsTheLeastRecentlyUsedBeyondCapacity() throws Exception {
    CountingTransport t = new CountingTransport(false);
    SharedProbes probes = new SharedProbes(inspector(t, Duration.ofSeconds(5)), 2, 2, Clock.systemUTC());

    DomainInspector.AddressProbe a = probes.probe(at("mx-a.test", "192.0.2.1"), "mx-a.test");
    assertThat(a.reused()).isFalse();
    assertThat(a.report().has(FindingCode.CONNECT_FAILED)).isTrue();
    DomainInspector.AddressProbe again = probes.probe(at("MX-A.test", "192.0.2.1"), "MX-A.test");
    assertThat(again.reused()).isTrue();
    assertThat(again.report()).isSameAs(a.report());
    // Another port, another address, another name: three other keys.
    assertThat(probes.probe(SmtpTarget.of("mx-a.test", 2525).withAddress(InetAddress.getByName("192.0.2.1")),
        "mx-a.test").reused()).isFalse();
    assertThat(probes.probe(at("mx-a.test", "192.0.2.2"), "mx-a.test").reused()).isFalse();
    assertThat(probes.probe(at("mx-b.test", "192.0.2.1"), "mx-b.test").reused()).isFalse();
    assertThat(t.attempts).hasValue(4);
    // Two entries kept: the first key was pushed out and is probed again; the last is still there.
    assertThat(probes.probe(at("mx-a.test", "192.0.2.1"), "mx-a.test").reused()).isFalse();
    assertThat(probes.probe(at("mx-a.test", "192.0.2.1"), "mx-a.test").reused()).isTrue();
    assertThat(t.attempts).hasValue(5);
    assertThat(probes.probes()).isEqualTo(5);
    assertThat(probes.reused()).isEqualTo(2);
  }

  @Test
  void withoutACacheEveryRequestProbes() throws Exception {
    CountingTransport t = new CountingTransport(false);
    SharedProbes probes = new SharedProbes(inspector(t, Duration.ofSeconds(5)), 2, 0, Clock.systemUTC());
    for (int i = 0; i < 3; i++) {
      assertThat(probes.probe(at("mx.test", "192.0.2.1"), "mx.test").reused()).isFalse();
    }
    assertThat(t.attempts).hasValue(3);
  }

  @Test
  void aRequestForAProbeInFlightWaitsAtMostItsBoundThenProbesOnItsOwn() throws Exception {
    CountingTransport t = new CountingTransport(true);
    // The probe in flight outlives its deadline (the held connect ignores it): the wait is bounded.
    SharedProbes probes = new SharedProbes(inspector(t, Duration.ofMillis(100)), 2, 16, Clock.systemUTC());
    AtomicReference<DomainInspector.AddressProbe> first = new AtomicReference<>();
    Thread owner = new Thread(() -> first.set(probe(probes)));
    owner.start();
    assertThat(t.entered.await(10, TimeUnit.SECONDS)).isTrue();

    DomainInspector.AddressProbe second = probes.probe(at("mx.test", "192.0.2.1"), "mx.test");

    assertThat(second.reused()).isFalse();
    assertThat(second.report().has(FindingCode.CONNECT_FAILED)).isTrue();
    assertThat(t.attempts).hasValue(2);
    t.release.countDown();
    owner.join(10_000);
    assertThat(first.get().reused()).isFalse();
    // The owner's report, once in, is the one shared.
    DomainInspector.AddressProbe third = probes.probe(at("mx.test", "192.0.2.1"), "mx.test");
    assertThat(third.reused()).isTrue();
    assertThat(third.report()).isSameAs(first.get().report());
    assertThat(t.attempts).hasValue(2);
  }

  @Test
  void anInterruptedRequestWaitingForItsAddressIsAbortedWithoutConnecting() throws Exception {
    CountingTransport t = new CountingTransport(true);
    SharedProbes probes = new SharedProbes(inspector(t, Duration.ofSeconds(20)), 1, 16, Clock.systemUTC());
    Thread owner = new Thread(() -> probe(probes));
    owner.start();
    assertThat(t.entered.await(10, TimeUnit.SECONDS)).isTrue();
    AtomicReference<DomainInspector.AddressProbe> waiting = new AtomicReference<>();
    AtomicReference<Boolean> interruptKept = new AtomicReference<>();
    // Another MX name at the same address: it waits for the address's only turn.
    Thread waiter = new Thread(() -> {
      try {
        waiting.set(probes.probe(at("mx2.test", "192.0.2.1"), "mx2.test"));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      interruptKept.set(Thread.currentThread().isInterrupted());
    });
    waiter.start();
    waiter.interrupt();
    waiter.join(10_000);

    assertThat(waiter.isAlive()).isFalse();
    assertThat(waiting.get().report().aborted()).isTrue();
    assertThat(waiting.get().report().address()).isNull();
    assertThat(interruptKept.get()).isTrue();
    assertThat(t.attempts).hasValue(1);
    t.release.countDown();
    owner.join(10_000);
  }

  private static DomainInspector.AddressProbe probe(SharedProbes probes) {
    try {
      return probes.probe(at("mx.test", "192.0.2.1"), "mx.test");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
