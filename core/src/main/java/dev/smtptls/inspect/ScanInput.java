package dev.smtptls.inspect;

import static java.util.Objects.requireNonNull;

import dev.smtptls.internal.scan.InputLines;
import java.util.Iterator;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a scan's input: a target, or a line that did not parse (which becomes a {@link
 * ScanResult} with an error, never an exception that stops the scan).
 *
 * @param index the line number (from 1) or position of the entry in the input
 * @param text the entry as given, e.g. {@code "mx1.example.org:25"}
 * @param target the target, or null when the entry did not parse
 * @param error what is wrong with the entry, or null when it parsed
 */
public record ScanInput(long index, String text, @Nullable SmtpTarget target, @Nullable String error) {

  /**
   * Validates.
   *
   * @throws IllegalArgumentException if the index is not positive or not exactly one of {@code
   *     target} and {@code error} is given
   */
  public ScanInput {
    requireNonNull(text, "text");
    if (index < 1) {
      throw new IllegalArgumentException("index must be positive: " + index);
    }
    if ((target == null) == (error == null)) {
      throw new IllegalArgumentException("exactly one of target and error must be given");
    }
  }

  /**
   * An entry for a target.
   *
   * @param index the position in the input, from 1
   * @param target the target
   * @return the entry
   */
  public static ScanInput of(long index, SmtpTarget target) {
    requireNonNull(target, "target");
    String h = target.host().indexOf(':') >= 0 ? "[" + target.host() + "]" : target.host();
    return new ScanInput(index, h + ":" + target.port(), target, null);
  }

  /**
   * Parses a {@code HOST[:PORT]} line ({@link SmtpTarget#parse}). Never throws for bad text: the
   * entry then carries the error.
   *
   * @param lineNumber the line number, from 1
   * @param line the line
   * @return the entry
   */
  public static ScanInput parse(long lineNumber, String line) {
    requireNonNull(line, "line");
    try {
      SmtpTarget t = SmtpTarget.parse(line);
      return new ScanInput(lineNumber, line.strip(), t, null);
    } catch (IllegalArgumentException e) {
      String why = e.getMessage() == null ? "malformed target" : e.getMessage();
      return new ScanInput(lineNumber, line.strip(), null, why);
    }
  }

  /**
   * Lazily parses lines of {@code HOST[:PORT]}, numbering them from 1 and skipping blank lines and
   * lines starting with {@code #} (their numbers are kept, so errors name the right line). Reads
   * one line per entry asked for: a file of any size streams through.
   *
   * @param lines the lines, e.g. {@code BufferedReader.lines().iterator()}
   * @return the entries
   */
  public static Iterator<ScanInput> lines(Iterator<String> lines) {
    return InputLines.parse(lines, ScanInput::parse);
  }

  /**
   * Lazily wraps targets as entries numbered from 1.
   *
   * @param targets the targets
   * @return the entries
   */
  public static Iterator<ScanInput> targets(Iterator<? extends SmtpTarget> targets) {
    return InputLines.number(targets, ScanInput::of);
  }
}
