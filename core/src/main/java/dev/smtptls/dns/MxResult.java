package dev.smtptls.dns;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The mail hosts of a domain, from {@link MxResolver#resolve(String)}.
 *
 * @param domain the domain asked about, lower case, without the trailing dot
 * @param status what the lookup found
 * @param dnssec what DNSSEC says about the MX answer (every answer of a CNAME chain followed
 *     included); for {@link MxStatus#IMPLICIT}, about the domain's A and AAAA answers. Only {@link
 *     DnssecStatus#SECURE} MX records let a DANE sender trust the host names (RFC 7672 §2.2.1)
 * @param hosts the mail hosts by preference, ties in answer order; one implicit host for {@link
 *     MxStatus#IMPLICIT}; empty for {@link MxStatus#NULL_MX} and {@link MxStatus#NONE}
 * @param detail what was found, in words, including a CNAME followed for the domain and why there
 *     is no host (NXDOMAIN, SERVFAIL, a timeout)
 */
public record MxResult(
    String domain, MxStatus status, DnssecStatus dnssec, List<MxHost> hosts, String detail) {

  /** Copies the hosts; see the class description. */
  public MxResult {
    requireNonNull(domain, "domain");
    requireNonNull(status, "status");
    requireNonNull(dnssec, "dnssec");
    hosts = List.copyOf(hosts);
    requireNonNull(detail, "detail");
    if ((status == MxStatus.NULL_MX || status == MxStatus.NONE) && !hosts.isEmpty()) {
      throw new IllegalArgumentException("hosts with status " + status);
    }
  }
}
