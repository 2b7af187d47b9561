package dev.smtptls.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.cert.CertificateReport;
import dev.smtptls.cert.CheckProfile;
import dev.smtptls.connector.ConnectorPolicy;
import dev.smtptls.connector.Diagnosis;
import dev.smtptls.connector.PolicyVerdict;
import dev.smtptls.connector.Remediation;
import dev.smtptls.crl.CrlReachability;
import dev.smtptls.crl.CrlRevocationChecker;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.SmtpTarget;
import dev.smtptls.testkit.crl.CrlFault;
import dev.smtptls.testkit.crl.CrlServer;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.testkit.smtp.MockSmtpServer;
import dev.smtptls.trust.TrustSources;
import java.io.PrintWriter;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code smtptls demo}: starts the testkit's SMTP server on 127.0.0.1 once per scenario, probes
 * it with the library as {@code smtptls probe} would, and prints what was found and what fixes
 * it. Needs no network beyond loopback. Exit 0 when every scenario was diagnosed as designed.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = ToolVersion.class,
    description = {
      "Probes embedded SMTP servers on 127.0.0.1, one per scenario (healthy, STARTTLS missing or"
          + " refused, a failing handshake, HELO only, a rejecting greeting, a firewall masking"
          + " STARTTLS, TLS required, a tarpit, an oversized reply; certificates self-signed,"
          + " expired, for another name, not covering the announced FQDN, without their"
          + " intermediate, and a wildcard that is fine; revoked, and a CRL that cannot be fetched),"
          + " and prints each diagnosis and its fix. Certificates are checked against the demo's own"
          + " test root; revocation is checked in the revocation scenarios, against a CRL server on"
          + " 127.0.0.1.",
    })
public final class DemoCommand implements Callable<Integer> {

  /** The name the demo servers give in their greeting and certificates. */
  static final String FQDN = "mx.demo.test";

  /** Where the demo's CRL server serves the root's CRL, which the demo intermediate names. */
  static final String ROOT_CRL = "/root.crl";

  /** The CRL fetch limits of the revocation scenarios: loopback answers at once, keep the demo fast. */
  static final Duration CRL_CONNECT_TIMEOUT = Duration.ofSeconds(1);

  /** See {@link #CRL_CONNECT_TIMEOUT}. */
  static final Duration CRL_READ_TIMEOUT = Duration.ofSeconds(2);

  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Option(names = "--debug", description = "Print the stack trace of an internal error.")
  boolean debug;

  /** Creates the command; picocli fills its fields. */
  public DemoCommand() {}

  /**
   * A scenario run: its definition, the probe's report and whether it is the designed diagnosis.
   *
   * @param scenario the scenario
   * @param report the report
   * @param asDesigned whether the diagnosis is the designed one
   */
  record Run(DemoScenario scenario, InspectionReport report, Revocation.Outcome revocation, boolean asDesigned) {

    /** What the demo's two sending connectors would do with mail to this server. */
    Map<String, PolicyVerdict> verdicts() {
      Map<String, PolicyVerdict> v = new LinkedHashMap<>();
      CONNECTORS.forEach((name, policy) -> v.put(name, policy.evaluate(report)));
      return v;
    }
  }

  /**
   * The sending connectors every scenario is judged by: Exchange's {@code RequireTLS $true}
   * (Postfix {@code encrypt}) and opportunistic TLS (Postfix {@code may}), as the seed document
   * describes them.
   */
  static final Map<String, ConnectorPolicy> CONNECTORS = connectors();

  private static Map<String, ConnectorPolicy> connectors() {
    Map<String, ConnectorPolicy> c = new LinkedHashMap<>();
    c.put("forced TLS", ConnectorPolicy.forced().build());
    c.put("opportunistic", ConnectorPolicy.opportunistic().build());
    return java.util.Collections.unmodifiableMap(c);
  }

  @Override
  public Integer call() {
    List<DemoScenario> scenarios = DemoScenarios.all();
    List<Run> runs = new ArrayList<>(scenarios.size());
    try (CrlServer crls = CrlServer.start()) {
      // The intermediate (and every leaf, unless a scenario names another) carries a distribution
      // point on the loopback CRL server; the root's CRL is served healthy there, so a revocation
      // scenario shows its own leaf's fault only.
      TestPki pki = TestPki.builder().crlDistributionPoint(crls.uri(ROOT_CRL)).build();
      crls.publish(ROOT_CRL, pki.newCrl(pki.root()).build());
      CertificateChecker checker = checker(pki);
      for (DemoScenario s : scenarios) {
        runs.add(run(s, pki, crls, checker));
      }
    }
    boolean all = runs.stream().allMatch(Run::asDesigned);
    String rendered = json ? JsonReports.pretty(json(runs, all)) + System.lineSeparator() : text(runs, all);
    PrintWriter out = spec.commandLine().getOut();
    out.print(rendered);
    out.flush();
    return all ? SmtpTlsCommand.EXIT_OK : SmtpTlsCommand.EXIT_FINDINGS;
  }

  /**
   * The checker every scenario is probed with: it trusts the demo PKI's root and nothing else, so
   * the healthy scenarios stay clean and each certificate scenario shows only its own fault.
   * Revocation is not checked: the revocation scenarios have their own checker.
   *
   * @param pki the demo's PKI
   * @return the checker
   */
  static CertificateChecker checker(TestPki pki) {
    return CertificateChecker.builder()
        .trustSource(TrustSources.anchors("demo", pki.root().certificate()))
        .revocationChecker(null)
        .build();
  }

