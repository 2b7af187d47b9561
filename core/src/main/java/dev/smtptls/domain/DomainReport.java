package dev.smtptls.domain;

import static java.util.Objects.requireNonNull;

import dev.smtptls.dns.MtaStsResult;
import dev.smtptls.dns.MxResult;
import dev.smtptls.dns.TlsRptResult;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Everything {@link DomainInspector} found for one mail domain.
 *
 * @param domain the domain, absolute without the trailing dot
 * @param startedAt when the inspection began
 * @param duration how long it took
 * @param mx the MX resolution
 * @param hosts every MX host in preference order, with its probes
 * @param mtaSts the MTA-STS record and policy; null when not checked
 * @param tlsRpt the TLS-RPT record; null when not checked
 * @param findings every finding: the domain's and every host's (those carry evidence {@code host}
 *     and {@code address}), errors first
 * @param summary a few lines a person reads first
 * @param aborted true when the inspection was interrupted (a scan cancelled) before it finished:
 *     probes cut short or never begun are marked {@link dev.smtptls.inspect.InspectionReport#aborted()},
 *     and lookups cut short failed
 */
public record DomainReport(
    String domain,
    Instant startedAt,
    Duration duration,
    MxResult mx,
    List<HostReport> hosts,
    @Nullable MtaStsResult mtaSts,
    @Nullable TlsRptResult tlsRpt,
    List<Finding> findings,
    String summary,
    boolean aborted) {

  /** Checks and copies. */
  public DomainReport {
    requireNonNull(domain, "domain");
    requireNonNull(startedAt, "startedAt");
    requireNonNull(duration, "duration");
    requireNonNull(mx, "mx");
    hosts = List.copyOf(hosts);
    findings = List.copyOf(findings);
    requireNonNull(summary, "summary");
  }

  /** {@return whether no finding is an ERROR} */
  public boolean ok() {
    return findings.stream().noneMatch(f -> f.severity() == Severity.ERROR);
  }

  /** {@return every address report of every host, in host order} */
  public List<AddressReport> addresses() {
    return hosts.stream().flatMap(h -> h.addresses().stream()).toList();
  }
}
