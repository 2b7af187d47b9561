package dev.smtptls.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SmtpValueTypesTest {

  @Test
  void ehloFindsStartTlsOnAnyLineInAnyCase() {
    assertThat(new Ehlo(new SmtpReply(250, List.of("mx", "PIPELINING", "STARTTLS"))).supports("STARTTLS")).isTrue();
    assertThat(new Ehlo(new SmtpReply(250, List.of("mx", "starttls", "SIZE 1"))).supports("STARTTLS")).isTrue();
    assertThat(new Ehlo(new SmtpReply(250, List.of("mx STARTTLS is not a keyword here", "SIZE 1"))).supports("STARTTLS")).isFalse();
    assertThat(new Ehlo(new SmtpReply(250, List.of("mx", "STARTTLSX"))).supports("STARTTLS")).isFalse();
  }

  @Test
  void ehloAndGreetingExposeTheAnnouncedFqdn() {
    assertThat(new Ehlo(SmtpReply.of(250, "mx1.example.org Hello [192.0.2.1]", "8BITMIME")).fqdn()).isEqualTo("mx1.example.org");
    assertThat(new Greeting(SmtpReply.of(220, "mx1.example.org ESMTP Postfix")).fqdn()).isEqualTo("mx1.example.org");
    assertThat(new Greeting(SmtpReply.of(220, "")).fqdn()).isNull();
  }

  @Test
  void replyWireFormUsesDashOnAllButLastLine() {
    assertThat(SmtpReply.of(250, "a", "b").toWire()).isEqualTo("250-a\r\n250 b\r\n");
    assertThat(SmtpReply.of(454, "4.7.0 TLS not available").oneLine()).isEqualTo("454 4.7.0 TLS not available");
  }

  @Test
  void enhancedStatusCodeParsesOnlyValidCodes() {
    assertThat(EnhancedStatusCode.parse("5.7.3")).isEqualTo(new EnhancedStatusCode(5, 7, 3));
    assertThat(EnhancedStatusCode.leading("4.4.0 Primary target")).contains(new EnhancedStatusCode(4, 4, 0));
    assertThat(EnhancedStatusCode.leading("3.1.1 no")).isEmpty();
    assertThat(EnhancedStatusCode.leading("5.7.30000 no")).isEmpty();
    assertThatThrownBy(() -> EnhancedStatusCode.parse("5.7")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void replyRejectsImpossibleCodes() {
    assertThatThrownBy(() -> SmtpReply.of(199, "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SmtpReply(250, List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
