package dev.smtptls.connector;

import static java.util.Objects.requireNonNull;

import dev.smtptls.finding.Finding;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a connector would do with mail to (or from) a server, predicted from a probe: the outcome,
 * the line the sending server would log, the findings that decide it, and what fixes them. The
 * JSON form is the {@code policy} object of {@code CONTRACT.md}.
 *
 * <pre>{@code
 * PolicyVerdict verdict = ConnectorPolicy.forced().build().evaluate(report);
 * switch (verdict.outcome()) {
 *   case DELIVERED_TLS -> log.info("ok");
 *   case QUEUED -> alert(verdict.smtpResponse(), verdict.remediations());
 *   default -> alert(verdict.reasons());
 * }
 * }</pre>
 *
 * @param outcome the predicted outcome
 * @param smtpResponse the line the sending server would log or show in its queue, or null when
 *     the mail is delivered, or when no product document gives the text (the policy's Javadoc
 *     says which)
 * @param reasons the findings that decide the outcome, most important first
 * @param remediations what would fix them, in the order of the reasons
 */
public record PolicyVerdict(
    Outcome outcome, @Nullable String smtpResponse, List<Finding> reasons, List<Remediation> remediations) {

  /** The predicted outcome, as the {@code outcome} field of {@code CONTRACT.md}'s policy JSON. */
  public enum Outcome {
    /** The mail goes out over TLS. */
    DELIVERED_TLS,
    /** The mail goes out, but in clear text. */
    DELIVERED_PLAINTEXT,
    /** The mail stays in the sending server's queue and is retried until it expires (a 4xx). */
    QUEUED,
    /** The mail is refused for good (a 5xx) and the sender gets a non-delivery report. */
    REJECTED
  }

  /**
   * Validates and copies.
   *
   * @throws NullPointerException if {@code outcome}, a list or an element is null
   * @throws IllegalArgumentException if {@code smtpResponse} is blank
   */
  public PolicyVerdict {
    requireNonNull(outcome, "outcome");
    reasons = List.copyOf(requireNonNull(reasons, "reasons"));
    remediations = List.copyOf(requireNonNull(remediations, "remediations"));
    if (smtpResponse != null && smtpResponse.isBlank()) {
      throw new IllegalArgumentException("smtpResponse is blank (use null for none)");
    }
  }

  /**
   * Whether mail would go over TLS: the condition for exit code 0 of {@code smtptls policy}
   * ({@code CONTRACT.md}).
   *
   * @return true for {@link Outcome#DELIVERED_TLS}
   */
  public boolean deliversOverTls() {
    return outcome == Outcome.DELIVERED_TLS;
  }
}
