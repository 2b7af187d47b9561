package dev.smtptls.examples.cli;

import dev.smtptls.inspect.SmtpTarget;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Converts {@code HOST[:PORT]} ({@code [IPv6]:PORT} too) into a target; the port defaults to 25. */
public final class TargetConverter implements ITypeConverter<SmtpTarget> {

  /** Creates the converter (picocli instantiates it). */
  public TargetConverter() {}

  @Override
  public SmtpTarget convert(String value) {
    try {
      return SmtpTarget.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException("'" + value + "': " + e.getMessage());
    }
  }
}
