package dev.smtptls.examples.cli;

import dev.smtptls.cert.CheckProfile;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** How strict the certificate check is ({@code --profile default|strict}). */
public enum ProfileArgument {
  /** The severities of the contract. */
  DEFAULT(CheckProfile.DEFAULT),
  /**
   * As Exchange 2013+ and Exchange Online receive: revocation warnings become errors
   * ({@link CheckProfile#STRICT_RECEIVER}).
   */
  STRICT(CheckProfile.STRICT_RECEIVER);

  private final CheckProfile profile;

  ProfileArgument(CheckProfile profile) {
    this.profile = profile;
  }

  /** {@return the checker's profile} */
  public CheckProfile profile() {
    return profile;
  }

  /** {@return the name as typed on the command line, e.g. {@code strict}} */
  public String option() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Converts {@code default|strict}, in any case. */
  public static final class Converter implements ITypeConverter<ProfileArgument> {

    /** Creates the converter (picocli instantiates it). */
    public Converter() {}

    @Override
    public ProfileArgument convert(String value) {
      for (ProfileArgument p : values()) {
        if (p.option().equalsIgnoreCase(value.strip())) {
          return p;
        }
      }
      throw new TypeConversionException(
          "'" + value + "' is not one of "
              + Arrays.stream(values()).map(ProfileArgument::option).collect(Collectors.joining(", ")));
    }
  }
}
