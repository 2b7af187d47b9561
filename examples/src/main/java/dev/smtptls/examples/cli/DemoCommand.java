package dev.smtptls.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smtptls.connector.Diagnosis;
import dev.smtptls.connector.Remediation;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.testkit.smtp.MockSmtpServer;
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
          + " STARTTLS, TLS required, a tarpit, an oversized reply), and prints each diagnosis"
          + " and its fix.",
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
    List<Run> runs = new ArrayList<>(scenarios.size());
    for (DemoScenario s : scenarios) {
      runs.add(run(s, pki));
    }
    boolean all = runs.stream().allMatch(Run::asDesigned);
    String rendered = json ? JsonReports.pretty(json(runs, all)) + System.lineSeparator() : text(runs, all);
    PrintWriter out = spec.commandLine().getOut();
    out.print(rendered);
    out.flush();
    return all ? SmtpTlsCommand.EXIT_OK : SmtpTlsCommand.EXIT_FINDINGS;
  }

  private static Run run(DemoScenario s, TestPki pki) {
    try (MockSmtpServer server = MockSmtpServer.builder()
        .fqdn(FQDN)
        .certificate(s.certificate().apply(pki, FQDN))
        .behaviour(s.behaviour().get())
        .build()
        .start()) {
      InspectionReport report = s.inspector().inspect(server.target());
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
