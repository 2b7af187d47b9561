package dev.smtptls.examples.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses a positive duration: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, or ISO-8601
 * ({@code PT10S}). A bare number is refused: seconds or milliseconds would be a guess.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

  private static final Pattern SHORT = Pattern.compile("(\\d{1,12})(ms|s|m|h)");

  /** Creates the converter (picocli instantiates it). */
  public DurationConverter() {}

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  /**
   * Parses a duration.
   *
   * @param value e.g. {@code 10s}
   * @return the positive duration
   * @throws TypeConversionException naming what is wrong
   */
  public static Duration parse(String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    Duration d;
    Matcher m = SHORT.matcher(v);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d = switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    } else if (v.startsWith("p")) {
      try {
        d = Duration.parse(v.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw notADuration(value);
      }
    } else {
      throw notADuration(value);
    }
    if (d.isZero() || d.isNegative()) {
      throw new TypeConversionException("'" + value + "' is not a positive duration");
    }
    return d;
  }

  private static TypeConversionException notADuration(String value) {
    return new TypeConversionException(
        "'" + value + "' is not a duration (write 500ms, 10s, 2m or PT10S)");
  }
}
