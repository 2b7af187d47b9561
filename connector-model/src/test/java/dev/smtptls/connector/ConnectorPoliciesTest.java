package dev.smtptls.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Specs and connector files to policies: every kind, the CONTRACT.md examples, the product's refusals. */
class ConnectorPoliciesTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "opportunistic | OpportunisticPolicy",
    "forced | ForcedPolicy",
    "forced:MinimumTlsVersion=TLSv1.2 | ForcedPolicy",
    "exo-outbound:TlsSettings=DomainValidation,TlsDomain=*.contoso.com | ExoOutboundConnector",
    "exchange-send:RequireTLS=true,TlsAuthLevel=CertificateValidation | ExchangeSendConnector",
    "exchange-receive:RequireTLS=true,AuthMechanism=Tls | ExchangeReceiveConnector",
    "exo-inbound:ConnectorType=Partner,RequireTls=true,TlsSenderCertificateName=*.contoso.com | ExoInboundConnector",
    "postfix:smtp_tls_security_level=verify | PostfixClientPolicy",
    "postfix:smtpd_tls_security_level=encrypt | PostfixServerPolicy",
    "mta-sts:mode=enforce,mx=mx1.contoso.com | MtaStsConnectorPolicy",
    "dane:tlsa=3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef | DanePolicy",
  })
  void everyKindOfTheContract(String spec, String type) {
    assertThat(ConnectorPolicies.parse(spec).getClass().getSimpleName()).isEqualTo(type);
  }

  @Test
  void aTypoInAKeyNeverPassesSilently() {
    assertThatThrownBy(() -> ConnectorPolicies.parse("exchange-send:RequireTSL=true"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RequireTSL");
    assertThatThrownBy(() -> ConnectorPolicies.parse("forced:MinimumTls=TLSv1.2"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MinimumTls").hasMessageContaining("MinimumTlsVersion");
    assertThatThrownBy(() -> ConnectorPolicies.parse("opportunistic:RequireTLS=true"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RequireTLS");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "exchange-send:TlsAuthLevel=CertificateValidation | TlsAuthLevel",
    "exchange-send:RequireTLS=true,IgnoreSTARTTLS=true | IgnoreSTARTTLS",
  })
  void settingsTheProductRefusesNameTheParameter(String spec, String parameter) {
    assertThatThrownBy(() -> ConnectorPolicies.parse(spec))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(parameter);
  }

  @Test
  void keysAreCaseInsensitiveAndValuesAsTheCmdletsTakeThem() {
    ConnectorPolicy p = ConnectorPolicies.parse("exchange-send:requiretls=$true,TLSAUTHLEVEL=DomainValidation,tlsdomain=mx.contoso.com");
    assertThat(p).isInstanceOfSatisfying(ExchangeSendConnector.class, c -> assertThat(c.requireTls()).isTrue());
    assertThatThrownBy(() -> ConnectorPolicies.parse("forced:MinimumTlsVersion=TLSv9"))
        .hasMessageContaining("MinimumTlsVersion");
  }

  @Test
  void connectorsReadFromConvertToJsonBuildTheirPolicies() {
    List<ConnectorSpec> specs = ExchangeConnectorJson.read(ExchangeConnectorJsonTest.SEND_REMOTE);

    ConnectorPolicy p = ConnectorPolicies.of(specs.get(0));

    assertThat(p).isInstanceOf(ExchangeSendConnector.class);
  }
}