  /**
   * The checker of a revocation scenario: the demo root, the scenario's profile, and a CRL
   * revocation checker with short timeouts (the CRL server is on loopback).
   *
   * @param pki the demo's PKI
   * @param profile the scenario's profile
   * @param crl the CRL revocation checker
   * @return the checker
   */
  static CertificateChecker checker(TestPki pki, CheckProfile profile, CrlRevocationChecker crl) {
    return CertificateChecker.builder()
        .trustSource(TrustSources.anchors("demo", pki.root().certificate()))
        .profile(profile)
        .revocationChecker(crl)
        .build();
  }

  private static Run run(DemoScenario s, TestPki pki, CrlServer crls, CertificateChecker plain) {
    DemoScenario.Served served = s.certificate().apply(pki, FQDN);
    DemoScenario.CrlSetup setup = s.crl();
    Revocation revocation = Revocation.none();
    CertificateChecker checker = plain;
    if (setup != null) {
      BiFunction<TestPki, X509Certificate, X509CRL> crl = setup.crl();
      if (crl == null) {
        crls.fault(setup.path(), CrlFault.NOT_FOUND);
      } else {
        crls.publish(setup.path(), crl.apply(pki, served.chain().get(0)));
      }
      CrlRevocationChecker crlChecker = CrlRevocationChecker.builder()
          .connectTimeout(CRL_CONNECT_TIMEOUT)
          .readTimeout(CRL_READ_TIMEOUT)
          .build();
      revocation = Revocation.crl(crlChecker);
      checker = checker(pki, setup.profile(), crlChecker);
    }
    String announced = s.announcedFqdn();
    try (MockSmtpServer server = MockSmtpServer.builder()
        .fqdn(announced == null ? FQDN : announced)
        .certificate(served.key(), served.chain())
        .behaviour(s.behaviour().get())
        .build()
        .start()) {
      // The MX host name the probe expects, connected at the server's loopback address: the
      // server may announce another FQDN, as a misconfigured one does.
      SmtpTarget target = new SmtpTarget(FQDN, server.port(), server.target().address());
      InspectionReport report = s.inspector(checker).inspect(target);
      return new Run(s, report, revocation.outcome(report.certificateCheck()), s.diagnosedAsDesigned(report));
    }
  }

  /** The fixes for a run's findings, one per finding that has one, keyed by code. */
  private static Map<FindingCode, Remediation> fixes(InspectionReport report) {
    Map<FindingCode, Remediation> fixes = new LinkedHashMap<>();
    for (Finding f : report.findings()) {
      Optional<Remediation> fix = Diagnosis.forFinding(f);
      if (fix.isPresent() && !fixes.containsKey(f.code())) {
        fixes.put(f.code(), fix.get());
      }
    }
    return fixes;
  }

  private static String text(List<Run> runs, boolean all) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("smtptls demo: %d scenarios, each against its own server on 127.0.0.1%n", runs.size()));
    int i = 0;
    for (Run r : runs) {
      i++;
      DemoScenario s = r.scenario();
      sb.append(System.lineSeparator());
      sb.append(String.format("%2d. %s: %s%n", i, s.name(),
          r.asDesigned() ? "diagnosed as designed" : "NOT diagnosed as designed"));
      sb.append(String.format("    %s%n", s.description()));
      sb.append(String.format("    Expected      %s%n", s.expected().isEmpty()
          ? "no findings of severity ERROR"
          : s.expected().stream().map(Enum::name).sorted().collect(Collectors.joining(", "))));
      sb.append(String.format("    STARTTLS      %s%n", r.report().startTls().status()));
      CertificateReport check = r.report().certificateCheck();
      if (check != null) {
        sb.append(String.format("    Certificate   %s%n", check.valid()
            ? "valid, path to the demo root: " + check.path().size() + " certificates"
            : "NOT valid"));
      }
      if (r.revocation().checked()) {
        for (CrlReachability row : r.revocation().crls()) {
          sb.append(String.format("    CRL           %s: %s%s%n", row.url(), row.status(),
              row.httpStatus() == null ? "" : " (HTTP " + row.httpStatus() + ")"));
        }
      }
      r.verdicts().forEach((name, v) -> sb.append(String.format("    %-13s %s%s%n", name, v.outcome(),
          v.smtpResponse() == null ? "" : "  " + v.smtpResponse())));
      TextReports.findings(sb, r.report().findings(), "    ");
    }
    long good = runs.stream().filter(Run::asDesigned).count();
    sb.append(System.lineSeparator());
    sb.append(String.format("%d of %d scenarios diagnosed as designed%s%n", good, runs.size(),
        all ? "." : ": see the scenarios marked NOT above."));
    return sb.toString();
  }

  private static ObjectNode json(List<Run> runs, boolean all) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    ObjectNode o = nodes.objectNode();
    o.set("tool", JsonReports.tool());
    ArrayNode scenarios = o.putArray("scenarios");
    for (Run r : runs) {
      ObjectNode s = scenarios.addObject();
      s.put("name", r.scenario().name());
      s.put("description", r.scenario().description());
      ArrayNode expected = s.putArray("expected");
      r.scenario().expected().stream().map(Enum::name).sorted().forEach(expected::add);
      s.put("diagnosedAsDesigned", r.asDesigned());
      ArrayNode fix = s.putArray("fix");
      fixes(r.report()).forEach((code, f) -> {
        ObjectNode entry = fix.addObject();
        entry.put("code", code.name());
        entry.put("text", f.text());
        entry.put("command", f.command());
      });
      ArrayNode connectors = s.putArray("connectors");
      r.verdicts().forEach((name, v) -> {
        ObjectNode c = connectors.addObject();
        c.put("connector", name);
        c.put("outcome", v.outcome().name());
        c.put("smtpResponse", v.smtpResponse());
      });
      s.set("report", JsonReports.probe(r.report(), r.revocation()));
    }
    o.put("allDiagnosedAsDesigned", all);
    return o;
  }
}
