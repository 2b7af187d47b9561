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
  DNSBL_LISTED(Severity.ERROR, "The address is listed on a DNS block list."),
  /** The domain has no mail host: no MX, no A/AAAA, or its MX lookup failed. Evidence: {@code domain}, {@code reason}. */
  MX_NONE(Severity.ERROR, "The domain has no mail host that a sender could reach."),
  /** The domain publishes a null MX (RFC 7505): it accepts no mail. Evidence: {@code domain}. */
  NULL_MX(Severity.WARNING, "The domain publishes a null MX: it accepts no mail."),
  /** An MX host's address is loopback, private, link-local or a documentation range. Evidence: {@code host}, {@code address}. */
  MX_ADDRESS_NOT_PUBLIC(
      Severity.WARNING, "An MX host resolves to an address that is not reachable on the internet."),
  /** No TLSA record of the MX host matches the certificate chain it presented (RFC 7672). Evidence: {@code host}, {@code address}, {@code name}. */
  DANE_TLSA_MISMATCH(
      Severity.ERROR, "The server's certificate matches none of its DANE TLSA records."),
  /** DNSSEC validation of the MX or TLSA records failed (bogus): DANE senders defer. Evidence: {@code host}, {@code name}, {@code reason}. */
  DANE_DNSSEC_BOGUS(Severity.ERROR, "DNSSEC validation failed (bogus) for a record DANE needs."),
  /** The TLSA records (or the MX host's address records) are not DNSSEC-signed: DANE does not apply. Evidence: {@code host}, {@code name}. */
  DANE_INSECURE(Severity.INFO, "The records DANE needs are not DNSSEC-secured, so DANE does not apply."),
  /**
   * The TLSA lookup of an MX host whose address records are DNSSEC-secure failed (timeout,
   * SERVFAIL, unreachable server): RFC 7672 §2.2 has DANE senders treat the host as unusable and
   * defer, as for bogus records. Evidence: {@code host}, {@code name}, {@code reason}.
   */
  DANE_TLSA_LOOKUP_FAILED(
      Severity.ERROR, "The TLSA lookup of a DNSSEC-secure MX host failed: DANE senders defer mail to it."),
  /** TLSA records exist but none is usable for SMTP (RFC 7672 §3.1: usages 2 and 3 only; known selector and matching type). Evidence: {@code host}, {@code name}, {@code records}. */
  DANE_TLSA_UNUSABLE(
      Severity.WARNING, "The MX host's TLSA records are all unusable for SMTP: DANE senders fall back to unauthenticated TLS."),
  /** The MTA-STS policy could not be fetched although the {@code _mta-sts} record announces one. Evidence: {@code url}, {@code httpStatus}, {@code reason}. */
  MTA_STS_POLICY_UNAVAILABLE(Severity.ERROR, "The MTA-STS policy could not be fetched."),
  /** The {@code _mta-sts} TXT record or the policy file is malformed (RFC 8461 §3). Evidence: {@code url}, {@code reason}. */
  MTA_STS_POLICY_INVALID(Severity.ERROR, "The MTA-STS record or policy is malformed."),
  /** An MX host matches none of the policy's {@code mx} patterns. ERROR in {@code enforce} mode, WARNING in {@code testing}. Evidence: {@code host}, {@code patterns}. */
  MTA_STS_MX_MISMATCH(Severity.ERROR, "An MX host is not covered by the domain's MTA-STS policy."),
  /** An MX host's certificate fails the validation MTA-STS requires (RFC 8461 §4.2). ERROR in {@code enforce} mode, WARNING in {@code testing}. Evidence: {@code host}, {@code address}, {@code reason}. */
  MTA_STS_CERT_INVALID(
      Severity.ERROR, "An MX host's certificate is not valid as MTA-STS requires."),
  /** The {@code _smtp._tls} TLS-RPT record is malformed (RFC 8460 §3). Evidence: {@code record}, {@code reason}. */
  TLSRPT_RECORD_INVALID(Severity.WARNING, "The TLS-RPT record is malformed."),
  /** The server presents a certificate other than the one its connector names ({@code TlsCertificateName} of an Exchange Receive connector). Evidence: {@code expected}, {@code issuer}, {@code subject}. */
  CONNECTOR_CERTIFICATE_MISMATCH(
      Severity.WARNING, "The server presents a certificate other than the one its connector names."),
  /** The server announces an FQDN other than its connector's {@code Fqdn}. Evidence: {@code expected}, {@code announced}. */
  CONNECTOR_FQDN_MISMATCH(Severity.WARNING, "The server announces a name other than its connector's Fqdn."),
  /** A sending MTA sent mail (or ended its session) without STARTTLS although the receiver offered it. Evidence: {@code helo}. */
  SENDER_NO_STARTTLS(Severity.ERROR, "The sender does not use STARTTLS."),
  /** A sending MTA used TLS but presented no client certificate, which certificate-based receive connectors need. Evidence: {@code helo}. */
  SENDER_NO_CLIENT_CERT(Severity.WARNING, "The sender presents no client certificate."),
  /** The name in the sender's HELO/EHLO is not a fully qualified domain name (RFC 5321 §4.1.1.1). Evidence: {@code helo}. */
  SENDER_EHLO_NOT_FQDN(Severity.WARNING, "The sender's HELO/EHLO name is not a fully qualified domain name."),
  /** The sender negotiated TLS 1.0 or 1.1. Evidence: {@code protocol}. */
  SENDER_TLS_PROTOCOL_WEAK(Severity.WARNING, "The sender negotiates an obsolete TLS version (TLS 1.0/1.1)."),
  /** The sender broke RFC 5321 or one of the receiver's bounds: an oversized line, data after STARTTLS, a dropped TLS handshake, too many bad commands. Evidence: {@code step}, {@code reason}. */
  SENDER_PROTOCOL_VIOLATION(Severity.ERROR, "The sender broke the SMTP protocol."),
  /** The sender did not send its next command, line or handshake message in time. Evidence: {@code step}. */
  SENDER_TIMEOUT(Severity.ERROR, "The sender stalled."),
  /** The sender opened more concurrent connections than the receiver serves; the extra one was answered {@code 421 4.3.2}. Evidence: {@code limit}. */
  SENDER_TOO_MANY_CONNECTIONS(Severity.WARNING, "The sender opened more connections than the receiver serves at once."),
  /** The sender connects from an address a receive connector does not list (an Exchange Online inbound connector's {@code SenderIPAddresses}). Evidence: {@code address}, {@code allowed}. */
  SENDER_ADDRESS_NOT_ALLOWED(Severity.ERROR, "The sender connects from an address the receive connector does not list."),
  /** {@code CERT_UNTRUSTED} for the sender's client certificate (the EHLO name is the name to cover). */
  SENDER_CERT_UNTRUSTED(Severity.ERROR, "The sender's client certificate does not chain to a trusted certification authority."),
  /** {@code CERT_SELF_SIGNED} for the sender's client certificate (the EHLO name is the name to cover). */
  SENDER_CERT_SELF_SIGNED(Severity.ERROR, "The sender's client certificate is self-signed."),
  /** {@code CERT_EXPIRED} for the sender's client certificate (the EHLO name is the name to cover). */
  SENDER_CERT_EXPIRED(Severity.ERROR, "The sender's client certificate has expired."),
  /** {@code CERT_NOT_YET_VALID} for the sender's client certificate (the EHLO name is the name to cover). */
  SENDER_CERT_NOT_YET_VALID(Severity.ERROR, "The sender's client certificate is not valid yet."),
  /** {@code CERT_CHAIN_INCOMPLETE} for the sender's client certificate (the EHLO name is the name to cover). */
  SENDER_CERT_CHAIN_INCOMPLETE(Severity.ERROR, "The sender's client certificate comes without its intermediate certificates."),
  /** {@code CERT_WRONG_PURPOSE} for the sender's client certificate (the EHLO name is the name to cover). */
  SENDER_CERT_WRONG_PURPOSE(Severity.ERROR, "The sender's client certificate is not issued for TLS client use."),
  /** {@code CERT_WEAK_KEY} for the sender's client certificate (the EHLO name is the name to cover). */
  SENDER_CERT_WEAK_KEY(Severity.ERROR, "The sender's client certificate has a key that is too weak."),
  /** {@code CERT_WEAK_SIGNATURE} for the sender's client certificate (the EHLO name is the name to cover). */
  SENDER_CERT_WEAK_SIGNATURE(Severity.ERROR, "The sender's client certificate is signed with a broken algorithm."),
  /** {@code CERT_NAME_MISMATCH} for the sender's client certificate (the EHLO name is the name to cover). */
  SENDER_CERT_NAME_MISMATCH(Severity.ERROR, "The sender's client certificate does not cover the name the sender gives in EHLO."),
  /** {@code CERT_EHLO_NAME_MISMATCH} for the sender's client certificate (the EHLO name is the name to cover). */
  SENDER_CERT_EHLO_NAME_MISMATCH(Severity.ERROR, "The sender's client certificate does not cover the FQDN the sender announces."),
  /** {@code CERT_MALFORMED} for the sender's client certificate (the EHLO name is the name to cover). */
  SENDER_CERT_MALFORMED(Severity.ERROR, "The sender's client certificate is malformed."),
  /** {@code CERT_EXPIRES_SOON} for the sender's client certificate (the EHLO name is the name to cover). */
  SENDER_CERT_EXPIRES_SOON(Severity.WARNING, "The sender's client certificate expires soon."),
  /** {@code CERT_CHAIN_ORDER} for the sender's client certificate (the EHLO name is the name to cover). */
  SENDER_CERT_CHAIN_ORDER(Severity.WARNING, "The sender's client certificate chain is sent in the wrong order."),
  /** {@code CERT_CN_ONLY} for the sender's client certificate (the EHLO name is the name to cover). */
  SENDER_CERT_CN_ONLY(Severity.WARNING, "The sender's client certificate names the sender only in its CN, not in its SAN."),
  /** {@code CERT_REVOKED} for the sender's client certificate (the EHLO name is the name to cover). */
  SENDER_CERT_REVOKED(Severity.ERROR, "The sender's client certificate has been revoked by its CA."),
  /** {@code CERT_NO_REVOCATION_POINT} for the sender's client certificate (the EHLO name is the name to cover). */
  SENDER_CERT_NO_REVOCATION_POINT(Severity.WARNING, "The sender's client certificate says nowhere how to check whether it is revoked."),
  /**
   * The server accepts a cipher suite that BCP 195 forbids or that has no server authentication:
   * NULL encryption, RC4 (RFC 7465), export-grade or single DES, 64-bit block ciphers (3DES,
   * IDEA: under 128 bits of security, Sweet32), or anonymous key exchange. Found by the capability
   * enumeration ({@code dev.smtptls.tls}). Evidence: {@code cipherSuite}, {@code protocols},
   * {@code reason}.
   */
  TLS_CIPHER_WEAK(Severity.WARNING, "The server accepts a weak cipher suite (NULL, RC4, export, DES/3DES, anonymous).");

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
