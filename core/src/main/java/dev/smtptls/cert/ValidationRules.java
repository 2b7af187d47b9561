package dev.smtptls.cert;

/**
 * Which rules a certification path must meet.
 */
public enum ValidationRules {
  /**
   * RFC 5280 plus the CA/Browser Forum baseline requirements that browsers and public CAs follow:
   * the leaf is no CA, has an extended key usage naming the purpose (and not
   * anyExtendedKeyUsage), repeats its subject CN in the subjectAltName, and keys and algorithms
   * are of current strength. The default: what certificates from public CAs meet, and what
   * Exchange Online expects of them.
   */
  WEB_PKI,
  /**
   * RFC 5280 alone: a leaf without an extended key usage may serve any purpose, a CA certificate
   * may be a leaf. For certificates from an organisation's own CA, as an on-premises Exchange or
   * Postfix peer may accept.
   */
  RFC_5280
}
