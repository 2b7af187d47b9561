package dev.smtptls.dns;

import static java.util.Objects.requireNonNull;

import dev.smtptls.finding.Finding;
import java.net.InetAddress;
import java.util.List;

/**
 * What DNS block lists said about one address.
 *
 * @param address the address looked up
 * @param listed whether any list listed it
 * @param lookups one per zone, in the order the zones were configured
 * @param findings a {@link dev.smtptls.finding.FindingCode#DNSBL_LISTED} finding per listing
 */
public record DnsblReport(
    InetAddress address, boolean listed, List<DnsblLookup> lookups, List<Finding> findings) {

  /** Copies the lists. */
  public DnsblReport {
    requireNonNull(address, "address");
    lookups = List.copyOf(lookups);
    findings = List.copyOf(findings);
  }
}
