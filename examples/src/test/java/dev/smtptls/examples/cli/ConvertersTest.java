package dev.smtptls.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** The value converters behind the options: what they accept and how they refuse. */
class ConvertersTest {

  @Test
  void durationsAcceptShortFormsAndIso() {
    assertThat(DurationConverter.parse("10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationConverter.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(DurationConverter.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(DurationConverter.parse("PT10S")).isEqualTo(Duration.ofSeconds(10));
    assertThat(DurationConverter.parse("pt1m30s")).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void durationsRefuseBareNumbersNegativesAndZero() {
    for (String bad : new String[] {"10", "-1s", "0ms", "PT0S", "PT-5S", "10 s", "ten seconds", "", "99999999999999s"}) {
      assertThatThrownBy(() -> DurationConverter.parse(bad)).as(bad).isInstanceOf(TypeConversionException.class);
    }
  }

  @Test
  void ipLiteralsParseWithoutLookup() {
    assertThat(IpLiterals.parse("192.0.2.1").getHostAddress()).isEqualTo("192.0.2.1");
    assertThat(IpLiterals.parse("2001:db8::1").getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:1");
    assertThat(IpLiterals.parse("[::1]").isLoopbackAddress()).isTrue();
  }

  @Test
  void ipLiteralsRefuseNamesAndMalformedAddresses() {
    for (String bad : new String[] {"mx.example.org", "localhost", "256.0.0.1", "1.2.3", "1::2::3", "12345::", "::g", ""}) {
      assertThatThrownBy(() -> IpLiterals.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not an IP address");
    }
  }

  @Test
  void instantsAcceptUtcOffsetsAndDates() {
    InstantConverter c = new InstantConverter();
    assertThat(c.convert("2025-06-01T12:00:00Z")).isEqualTo(Instant.parse("2025-06-01T12:00:00Z"));
    assertThat(c.convert("2025-06-01T14:00:00+02:00")).isEqualTo(Instant.parse("2025-06-01T12:00:00Z"));
    assertThat(c.convert("2025-06-01")).isEqualTo(Instant.parse("2025-06-01T00:00:00Z"));
    assertThatThrownBy(() -> c.convert("June 1st")).isInstanceOf(TypeConversionException.class);
  }

  @Test
  void revocationModesAreCaseInsensitive() {
    RevocationMode.Converter c = new RevocationMode.Converter();
    assertThat(c.convert("crl")).isEqualTo(RevocationMode.CRL);
    assertThat(c.convert("ALL")).isEqualTo(RevocationMode.ALL);
    assertThatThrownBy(() -> c.convert("both")).isInstanceOf(TypeConversionException.class);
  }
}
