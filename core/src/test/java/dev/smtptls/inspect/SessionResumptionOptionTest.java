package dev.smtptls.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code SmtpTlsInspector.Builder.sessionResumption}: off by default, bounds checked eagerly. */
class SessionResumptionOptionTest {

  @Test
  void offByDefaultAndOnWhenAsked() {
    assertThat(SmtpTlsInspector.create().sessionResumption()).isFalse();
    assertThat(SmtpTlsInspector.builder().sessionResumption(false).build().sessionResumption()).isFalse();
    assertThat(SmtpTlsInspector.builder().sessionResumption(true).build().sessionResumption()).isTrue();
    assertThat(SmtpTlsInspector.builder().sessionResumption(5, Duration.ofMinutes(5)).build().sessionResumption())
        .isTrue();
  }

  @Test
  void boundsOutOfRangeAreRefusedNamingTheValue() {
    assertThatThrownBy(() -> SmtpTlsInspector.builder().sessionResumption(0, Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxSessions")
        .hasMessageContaining("0");
    assertThatThrownBy(() -> SmtpTlsInspector.builder().sessionResumption(10, Duration.ofMillis(999)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lifetime")
        .hasMessageContaining("PT0.999S");
    assertThatThrownBy(() -> SmtpTlsInspector.builder().sessionResumption(10, Duration.ofSeconds(-5)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SmtpTlsInspector.builder().sessionResumption(10, Duration.ofSeconds(1L + Integer.MAX_VALUE)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void settingItTwiceIsRefused() {
    SmtpTlsInspector.Builder b = SmtpTlsInspector.builder().sessionResumption(false);
    assertThatThrownBy(() -> b.sessionResumption(true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("sessionResumption");
    assertThatThrownBy(() -> b.sessionResumption(10, Duration.ofHours(1)))
        .isInstanceOf(IllegalStateException.class);
  }
}
