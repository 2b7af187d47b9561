package dev.smtptls.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ExchangeConnectorJson} over fixtures written after the documented property names and
 * types of Microsoft's cmdlet reference (Get-SendConnector / Set-SendConnector,
 * Get-ReceiveConnector / Set-ReceiveConnector, Get-OutboundConnector / Set-OutboundConnector,
 * Get-InboundConnector / Set-InboundConnector) and the shapes ConvertTo-Json gives them
 * (PowerShell's ConvertTo-Json reference: one object or an array; enums as numbers in Windows
 * PowerShell, as strings with -EnumsAsStrings or through remote PowerShell).
 */
class ExchangeConnectorJsonTest {

  /** Get-SendConnector through remote PowerShell: enums and multi-valued types as strings. */
  static final String SEND_REMOTE = """
      {
        "Name": "Outbound to Office 365 - 8f3b5c2e-1d4a-4e6b-9c7d-0a1b2c3d4e5f",
        "AddressSpaces": ["smtp:contoso.mail.onmicrosoft.com;1"],
        "DNSRoutingEnabled": false,
        "SmartHosts": ["contoso-com.mail.protection.outlook.com"],
        "RequireTLS": true,
        "TlsAuthLevel": "DomainValidation",
        "TlsDomain": "mail.protection.outlook.com",
        "IgnoreSTARTTLS": false,
        "Fqdn": "mail.contoso.com",
        "TlsCertificateName": "<I>CN=Example CA, O=Example<S>CN=mail.contoso.com",
        "CloudServicesMailEnabled": true,
        "MaxMessageSize": "35 MB (36,700,160 bytes)",
        "SourceTransportServers": ["EX01"]
      }
      """;

  @Test
  void readsSendConnectorFromRemotePowerShell() {
    ConnectorSpec c = ExchangeConnectorJson.read(SEND_REMOTE).get(0);

    assertThat(c.kind()).isEqualTo("exchange-send");
    assertThat(c.name()).startsWith("Outbound to Office 365");
    assertThat(c.parameters()).containsExactly(
        entry("RequireTLS", "true"),
        entry("TlsAuthLevel", "DomainValidation"),
        entry("TlsDomain", "mail.protection.outlook.com"),
        entry("IgnoreSTARTTLS", "false"),
        entry("Fqdn", "mail.contoso.com"),
        entry("TlsCertificateName", "<I>CN=Example CA, O=Example<S>CN=mail.contoso.com"),
        entry("SmartHosts", "contoso-com.mail.protection.outlook.com"),
        entry("DNSRoutingEnabled", "false"));
    assertThat(c.warnings()).singleElement().asString()
        .contains("Hybrid Configuration Wizard").contains("restores forced TLS");
  }

  /** Live objects in the Exchange Management Shell (Windows PowerShell 5.1): expanded types, numbers. */
  @Test
  void readsExpandedObjectsAndNumbersInAnArray() {
    String json = """
        [
          {
            "Name": "To partner",
            "AddressSpaces": [{"Address": "fabrikam.com", "Type": "smtp", "Cost": 1}],
            "DNSRoutingEnabled": false,
            "SmartHosts": [
              {"Domain": {"HostnameString": "relay.fabrikam.com"}, "Address": null, "IsIPAddress": false},
              {"Domain": null, "Address": {"IPAddressToString": "192.0.2.25", "AddressFamily": 2}, "IsIPAddress": true}
            ],
            "RequireTLS": false,
            "TlsAuthLevel": null,
            "TlsDomain": {"Domain": "fabrikam.com", "IncludeSubDomains": true},
            "TlsCertificateName": {"CertificateIssuer": "CN=Example CA", "CertificateSubject": "CN=mail.contoso.com"}
          },
          {
            "Name": "Default Frontend EX01",
            "Bindings": ["0.0.0.0:25", "[::]:25"],
            "RemoteIPRanges": ["0.0.0.0-255.255.255.255"],
            "AuthMechanism": 49,
            "RequireTLS": false,
            "Fqdn": "mail.contoso.com",
            "TlsDomainCapabilities": ["mail.protection.outlook.com:AcceptCloudServicesMail"],
            "PermissionGroups": 11
          }
        ]
        """;

    List<ConnectorSpec> cs = ExchangeConnectorJson.read(json);

    assertThat(cs).extracting(ConnectorSpec::kind).containsExactly("exchange-send", "exchange-receive");
    assertThat(cs.get(0).parameters()).containsExactly(
        entry("RequireTLS", "false"),
        entry("TlsDomain", "*.fabrikam.com"),
        entry("TlsCertificateName", "<I>CN=Example CA<S>CN=mail.contoso.com"),
        entry("SmartHosts", "relay.fabrikam.com,192.0.2.25"),
        entry("DNSRoutingEnabled", "false"));
    assertThat(cs.get(0).warnings()).isEmpty();
    // 49 = Tls (1) + ExchangeServer (16) + ExternalAuthoritative (32), in the declared order.
    assertThat(cs.get(1).parameter("AuthMechanism")).isEqualTo("Tls,ExchangeServer,ExternalAuthoritative");
    assertThat(cs.get(1).warnings()).singleElement().asString().contains("TlsDomainCapabilities");
  }

