package dev.smtptls.connector;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A possible cause of an SMTP error, as {@link SmtpErrorExplainer} ranks it: a stable code, what
 * it means, the checks that tell it apart from the other candidates, and what fixes it.
 *
 * @param code a stable identifier, e.g. {@code "RECEIVER_STARTTLS_NOT_CONFIGURED"}; never renamed
 *     once released
 * @param summary one or two sentences for a person
 * @param checks how to confirm or rule out this cause, e.g. {@code "smtptls probe mx.example.org
 *     shows STARTTLS_NOT_OFFERED"}
 * @param remediations what fixes it, most direct first
 */
public record ExplainedCause(
    String code, String summary, List<String> checks, List<Remediation> remediations) {

  /**
   * Validates and copies.
   *
   * @throws NullPointerException if an argument or an element is null
   * @throws IllegalArgumentException if {@code code} or {@code summary} is blank
   */
  public ExplainedCause {
    requireNonNull(code, "code");
    requireNonNull(summary, "summary");
    if (code.isBlank() || summary.isBlank()) {
      throw new IllegalArgumentException("code and summary must not be blank");
    }
    checks = List.copyOf(requireNonNull(checks, "checks"));
    remediations = List.copyOf(requireNonNull(remediations, "remediations"));
  }
}
