package dev.smtptls.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smtptls.connector.ExplainedCause;
import dev.smtptls.connector.ExplainedReply;
import dev.smtptls.connector.Explanation;
import dev.smtptls.connector.Remediation;
import dev.smtptls.connector.SmtpErrorExplainer;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code smtptls explain TEXT}: explains an SMTP error or queue status line with {@link
 * SmtpErrorExplainer}, for a person or as the JSON of {@code CONTRACT.md}.
 *
 * <p>Exit codes: the line is an error by nature, so "found an ERROR" would make every run exit 1
 * and tell a script nothing. Instead 0 means the line was explained (at least one known cause), 1
 * that its replies were read but no known cause matches (a script should escalate to a person),
 * and 2 that the text holds no SMTP reply code, enhanced status code or known error text (bad
 * input).
 */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    versionProvider = ToolVersion.class,
    description = {
      "Explains an SMTP error or queue status line: the replies in it, outermost first (for"
          + " example 451 4.4.0 Primary target IP address responded with: \"451 5.7.3 STARTTLS is"
          + " required to send mail.\"), and the known causes, most likely first, each with the"
          + " checks that tell them apart and what fixes them.",
      "Reads Exchange NDR and queue texts (Get-Queue / Get-Message LastError), Exchange Online"
          + " NDR codes, and Postfix log lines (dsn=..., status=deferred (...), host X said: ...)."
          + " Quote the line, or give it as several words.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the line was explained: at least one known cause",
      "1:the replies were read, but no known cause matches them",
      "2:usage or input error: no SMTP reply code, enhanced status code or known error text",
      "3:internal error (one line on stderr; the stack trace with --debug)"
    })
public final class ExplainCommand implements Callable<Integer> {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "TEXT",
      description = "The line to explain; several words are joined with single spaces.")
  List<String> words = new ArrayList<>();

  @Option(names = "--json", description = "Print one JSON object (CONTRACT.md) instead of text.")
  boolean json;

  @Option(names = "--debug", description = "Print the stack trace of an internal error.")
  boolean debug;

  /** Creates the command; picocli fills its fields. */
  public ExplainCommand() {}

  @Override
  public Integer call() {
    Explanation e;
    try {
      e = SmtpErrorExplainer.explain(String.join(" ", words));
    } catch (IllegalArgumentException ex) {
      throw new UsageException(String.valueOf(ex.getMessage()));
    }
    String rendered = json ? JsonReports.pretty(json(e)) + System.lineSeparator() : text(e);
    PrintWriter out = spec.commandLine().getOut();
    out.print(rendered);
    out.flush();
    return e.explained() ? SmtpTlsCommand.EXIT_OK : SmtpTlsCommand.EXIT_FINDINGS;
  }

  /**
   * The JSON of {@code CONTRACT.md}: {@code replies} (code, enhancedStatus, text; null where the
   * line gives none) and {@code causes} (code, summary, checks, remediations as {@code {text,
   * command}}), plus {@code tool} and {@code explained} (whether any cause is known).
   *
   * @param e the explanation
   * @return the document
   */
  static ObjectNode json(Explanation e) {
    ObjectNode root = NODES.objectNode();
    root.set("tool", JsonReports.tool());
    root.put("explained", e.explained());
    ArrayNode replies = root.putArray("replies");
    for (ExplainedReply r : e.replies()) {
      ObjectNode o = replies.addObject();
      o.put("code", r.code());
      o.put("enhancedStatus", r.enhancedStatus());
      o.put("text", r.text());
    }
    ArrayNode causes = root.putArray("causes");
    e.causes().forEach(c -> causes.add(JsonReports.cause(c)));
    return root;
  }

  /** The text a person reads: the replies, then each cause with its checks and fixes. */
  static String text(Explanation e) {
    StringBuilder sb = new StringBuilder();
    sb.append("Replies (outermost first):").append(System.lineSeparator());
    for (ExplainedReply r : e.replies()) {
      String code = r.code() == null ? "" : r.code() + " ";
      String st = r.enhancedStatus() == null ? "" : r.enhancedStatus() + " ";
      sb.append("  ").append(code).append(st).append(r.text()).append(System.lineSeparator());
    }
    if (!e.explained()) {
      sb.append("No known cause for these replies.").append(System.lineSeparator());
      return sb.toString();
    }
    sb.append("Causes (most likely first):").append(System.lineSeparator());
    int n = 1;
    for (ExplainedCause c : e.causes()) {
      sb.append(String.format("%d. %s: %s%n", n++, c.code(), c.summary()));
      for (String check : c.checks()) {
        sb.append("   check: ").append(check).append(System.lineSeparator());
      }
      for (Remediation r : c.remediations()) {
        sb.append("   fix:   ").append(r.text()).append(System.lineSeparator());
        if (r.command() != null) {
          for (String line : r.command().split("\n", -1)) {
            sb.append("          ").append(line).append(System.lineSeparator());
          }
        }
      }
    }
    return sb.toString();
  }
}
