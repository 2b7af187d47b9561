package dev.smtptls.bench;

import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.inspect.SmtpTarget;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.testkit.smtp.MockSmtpServer;
import dev.smtptls.trust.TrustSources;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The servers of the scan-path benchmarks: {@code n} testkit {@link MockSmtpServer}s (healthy
 * STARTTLS), server {@code i} on {@code 127.0.0.(i+1)} and a port the system chooses, all
 * presenting one leaf for {@link #HOST} (+ intermediate) from a {@link TestPki} made here, whose
 * root is the one trust anchor of {@link #checker()}. Loopback only; no name is ever resolved.
 */
final class LoopbackLab implements AutoCloseable {

  /** The servers' FQDN, the certificate's name and the targets' host name. */
  static final String HOST = "mx.bench.test";

  private final TestPki pki;
  private final List<MockSmtpServer> servers;

  private LoopbackLab(TestPki pki, List<MockSmtpServer> servers) {
    this.pki = pki;
    this.servers = servers;
  }

  /**
   * Starts {@code n} servers.
   *
   * @param n 1 to 254
   * @return the lab; close it to stop the servers
   */
  static LoopbackLab start(int n) {
    if (n < 1 || n > 254) {
      throw new IllegalArgumentException("servers must be 1..254: " + n);
    }
    TestPki pki = TestPki.create();
    IssuedCertificate leaf = pki.leaf(HOST);
    List<MockSmtpServer> servers = new ArrayList<>(n);
    try {
      for (int i = 0; i < n; i++) {
        servers.add(MockSmtpServer.builder()
            .fqdn(HOST)
            .certificate(leaf)
            .bindAddress(loopback(i + 1))
            .build()
            .start());
      }
    } catch (RuntimeException e) {
      servers.forEach(MockSmtpServer::close);
      throw e;
    }
    return new LoopbackLab(pki, List.copyOf(servers));
  }

  /** {@return {@code 127.0.0.last}, made from its bytes: no lookup} */
  static InetAddress loopback(int last) {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an address", e);
    }
  }

  /** {@return a checker whose one trust anchor is the lab's root; no revocation checking} */
  CertificateChecker checker() {
    return CertificateChecker.builder()
        .trustSource(TrustSources.anchors("bench", pki.root().certificate()))
        .revocationChecker(null)
        .build();
  }

  /** {@return the servers, in address order} */
  List<MockSmtpServer> servers() {
    return servers;
  }

  /**
   * {@return {@code k} targets, host {@link #HOST} at each server's address and port in turn}
   *
   * @param k how many
   */
  List<SmtpTarget> targets(int k) {
    List<SmtpTarget> targets = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      targets.add(servers.get(i % servers.size()).target());
    }
    return List.copyOf(targets);
  }

  /**
   * Forgets the commands the servers recorded. A {@link MockSmtpServer} keeps every command line
   * of every connection in a copy-on-write list, whose cost grows with its length; the
   * benchmarks call this between operations so that the servers' cost stays that of one dialogue.
   */
  void forgetCommands() {
    for (MockSmtpServer s : servers) {
      s.clearReceivedCommands();
    }
  }

  @Override
  public void close() {
    servers.forEach(MockSmtpServer::close);
  }
}
