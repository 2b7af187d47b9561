package dev.smtptls.connector;

import static java.util.Objects.requireNonNull;

import dev.smtptls.connector.PolicyVerdict.Outcome;
import dev.smtptls.dns.MtaStsMode;
import dev.smtptls.dns.MtaStsPolicy;
import dev.smtptls.dns.MtaStsResult;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import dev.smtptls.inspect.InspectionReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A sender that applies the recipient domain's MTA-STS policy (RFC 8461 §4, §5), given as values.
 *
 * <p>{@link #evaluate(InspectionReport)} judges the probed server as an MX host of the domain:
 *
 * <ul>
 *   <li>{@code enforce}: the MX host must match one of the {@code mx} patterns (§4.1) and the
 *       connection must use TLS with a certificate valid for the MX host name: chaining to a trusted
 *       root, in date, and naming the host (§4.2, read from the report's certificate check; the
 *       name is matched here). Otherwise the sender does not deliver to that MX: {@code QUEUED}
 *       with {@code MTA_STS_MX_MISMATCH} / {@code MTA_STS_CERT_INVALID} (ERROR);
 *   <li>{@code testing}: the sender delivers as without a policy (TLS when offered, else in clear)
 *       and only reports the failures: the same findings as WARNINGs (§5);
 *   <li>{@code none}: as without a policy ({@link OpportunisticPolicy}).
 * </ul>
 *
 * <p>RFC 8461 defines no status text and each sender logs its own: {@code smtpResponse} is null
 * except where {@link OpportunisticPolicy} quotes the server.
 *
 * @param mode the policy's mode
 * @param mx the policy's {@code mx} patterns ({@code mx.example.com}, {@code *.example.com})
 * @param mxHost the MX host name to judge, or null for the probed host
 */
public record MtaStsConnectorPolicy(MtaStsMode mode, List<String> mx, @Nullable String mxHost) implements ConnectorPolicy {

  /** The CLI kind ({@code CONTRACT.md}). */
  public static final String KIND = "mta-sts";

  /**
   * The keys of {@link #fromParameters(Map)}, the policy file's own (RFC 8461 §3.2): {@code mode},
   * {@code mx} (patterns separated by {@code ;} or white space), {@code version} ({@code STSv1})
   * and {@code max_age} (checked, not used).
   */
  public static final List<String> PARAMETERS = List.of("mode", "mx", "version", "max_age");

  /**
   * Validates as RFC 8461 §3.2 does (through core's {@link MtaStsPolicy}).
   *
   * @throws IllegalArgumentException for a malformed pattern, or no pattern in mode enforce or
   *     testing
   */
  public MtaStsConnectorPolicy {
    requireNonNull(mode, "mode");
    mx = List.copyOf(mx);
    policy(mode, mx);
    if (mxHost != null && mxHost.isBlank()) {
      throw new IllegalArgumentException("mxHost is blank");
    }
  }

  private static MtaStsPolicy policy(MtaStsMode mode, List<String> mx) {
    return new MtaStsPolicy("STSv1", mode, mx, 86_400);
  }

  /**
   * The policy senders apply from a fetched policy.
   *
   * @param policy the policy
   * @return the connector policy
   */
  public static MtaStsConnectorPolicy of(MtaStsPolicy policy) {
    requireNonNull(policy, "policy");
    return new MtaStsConnectorPolicy(policy.mode(), policy.mx(), null);
  }

  /**
   * The policy senders apply from core's MTA-STS check of a domain: its policy when the result is
   * VALID; otherwise mode {@code none}, as a sender without a valid policy delivers without
   * MTA-STS (RFC 8461 §5).
   *
   * @param result the result of {@code MtaStsChecker.check(domain)}
   * @return the connector policy
   */
  public static MtaStsConnectorPolicy of(MtaStsResult result) {
    requireNonNull(result, "result");
    MtaStsPolicy p = result.effectivePolicy();
    return p == null ? new MtaStsConnectorPolicy(MtaStsMode.NONE, List.of(), null) : of(p);
  }

  /**
   * A policy from parameters (keys case-insensitive): {@code mode=enforce,mx=mx1.example.com;*.example.net}.
   *
   * @param parameters the parameters
   * @return the policy
   * @throws IllegalArgumentException for an unknown key or an invalid value, named
   */
  public static MtaStsConnectorPolicy fromParameters(Map<String, String> parameters) {
    Map<String, String> p = PostfixParameters.normalise(parameters, PARAMETERS, true, KIND);
    String version = p.getOrDefault("version", "STSv1").trim();
    if (!version.equals("STSv1")) {
      throw new IllegalArgumentException("version must be STSv1: " + version);
    }
    String maxAge = p.get("max_age");
    if (maxAge != null && !maxAge.trim().matches("\\d{1,10}")) {
      throw new IllegalArgumentException("max_age must be 1 to 10 digits: " + maxAge);
    }
    String modeText = p.get("mode");
    if (modeText == null) {
      throw new IllegalArgumentException("mode is required (enforce, testing or none)");
    }
    MtaStsMode mode = switch (modeText.trim().toLowerCase(Locale.ROOT)) {
      case "enforce" -> MtaStsMode.ENFORCE;
      case "testing" -> MtaStsMode.TESTING;
      case "none" -> MtaStsMode.NONE;
      default -> throw new IllegalArgumentException("mode must be enforce, testing or none: " + modeText);
    };
    List<String> mx = new ArrayList<>();
    for (String m : p.getOrDefault("mx", "").split("[;\\s]+")) {
      if (!m.isBlank()) {
        mx.add(m.trim());
      }
    }
    return new MtaStsConnectorPolicy(mode, mx, null);
  }

  @Override
  public PolicyVerdict evaluate(InspectionReport report) {
    requireNonNull(report, "report");
    PolicyVerdict base = Evaluation.evaluate(report, false, null);
    if (mode == MtaStsMode.NONE) {
      return base;
    }
    String host = PostfixTls.canonical(mxHost == null ? report.target().host() : mxHost);
    Severity severity = mode == MtaStsMode.ENFORCE ? Severity.ERROR : Severity.WARNING;
    String consequence = mode == MtaStsMode.ENFORCE
        ? "senders that apply MTA-STS will not deliver to it (mode enforce)"
        : "senders report it but still deliver (mode testing)";
    List<Finding> findings = new ArrayList<>();
    List<Remediation> fix = new ArrayList<>();
    if (policy(mode, mx).matchingPattern(host).isEmpty()) {
      Map<String, Object> ev = new LinkedHashMap<>();
      ev.put("host", host);
      ev.put("patterns", mx);
      findings.add(new Finding(FindingCode.MTA_STS_MX_MISMATCH, severity, "MX host " + host
          + " matches none of the MTA-STS policy's mx patterns (" + String.join(", ", mx) + "): " + consequence + ".",
          ev));
      fix.add(new Remediation("Add the MX host to the policy served at https://mta-sts.<domain>/.well-known/mta-sts.txt"
          + " and change the id of the _mta-sts TXT record so that senders fetch it again (RFC 8461 §3.1):",
          "mx: " + host));
    }
    if (report.startTls() instanceof dev.smtptls.inspect.StartTlsOutcome.NotAttempted) {
      return PostfixTls.verdict(report, base.outcome(), base.smtpResponse(), PostfixTls.plus(base.reasons(), findings),
          fix);
    }
    String problem = certificateProblem(report, host);
    if (problem != null) {
      Map<String, Object> ev = new LinkedHashMap<>();
      ev.put("host", host);
      ev.put("reason", problem);
      findings.add(new Finding(FindingCode.MTA_STS_CERT_INVALID, severity, "The TLS connection to MX host " + host
          + " is not valid as MTA-STS requires (" + problem + "): " + consequence + ".", ev));
    }
    List<Finding> reasons = PostfixTls.plus(base.reasons(), findings);
    if (problem != null && PostfixTls.upgradedAsAdvertised(report)) {
      reasons = PostfixTls.plus(reasons, PostfixTls.trustProblems(report));
    }
    if (mode == MtaStsMode.TESTING || findings.isEmpty()) {
      return PostfixTls.verdict(report, base.outcome(), base.smtpResponse(), reasons, fix);
    }
    return PostfixTls.verdict(report, Outcome.QUEUED, null, reasons, fix);
  }

  /** Why the connection does not meet RFC 8461 §4.2, or null. */
  private static @Nullable String certificateProblem(InspectionReport report, String host) {
    if (!PostfixTls.upgradedAsAdvertised(report)) {
      return "no TLS: the server's EHLO reply does not lead to an upgraded connection";
    }
    List<Finding> untrusted = PostfixTls.trustProblems(report);
    if (!untrusted.isEmpty()) {
      return untrusted.get(0).message();
    }
    List<String> names = PostfixTls.leafNames(report);
    if (names.stream().noneMatch(n -> PostfixTls.covers(n, host))) {
      return "the certificate names " + String.join(", ", names) + ", not " + host;
    }
    return null;
  }
}