  @Test
  void readsExchangeOnlineConnectorsAndFlagsHandChangedHybridOnes() {
    String json = """
        [
          {"Name": "Outbound to 8f3b5c2e-1d4a-4e6b-9c7d-0a1b2c3d4e5f", "ConnectorType": "OnPremises",
           "UseMXRecord": false, "SmartHosts": ["mail.contoso.com"], "TlsSettings": null,
           "TlsDomain": null, "RecipientDomains": ["contoso.com"], "IsTransportRuleScoped": false},
          {"Name": "Inbound from 8f3b5c2e-1d4a-4e6b-9c7d-0a1b2c3d4e5f", "ConnectorType": "OnPremises",
           "RequireTls": true, "TlsSenderCertificateName": "mail.contoso.com",
           "RestrictDomainsToCertificate": false, "RestrictDomainsToIPAddresses": false,
           "SenderIPAddresses": [], "SenderDomains": ["smtp:*;1"]},
          {"Name": "To partner", "UseMXRecord": true, "TlsSettings": 2, "SmtpDaneMode": "Opportunistic"}
        ]
        """;

    List<ConnectorSpec> cs = ExchangeConnectorJson.read(json);

    assertThat(cs).extracting(ConnectorSpec::kind)
        .containsExactly("exo-outbound", "exo-inbound", "exo-outbound");
    assertThat(cs.get(0).parameters()).containsExactly(
        entry("UseMXRecord", "false"), entry("SmartHosts", "mail.contoso.com"),
        entry("ConnectorType", "OnPremises"));
    assertThat(cs.get(0).warnings()).singleElement().asString()
        .contains("changed by hand").contains("resets it to forced TLS");
    assertThat(cs.get(1).parameters()).containsExactly(
        entry("ConnectorType", "OnPremises"), entry("RequireTls", "true"),
        entry("TlsSenderCertificateName", "mail.contoso.com"),
        entry("RestrictDomainsToCertificate", "false"), entry("RestrictDomainsToIPAddresses", "false"));
    assertThat(cs.get(1).warnings()).singleElement().asString().contains("restores forced TLS");
    assertThat(cs.get(2).parameters()).doesNotContainKey("TlsSettings")
        .containsEntry("SmtpDaneMode", "Opportunistic");
    assertThat(cs.get(2).warnings()).singleElement().asString()
        .contains("TlsSettings is the number 2").contains("-EnumsAsStrings");
  }

  @Test
  void readsUtf16FileWithByteOrderMark(@TempDir Path dir) throws Exception {
    // Windows PowerShell's Out-File writes UTF-16 LE with a BOM.
    Path f = dir.resolve("send.json");
    byte[] body = SEND_REMOTE.getBytes(StandardCharsets.UTF_16LE);
    byte[] bytes = new byte[body.length + 2];
    bytes[0] = (byte) 0xFF;
    bytes[1] = (byte) 0xFE;
    System.arraycopy(body, 0, bytes, 2, body.length);
    Files.write(f, bytes);

    assertThat(ExchangeConnectorJson.read(f)).singleElement()
        .extracting(ConnectorSpec::kind).isEqualTo("exchange-send");
  }

  @Test
  void malformedJsonNamesLineAndColumn() {
    assertThatThrownBy(() -> ExchangeConnectorJson.read("{\n  \"Name\": \"x\",\n  \"RequireTLS\": tru\n}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed JSON at line 3, column");
  }

  @Test
  void objectThatIsNoConnectorIsRejected() {
    assertThatThrownBy(() -> ExchangeConnectorJson.read("[{\"Name\": \"mailbox\", \"Alias\": \"x\"}]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("object 1 (mailbox) is no connector");
    assertThatThrownBy(() -> ExchangeConnectorJson.read("   "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> ExchangeConnectorJson.read("[1]"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a JSON object");
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
    "UTF-8 | false",
    "UTF-8 | true",
    "UTF-16LE | true",
    "UTF-16LE | false",
    "UTF-16BE | true",
  })
  void tellsJsonFromMainCfInTheEncodingsPowerShellWrites(String charset, boolean bom) {
    java.nio.charset.Charset cs = java.nio.charset.Charset.forName(charset);
    byte[] mark = !bom ? new byte[0] : charset.equals("UTF-8") ? new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}
        : charset.equals("UTF-16LE") ? new byte[] {(byte) 0xFF, (byte) 0xFE} : new byte[] {(byte) 0xFE, (byte) 0xFF};
    byte[] json = concat(mark, "\r\n  [ {\"Name\": \"x\"} ]".getBytes(cs));
    byte[] mainCf = concat(mark, "# main.cf\nsmtp_tls_security_level = may\n".getBytes(cs));

    assertThat(ExchangeConnectorJson.looksLikeJson(json)).isTrue();
    assertThat(ExchangeConnectorJson.looksLikeJson(mainCf)).isFalse();
    assertThat(ExchangeConnectorJson.read(concat(mark, SEND_REMOTE.getBytes(cs))))
        .extracting(ConnectorSpec::kind).containsExactly("exchange-send");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
