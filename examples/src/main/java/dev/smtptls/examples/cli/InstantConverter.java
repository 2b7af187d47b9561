package dev.smtptls.examples.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses an instant: ISO-8601 in UTC ({@code 2025-06-01T12:00:00Z}), with an offset ({@code
 * 2025-06-01T14:00:00+02:00}), or a date alone ({@code 2025-06-01}, midnight UTC).
 */
public final class InstantConverter implements ITypeConverter<Instant> {

  /** Creates the converter (picocli instantiates it). */
  public InstantConverter() {}

  @Override
  public Instant convert(String value) {
    String v = value.strip();
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException e) {
      // try the next form
    }
    try {
      return LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new TypeConversionException(
          "'" + value + "' is not an instant (write 2025-06-01T12:00:00Z or 2025-06-01)");
    }
  }
}
