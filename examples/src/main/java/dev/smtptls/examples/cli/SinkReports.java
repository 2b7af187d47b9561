package dev.smtptls.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smtptls.cert.CertificateInfo;
import dev.smtptls.connector.PolicyVerdict;
import dev.smtptls.connector.Remediation;
import dev.smtptls.inspect.TranscriptEntry;
import dev.smtptls.sink.SenderReport;
import dev.smtptls.smtp.SmtpReply;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How {@code smtptls sink} shows a {@link SenderReport}: the JSON object of {@code CONTRACT.md}
 * (one per connection, one line each) and the text a person reads.
 */
final class SinkReports {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String LABEL = "%-13s %s%n";

  private SinkReports() {}

  /**
   * The JSON of one connection: {@code remote, connectedAt, durationMs, heloName, esmtp, startTls
   * {used, issuedAtMs, protocol, cipherSuite, failure}, clientCertificates, clientCertificateCheck,
   * mailFrom, recipients, messages, messageOctets, policyReply, verdict, ending, findings,
   * transcript}; every key present, {@code null} when there is no value. {@code verdict} is the
   * object {@code smtptls policy} prints: {@code {outcome, smtpResponse, reasons, remediations:
   * [{text, command}]}}.
   *
   * @param r the report
   * @param verdict the {@code --connector} verdict, or null
   * @return the object
   */
  static ObjectNode json(SenderReport r, @Nullable PolicyVerdict verdict) {
    ObjectNode o = NODES.objectNode();
    o.set("tool", JsonReports.tool());
    o.set("remote", remote(r.remote()));
    o.put("connectedAt", JsonReports.instant(r.connectedAt()));
    o.put("durationMs", r.duration().toMillis());
    o.put("heloName", r.heloName());
    o.put("esmtp", r.esmtp());
    ObjectNode tls = o.putObject("startTls");
    tls.put("used", r.startTls().used());
    if (r.startTls().issuedAt() == null) {
      tls.putNull("issuedAtMs");
    } else {
      tls.put("issuedAtMs", r.startTls().issuedAt().toMillis());
    }
    tls.put("protocol", r.startTls().protocol());
    tls.put("cipherSuite", r.startTls().cipherSuite());
    tls.put("failure", r.startTls().failure());
    ArrayNode certs = o.putArray("clientCertificates");
    r.clientCertificates().forEach(c -> certs.add(JsonReports.certificate(c)));
    o.set("clientCertificateCheck", JsonReports.certificateCheck(r.clientCertificateCheck()));
    o.put("mailFrom", r.mailFrom());
    ArrayNode rcpts = o.putArray("recipients");
    r.recipients().forEach(rcpts::add);
    o.put("messages", r.messages());
    o.put("messageOctets", r.messageOctets());
    o.put("policyReply", r.policyReply() == null ? null : r.policyReply().oneLine());
    if (verdict == null) {
      o.putNull("verdict");
    } else {
      o.set("verdict", JsonReports.verdict(verdict));
    }
    o.put("ending", r.ending() == null ? null : r.ending().name());
    o.set("findings", JsonReports.findings(r.findings()));
    ArrayNode transcript = o.putArray("transcript");
    for (TranscriptEntry t : r.transcript()) {
      ObjectNode e = transcript.addObject();
      e.put("atMs", t.at().toMillis());
      e.put("from", t.from().name().toLowerCase(Locale.ROOT));
      e.put("line", t.line());
    }
    return o;
  }

  private static ObjectNode remote(InetSocketAddress a) {
    ObjectNode o = NODES.objectNode();
    o.put("address", a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress());
    o.put("port", a.getPort());
    return o;
  }

