package dev.smtptls.connector;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One SMTP reply found in a logged line: its three-digit code (RFC 5321 §4.2), its enhanced
 * status code (RFC 3463 {@code class.subject.detail}) and its text. A queue or log line often
 * nests one reply in another (Exchange's {@code 451 4.4.0 Primary target IP address responded
 * with: "451 5.7.3 ..."}); {@link Explanation#replies()} lists them outermost first.
 *
 * @param code the reply code (200–599), or null when the line gives only an enhanced status code
 *     or only a text (Postfix's {@code dsn=4.7.4} and {@code status=deferred (...)})
 * @param enhancedStatus the enhanced status code, e.g. {@code "5.7.3"}, or null when none is given
 * @param text the reply's text without its codes and quotes; may be empty
 */
public record ExplainedReply(@Nullable Integer code, @Nullable String enhancedStatus, String text) {

  private static final Pattern ENHANCED = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");

  /**
   * Validates.
   *
   * @throws NullPointerException if {@code text} is null
   * @throws IllegalArgumentException if {@code code} is outside 200–599, or {@code enhancedStatus}
   *     is not of the RFC 3463 form
   */
  public ExplainedReply {
    requireNonNull(text, "text");
    if (code != null && (code < 200 || code > 599)) {
      throw new IllegalArgumentException("code " + code + " is not an SMTP reply code (200-599)");
    }
    if (enhancedStatus != null && !ENHANCED.matcher(enhancedStatus).matches()) {
      throw new IllegalArgumentException(
          "enhancedStatus '" + enhancedStatus + "' is not an RFC 3463 status code (e.g. 5.7.3)");
    }
  }

  /**
   * Whether the reply is temporary: a 4xx code, or class 4 of the enhanced status when there is
   * no code (RFC 3463 §3.1).
   *
   * @return true for a transient failure
   */
  public boolean transientFailure() {
    if (code != null) {
      return code / 100 == 4;
    }
    return enhancedStatus != null && enhancedStatus.startsWith("4");
  }
}
