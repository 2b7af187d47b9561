package dev.smtptls.dns;

/** The DNS record types the library asks for. */
public enum DnsType {
  /** An IPv4 address (RFC 1035). */
  A(1),
  /** An IPv6 address (RFC 3596). */
  AAAA(28),
  /** A mail exchanger (RFC 1035, RFC 7505 for the null MX). */
  MX(15),
  /** Text strings (RFC 1035): MTA-STS, TLS-RPT, block list reasons. */
  TXT(16),
  /** An alias (RFC 1035). */
  CNAME(5),
  /** A DANE TLSA association (RFC 6698). */
  TLSA(52),
  /** A reverse-mapping pointer (RFC 1035). */
  PTR(12),
  /** The start of a zone of authority (RFC 1035). */
  SOA(6);

  private final int code;

  DnsType(int code) {
    this.code = code;
  }

  /** {@return the numeric RR type as on the wire, e.g. 15 for MX} */
  public int code() {
    return code;
  }
}