  /**
   * The text of one connection.
   *
   * @param r the report
   * @param withTranscript whether to print the dialogue too
   * @param verdict the {@code --connector} verdict, or null
   * @return the text, ending with a line break
   */
  static String text(SenderReport r, boolean withTranscript, @Nullable PolicyVerdict verdict) {
    StringBuilder sb = new StringBuilder();
    InetSocketAddress a = r.remote();
    String from = (a.getAddress() == null ? a.getHostString() : IpLiterals.show(a.getAddress())) + ":" + a.getPort();
    sb.append(String.format(LABEL, "Sender", from + " at " + r.connectedAt() + " (" + r.duration().toMillis()
        + " ms, " + (r.ending() == null ? "open" : ending(r.ending())) + ")"));
    sb.append(String.format(LABEL, "HELO/EHLO", r.heloName() == null
        ? "(none)" : (r.esmtp() ? "EHLO " : "HELO ") + r.heloName()));
    sb.append(String.format(LABEL, "STARTTLS", startTls(r.startTls())));
    List<CertificateInfo> certs = r.clientCertificates();
    if (certs.isEmpty()) {
      sb.append(String.format(LABEL, "Client cert", r.startTls().used() ? "none presented" : "-"));
    } else {
      sb.append(String.format(LABEL, "Client cert", certs.size() == 1 ? "1 certificate" : certs.size() + " certificates"));
      for (int i = 0; i < certs.size(); i++) {
        TextReports.certificateBlock(sb, i, certs.get(i));
      }
    }
    sb.append(String.format(LABEL, "MAIL FROM", r.mailFrom() == null ? "-" : "<" + r.mailFrom() + ">"));
    sb.append(String.format(LABEL, "RCPT TO", r.recipients().isEmpty()
        ? "-" : "<" + String.join(">, <", r.recipients()) + ">"));
    if (r.messages() > 0) {
      sb.append(String.format(LABEL, "Messages", r.messages() + " (" + r.messageOctets() + " octets, discarded)"));
    }
    SmtpReply policy = r.policyReply();
    if (policy != null) {
      sb.append(String.format(LABEL, "Refused with", policy.oneLine()));
    }
    TextReports.findings(sb, r.findings(), "");
    if (verdict != null) {
      sb.append(String.format(LABEL, "Verdict", verdict.outcome()));
      if (verdict.smtpResponse() != null) {
        sb.append(String.format(LABEL, "Receiver says", verdict.smtpResponse()));
      }
      verdict.reasons().forEach(f -> sb.append(String.format("  %-7s %s  %s%n", f.severity(), f.code(), f.message())));
      if (!verdict.remediations().isEmpty()) {
        sb.append(String.format("Fix%n"));
        for (Remediation fix : verdict.remediations()) {
          sb.append("  ").append(fix.text()).append(System.lineSeparator());
          String command = fix.command();
          if (command != null) {
            command.lines().forEach(l -> sb.append("      ").append(l).append(System.lineSeparator()));
          }
        }
      }
    }
    if (withTranscript) {
      sb.append(String.format("Transcript%n"));
      r.transcript().forEach(t -> sb.append("  ").append(t).append(System.lineSeparator()));
    }
    return sb.toString();
  }

  private static String startTls(SenderReport.StartTls s) {
    if (s.issuedAt() == null) {
      return "not issued";
    }
    if (!s.used()) {
      return "issued at " + s.issuedAt().toMillis() + " ms, handshake failed: "
          + (s.failure() == null ? "(no detail)" : s.failure());
    }
    return s.protocol() + ", " + s.cipherSuite() + " (issued at " + s.issuedAt().toMillis() + " ms)";
  }

  private static String ending(SenderReport.Ending e) {
    return switch (e) {
      case QUIT -> "ended with QUIT";
      case CLOSED -> "closed by the sender without QUIT";
      case TIMEOUT -> "timed out";
      case PROTOCOL_VIOLATION -> "closed for a protocol violation";
      case MESSAGE_TOO_LARGE -> "closed: message too large";
      case TOO_MANY_CONNECTIONS -> "refused: too many connections";
      case SINK_CLOSED -> "cut by the sink's stop";
    };
  }
}
