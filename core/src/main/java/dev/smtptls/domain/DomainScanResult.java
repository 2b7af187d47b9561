package dev.smtptls.domain;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * What a domain scan learned about one input entry: the domain's report, or an error for an entry
 * that is not a domain name. A domain that does not exist is a report (MX status {@code NONE},
 * finding {@code MX_NONE}), as {@link DomainInspector#inspect(String)} gives it.
 *
 * @param input the entry
 * @param report the domain's report, or null when {@code error} is set
 * @param error why the entry was not inspected, or null when {@code report} is set
 */
public record DomainScanResult(DomainScanInput input, @Nullable DomainReport report, @Nullable String error) {

  /**
   * Validates.
   *
   * @throws IllegalArgumentException if not exactly one of {@code report} and {@code error} is given
   */
  public DomainScanResult {
    requireNonNull(input, "input");
    if ((report == null) == (error == null)) {
      throw new IllegalArgumentException("exactly one of report and error must be given");
    }
  }

  /** {@return true when the entry is not a domain name or its report has an ERROR finding} */
  public boolean hasErrors() {
    return report == null || !report.ok();
  }
}
