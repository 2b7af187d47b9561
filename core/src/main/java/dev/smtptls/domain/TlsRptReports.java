package dev.smtptls.domain;

import static java.util.Objects.requireNonNull;

import dev.smtptls.dns.DaneLookup;
import dev.smtptls.dns.DaneStatus;
import dev.smtptls.dns.IpAddresses;
import dev.smtptls.dns.MtaStsResult;
import dev.smtptls.dns.MtaStsStatus;
import dev.smtptls.dns.TlsRptReport;
import dev.smtptls.dns.TlsRptReport.PolicyType;
import dev.smtptls.dns.TlsaRecord;
import dev.smtptls.finding.Finding;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An RFC 8460 aggregate report from a {@link DomainReport}: what a sender that delivered once to
 * every MX address would report to the domain's TLS-RPT address.
 *
 * <p>The policy is the one a sender applies (RFC 8460 §4.4): the MTA-STS policy when the domain
 * has a valid one ({@code sts}, with its lines and {@code mx} patterns), else the DANE TLSA
 * records when any MX host has usable, DNSSEC-secure ones or a TLSA lookup that failed DNSSEC
 * validation ({@code tlsa}, every host's usable records; a bogus lookup is a {@code
 * dnssec-invalid} failure), else {@code no-policy-found}. Each probed address is one session: successful when none of its
 * findings maps to an RFC 8460 result type ({@link TlsRptReport#resultType(Finding)}), else one
 * failure of the first such type, with the MX host and address (DANE findings do not count
 * under an {@code sts} policy, MTA-STS findings not under {@code tlsa}). The date range is the
 * inspection's own.
 *
 * <pre>{@code
 * String json = TlsRptReports.from(report, "Example Monitoring", "tlsrpt@example.net", "run-42").toJson();
 * }</pre>
 */
public final class TlsRptReports {

  private TlsRptReports() {}

  /**
   * Builds the report.
   *
   * @param report the domain report
   * @param organization the {@code organization-name}
   * @param contact the {@code contact-info}
   * @param reportId the {@code report-id}
   * @return the aggregate report
   * @throws IllegalArgumentException if a text is blank
   */
  public static TlsRptReport from(DomainReport report, String organization, String contact, String reportId) {
    requireNonNull(report, "report");
    TlsRptReport.Policy.Builder policy = policy(report);
    // Under an MTA-STS policy DANE results are not the sender's business, and the other way round.
    String ignored = policy.build().type() == PolicyType.STS ? "DANE_" : "MTA_STS_";
    for (HostReport host : report.hosts()) {
      for (AddressReport a : host.addresses()) {
        List<Finding> findings = new ArrayList<>();
        String address = IpAddresses.text(a.address());
        for (Finding f : host.findings()) {
          @Nullable String at = f.evidence("address").orElse(null);
          if ((at == null || at.equals(address)) && !f.code().name().startsWith(ignored)) {
            findings.add(f);
          }
        }
        policy.session(null, host.host(), address, findings);
      }
    }
    return TlsRptReport.builder()
        .organizationName(organization)
        .contactInfo(contact)
        .reportId(reportId)
        .dateRange(report.startedAt(), report.startedAt().plus(report.duration()))
        .policy(policy.build())
        .build();
  }

  private static TlsRptReport.Policy.Builder policy(DomainReport report) {
    MtaStsResult sts = report.mtaSts();
    if (sts != null && sts.status() == MtaStsStatus.VALID && sts.policy() != null) {
      return TlsRptReport.Policy.builder(PolicyType.STS, report.domain()).from(sts);
    }
    List<String> tlsa = new ArrayList<>();
    boolean bogus = false;
    for (HostReport h : report.hosts()) {
      DaneLookup d = h.dane();
      bogus |= d != null && d.status() == DaneStatus.BOGUS;
      if (d != null && d.usable()) {
        for (TlsaRecord r : d.usableRecords()) {
          tlsa.add(r.presentation());
        }
      }
    }
    if (!tlsa.isEmpty() || bogus) {
      return TlsRptReport.Policy.builder(PolicyType.TLSA, report.domain()).policyStrings(tlsa);
    }
    return TlsRptReport.Policy.builder(PolicyType.NO_POLICY_FOUND, report.domain());
  }
}
