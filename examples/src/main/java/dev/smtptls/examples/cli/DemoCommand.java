package dev.smtptls.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.cert.CertificateReport;
import dev.smtptls.connector.Diagnosis;
import dev.smtptls.connector.Remediation;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.SmtpTarget;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.testkit.smtp.MockSmtpServer;
import dev.smtptls.trust.TrustSources;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
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
          + " intermediate, and a wildcard that is fine), and prints each diagnosis and its fix."
          + " Certificates are checked against the demo's own test root; revocation is not checked.",
    })
public final class DemoCommand implements Callable<Integer> {

  /** The name the demo servers give in their greeting and certificates. */
  static final String FQDN = "mx.demo.test";

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
  record Run(DemoScenario scenario, InspectionReport report, boolean asDesigned) {}

  @Override
  public Integer call() {
    List<DemoScenario> scenarios = DemoScenarios.all();
    TestPki pki = TestPki.create();
    CertificateChecker checker = checker(pki);
    List<Run> runs = new ArrayList<>(scenarios.size());
    for (DemoScenario s : scenarios) {
      runs.add(run(s, pki, checker));
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
   * Revocation is not checked (no checker in this version).
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

  private static Run run(DemoScenario s, TestPki pki, CertificateChecker checker) {
    DemoScenario.Served served = s.certificate().apply(pki, FQDN);
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
      return new Run(s, report, s.diagnosedAsDesigned(report));
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
      s.set("report", JsonReports.probe(r.report()));
    }
    o.put("allDiagnosedAsDesigned", all);
    return o;
  }
}
