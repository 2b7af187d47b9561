package dev.smtptls.examples.cli;

import java.net.InetAddress;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Converts an IP literal for {@code --address}; a host name is refused, never looked up. */
public final class IpAddressConverter implements ITypeConverter<InetAddress> {

  /** Creates the converter (picocli instantiates it). */
  public IpAddressConverter() {}

  @Override
  public InetAddress convert(String value) {
    try {
      return IpLiterals.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
