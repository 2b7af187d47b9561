package dev.smtptls.connector;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Map;

/**
 * From a connector's description — {@code KIND[:KEY=VALUE,...]} on a command line, or a
 * connector read from a {@code ConvertTo-Json} file or a Postfix {@code main.cf} — to its {@link
 * ConnectorPolicy}. The keys are the products' own parameter names, case-insensitive; each kind
 * validates them as its product does.
 *
 * <table>
 *   <caption>Kinds</caption>
 *   <tr><th>KIND</th><th>policy</th><th>keys</th></tr>
 *   <tr><td>{@code opportunistic}</td><td>{@link OpportunisticPolicy}</td><td>none</td></tr>
 *   <tr><td>{@code forced}</td><td>{@link ForcedPolicy}</td><td>{@code MinimumTlsVersion}</td></tr>
 *   <tr><td>{@code exchange-send}</td><td>{@link ExchangeSendConnector}</td><td>{@link ExchangeSendConnector#PARAMETERS}</td></tr>
 *   <tr><td>{@code exchange-receive}</td><td>{@link ExchangeReceiveConnector}</td><td>{@link ExchangeReceiveConnector#PARAMETERS}</td></tr>
 *   <tr><td>{@code exo-outbound}</td><td>{@link ExoOutboundConnector}</td><td>{@link ExoOutboundConnector#PARAMETERS}</td></tr>
 *   <tr><td>{@code exo-inbound}</td><td>{@link ExoInboundConnector}</td><td>{@link ExoInboundConnector#PARAMETERS}</td></tr>
 *   <tr><td>{@code postfix}</td><td>{@link PostfixClientPolicy} or {@link PostfixServerPolicy}</td><td>postconf(5) names; see {@link Postfix}</td></tr>
 *   <tr><td>{@code mta-sts}</td><td>{@link MtaStsConnectorPolicy}</td><td>{@code mode}, {@code mx}</td></tr>
 *   <tr><td>{@code dane}</td><td>{@link DanePolicy}</td><td>{@code tlsa}, {@code host}</td></tr>
 * </table>
 *
 * <pre>{@code
 * ConnectorPolicy p = ConnectorPolicies.parse("exo-outbound:TlsSettings=DomainValidation,TlsDomain=*.contoso.com");
 * PolicyVerdict v = p.evaluate(report);
 * }</pre>
 */
public final class ConnectorPolicies {

  private ConnectorPolicies() {}

  /**
   * Parses {@code KIND[:KEY=VALUE,...]} ({@link ConnectorSpec#parse}) and builds the policy.
   *
   * @param spec the specification
   * @return the policy
   * @throws IllegalArgumentException naming the kind, key or value that is wrong, or the parameter
   *     the product itself would refuse
   */
  public static ConnectorPolicy parse(String spec) {
    return of(ConnectorSpec.parse(requireNonNull(spec, "spec")));
  }

  /**
   * Builds the policy a connector description gives.
   *
   * @param spec the kind and the product parameters
   * @return the policy
   * @throws IllegalArgumentException naming the key or value that is wrong, or the parameter the
   *     product itself would refuse
   */
  public static ConnectorPolicy of(ConnectorSpec spec) {
    requireNonNull(spec, "spec");
    Map<String, String> p = spec.parameters();
    return switch (spec.kind()) {
      case "opportunistic" -> {
        if (!p.isEmpty()) {
          throw new IllegalArgumentException(
              "unknown parameter '" + p.keySet().iterator().next() + "' for opportunistic: it takes none");
        }
        yield ConnectorPolicy.opportunistic().build();
      }
      case "forced" -> forced(p);
      case ExchangeSendConnector.KIND -> ExchangeSendConnector.fromParameters(p);
      case ExchangeReceiveConnector.KIND -> ExchangeReceiveConnector.fromParameters(p);
      case ExoOutboundConnector.KIND -> ExoOutboundConnector.fromParameters(p);
      case ExoInboundConnector.KIND -> ExoInboundConnector.fromParameters(p);
      case Postfix.KIND -> Postfix.fromParameters(p);
      case MtaStsConnectorPolicy.KIND -> MtaStsConnectorPolicy.fromParameters(p);
      case DanePolicy.KIND -> DanePolicy.fromParameters(p);
      default -> throw new IllegalArgumentException(
          "unknown connector kind '" + spec.kind() + "': one of " + String.join(", ", ConnectorSpec.KINDS));
    };
  }

  private static ForcedPolicy forced(Map<String, String> p) {
    ForcedPolicy.Builder b = ConnectorPolicy.forced();
    for (Map.Entry<String, String> e : p.entrySet()) {
      if (!e.getKey().toLowerCase(Locale.ROOT).equals("minimumtlsversion")) {
        throw new IllegalArgumentException(
            "unknown parameter '" + e.getKey() + "' for forced: known is MinimumTlsVersion");
      }
      try {
        b.requireTlsVersionAtLeast(e.getValue());
      } catch (IllegalArgumentException x) {
        throw new IllegalArgumentException("MinimumTlsVersion: " + x.getMessage(), x);
      }
    }
    return b.build();
  }
}
