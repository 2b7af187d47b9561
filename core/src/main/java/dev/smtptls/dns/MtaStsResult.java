package dev.smtptls.dns;

import static java.util.Objects.requireNonNull;

import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A domain's MTA-STS, from {@link MtaStsChecker#check(String)}: the record, the fetch, the policy
 * and the verdict.
 *
 * @param domain the domain, lower case, without the trailing dot
 * @param record the {@code _mta-sts} record, or null when there is none or it is malformed
 * @param policyUrl where the policy is (or would be) served
 * @param fetch how the fetch went, or null when the policy was not fetched (no usable record)
 * @param policy the policy, or null when it was not fetched or does not parse
 * @param status the verdict
 * @param findings {@code MTA_STS_POLICY_UNAVAILABLE} or {@code MTA_STS_POLICY_INVALID}, or none
 */
public record MtaStsResult(
    String domain,
    @Nullable MtaStsRecord record,
    String policyUrl,
    @Nullable MtaStsFetch fetch,
    @Nullable MtaStsPolicy policy,
    MtaStsStatus status,
    List<Finding> findings) {

  /** Checks and copies. */
  public MtaStsResult {
    requireNonNull(domain, "domain");
    requireNonNull(policyUrl, "policyUrl");
    requireNonNull(status, "status");
    findings = List.copyOf(findings);
    if (status == MtaStsStatus.VALID && (record == null || policy == null)) {
      throw new IllegalArgumentException("a VALID result needs a record and a policy");
    }
  }

  /** {@return the policy senders apply: the policy when the status is VALID, else null} */
  public @Nullable MtaStsPolicy effectivePolicy() {
    return status == MtaStsStatus.VALID ? policy : null;
  }

  /**
   * Judges one MX host under the policy (RFC 8461 §4): its name must match one of the policy's
   * {@code mx} patterns (§4.1) and its certificate must be valid for that name under the web PKI
   * (§4.2). Findings are ERROR in mode {@code enforce} (senders queue the mail), WARNING in
   * {@code testing} (they deliver and report), absent in {@code none} and without a valid policy.
   *
   * @param mxHost the MX host name
   * @param certificateValid whether the host's certificate chains to a trusted root, is in date
   *     and covers {@code mxHost}
   * @param certificateProblem what is wrong with it, for the finding's evidence; null if unknown
   *     or valid
   * @return the verdict for the host
   */
  public MtaStsHostCheck evaluateHost(
      String mxHost, boolean certificateValid, @Nullable String certificateProblem) {
    requireNonNull(mxHost, "mxHost");
    MtaStsPolicy p = effectivePolicy();
    if (p == null) {
      return new MtaStsHostCheck(false, null, null, List.of());
    }
    @Nullable String pattern = p.matchingPattern(mxHost).orElse(null);
    List<Finding> out = new ArrayList<>();
    Severity severity = switch (p.mode()) {
      case ENFORCE -> Severity.ERROR;
      case TESTING -> Severity.WARNING;
      case NONE -> Severity.INFO;
    };
    if (p.mode() != MtaStsMode.NONE) {
      String consequence = p.mode() == MtaStsMode.ENFORCE
          ? "senders that apply MTA-STS will not deliver to it (mode enforce)"
          : "senders report it but still deliver (mode testing)";
      if (pattern == null) {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("host", MtaStsText.canonical(mxHost));
        ev.put("patterns", p.mx());
        out.add(new Finding(FindingCode.MTA_STS_MX_MISMATCH, severity,
            "MX host " + MtaStsText.canonical(mxHost) + " matches none of the MTA-STS policy's mx patterns ("
                + String.join(", ", p.mx()) + "): " + consequence + ".",
            ev));
      }
      if (!certificateValid) {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("host", MtaStsText.canonical(mxHost));
        ev.put("reason", certificateProblem == null ? "the certificate is not valid" : certificateProblem);
        out.add(new Finding(FindingCode.MTA_STS_CERT_INVALID, severity,
            "The certificate of MX host " + MtaStsText.canonical(mxHost) + " is not valid as MTA-STS requires"
                + (certificateProblem == null ? "" : " (" + certificateProblem + ")") + ": " + consequence + ".",
            ev));
      }
    }
    return new MtaStsHostCheck(pattern != null, pattern, certificateValid, out);
  }
}
