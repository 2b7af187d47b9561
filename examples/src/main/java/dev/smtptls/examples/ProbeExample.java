package dev.smtptls.examples;

import dev.smtptls.finding.Finding;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.SmtpTlsInspector;
import java.time.Duration;

/**
 * Embedding smtptls: probe {@code HOST[:PORT]} for STARTTLS and print what was found.
 *
 * <pre>
 * java -cp examples/target/smtptls.jar dev.smtptls.examples.ProbeExample mx1.example.org
 * </pre>
 */
public final class ProbeExample {

  private ProbeExample() {}

  /**
   * Probes the server named in {@code args[0]} and prints its STARTTLS status and findings.
   *
   * @param args {@code HOST[:PORT]}
   */
  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: ProbeExample HOST[:PORT]");
      System.exit(2);
    }
    SmtpTlsInspector inspector = SmtpTlsInspector.builder().timeout(Duration.ofSeconds(10)).build();
    InspectionReport report = inspector.inspect(args[0]);
    System.out.println(report.target() + ": STARTTLS " + report.startTls().status());
    for (Finding f : report.findings()) {
      System.out.println(f.severity() + " " + f.code() + ": " + f.message());
    }
  }
}
