package dev.smtptls.domain;

import static java.util.Objects.requireNonNull;

import dev.smtptls.internal.scan.InputLines;
import java.util.Iterator;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a domain scan's input: a domain, or a line that is not a domain name (which becomes
 * a {@link DomainScanResult} with an error, never an exception that stops the scan).
 *
 * @param index the line number (from 1) or position of the entry in the input
 * @param text the entry as given, e.g. {@code "Example.org."}
 * @param domain the domain, lower case without the trailing dot, or null when the entry is not a
 *     domain name
 * @param error what is wrong with the entry, or null when it is a domain name
 */
public record DomainScanInput(long index, String text, @Nullable String domain, @Nullable String error) {

  /**
   * Validates.
   *
   * @throws IllegalArgumentException if the index is not positive or not exactly one of {@code
   *     domain} and {@code error} is given
   */
  public DomainScanInput {
    requireNonNull(text, "text");
    if (index < 1) {
      throw new IllegalArgumentException("index must be positive: " + index);
    }
    if ((domain == null) == (error == null)) {
      throw new IllegalArgumentException("exactly one of domain and error must be given");
    }
  }

  /**
   * Parses a domain name as {@link DomainInspector#inspect(String)} takes it. Never throws for bad
   * text: the entry then carries the error.
   *
   * @param index the line number or position, from 1
   * @param line the text, e.g. {@code "example.org"}
   * @return the entry
   */
  public static DomainScanInput parse(long index, String line) {
    requireNonNull(line, "line");
    String text = line.strip();
    try {
      return new DomainScanInput(index, text, DomainInspector.normalise(text), null);
    } catch (IllegalArgumentException e) {
      String why = e.getMessage() == null ? "not a domain name" : e.getMessage();
      return new DomainScanInput(index, text, null, why);
    }
  }

  /**
   * Lazily parses lines of domain names, numbering them from 1 and skipping blank lines and lines
   * starting with {@code #} (their numbers are kept, so errors name the right line). Reads one
   * line per entry asked for: a file of any size streams through.
   *
   * @param lines the lines, e.g. {@code BufferedReader.lines().iterator()}
   * @return the entries
   */
  public static Iterator<DomainScanInput> lines(Iterator<String> lines) {
    return InputLines.parse(lines, DomainScanInput::parse);
  }

  /**
   * Lazily parses domain names, numbered from 1; none is skipped.
   *
   * @param domains the domain names
   * @return the entries
   */
  public static Iterator<DomainScanInput> domains(Iterator<String> domains) {
    return InputLines.number(domains, DomainScanInput::parse);
  }
}
