import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.SmtpTlsInspector;
import dev.smtptls.inspect.StartTlsOutcome;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.KeyType;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.testkit.smtp.MockSmtpServer;
import dev.smtptls.testkit.smtp.SmtpBehaviour;
import dev.smtptls.trust.TrustSources;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Bench helper: the CPU a warm inspector spends per probe with and without TLS session
 * resumption, against a testkit {@link MockSmtpServer} in the same JVM. Probes one after the other
 * with {@code ehloAfterTls(false)}, the chain checked against the test PKI's root on every probe;
 * 1,000 probes warm up, then COUNT are measured. Prints the probing thread's CPU per probe (the
 * client: handshake and certificate check), the whole process's CPU per probe (client, server, JIT
 * and GC), the wall time per probe, how many probes resumed and how many full handshakes the
 * server made. Not part of the build.
 *
 * <p>Usage, after {@code ./mvnw -B -o -q package -DskipTests}:
 *
 * <pre>{@code
 * CP=examples/target/smtptls.jar
 * javac -cp $CP -d /tmp/bench bench/java/ResumptionCpu.java
 * for r in false true; do java -cp $CP:/tmp/bench ResumptionCpu TLSv1.3 EC_P256 $r 2000; done
 * }</pre>
 *
 * <p>Arguments: {@code PROTOCOL} ({@code TLSv1.3} or {@code TLSv1.2}, the server's only version),
 * {@code KEY_TYPE} (a testkit {@link KeyType}, e.g. {@code EC_P256}, {@code RSA_2048}), {@code
 * RESUME} ({@code true|false}), {@code COUNT}.
 */
public final class ResumptionCpu {
  private ResumptionCpu() {}

  public static void main(String[] args) {
    if (args.length != 4) {
      System.err.println("usage: ResumptionCpu PROTOCOL KEY_TYPE RESUME COUNT");
      System.exit(2);
    }
    String protocol = args[0];
    KeyType keyType = KeyType.valueOf(args[1]);
    boolean resume = Boolean.parseBoolean(args[2]);
    int count = Integer.parseInt(args[3]);
    TestPki pki = TestPki.builder().keyType(keyType).build();
    IssuedCertificate leaf = pki.leaf("mx.bench.test");
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (MockSmtpServer server = MockSmtpServer.builder()
        .fqdn("mx.bench.test")
        .certificate(leaf)
        .behaviour(SmtpBehaviour.healthy().toBuilder().tlsProtocols(protocol).build())
        .build()
        .start()) {
      SmtpTlsInspector inspector = SmtpTlsInspector.builder()
          .ehloName("probe.bench.test")
          .ehloAfterTls(false)
          .sessionResumption(resume)
          .certificateChecker(CertificateChecker.builder()
              .trustSource(TrustSources.anchors("bench", pki.root().certificate()))
              .build())
          .build();
      for (int i = 0; i < 1000; i++) {
        check(inspector.inspect(server.target()));
      }
      int fullBefore = server.fullHandshakeCount();
      long wall0 = System.nanoTime();
      long thread0 = threads.getCurrentThreadCpuTime();
      long process0 = os.getProcessCpuTime();
      int resumed = 0;
      for (int i = 0; i < count; i++) {
        InspectionReport r = inspector.inspect(server.target());
        check(r);
        if (((StartTlsOutcome.Upgraded) r.startTls()).resumed()) {
          resumed++;
        }
      }
      long wall1 = System.nanoTime();
      long thread1 = threads.getCurrentThreadCpuTime();
      long process1 = os.getProcessCpuTime();
      System.out.printf(
          "%s %s resume=%s probes=%d resumed=%d serverFullHandshakes=%d"
              + " clientCpuMs/probe=%.3f processCpuMs/probe=%.3f wallMs/probe=%.3f%n",
          protocol, keyType, resume, count, resumed, server.fullHandshakeCount() - fullBefore,
          (thread1 - thread0) / 1e6 / count, (process1 - process0) / 1e6 / count, (wall1 - wall0) / 1e6 / count);
    }
  }

  private static void check(InspectionReport r) {
    if (!r.tlsUpgraded() || r.peerChain().isEmpty() || r.certificateCheck() == null || !r.certificateCheck().valid()) {
      System.err.println("probe failed: " + r.startTls() + " " + r.findings());
      System.exit(1);
    }
  }
}
