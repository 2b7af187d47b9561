package dev.smtptls.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smtptls.cert.CertificateInfo;
import dev.smtptls.cert.CertificateReport;
import dev.smtptls.cert.TrustResult;
import dev.smtptls.connector.Diagnosis;
import dev.smtptls.connector.ExplainedCause;
import dev.smtptls.connector.PolicyVerdict;
import dev.smtptls.connector.Remediation;
import dev.smtptls.crl.CrlReachability;
import dev.smtptls.finding.Finding;
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
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.jspecify.annotations.Nullable;

/**
 * The JSON of the command-line tool, in the shapes {@code CONTRACT.md} fixes: camelCase names,
 * instants as ISO-8601 UTC strings, durations as integer milliseconds with an {@code Ms} suffix,
 * and {@code null} for an absent value, never a missing key. Built as a tree so every key is
 * written explicitly and none can vanish through a serializer setting. Commands that print a
 * finding, a certificate or a probe report take it from here.
 */
public final class JsonReports {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER =
      new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private JsonReports() {}

  /**
   * Renders one JSON document, indented for a person reading it.
   *
   * @param node the document
   * @return the text, without a trailing line break
   */
  public static String pretty(JsonNode node) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain nodes always serialises", e);
    }
  }

  /**
   * Renders one JSON document on one line (for commands that print one object per line).
   *
   * @param node the document
   * @return the text, without a line break
   */
  public static String compact(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain nodes always serialises", e);
    }
  }

  /** {@return {@code {"name": "smtptls", "version": "..."}}} */
  public static ObjectNode tool() {
    ObjectNode tool = NODES.objectNode();
    tool.put("name", ToolVersion.NAME);
    tool.put("version", ToolVersion.version());
    return tool;
  }

  /**
   * The JSON of {@code smtptls probe}.
   *
   * @param r the report
   * @return the object
   */
  public static ObjectNode probe(InspectionReport r) {
    return probe(r, null);
  }

  /**
   * The JSON of {@code smtptls probe}, with the revocation check beside {@code certificateCheck}.
   *
   * @param r the report
   * @param revocation what came of the revocation check, or null to leave the key out (a report
   *     made without one)
   * @return the object
   */
  public static ObjectNode probe(InspectionReport r, Revocation.@Nullable Outcome revocation) {
    ObjectNode o = NODES.objectNode();
    o.set("tool", tool());
    o.set("target", target(r.target(), r.address()));
    o.put("startedAt", instant(r.startedAt()));
    o.put("durationMs", r.duration().toMillis());
    o.set("greeting", greeting(r.greeting()));
    o.set("ehlo", ehlo(r.ehlo()));
    o.set("helo", reply(r.helo()));
    o.set("startTls", startTls(r.startTls()));
    o.set("ehloAfterTls", ehlo(r.ehloAfterTls()));
    o.set("plaintext", plaintext(r.plaintext()));
    ArrayNode certs = o.putArray("certificates");
    r.certificates().forEach(c -> certs.add(certificate(c)));
    o.set("certificateCheck", certificateCheck(r.certificateCheck()));
    if (revocation != null) {
      o.set("revocation", revocation(revocation));
    }
    o.set("findings", findings(r.findings()));
    ArrayNode diagnosis = o.putArray("diagnosis");
    Diagnosis.causes(r).forEach(c -> diagnosis.add(cause(c)));
    ArrayNode transcript = o.putArray("transcript");
    r.transcript().forEach(t -> transcript.add(transcriptEntry(t)));
    o.set("timings", timings(r.timings()));
    o.put("aborted", r.aborted());
    return o;
  }

  /**
   * The certificate checker's verdict: {@code {"valid", "checkedAt", "path": [subject, ...] |
   * null, "trust": [{"trustSource", "trusted", "path": [subject, ...], "findings": [...]}]}}, or
   * {@code null} when no chain was checked. {@code path} is the validated path of the first trust
   * source, leaf first, ending with the anchor; {@code null} when that source trusts no path. A
   * trust entry's {@code path} is the path it validated, or, when it trusts none, the best
   * partial path it built (where the chain stops).
   *
   * @param c the certificate report, or null
   * @return the object, or a JSON null
   */
  public static JsonNode certificateCheck(@Nullable CertificateReport c) {
    if (c == null) {
      return NODES.nullNode();
    }
    ObjectNode o = NODES.objectNode();
    o.put("valid", c.valid());
    o.put("checkedAt", instant(c.checkedAt()));
    o.set("path", path(c));
    o.set("trust", trust(c));
    return o;
  }

  /**
   * The validated path of the first trust source as subjects, leaf first, or a JSON null.
   *
   * @param c the certificate report
   * @return the array, or a JSON null
   */
  public static JsonNode path(CertificateReport c) {
    List<X509Certificate> path = c.path();
    if (path.isEmpty()) {
      return NODES.nullNode();
    }
    return subjects(path);
  }

  /**
   * Each trust source's verdict, in the order they were configured.
   *
   * @param c the certificate report
   * @return the array
   */
  public static ArrayNode trust(CertificateReport c) {
    ArrayNode a = NODES.arrayNode();
    for (TrustResult t : c.trust()) {
      ObjectNode o = a.addObject();
      o.put("trustSource", t.trustSource());
      o.put("trusted", t.trusted());
      o.set("path", subjects(t.path()));
      o.set("findings", findings(t.findings()));
    }
    return a;
  }

  /**
   * What came of the revocation check: {@code {"mode": "none|crl|ocsp|all", "checked": bool,
   * "note": "..." | null, "crls": [{"url", "subject", "status": "OK|UNAVAILABLE|EXPIRED|INVALID",
   * "httpStatus", "latencyMs", "bytes", "thisUpdate", "nextUpdate", "entries", "detail"}]}}. {@code
   * checked} is true when a checker ran on a validated path (CRL, OCSP or both, as {@code mode}
   * says); {@code note} says what was checked with OCSP, or what was not checked and why, null
   * for a plain CRL check; {@code crls} is the reachability of every CRL the validated path names,
   * one row per certificate and URL, {@code subject} the certificate's (empty for {@code ocsp},
   * which fetches no CRL). OCSP answers are findings: {@code OCSP_REVOKED}, {@code
   * OCSP_UNAVAILABLE}.
   *
   * @param r the outcome
   * @return the object
   */
  public static ObjectNode revocation(Revocation.Outcome r) {
    ObjectNode o = NODES.objectNode();
    o.put("mode", r.mode().option());
    o.put("checked", r.checked());
    o.put("note", r.note());
    ArrayNode crls = o.putArray("crls");
    for (CrlReachability row : r.crls()) {
      ObjectNode c = crls.addObject();
      c.put("url", row.url().toString());
      c.put("subject", row.certificate().getSubjectX500Principal().getName(X500Principal.RFC2253));
      c.put("status", row.status().name());
      c.put("httpStatus", row.httpStatus());
      c.put("latencyMs", row.latency().toMillis());
      c.put("bytes", row.bytes());
      Instant thisUpdate = row.thisUpdate();
      Instant nextUpdate = row.nextUpdate();
      c.put("thisUpdate", thisUpdate == null ? null : instant(thisUpdate));
      c.put("nextUpdate", nextUpdate == null ? null : instant(nextUpdate));
      c.put("entries", row.entries());
      c.put("detail", row.detail());
    }
    return o;
  }

  private static ArrayNode subjects(List<X509Certificate> certs) {
    ArrayNode a = NODES.arrayNode();
    certs.forEach(x -> a.add(x.getSubjectX500Principal().getName(X500Principal.RFC2253)));
    return a;
  }

  /**
   * A finding: {@code {"code", "severity", "message", "evidence": {...}}}.
   *
   * @param f the finding
   * @return the object
   */
  public static ObjectNode finding(Finding f) {
    ObjectNode o = NODES.objectNode();
    o.put("code", f.code().name());
    o.put("severity", f.severity().name());
    o.put("message", f.message());
    ObjectNode evidence = o.putObject("evidence");
    for (Map.Entry<String, Object> e : f.evidence().entrySet()) {
      if (e.getValue() instanceof List<?> list) {
        ArrayNode values = evidence.putArray(e.getKey());
        list.forEach(v -> values.add(String.valueOf(v)));
      } else {
        evidence.put(e.getKey(), String.valueOf(e.getValue()));
      }
    }
    return o;
  }

  /**
   * Remediations in order: {@code [{"text", "command" | null}]}.
   *
   * @param remediations the remediations
   * @return the array
   */
  public static ArrayNode remediations(List<Remediation> remediations) {
    ArrayNode a = NODES.arrayNode();
    for (Remediation r : remediations) {
      ObjectNode o = a.addObject();
      o.put("text", r.text());
      o.put("command", r.command());
    }
    return a;
  }

  /**
   * A likely cause, as {@code explain} and the probe's {@code diagnosis} print it: {@code
   * {"code", "summary", "checks": [...], "remediations": [...]}}.
   *
   * @param c the cause
   * @return the object
   */
  public static ObjectNode cause(ExplainedCause c) {
    ObjectNode o = NODES.objectNode();
    o.put("code", c.code());
    o.put("summary", c.summary());
    ArrayNode checks = o.putArray("checks");
    c.checks().forEach(checks::add);
    o.set("remediations", remediations(c.remediations()));
    return o;
  }

  /**
   * A connector's verdict, as {@code policy} prints it and {@code sink} per connection: {@code
   * {"outcome", "smtpResponse", "reasons": [finding, ...], "remediations": [...]}}.
   *
   * @param v the verdict
   * @return the object
   */
  public static ObjectNode verdict(PolicyVerdict v) {
    ObjectNode o = NODES.objectNode();
    o.put("outcome", v.outcome().name());
    o.put("smtpResponse", v.smtpResponse());
    o.set("reasons", findings(v.reasons()));
    o.set("remediations", remediations(v.remediations()));
    return o;
  }

  /**
   * Findings in order.
   *
   * @param findings the findings
   * @return the array
   */
  public static ArrayNode findings(List<Finding> findings) {
    ArrayNode a = NODES.arrayNode();
    findings.forEach(f -> a.add(finding(f)));
    return a;
  }

  /**
   * A certificate: subject, issuer, serialNumber (hex), notBefore, notAfter, sha1 and sha256
   * (upper-case hex without separators), dnsNames, selfSigned.
   *
   * @param c the certificate summary
   * @return the object
   */
  public static ObjectNode certificate(CertificateInfo c) {
    ObjectNode o = NODES.objectNode();
    o.put("subject", c.subject());
    o.put("issuer", c.issuer());
    o.put("serialNumber", c.serialNumber());
    o.put("notBefore", instant(c.notBefore()));
    o.put("notAfter", instant(c.notAfter()));
    o.put("sha1", c.sha1());
    o.put("sha256", c.sha256());
    ArrayNode names = o.putArray("dnsNames");
    c.dnsNames().forEach(names::add);
    o.put("selfSigned", c.selfSigned());
    return o;
  }

  /**
   * An instant as ISO-8601 in UTC, e.g. {@code 2025-06-01T12:00:00.123Z}.
   *
   * @param i the instant
   * @return the text
   */
  public static String instant(Instant i) {
    return i.toString();
  }

  static ObjectNode target(SmtpTarget t, @Nullable InetSocketAddress connected) {
    ObjectNode o = NODES.objectNode();
    o.put("host", t.host());
    o.put("port", t.port());
    InetAddress a = connected != null ? connected.getAddress() : t.address();
    o.put("address", a == null ? null : a.getHostAddress());
    return o;
  }

  private static JsonNode greeting(@Nullable Greeting g) {
    if (g == null) {
      return NODES.nullNode();
    }
    ObjectNode o = NODES.objectNode();
    o.put("code", g.code());
    o.put("text", g.text());
    o.put("fqdn", g.fqdn());
    return o;
  }

  private static JsonNode ehlo(@Nullable Ehlo e) {
    if (e == null) {
      return NODES.nullNode();
    }
    ObjectNode o = NODES.objectNode();
    o.put("fqdn", e.fqdn());
    ArrayNode keywords = o.putArray("keywords");
    e.keywords().forEach(keywords::add);
    return o;
  }

  private static JsonNode reply(@Nullable SmtpReply r) {
    if (r == null) {
      return NODES.nullNode();
    }
    ObjectNode o = NODES.objectNode();
    o.put("code", r.code());
    o.put("text", replyText(r));
    return o;
  }

  static ObjectNode startTls(StartTlsOutcome outcome) {
    ObjectNode o = NODES.objectNode();
    o.put("status", outcome.status().name());
    SmtpReply reply = outcome.reply();
    o.put("replyCode", reply == null ? null : reply.code());
    String protocol = null;
    String cipherSuite = null;
    Boolean advertised = null;
    Boolean ocspStapled = null;
    Boolean resumed = null;
    String detail;
    if (outcome instanceof StartTlsOutcome.Upgraded u) {
      protocol = u.protocol();
      cipherSuite = u.cipherSuite();
      advertised = u.advertised();
      ocspStapled = !u.stapledOcspByCertificate().isEmpty();
      resumed = u.resumed();
      detail = u.advertised() ? null : "accepted although the EHLO reply did not offer it";
    } else if (outcome instanceof StartTlsOutcome.NotOffered n) {
      SmtpReply attempt = n.attemptReply();
      detail = attempt == null
          ? "not in the EHLO reply"
          : "not in the EHLO reply; sent anyway, answered " + attempt.oneLine();
    } else if (outcome instanceof StartTlsOutcome.Refused r) {
      detail = r.reply().oneLine();
    } else if (outcome instanceof StartTlsOutcome.HandshakeFailed f) {
      detail = f.alert();
    } else if (outcome instanceof StartTlsOutcome.NotAttempted n) {
      detail = n.reason();
    } else {
      throw new IllegalStateException("unknown STARTTLS outcome " + outcome);
    }
    o.put("protocol", protocol);
    o.put("cipherSuite", cipherSuite);
    o.put("detail", detail);
    o.put("advertised", advertised);
    o.put("ocspStapled", ocspStapled);
    o.put("resumed", resumed);
    return o;
  }

  private static JsonNode plaintext(@Nullable PlaintextCheck p) {
    if (p == null) {
      return NODES.nullNode();
    }
    ObjectNode o = NODES.objectNode();
    o.put("mailFromAccepted", p.mailFromAccepted());
    o.put("replyCode", p.reply().code());
    o.put("text", replyText(p.reply()));
    return o;
  }

  private static ObjectNode transcriptEntry(TranscriptEntry t) {
    ObjectNode o = NODES.objectNode();
    o.put("atMs", t.at().toMillis());
    o.put("from", t.from().name().toLowerCase(Locale.ROOT));
    o.put("line", t.line());
    return o;
  }

  private static ObjectNode timings(Timings t) {
    ObjectNode o = NODES.objectNode();
    o.put("connectMs", millis(t.connect()));
    o.put("greetingMs", millis(t.greeting()));
    o.put("ehloMs", millis(t.ehlo()));
    o.put("startTlsMs", millis(t.startTls()));
    o.put("handshakeMs", millis(t.handshake()));
    o.put("totalMs", t.total().toMillis());
    return o;
  }

  private static @Nullable Long millis(@Nullable Duration d) {
    return d == null ? null : d.toMillis();
  }

  /** The reply's text as sent, without its code: {@code 5.7.0 Must issue a STARTTLS command first}. */
  private static String replyText(SmtpReply r) {
    return String.join(" ", r.lines()).strip();
  }
}
