package dev.smtptls.connector;

/**
 * How much of the receiving server's certificate an Exchange connector checks once TLS is
 * required: the values of Exchange Server's {@code Set-SendConnector -TlsAuthLevel} and of Exchange
 * Online's {@code Set-OutboundConnector -TlsSettings} (Microsoft's cmdlet reference; {@code
 * reference/exchange-postfix-tls.md}). Exchange Online's unset {@code TlsSettings} ({@code $null})
 * is the absence of a level: opportunistic TLS.
 */
public enum ExchangeTlsAuthLevel {
  /** Encrypt; no certificate checks. */
  ENCRYPTION_ONLY("EncryptionOnly"),
  /** Encrypt, and the chain must lead to a trusted root and pass the revocation check. */
  CERTIFICATE_VALIDATION("CertificateValidation"),
  /** {@link #CERTIFICATE_VALIDATION}, and the certificate's names must cover the TLS domain. */
  DOMAIN_VALIDATION("DomainValidation");

  private final String productName;

  ExchangeTlsAuthLevel(String productName) {
    this.productName = productName;
  }

  /** {@return the value as the cmdlets spell it, e.g. {@code DomainValidation}} */
  public String productName() {
    return productName;
  }

  /**
   * Reads a value as the cmdlets accept it: the name, case-insensitive. Enum numbers are not
   * accepted: no Microsoft document gives them.
   *
   * @param parameter the parameter being read, for the error message ({@code TlsAuthLevel} or
   *     {@code TlsSettings})
   * @param value the text
   * @return the level
   * @throws IllegalArgumentException naming the parameter and the valid values if {@code value} is
   *     none of them
   */
  public static ExchangeTlsAuthLevel parse(String parameter, String value) {
    return ExchangeParameters.parseEnum(values(), ExchangeTlsAuthLevel::productName, parameter, value);
  }
}
