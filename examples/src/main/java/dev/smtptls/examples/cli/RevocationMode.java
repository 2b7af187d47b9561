package dev.smtptls.examples.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** How to check whether a certificate was revoked ({@code --revocation}). */
public enum RevocationMode {
  /** No revocation check. */
  NONE,
  /** The CRLs named in the certificates' CRL distribution points. */
  CRL,
  /** The OCSP responders named in the certificates' authority information access. */
  OCSP,
  /** CRL and OCSP. */
  ALL;

  /** {@return the name as typed on the command line, e.g. {@code crl}} */
  public String option() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Converts {@code none|crl|ocsp|all}, in any case. */
  public static final class Converter implements ITypeConverter<RevocationMode> {

    /** Creates the converter (picocli instantiates it). */
    public Converter() {}

    @Override
    public RevocationMode convert(String value) {
      for (RevocationMode m : values()) {
        if (m.option().equalsIgnoreCase(value.strip())) {
          return m;
        }
      }
      throw new TypeConversionException(
          "'" + value + "' is not one of "
              + Arrays.stream(values()).map(RevocationMode::option).collect(Collectors.joining(", ")));
    }
  }
}
