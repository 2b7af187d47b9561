package dev.smtptls.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smtptls.connector.ConnectorPolicies;
import dev.smtptls.connector.ConnectorPolicy;
import dev.smtptls.connector.ConnectorSpec;
import dev.smtptls.connector.ExchangeConnectorJson;
import dev.smtptls.connector.PolicyVerdict;
import dev.smtptls.connector.PostfixConfig;
import dev.smtptls.connector.Remediation;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.SmtpTarget;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code smtptls policy}: what a connector does with a server, as {@code CONTRACT.md} gives it.
 * Exit 0 when mail would go over TLS, 1 when it would not (clear text, queued or refused), 2 for a
 * connector the product itself would refuse, an unknown key, or an unreadable file.
 */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    versionProvider = ToolVersion.class,
    description = {
      "Predicts what a connector does with mail to a server: delivered over TLS, delivered in clear,"
          + " queued (with the line the sending server would log) or refused, the findings that decide"
          + " it and what fixes them. The connector is a SPEC, KIND[:KEY=VALUE,...] with the product's"
          + " own parameter names (a value with commas in double quotes), or a file: the JSON of"
          + " Get-SendConnector / Get-ReceiveConnector / Get-InboundConnector / Get-OutboundConnector"
          + " | ConvertTo-Json, or a Postfix main.cf (its SMTP client settings). The server is probed"
          + " (--target, with the probe options) or read from an earlier probe --json (--report).",
      "KINDs: opportunistic, forced, exchange-send, exchange-receive, exo-outbound, exo-inbound, postfix,"
          + " mta-sts, dane.",
    })
public final class PolicyCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  static final class Connector {
    @Option(names = "--connector", paramLabel = "SPEC", required = true,
        description = "KIND[:KEY=VALUE,...], e.g. exo-outbound:TlsSettings=DomainValidation,TlsDomain=*.contoso.com")
    @Nullable String spec;

    @Option(names = "--connector-file", paramLabel = "FILE", required = true,
        description = "ConvertTo-Json output of the Exchange connector cmdlets, or a Postfix main.cf.")
    @Nullable Path file;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Connector connector;

  static final class Server {
    @Option(names = "--target", paramLabel = "HOST[:PORT]", converter = TargetConverter.class, required = true,
        description = "Probe this server (port 25 by default) with the probe options.")
    @Nullable SmtpTarget target;

    @Option(names = "--report", paramLabel = "FILE.json", required = true,
        description = "Judge the server an earlier 'smtptls probe --json' saw, without probing again.")
    @Nullable Path report;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Server server;

  @Option(names = "--select", paramLabel = "NAME",
      description = "The connector of a --connector-file that holds several, by its Name.")
  @Nullable String select;

  @Option(names = "--policy-map", paramLabel = "FILE",
      description = "With a main.cf: the text of the smtp_tls_policy_maps table it names (Postfix lookup-table source).")
  @Nullable Path policyMap;

  @Mixin ProbeOptions options;

  @Option(names = "--json", description = "Print one JSON object (CONTRACT.md) instead of text.")
  boolean json;

  @Option(names = "--debug", description = "Print the stack trace of an internal error.")
  boolean debug;

  /** Creates the command; picocli fills its fields. */
  public PolicyCommand() {}

  /** A connector to judge by: its description and its policy. */
  record Chosen(ConnectorSpec spec, ConnectorPolicy policy) {}

  @Override
  public Integer call() {
    Chosen chosen = connector();
    InspectionReport report = report();
    PolicyVerdict verdict;
    try {
      verdict = chosen.policy().evaluate(report);
    } catch (IllegalArgumentException e) {
      throw new UsageException(String.valueOf(e.getMessage()));
    }
    String rendered = json
        ? JsonReports.pretty(json(chosen, report, verdict)) + System.lineSeparator()
        : text(chosen, report, verdict);
    PrintWriter out = spec.commandLine().getOut();
    out.print(rendered);
    out.flush();
    return verdict.deliversOverTls() ? SmtpTlsCommand.EXIT_OK : SmtpTlsCommand.EXIT_FINDINGS;
  }

