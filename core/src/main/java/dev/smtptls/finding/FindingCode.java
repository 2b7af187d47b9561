package dev.smtptls.finding;

/**
 * Stable codes of findings. A code's name is part of the public contract (the JSON of the
 * command-line tool and {@code CONTRACT.md}) and never changes once released.
 */
public enum FindingCode {
  /** The TCP connection could not be made (refused, unreachable, no route). */
  CONNECT_FAILED(Severity.ERROR, "The connection to the server could not be made."),
  /** A step did not complete within its timeout or the probe's deadline. Evidence: {@code step}. */
  TIMEOUT(Severity.ERROR, "The server did not answer in time."),
  /** The server closed the connection in the middle of the dialogue. Evidence: {@code step}. */
  CONNECTION_CLOSED(Severity.ERROR, "The server closed the connection unexpectedly."),
  /** The server broke RFC 5321: malformed, inconsistent or oversized replies. Evidence: {@code step}. */
  PROTOCOL_VIOLATION(Severity.ERROR, "The server's reply broke the SMTP protocol."),
  /** The greeting was not 220 (typically 421 or 554, often naming a block list). Evidence: {@code code}, {@code text}. */
  GREETING_REJECTED(Severity.ERROR, "The server refused the session in its greeting."),
  /** The server refused the EHLO command with a reply other than "command not recognised". Evidence: {@code reply}. */
  EHLO_REJECTED(Severity.ERROR, "The server refused the EHLO command."),
  /** EHLO was answered 500/502: the server speaks SMTP only, and STARTTLS needs ESMTP. Evidence: {@code reply}. */
  ESMTP_NOT_SUPPORTED(Severity.ERROR, "The server does not speak ESMTP, so it cannot offer STARTTLS."),
  /** STARTTLS is missing from the EHLO reply. Evidence: {@code reply}. */
  STARTTLS_NOT_OFFERED(Severity.ERROR, "The server does not offer STARTTLS."),
  /** STARTTLS was advertised but refused, e.g. {@code 454 4.7.0 TLS not available}. Evidence: {@code reply}. */
  STARTTLS_REFUSED(Severity.ERROR, "The server advertised STARTTLS but refused it."),
  /** The TLS handshake after STARTTLS failed. Evidence: {@code alert}. */
  TLS_HANDSHAKE_FAILED(Severity.ERROR, "The TLS handshake failed."),
  /** A firewall's SMTP inspection seems to mask the dialogue. Evidence: {@code signs}. */
  ESMTP_INSPECTION_SUSPECTED(
      Severity.ERROR, "A firewall's SMTP inspection appears to hide STARTTLS from senders."),
  /** The server refused {@code MAIL FROM} before STARTTLS: it requires TLS. Evidence: {@code reply}. */
  TLS_REQUIRED_BY_SERVER(Severity.INFO, "The server requires STARTTLS before it accepts mail."),
  /** The server accepted {@code MAIL FROM} in clear. Evidence: {@code reply}. */
  PLAINTEXT_ACCEPTED(Severity.INFO, "The server accepts mail without TLS."),
  /** TLS 1.0 or 1.1 was negotiated. Evidence: {@code protocol}. */
  TLS_PROTOCOL_WEAK(Severity.WARNING, "The negotiated TLS version is obsolete (TLS 1.0/1.1)."),
  /** The certificate does not chain to a trusted root. */
  CERT_UNTRUSTED(Severity.ERROR, "The certificate does not chain to a trusted certification authority."),
  /** The certificate is self-signed. */
  CERT_SELF_SIGNED(Severity.ERROR, "The certificate is self-signed."),
  /** The certificate has expired. */
  CERT_EXPIRED(Severity.ERROR, "The certificate has expired."),
  /** The certificate is not valid yet. */
  CERT_NOT_YET_VALID(Severity.ERROR, "The certificate is not valid yet."),
  /** An intermediate certificate is missing from what the server sends. */
  CERT_CHAIN_INCOMPLETE(Severity.ERROR, "The server does not send the intermediate certificates."),
  /** The certificate may not be used by a TLS server. */
  CERT_WRONG_PURPOSE(Severity.ERROR, "The certificate is not issued for TLS server use."),
  /** The key is too weak. */
  CERT_WEAK_KEY(Severity.ERROR, "The certificate's key is too weak."),
  /** The signature uses MD5 or SHA-1. */
  CERT_WEAK_SIGNATURE(Severity.ERROR, "The certificate is signed with a broken algorithm."),
  /** The certificate's names do not cover the expected host name. Evidence: {@code names}. */
  CERT_NAME_MISMATCH(Severity.ERROR, "The certificate's names do not cover the host name."),
  /** The certificate's names do not cover the FQDN the server gives in its greeting or EHLO reply. Evidence: {@code names}. */
  CERT_EHLO_NAME_MISMATCH(
      Severity.ERROR, "The certificate's names do not cover the FQDN the server announces."),
  /** The certificate parses as DER but breaks X.509. */
  CERT_MALFORMED(Severity.ERROR, "The certificate is malformed."),
  /** The certificate expires soon. Evidence: {@code notAfter}. */
  CERT_EXPIRES_SOON(Severity.WARNING, "The certificate expires soon."),
  /** The chain is sent in the wrong order. */
  CERT_CHAIN_ORDER(Severity.WARNING, "The server sends its certificates in the wrong order."),
  /** The host name appears only in the subject CN, which RFC 9525 clients ignore. Evidence: {@code cn}. */
  CERT_CN_ONLY(Severity.WARNING, "The name is only in the certificate's CN, not in its SAN."),
  /** A certificate of the path is revoked. Evidence: {@code url}, {@code reason}, {@code revokedAt}. */
  CERT_REVOKED(Severity.ERROR, "The certificate has been revoked by its CA."),
  /** A CRL could not be fetched. Evidence: {@code url}, {@code reason}. */
  CRL_UNAVAILABLE(Severity.WARNING, "A certificate revocation list cannot be fetched."),
  /** A CRL is past its nextUpdate. Evidence: {@code url}, {@code reason}. */
  CRL_EXPIRED(Severity.WARNING, "A certificate revocation list is out of date."),
  /** A CRL is unparseable, wrongly signed or from the wrong issuer. Evidence: {@code url}, {@code reason}. */
  CRL_INVALID(Severity.WARNING, "A certificate revocation list is invalid."),
  /** A certificate names neither a CRL distribution point nor an OCSP responder. Evidence: {@code url}, {@code reason}. */
  CERT_NO_REVOCATION_POINT(
      Severity.WARNING, "The certificate says nowhere how to check whether it is revoked."),
  /** An OCSP responder gave no usable answer. Evidence: {@code url}, {@code reason}. */
  OCSP_UNAVAILABLE(Severity.WARNING, "The OCSP responder gives no usable answer."),
  /** An OCSP responder says the certificate is revoked. Evidence: {@code url}, {@code reason}, {@code revokedAt}. */
  OCSP_REVOKED(Severity.ERROR, "The OCSP responder says the certificate is revoked."),
  /** The address is on a DNS block list (RFC 5782). Evidence: {@code zone}, {@code address}, {@code codes}, {@code reason}. */
  DNSBL_LISTED(Severity.ERROR, "The address is listed on a DNS block list.");

  private final Severity defaultSeverity;
  private final String summary;

  FindingCode(Severity defaultSeverity, String summary) {
    this.defaultSeverity = defaultSeverity;
    this.summary = summary;
  }

  /** The severity this code has unless a profile raises it. */
  public Severity defaultSeverity() {
    return defaultSeverity;
  }

  /** A one-line explanation of the code for a mail administrator. */
  public String summary() {
    return summary;
  }
}
