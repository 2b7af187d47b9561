package dev.smtptls.dns;

import dev.smtptls.finding.Finding;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One MX host judged under a domain's MTA-STS policy, from {@link MtaStsResult#evaluateHost}.
 *
 * @param matches whether one of the policy's {@code mx} patterns covers the host; false when there
 *     is no valid policy
 * @param pattern the pattern that covers it, or null
 * @param certificateValid whether the host's certificate is valid as MTA-STS requires, as the
 *     caller judged it; null when no valid policy applies
 * @param findings {@code MTA_STS_MX_MISMATCH} and {@code MTA_STS_CERT_INVALID}: ERROR in mode
 *     {@code enforce}, WARNING in {@code testing}, none in {@code none}
 */
public record MtaStsHostCheck(
    boolean matches, @Nullable String pattern, @Nullable Boolean certificateValid, List<Finding> findings) {

  /** Copies the findings. */
  public MtaStsHostCheck {
    findings = List.copyOf(findings);
  }
}
