package dev.smtptls.smtp;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An enhanced mail system status code, {@code class.subject.detail} (RFC 3463 §2), such as
 * {@code 5.7.3}.
 *
 * @param statusClass 2, 4 or 5
 * @param subject 0 to 999
 * @param detail 0 to 999
 */
public record EnhancedStatusCode(int statusClass, int subject, int detail) {

  private static final Pattern LEADING =
      Pattern.compile("^([245])\\.(\\d{1,3})\\.(\\d{1,3})(?=\\s|$)");

  /**
   * Validates the parts.
   *
   * @throws IllegalArgumentException if a part is out of the RFC 3463 range
   */
  public EnhancedStatusCode {
    if (statusClass != 2 && statusClass != 4 && statusClass != 5) {
      throw new IllegalArgumentException("class must be 2, 4 or 5: " + statusClass);
    }
    if (subject < 0 || subject > 999 || detail < 0 || detail > 999) {
      throw new IllegalArgumentException("subject and detail must be 0..999");
    }
  }

  /**
   * Parses a code such as {@code "4.7.0"}.
   *
   * @param text the code alone
   * @return the code
   * @throws IllegalArgumentException if {@code text} is not an RFC 3463 code
   */
  public static EnhancedStatusCode parse(String text) {
    return leading(text.trim())
        .filter(c -> c.toString().length() == text.trim().length())
        .orElseThrow(() -> new IllegalArgumentException("not an enhanced status code: " + text));
  }

  /**
   * The enhanced status code at the start of a reply line's text, if there is one.
   *
   * @param text reply text after the three-digit code and separator
   * @return the code, or empty
   */
  public static Optional<EnhancedStatusCode> leading(String text) {
    Matcher m = LEADING.matcher(text);
    if (!m.find()) {
      return Optional.empty();
    }
    return Optional.of(
        new EnhancedStatusCode(
            Integer.parseInt(m.group(1)),
            Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3))));
  }

  @Override
  public String toString() {
    return statusClass + "." + subject + "." + detail;
  }
}
