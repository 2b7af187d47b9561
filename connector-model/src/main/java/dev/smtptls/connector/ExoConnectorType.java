package dev.smtptls.connector;

/**
 * An Exchange Online connector's {@code ConnectorType} ({@code Set-InboundConnector}, {@code
 * Set-OutboundConnector}, Microsoft's cmdlet reference): whom the connector serves.
 */
public enum ExoConnectorType {
  /** A partner organisation or service provider. */
  PARTNER("Partner"),
  /** The organisation's own on-premises servers (hybrid). */
  ON_PREMISES("OnPremises");

  private final String productName;

  ExoConnectorType(String productName) {
    this.productName = productName;
  }

  /** {@return the value as the cmdlets spell it} */
  public String productName() {
    return productName;
  }

  /**
   * Reads a value, case-insensitive.
   *
   * @param value {@code Partner} or {@code OnPremises}
   * @return the type
   * @throws IllegalArgumentException naming {@code ConnectorType} and the valid values
   */
  public static ExoConnectorType parse(String value) {
    return ExchangeParameters.parseEnum(values(), ExoConnectorType::productName, "ConnectorType", value);
  }
}
