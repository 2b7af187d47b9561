package dev.smtptls.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;

/** {@link ConnectorSpec#parse(String)}: the {@code KIND[:KEY=VALUE,...]} form of CONTRACT.md. */
class ConnectorSpecTest {

  @Test
  void parsesContractExamples() {
    ConnectorSpec s = ConnectorSpec.parse("exo-outbound:TlsSettings=DomainValidation,TlsDomain=*.contoso.com");

    assertThat(s.kind()).isEqualTo("exo-outbound");
    assertThat(s.parameters()).containsExactly(
        entry("TlsSettings", "DomainValidation"), entry("TlsDomain", "*.contoso.com"));
    assertThat(s.parameter("tlsdomain")).isEqualTo("*.contoso.com");
    assertThat(ConnectorSpec.parse("postfix:smtp_tls_security_level=verify").parameters())
        .containsExactly(entry("smtp_tls_security_level", "verify"));
    assertThat(ConnectorSpec.parse("forced").parameters()).isEmpty();
    assertThat(ConnectorSpec.parse("Forced:").kind()).isEqualTo("forced");
  }

  @Test
  void quotedValuesKeepCommasQuotesAndCertificateNames() {
    ConnectorSpec s = ConnectorSpec.parse("exchange-send:SmartHosts=\"a.example.com,b.example.com\","
        + "TlsCertificateName=\"<I>CN=CA, O=Ex\\\"ample<S>CN=mail.example.com\",TlsDomain=");

    assertThat(s.parameters()).containsExactly(
        entry("SmartHosts", "a.example.com,b.example.com"),
        entry("TlsCertificateName", "<I>CN=CA, O=Ex\"ample<S>CN=mail.example.com"),
        entry("TlsDomain", ""));
  }

  @Test
  void rejectsBadSpecsNamingWhatIsWrong() {
    assertThatThrownBy(() -> ConnectorSpec.parse("exchange-sned:RequireTLS=true"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exchange-sned")
        .hasMessageContaining("exchange-send");
    assertThatThrownBy(() -> ConnectorSpec.parse("forced:RequireTLS"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'RequireTLS'")
        .hasMessageContaining("no '='");
    assertThatThrownBy(() -> ConnectorSpec.parse("exchange-send:RequireTLS=true,requiretls=false"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    assertThatThrownBy(() -> ConnectorSpec.parse("exchange-send:SmartHosts=\"a,b"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not closed");
    assertThatThrownBy(() -> ConnectorSpec.parse("exchange-send:SmartHosts=\"a\"b"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("closing quote");
    assertThatThrownBy(() -> ConnectorSpec.parse("exchange-send:=x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty parameter name");
  }
}
