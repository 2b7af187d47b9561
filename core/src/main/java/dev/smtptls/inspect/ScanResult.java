package dev.smtptls.inspect;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * What a scan learned about one input entry: the probe's report, or an error for an entry that
 * could not be probed at all (a malformed line). A host name that does not resolve is a report
 * with a {@code CONNECT_FAILED} finding at step {@code resolve}, as {@link
 * SmtpTlsInspector#inspect(SmtpTarget)} gives it.
 *
 * @param input the entry
 * @param report the probe's report, or null when {@code error} is set
 * @param error why the entry was not probed, or null when {@code report} is set
 */
public record ScanResult(ScanInput input, @Nullable InspectionReport report, @Nullable String error) {

  /**
   * Validates.
   *
   * @throws IllegalArgumentException if not exactly one of {@code report} and {@code error} is given
   */
  public ScanResult {
    requireNonNull(input, "input");
    if ((report == null) == (error == null)) {
      throw new IllegalArgumentException("exactly one of report and error must be given");
    }
  }

  /** {@return true when the entry could not be probed or its report has an ERROR finding} */
  public boolean hasErrors() {
    return report == null || report.hasErrors();
  }
}
