package dev.smtptls.examples.cli;

import dev.smtptls.inspect.SmtpTarget;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Validates a name a certificate must cover ({@code --name}): a DNS name or an IP literal, stored
 * in lower case without a trailing dot.
 */
public final class HostNameConverter implements ITypeConverter<String> {

  /** Creates the converter (picocli instantiates it). */
  public HostNameConverter() {}

  @Override
  public String convert(String value) {
    try {
      return SmtpTarget.of(value).host();
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException("'" + value + "': " + e.getMessage());
    }
  }
}
