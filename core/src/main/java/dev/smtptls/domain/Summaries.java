package dev.smtptls.domain;

import dev.smtptls.dns.MtaStsResult;
import dev.smtptls.dns.MxResult;
import dev.smtptls.dns.MxStatus;
import dev.smtptls.dns.TlsRptResult;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.Severity;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** The lines of {@link DomainReport#summary()}. */
final class Summaries {

  private Summaries() {}

  static String summary(
      String domain,
      MxResult mx,
      List<HostReport> hosts,
      @Nullable MtaStsResult sts,
      @Nullable TlsRptResult rpt,
      List<Finding> findings,
      boolean aborted) {
    StringBuilder s = new StringBuilder();
    long addresses = hosts.stream().mapToLong(h -> h.addresses().size()).sum();
    long tls = hosts.stream().mapToLong(HostReport::tlsCount).sum();
    long valid =
        hosts.stream()
            .flatMap(h -> h.addresses().stream())
            .filter(a -> a.tls() && a.probe().certificateCheck() != null && a.probe().certificateCheck().valid())
            .count();
    s.append(domain).append(": ");
    switch (mx.status()) {
      case NULL_MX -> s.append("null MX, the domain accepts no mail");
      case NONE -> s.append("no mail host (").append(mx.detail()).append(')');
      default -> s.append(hosts.size())
          .append(hosts.size() == 1 ? " MX host, " : " MX hosts, ")
          .append(addresses)
          .append(addresses == 1 ? " address" : " addresses")
          .append(mx.status() == MxStatus.IMPLICIT ? " (implicit MX: no MX records)" : "");
    }
    s.append("; MX records DNSSEC ").append(mx.dnssec()).append('\n');
    if (addresses > 0) {
      s.append("STARTTLS on ").append(tls).append(" of ").append(addresses)
          .append(" addresses; certificate valid on ").append(valid).append(" of ").append(addresses).append('\n');
    }
    s.append("MTA-STS: ").append(sts == null ? "not checked" : mtaSts(sts, hosts)).append('\n');
    if (!hosts.isEmpty() && hosts.get(0).daneStatus() != null) {
      s.append("DANE: ")
          .append(hosts.stream().map(h -> h.host() + " " + h.daneStatus()).collect(Collectors.joining(", ")))
          .append('\n');
    }
    s.append("TLS-RPT: ").append(rpt == null ? "not checked" : tlsRpt(rpt)).append('\n');
    long errors = findings.stream().filter(f -> f.severity() == Severity.ERROR).count();
    long warnings = findings.stream().filter(f -> f.severity() == Severity.WARNING).count();
    s.append(errors == 0 ? "No errors" : errors + (errors == 1 ? " error" : " errors"))
        .append(", ").append(warnings).append(warnings == 1 ? " warning" : " warnings");
    if (errors > 0) {
      Finding first = findings.get(0);
      s.append(" — first: ").append(first.code()).append(first.evidence("host").map(h -> " on " + h).orElse(""))
          .append(first.evidence("address").map(a -> " [" + a + "]").orElse(""))
          .append(": ").append(first.message());
    }
    if (aborted) {
      s.append("\nCut short: the inspection was interrupted before it finished");
    }
    return s.toString();
  }

  private static String mtaSts(MtaStsResult sts, List<HostReport> hosts) {
    return switch (sts.status()) {
      case NONE -> "no policy (no _mta-sts record)";
      case INVALID -> "invalid record or policy";
      case UNAVAILABLE -> "policy announced but not fetched" + (sts.fetch() == null ? "" : " (" + sts.fetch().status() + ")");
      case VALID -> {
        var policy = sts.policy();
        long matching = hosts.stream().filter(h -> h.mtaSts() != null && h.mtaSts().matches()).count();
        yield (policy == null ? "valid" : "mode " + policy.mode().name().toLowerCase(java.util.Locale.ROOT))
            + ", " + matching + " of " + hosts.size() + " MX hosts match its mx patterns";
      }
    };
  }

  private static String tlsRpt(TlsRptResult rpt) {
    return switch (rpt.status()) {
      case NONE -> "no record";
      case INVALID -> "invalid record";
      case VALID -> rpt.record() == null ? "valid" : "reports go to " + String.join(", ", rpt.record().rua());
    };
  }
}
