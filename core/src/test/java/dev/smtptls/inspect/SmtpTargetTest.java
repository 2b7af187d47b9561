package dev.smtptls.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SmtpTargetTest {

  @Test
  void parsesHostPortForms() {
    assertThat(SmtpTarget.parse("MX1.Example.ORG.")).isEqualTo(SmtpTarget.of("mx1.example.org", 25));
    assertThat(SmtpTarget.parse("mx1.example.org:2525").port()).isEqualTo(2525);
    assertThat(SmtpTarget.parse("[2001:db8::1]:587")).satisfies(t -> {
      assertThat(t.host()).isEqualTo("2001:db8:0:0:0:0:0:1");
      assertThat(t.port()).isEqualTo(587);
      assertThat(t.hostIsName()).isFalse();
    });
    assertThat(SmtpTarget.parse("::1").port()).isEqualTo(25);
    assertThat(SmtpTarget.parse("192.0.2.7:25").hostIsName()).isFalse();
  }

  @Test
  void literalTargetsNeedNoLookup() {
    assertThat(SmtpTarget.parse("127.0.0.1:25").literalSocketAddress()).isNotNull();
    assertThat(SmtpTarget.parse("mx.example.org").literalSocketAddress()).isNull();
  }

  @Test
  void rejectsBadInputNamingIt() {
    assertThatThrownBy(() -> SmtpTarget.parse("mx.example.org:0")).hasMessageContaining("1..65535");
    assertThatThrownBy(() -> SmtpTarget.parse("mx.example.org:99999")).hasMessageContaining("1..65535");
    assertThatThrownBy(() -> SmtpTarget.parse("mx.example.org:smtp")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> SmtpTarget.parse("bad host!")).hasMessageContaining("not a valid host name");
    assertThatThrownBy(() -> SmtpTarget.parse("300.1.1.1")).hasMessageContaining("not an IPv4 address");
    assertThatThrownBy(() -> SmtpTarget.parse("")).hasMessageContaining("empty host");
    assertThatThrownBy(() -> SmtpTarget.parse("a..b")).hasMessageContaining("not a valid host name");
  }
}