  private Chosen connector() {
    String text = connector.spec;
    if (text != null) {
      try {
        ConnectorSpec s = ConnectorSpec.parse(text);
        return new Chosen(s, ConnectorPolicies.of(s));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--connector: " + e.getMessage());
      }
    }
    Path file = connector.file;
    if (file == null) {
      throw new IllegalStateException("picocli requires --connector or --connector-file");
    }
    // Read once; the JSON of the connector cmdlets may be UTF-16 (Windows PowerShell's Out-File).
    byte[] content = bytes(file, "--connector-file");
    if (ExchangeConnectorJson.looksLikeJson(content)) {
      return fromJson(file, content);
    }
    try {
      String mainCf = new String(content, StandardCharsets.UTF_8);
      PostfixConfig config = policyMap == null
          ? PostfixConfig.parse(mainCf)
          : PostfixConfig.parse(mainCf, read(policyMap, "--policy-map"));
      ConnectorSpec s = new ConnectorSpec("postfix", file.getFileName().toString(), config.parameters(), List.of());
      return new Chosen(s, config.clientPolicy());
    } catch (IllegalArgumentException e) {
      throw new UsageException("--connector-file " + file + ": " + e.getMessage());
    }
  }

  private Chosen fromJson(Path file, byte[] content) {
    List<ConnectorSpec> specs;
    try {
      specs = ExchangeConnectorJson.read(content);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--connector-file " + file + ": " + e.getMessage());
    }
    ConnectorSpec s;
    String wanted = select;
    if (wanted != null) {
      s = specs.stream().filter(c -> c.name().equalsIgnoreCase(wanted)).findFirst()
          .orElseThrow(() -> new UsageException("--select: no connector named \"" + wanted + "\" in " + file
              + "; there are: " + names(specs)));
    } else if (specs.size() == 1) {
      s = specs.get(0);
    } else {
      throw new UsageException("--connector-file " + file + " holds " + specs.size()
          + " connectors: choose one with --select NAME (" + names(specs) + ")");
    }
    Map<String, String> params = new LinkedHashMap<>(s.parameters());
    if (s.parameter("Name") == null && s.parameter("Identity") == null) {
      params.put("Name", s.name()); // for the remediation commands, e.g. Set-SendConnector "<Name>"
    }
    ConnectorSpec named = new ConnectorSpec(s.kind(), s.name(), params, s.warnings());
    try {
      return new Chosen(named, ConnectorPolicies.of(named));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--connector-file " + file + ", connector \"" + s.name() + "\": " + e.getMessage());
    }
  }

  private static String names(List<ConnectorSpec> specs) {
    return String.join(", ", specs.stream().map(c -> "\"" + c.name() + "\"").toList());
  }

  private InspectionReport report() {
    SmtpTarget target = server.target;
    if (target != null) {
      return options.inspector().inspect(options.target(target), options.expectedNames(target));
    }
    Path file = server.report;
    if (file == null) {
      throw new IllegalStateException("picocli requires --target or --report");
    }
    try {
      return ProbeJsonReader.read(read(file, "--report"), file.toString());
    } catch (IllegalArgumentException e) {
      throw new UsageException("--report " + e.getMessage());
    }
  }

  private static byte[] bytes(Path file, String option) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UsageException(option + " " + file + ": cannot read: " + e.getMessage());
    }
  }

  private static String read(Path file, String option) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UsageException(option + " " + file + ": cannot read: " + e.getMessage());
    }
  }

  private static ObjectNode json(Chosen c, InspectionReport report, PolicyVerdict v) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.set("tool", JsonReports.tool());
    ObjectNode connector = o.putObject("connector");
    connector.put("kind", c.spec().kind());
    connector.put("name", c.spec().name());
    ArrayNode warnings = connector.putArray("warnings");
    c.spec().warnings().forEach(warnings::add);
    ObjectNode target = o.putObject("target");
    target.put("host", report.target().host());
    target.put("port", report.target().port());
    o.setAll(JsonReports.verdict(v));
    return o;
  }

  private static String text(Chosen c, InspectionReport report, PolicyVerdict v) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("Connector     %s \"%s\"%n", c.spec().kind(), c.spec().name()));
    for (String w : c.spec().warnings()) {
      sb.append(String.format("  warning     %s%n", w));
    }
    sb.append(String.format("Server        %s%n", report.target()));
    sb.append(String.format("Outcome       %s%n", v.outcome()));
    if (v.smtpResponse() != null) {
      sb.append(String.format("Logged        %s%n", v.smtpResponse()));
    }
    List<String> lines = new ArrayList<>();
    v.reasons().forEach(f -> lines.add(String.format("  %-7s %s  %s", f.severity(), f.code(), f.message())));
    sb.append(String.format("Reasons       %d%n", v.reasons().size()));
    lines.forEach(l -> sb.append(l).append(System.lineSeparator()));
    if (!v.remediations().isEmpty()) {
      sb.append("Fix").append(System.lineSeparator());
      for (Remediation r : v.remediations()) {
        sb.append("  ").append(r.text()).append(System.lineSeparator());
        if (r.command() != null) {
          r.command().lines().forEach(l -> sb.append("      ").append(l).append(System.lineSeparator()));
        }
      }
    }
    return sb.toString();
  }
}
