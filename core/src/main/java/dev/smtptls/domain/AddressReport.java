package dev.smtptls.domain;

import static java.util.Objects.requireNonNull;

import dev.smtptls.dns.DaneMatch;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.StartTlsOutcome;
import java.net.InetAddress;
import org.jspecify.annotations.Nullable;

/**
 * One address of an MX host, probed.
 *
 * @param address the address probed
 * @param probe the probe's report (the certificate check in it was made for the MX host name)
 * @param dane how the chain presented here compares with the host's TLSA records; null when DANE
 *     does not apply to the host (no usable, secure TLSA records) or was not checked
 * @param probeReused whether {@code probe} is the report of a probe made for another domain of the
 *     same scan, with the same MX host name, address and port, and reused here instead of probing
 *     again ({@link DomainScanner.Builder#dedupe(boolean)}); false for a probe made for this domain
 */
public record AddressReport(InetAddress address, InspectionReport probe, @Nullable DaneMatch dane, boolean probeReused) {

  /** Checks the fields. */
  public AddressReport {
    requireNonNull(address, "address");
    requireNonNull(probe, "probe");
  }

  /** {@return whether this address took STARTTLS and completed the handshake} */
  public boolean tls() {
    return probe.startTls() instanceof StartTlsOutcome.Upgraded;
  }
}
