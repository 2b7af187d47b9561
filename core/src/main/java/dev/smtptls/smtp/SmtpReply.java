package dev.smtptls.smtp;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One SMTP reply (RFC 5321 §4.2): a three-digit code and one or more lines of text. An enhanced
 * status code (RFC 3463) at the start of the first line is split out into {@link
 * #enhancedStatus()}; {@link #lines()} keeps the text as the server sent it.
 *
 * @param code the reply code, 200 to 599
 * @param lines the text of each line, after the code and its separator (may be empty strings)
 */
public record SmtpReply(int code, List<String> lines) {

  /**
   * Validates and copies.
   *
   * @throws IllegalArgumentException if the code is outside 200..599 or there is no line
   */
  public SmtpReply {
    if (code < 200 || code > 599) {
      throw new IllegalArgumentException("reply code must be 200..599: " + code);
    }
    lines = List.copyOf(requireNonNull(lines, "lines"));
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("a reply has at least one line");
    }
  }

  /**
   * A reply from a code and its lines.
   *
   * @param code the reply code
   * @param lines each line's text
   * @return the reply
   */
  public static SmtpReply of(int code, String... lines) {
    return new SmtpReply(code, List.of(lines.length == 0 ? new String[] {""} : lines));
  }

  /**
   * The enhanced status code at the start of the first line (RFC 3463), if any.
   *
   * @return the code or empty
   */
  public Optional<EnhancedStatusCode> enhancedStatus() {
    return EnhancedStatusCode.leading(lines.get(0));
  }

  /**
   * The text of all lines joined by a space, with the enhanced status code of each line removed.
   *
   * @return the human text, e.g. {@code "Must issue a STARTTLS command first"}
   */
  public String text() {
    List<String> parts = new ArrayList<>(lines.size());
    for (String line : lines) {
      String t = line;
      Optional<EnhancedStatusCode> esc = EnhancedStatusCode.leading(line);
      if (esc.isPresent()) {
        t = line.substring(esc.get().toString().length()).strip();
      }
      parts.add(t);
    }
    return String.join(" ", parts).strip();
  }

  /** {@return true for 2xx} */
  public boolean isPositive() {
    return code / 100 == 2;
  }

  /** {@return true for 4xx: try again later} */
  public boolean isTransientNegative() {
    return code / 100 == 4;
  }

  /** {@return true for 5xx: do not repeat} */
  public boolean isPermanentNegative() {
    return code / 100 == 5;
  }

  /**
   * The reply on one line as a log would show it, e.g. {@code "454 4.7.0 TLS not available"}.
   *
   * @return code and the lines joined with a space
   */
  public String oneLine() {
    return code + " " + String.join(" ", lines).strip();
  }

  /**
   * The reply as it goes on the wire: {@code 250-} on each line but the last, CRLF after each.
   *
   * @return the wire form
   */
  public String toWire() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      sb.append(code).append(i == lines.size() - 1 ? ' ' : '-').append(lines.get(i)).append("\r\n");
    }
    return sb.toString();
  }

  /**
   * The first word of the first line: the domain in a greeting or an EHLO reply (RFC 5321
   * §4.1.1.1, §4.2).
   *
   * @return the first token, or null if the first line is empty
   */
  public @Nullable String firstWord() {
    String first = lines.get(0).strip();
    if (first.isEmpty()) {
      return null;
    }
    int sp = first.indexOf(' ');
    return sp < 0 ? first : first.substring(0, sp);
  }

  @Override
  public String toString() {
    return oneLine();
  }
}
