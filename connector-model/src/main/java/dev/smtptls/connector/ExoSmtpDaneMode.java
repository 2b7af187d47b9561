package dev.smtptls.connector;

/**
 * An Exchange Online outbound connector's {@code SmtpDaneMode} ({@code Set-OutboundConnector},
 * Microsoft's cmdlet reference; {@code reference/exchange-postfix-tls.md}): whether outbound SMTP
 * DANE (RFC 7672) applies to mail over the connector.
 */
public enum ExoSmtpDaneMode {
  /** The default: DANE where the destination publishes DNSSEC-signed TLSA records. */
  OPPORTUNISTIC("Opportunistic"),
  /** DANE is required: a destination without usable, DNSSEC-signed TLSA records gets no mail. */
  MANDATORY("Mandatory"),
  /** No DANE checks. */
  NONE("None");

  private final String productName;

  ExoSmtpDaneMode(String productName) {
    this.productName = productName;
  }

  /** {@return the value as the cmdlet spells it} */
  public String productName() {
    return productName;
  }

  /**
   * Reads a value, case-insensitive.
   *
   * @param value {@code Opportunistic}, {@code Mandatory} or {@code None}
   * @return the mode
   * @throws IllegalArgumentException naming {@code SmtpDaneMode} and the valid values
   */
  public static ExoSmtpDaneMode parse(String value) {
    return ExchangeParameters.parseEnum(values(), ExoSmtpDaneMode::productName, "SmtpDaneMode", value);
  }
}
