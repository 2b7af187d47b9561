package dev.smtptls.smtp;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A positive reply to {@code EHLO} (RFC 5321 §4.1.1.1): the server's FQDN on the first line,
 * one extension keyword (with its parameters) per following line.
 *
 * @param reply the reply as received
 */
public record Ehlo(SmtpReply reply) {

  /** Validates. */
  public Ehlo {
    requireNonNull(reply, "reply");
  }

  /** {@return the FQDN the server gives in the first line of its EHLO reply, or null} */
  public @Nullable String fqdn() {
    return reply.firstWord();
  }

  /**
   * The extension lines after the first, as sent: {@code "SIZE 10240000"}, {@code "STARTTLS"}.
   *
   * @return the keywords with their parameters
   */
  public List<String> keywords() {
    List<String> lines = reply.lines();
    return lines.subList(1, lines.size()).stream().map(String::strip).toList();
  }

  /**
   * Whether an extension is advertised. The keyword is matched case-insensitively against the
   * first word of every extension line, the last line ({@code 250 STARTTLS}) included.
   *
   * @param keyword e.g. {@code "STARTTLS"}
   * @return true if advertised
   */
  public boolean supports(String keyword) {
    String wanted = keyword.toUpperCase(Locale.ROOT);
    for (String k : keywords()) {
      int sp = k.indexOf(' ');
      String word = sp < 0 ? k : k.substring(0, sp);
      if (word.toUpperCase(Locale.ROOT).equals(wanted)) {
        return true;
      }
    }
    return false;
  }
}
