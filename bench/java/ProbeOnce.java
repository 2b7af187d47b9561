import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.SmtpTarget;
import dev.smtptls.inspect.SmtpTlsInspector;
import java.net.InetAddress;
import java.time.Duration;

/**
 * Bench helper for bench/probe-rtt.sh: probes one STARTTLS server N times in one JVM through the
 * library's public API and prints, per probe, the wall time of {@code inspect(...)} in
 * milliseconds (System.nanoTime) and the report's own duration. Exits 1 if a probe did not
 * upgrade or captured no chain. Not part of the build.
 *
 * <p>Usage: {@code ProbeOnce HOST PORT ADDRESS EHLO_AFTER_TLS(true|false) COUNT}
 */
public final class ProbeOnce {
  private ProbeOnce() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println("usage: ProbeOnce HOST PORT ADDRESS EHLO_AFTER_TLS COUNT");
      System.exit(2);
    }
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    InetAddress address = InetAddress.getByName(args[2]); // an IP literal: no lookup
    boolean ehloAfterTls = Boolean.parseBoolean(args[3]);
    int count = Integer.parseInt(args[4]);
    SmtpTlsInspector inspector =
        SmtpTlsInspector.builder()
            .ehloName("probe.smtptls.test")
            .timeout(Duration.ofSeconds(10))
            .ehloAfterTls(ehloAfterTls)
            .build();
    for (int i = 0; i < count; i++) {
      long t0 = System.nanoTime();
      InspectionReport r = inspector.inspect(new SmtpTarget(host, port, address));
      long t1 = System.nanoTime();
      if (!r.tlsUpgraded() || r.peerChain().isEmpty()) {
        System.err.println("probe " + i + " failed: " + r.startTls() + " " + r.findings());
        System.exit(1);
      }
      System.out.printf("%.3f %d%n", (t1 - t0) / 1e6, r.duration().toMillis());
    }
  }
}
