package dev.smtptls.connector;

/**
 * The values of an Exchange Receive connector's {@code AuthMechanism} ({@code
 * Set-ReceiveConnector}, Microsoft's cmdlet reference; {@code reference/exchange-postfix-tls.md}).
 * {@link #TLS} makes the connector advertise STARTTLS.
 */
public enum ExchangeAuthMechanism {
  /** No authentication. */
  NONE("None"),
  /** STARTTLS is advertised; needs a certificate bound to SMTP. */
  TLS("Tls"),
  /** Integrated Windows authentication. */
  INTEGRATED("Integrated"),
  /** Basic authentication. */
  BASIC_AUTH("BasicAuth"),
  /** Basic authentication only after STARTTLS. */
  BASIC_AUTH_REQUIRE_TLS("BasicAuthRequireTLS"),
  /** Exchange server authentication. */
  EXCHANGE_SERVER("ExchangeServer"),
  /** Externally secured: the connection is trusted as authenticated. */
  EXTERNAL_AUTHORITATIVE("ExternalAuthoritative");

  private final String productName;

  ExchangeAuthMechanism(String productName) {
    this.productName = productName;
  }

  /** {@return the value as {@code Set-ReceiveConnector} spells it, e.g. {@code Tls}} */
  public String productName() {
    return productName;
  }

  /**
   * Reads one value, case-insensitive.
   *
   * @param value the text, e.g. {@code Tls}
   * @return the mechanism
   * @throws IllegalArgumentException naming {@code AuthMechanism} and the valid values
   */
  public static ExchangeAuthMechanism parse(String value) {
    return ExchangeParameters.parseEnum(values(), ExchangeAuthMechanism::productName, "AuthMechanism", value);
  }
}
