package dev.smtptls.examples.cli;

import static java.util.Objects.requireNonNull;

import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.SmtpTlsInspector;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.testkit.smtp.SmtpBehaviour;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * One {@code smtptls demo} scenario: a server configuration on loopback, how to probe it, and the
 * finding codes a correct diagnosis makes. A scenario is diagnosed as designed when every
 * expected code is among the findings and no {@code ERROR} finding has a code outside them.
 *
 * @param name a short name, e.g. {@code starttls-refused}
 * @param description what the server simulates, one sentence
 * @param behaviour the server's behaviour
 * @param certificate the key and chain the server presents, made from the demo's PKI for the
 *     server's FQDN
 * @param timeout the probe's per-step timeout
 * @param deadline the probe's deadline
 * @param plaintextCheck whether the probe also sends {@code MAIL FROM:<>} before STARTTLS
 * @param expected the codes a correct diagnosis makes; empty for a healthy server
 */
public record DemoScenario(
    String name,
    String description,
    Supplier<SmtpBehaviour> behaviour,
    BiFunction<TestPki, String, IssuedCertificate> certificate,
    Duration timeout,
    Duration deadline,
    boolean plaintextCheck,
    Set<FindingCode> expected) {

  /** Validates and copies. */
  public DemoScenario {
    requireNonNull(name, "name");
    requireNonNull(description, "description");
    requireNonNull(behaviour, "behaviour");
    requireNonNull(certificate, "certificate");
    requireNonNull(timeout, "timeout");
    requireNonNull(deadline, "deadline");
    expected = expected.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(expected));
  }

  /**
   * A scenario presenting a valid leaf for the server's name, probed with a 5 s step timeout.
   *
   * @param name a short name
   * @param description what the server simulates
   * @param behaviour the server's behaviour
   * @param expected the codes a correct diagnosis makes
   * @return the scenario
   */
  public static DemoScenario of(
      String name, String description, Supplier<SmtpBehaviour> behaviour, FindingCode... expected) {
    return new DemoScenario(name, description, behaviour, (pki, fqdn) -> pki.leaf(fqdn),
        Duration.ofSeconds(5), Duration.ofSeconds(15), false, Set.of(expected));
  }

  /**
   * This scenario presenting another certificate (self-signed, expired, for another name...).
   *
   * @param issue makes the key and chain from the demo's PKI and the server's FQDN
   * @return the new scenario
   */
  public DemoScenario withCertificate(BiFunction<TestPki, String, IssuedCertificate> issue) {
    return new DemoScenario(name, description, behaviour, issue, timeout, deadline, plaintextCheck, expected);
  }

  /**
   * This scenario probed with other limits (a tarpit needs short ones to keep the demo fast).
   *
   * @param stepTimeout the per-step timeout
   * @param probeDeadline the deadline
   * @return the new scenario
   */
  public DemoScenario withLimits(Duration stepTimeout, Duration probeDeadline) {
    return new DemoScenario(
        name, description, behaviour, certificate, stepTimeout, probeDeadline, plaintextCheck, expected);
  }

  /** {@return this scenario probed with the plaintext check} */
  public DemoScenario withPlaintextCheck() {
    return new DemoScenario(name, description, behaviour, certificate, timeout, deadline, true, expected);
  }

  /** {@return the inspector this scenario probes with: as {@code smtptls probe} would, with its limits} */
  public SmtpTlsInspector inspector() {
    return SmtpTlsInspector.builder()
        .ehloName("probe.demo.test")
        .timeout(timeout)
        .deadline(deadline)
        .plaintextCheck(plaintextCheck)
        .attemptStartTlsWhenNotAdvertised(true)
        .build();
  }

  /**
   * Whether a report is the diagnosis this scenario is designed to produce.
   *
   * @param report the probe's report
   * @return true when every expected code was found and no unexpected {@code ERROR} was
   */
  public boolean diagnosedAsDesigned(InspectionReport report) {
    Set<FindingCode> found = EnumSet.noneOf(FindingCode.class);
    for (Finding f : report.findings()) {
      found.add(f.code());
      if (f.severity() == Severity.ERROR && !expected.contains(f.code())) {
        return false;
      }
    }
    return found.containsAll(expected);
  }
}
