package dev.smtptls.connector;

import dev.smtptls.inspect.InspectionReport;

/**
 * A connector's TLS rules, evaluated against what a probe saw of a server. Policies are immutable
 * and thread-safe; {@link #evaluate(InspectionReport)} predicts what a sending server with these
 * rules does with mail to the probed server.
 *
 * <p>The generic kinds are the two that {@code seed/troubleshooting-tls-smtp-eop.txt} describes
 * for Office 365 and Exchange: <em>Force TLS</em> ("If TLS is unavailable messages will queue
 * until they are delivered or expired") and <em>Opportunistic TLS</em> ("If a TLS connection
 * cannot be made the connector falls back to regular ESMTP or SMTP").
 *
 * <pre>{@code
 * PolicyVerdict verdict = ConnectorPolicy.forced()
 *     .requireTlsVersionAtLeast("TLSv1.2")
 *     .build()
 *     .evaluate(inspector.inspect(SmtpTarget.of("mx1.example.org")));
 * }</pre>
 */
public sealed interface ConnectorPolicy
    permits OpportunisticPolicy, ForcedPolicy,
        ExchangeSendConnector, ExchangeReceiveConnector, ExoOutboundConnector, ExoInboundConnector,
        PostfixClientPolicy, PostfixServerPolicy, MtaStsConnectorPolicy, DanePolicy {

  /**
   * Starts an opportunistic policy: STARTTLS when the server offers it, clear text otherwise
   * (RFC 3207; Postfix {@code smtp_tls_security_level = may}).
   *
   * @return a new builder
   */
  static OpportunisticPolicy.Builder opportunistic() {
    return new OpportunisticPolicy.Builder();
  }

  /**
   * Starts a forced-TLS policy: TLS or no delivery (Exchange {@code RequireTLS $true}; Postfix
   * {@code smtp_tls_security_level = encrypt}).
   *
   * @return a new builder
   */
  static ForcedPolicy.Builder forced() {
    return new ForcedPolicy.Builder();
  }

  /**
   * Predicts what a sending server with this policy does with mail to the probed server.
   *
   * @param report a completed probe of the receiving server
   * @return the verdict
   * @throws NullPointerException if {@code report} is null
   * @throws IllegalArgumentException if the report is {@linkplain InspectionReport#aborted()
   *     aborted}: an interrupted probe says nothing about the server
   */
  PolicyVerdict evaluate(InspectionReport report);
}
