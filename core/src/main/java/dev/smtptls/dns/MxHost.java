package dev.smtptls.dns;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.util.List;

/**
 * One mail host of a domain.
 *
 * @param host the host name as the MX record gives it (or the domain itself for an implicit MX),
 *     lower case, without the trailing dot
 * @param preference the MX preference; 0 for an implicit MX
 * @param implicit whether the host is the domain itself because it has no MX records
 * @param addresses the IPv4 addresses (A) first, then the IPv6 addresses (AAAA), each in answer
 *     order without duplicates; empty when the host has none or their lookup failed
 * @param dnssec what DNSSEC says about the host's A and AAAA answers taken together: {@link
 *     DnssecStatus#SECURE} only when both are secure, {@link DnssecStatus#BOGUS} when either is
 * @param detail what the lookups of this host found, in words: the address counts, a CNAME
 *     followed, a failed lookup
 */
public record MxHost(
    String host,
    int preference,
    boolean implicit,
    List<InetAddress> addresses,
    DnssecStatus dnssec,
    String detail) {

  /** Copies the addresses; see the class description. */
  public MxHost {
    requireNonNull(host, "host");
    if (preference < 0 || preference > 0xFFFF) {
      throw new IllegalArgumentException("preference out of range: " + preference);
    }
    addresses = List.copyOf(addresses);
    requireNonNull(dnssec, "dnssec");
    requireNonNull(detail, "detail");
  }
}
