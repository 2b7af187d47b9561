package dev.smtptls.examples.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smtptls.cert.CertificateReport;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.PlaintextCheck;
import dev.smtptls.inspect.SmtpTarget;
import dev.smtptls.inspect.StartTlsOutcome;
import dev.smtptls.inspect.Timings;
import dev.smtptls.inspect.TranscriptEntry;
import dev.smtptls.smtp.Ehlo;
import dev.smtptls.smtp.Greeting;
import dev.smtptls.smtp.SmtpReply;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads the JSON of an earlier {@code smtptls probe --json} back into an {@link InspectionReport},
 * for {@code smtptls policy --report}: a connector verdict without probing again.
 *
 * <p>What the JSON keeps comes back: target, greeting, EHLO replies, the STARTTLS outcome (the
 * refusal or the reply to a STARTTLS tried anyway from {@code detail}), the plaintext check, the
 * findings, the transcript and the timings. Certificates come back only as the verdict of the
 * check: the JSON holds summaries, not the DER, so the report's {@code certificateCheck} has no
 * presented certificates but every certificate finding of the original (its {@code valid()} is
 * the original's), and the upgraded session's peer chain is empty. That is all the connector
 * policies read.
 */
final class ProbeJsonReader {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** Findings about the presented chain: they go into the rebuilt certificate check. */
  private static final Pattern CERTIFICATE_CODE = Pattern.compile("CERT_.*|CRL_.*|OCSP_.*");

  private static final Pattern SENT_ANYWAY = Pattern.compile(".*sent anyway, answered (\\d{3}) ?(.*)");

  private ProbeJsonReader() {}

  /**
   * Parses a probe report.
   *
   * @param json the text of {@code probe --json}
   * @param where the file name, for messages
   * @return the report
   * @throws IllegalArgumentException naming the file, and the line and column or the field, when
   *     the text is not JSON or not a probe report
   */
  static InspectionReport read(String json, String where) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      throw new IllegalArgumentException(where + ": not JSON at line " + (loc == null ? "?" : loc.getLineNr())
          + ", column " + (loc == null ? "?" : loc.getColumnNr()) + ": " + e.getOriginalMessage());
    }
    try {
      return report(root);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(where + ": not the JSON of smtptls probe: " + e.getMessage());
    }
  }

  private static InspectionReport report(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("the top level is not an object");
    }
    JsonNode target = field(root, "target");
    String host = text(target, "host");
    int port = field(target, "port").asInt();
    @Nullable String address = optText(target, "address");
    InetAddress connected = address == null ? null : IpLiterals.parse(address);
    SmtpTarget smtpTarget = SmtpTarget.of(host, port);
    Instant startedAt = instant(text(root, "startedAt"), "startedAt");
    Duration duration = Duration.ofMillis(field(root, "durationMs").asLong());
    List<Finding> findings = findings(field(root, "findings"));
    List<Finding> certificateFindings =
        findings.stream().filter(f -> CERTIFICATE_CODE.matcher(f.code().name()).matches()).toList();
    JsonNode check = root.path("certificateCheck");
    CertificateReport certificateCheck = check.isObject() || !certificateFindings.isEmpty()
        ? new CertificateReport(List.of(),
            check.hasNonNull("checkedAt") ? instant(check.get("checkedAt").asText(), "certificateCheck.checkedAt") : startedAt,
            List.of(), certificateFindings)
        : null;
    return new InspectionReport(
        smtpTarget,
        connected == null ? null : new InetSocketAddress(connected, port),
        startedAt,
        duration,
        greeting(root.path("greeting")),
        ehlo(root.path("ehlo")),
        reply(root.path("helo"), "code", "text"),
        startTls(field(root, "startTls")),
        ehlo(root.path("ehloAfterTls")),
        plaintext(root.path("plaintext")),
        certificateCheck,
        findings,
        transcript(root.path("transcript")),
        timings(root.path("timings"), duration),
        root.path("aborted").asBoolean(false));
  }

  private static JsonNode field(JsonNode o, String name) {
    JsonNode v = o.get(name);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("\"" + name + "\" is missing");
    }
    return v;
  }

  private static String text(JsonNode o, String name) {
    return field(o, name).asText();
  }

  private static @Nullable String optText(JsonNode o, String name) {
    JsonNode v = o.get(name);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Instant instant(String text, String name) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("\"" + name + "\" is not an ISO-8601 instant: " + text);
    }
  }

  private static @Nullable Greeting greeting(JsonNode g) {
    SmtpReply r = reply(g, "code", "text");
    return r == null ? null : new Greeting(r);
  }

  private static @Nullable Ehlo ehlo(JsonNode e) {
    if (!e.isObject()) {
      return null;
    }
    List<String> lines = new ArrayList<>();
    lines.add(e.path("fqdn").asText(""));
    e.path("keywords").forEach(k -> lines.add(k.asText()));
    return new Ehlo(SmtpReply.of(250, lines.toArray(String[]::new)));
  }

  private static @Nullable SmtpReply reply(JsonNode o, String codeField, String textField) {
    if (!o.isObject()) {
      return null;
    }
    return SmtpReply.of(field(o, codeField).asInt(), o.path(textField).asText(""));
  }

  /** A reply written as {@code oneLine()} writes it: {@code 454 4.7.0 TLS not available}. */
  private static SmtpReply oneLine(String line) {
    Matcher m = Pattern.compile("(\\d{3}) ?(.*)").matcher(line.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("not an SMTP reply: \"" + line + "\"");
    }
    return SmtpReply.of(Integer.parseInt(m.group(1)), m.group(2));
  }

  private static StartTlsOutcome startTls(JsonNode s) {
    String status = text(s, "status");
    @Nullable String detail = optText(s, "detail");
    JsonNode code = s.path("replyCode");
    SmtpReply ready = SmtpReply.of(code.isInt() ? code.asInt() : 220, "Ready to start TLS");
    return switch (status) {
      case "UPGRADED" -> new StartTlsOutcome.Upgraded(ready, text(s, "protocol"), text(s, "cipherSuite"), List.of(),
          s.path("advertised").asBoolean(true), List.of(), s.path("resumed").asBoolean(false));
      case "NOT_OFFERED" -> {
        Matcher m = detail == null ? null : SENT_ANYWAY.matcher(detail);
        yield new StartTlsOutcome.NotOffered(
            m != null && m.matches() ? SmtpReply.of(Integer.parseInt(m.group(1)), m.group(2)) : null);
      }
      case "REFUSED" -> new StartTlsOutcome.Refused(oneLine(requireNonNull(detail, "startTls.detail")));
      case "HANDSHAKE_FAILED" -> new StartTlsOutcome.HandshakeFailed(ready, detail == null ? "handshake failed" : detail, List.of());
      case "NOT_ATTEMPTED" -> new StartTlsOutcome.NotAttempted(detail == null ? "not attempted" : detail);
      default -> throw new IllegalArgumentException("unknown startTls.status \"" + status + "\"");
    };
  }

  private static @Nullable PlaintextCheck plaintext(JsonNode p) {
    SmtpReply r = reply(p, "replyCode", "text");
    return r == null ? null : new PlaintextCheck(r);
  }

  private static List<Finding> findings(JsonNode array) {
    List<Finding> out = new ArrayList<>();
    for (JsonNode f : array) {
      FindingCode code;
      try {
        code = FindingCode.valueOf(text(f, "code"));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown finding code \"" + f.path("code").asText() + "\"");
      }
      Severity severity = Severity.valueOf(text(f, "severity").toUpperCase(Locale.ROOT));
      Map<String, Object> evidence = new LinkedHashMap<>();
      f.path("evidence").properties().forEach(e -> {
        if (e.getValue().isArray()) {
          List<String> values = new ArrayList<>();
          e.getValue().forEach(v -> values.add(v.asText()));
          evidence.put(e.getKey(), values);
        } else {
          evidence.put(e.getKey(), e.getValue().asText());
        }
      });
      out.add(new Finding(code, severity, text(f, "message"), evidence));
    }
    return out;
  }

  private static List<TranscriptEntry> transcript(JsonNode array) {
    List<TranscriptEntry> out = new ArrayList<>();
    for (JsonNode t : array) {
      TranscriptEntry.Source from = TranscriptEntry.Source.valueOf(text(t, "from").toUpperCase(Locale.ROOT));
      out.add(new TranscriptEntry(Duration.ofMillis(t.path("atMs").asLong()), from, t.path("line").asText("")));
    }
    return out;
  }

  private static Timings timings(JsonNode t, Duration total) {
    return new Timings(millis(t, "connectMs"), millis(t, "greetingMs"), millis(t, "ehloMs"), millis(t, "startTlsMs"),
        millis(t, "handshakeMs"), t.hasNonNull("totalMs") ? Duration.ofMillis(t.get("totalMs").asLong()) : total);
  }

  private static @Nullable Duration millis(JsonNode o, String name) {
    JsonNode v = o.get(name);
    return v == null || v.isNull() ? null : Duration.ofMillis(v.asLong());
  }
}
