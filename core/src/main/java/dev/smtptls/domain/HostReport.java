package dev.smtptls.domain;

import static java.util.Objects.requireNonNull;

import dev.smtptls.dns.DaneLookup;
import dev.smtptls.dns.DaneStatus;
import dev.smtptls.dns.MtaStsHostCheck;
import dev.smtptls.finding.Finding;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One MX host of a domain: its addresses with their probes, its DANE records and how it fares
 * under the domain's MTA-STS policy.
 *
 * @param host the host name, absolute without the trailing dot, e.g. {@code "mx1.example.org"}
 * @param preference the MX preference (0 for an implicit MX)
 * @param implicit whether the host is the domain itself, for want of MX records (RFC 5321 §5.1)
 * @param addresses every address probed, in the order DNS gave them (IPv4 first)
 * @param addressDetail how the address lookups went, in words
 * @param dane the TLSA lookup; null when DANE was not checked
 * @param daneStatus the host's DANE verdict: {@code MATCH} when every address presented a chain
 *     that matches a usable TLSA record, {@code MISMATCH} when any did not; otherwise why DANE does
 *     not apply ({@code NO_RECORDS}, {@code INSECURE}, {@code BOGUS}, {@code UNUSABLE}); null when
 *     not checked
 * @param mtaSts the host under the domain's MTA-STS policy; null when the domain has no valid
 *     policy or MTA-STS was not checked
 * @param findings the host's findings (its probes', DANE's, MTA-STS's), each with evidence {@code
 *     host} and, where it concerns one address, {@code address}
 */
public record HostReport(
    String host,
    int preference,
    boolean implicit,
    List<AddressReport> addresses,
    String addressDetail,
    @Nullable DaneLookup dane,
    @Nullable DaneStatus daneStatus,
    @Nullable MtaStsHostCheck mtaSts,
    List<Finding> findings) {

  /** Checks and copies. */
  public HostReport {
    requireNonNull(host, "host");
    addresses = List.copyOf(addresses);
    requireNonNull(addressDetail, "addressDetail");
    findings = List.copyOf(findings);
  }

  /** {@return how many addresses completed STARTTLS} */
  public long tlsCount() {
    return addresses.stream().filter(AddressReport::tls).count();
  }
}
