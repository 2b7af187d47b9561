package dev.smtptls.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smtptls.dns.DaneLookup;
import dev.smtptls.dns.IpAddresses;
import dev.smtptls.dns.DaneMatch;
import dev.smtptls.dns.MtaStsFetch;
import dev.smtptls.dns.MtaStsHostCheck;
import dev.smtptls.dns.MtaStsPolicy;
import dev.smtptls.dns.MtaStsRecord;
import dev.smtptls.dns.MtaStsResult;
import dev.smtptls.dns.TlsRptRecord;
import dev.smtptls.dns.TlsRptResult;
import dev.smtptls.dns.TlsaRecord;
import dev.smtptls.domain.AddressReport;
import dev.smtptls.domain.DomainReport;
import dev.smtptls.domain.HostReport;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.StartTlsOutcome;
import java.net.Inet4Address;
import java.util.Locale;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** The JSON and text of {@code smtptls domain} (CONTRACT.md). */
final class DomainReports {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private DomainReports() {}

  /**
   * The contract's JSON object for a domain report.
   *
   * @param r the report
   * @param server the DNS server asked, as text
   * @param anchor the DNSSEC trust anchors, described
   * @param revocation renders the revocation part of each probe
   * @return the object
   */
  static ObjectNode json(
      DomainReport r,
      String server,
      String anchor,
      Function<InspectionReport, Revocation.@Nullable Outcome> revocation) {
    ObjectNode o = NODES.objectNode();
    o.set("tool", JsonReports.tool());
    o.put("domain", r.domain());
    o.put("startedAt", JsonReports.instant(r.startedAt()));
    o.put("durationMs", r.duration().toMillis());
    o.put("summary", r.summary());
    ObjectNode dns = o.putObject("dns");
    dns.put("server", server);
    dns.put("anchor", anchor);
    ObjectNode mx = o.putObject("mx");
    mx.put("status", r.mx().status().name());
    mx.put("dnssec", r.mx().dnssec().name());
    mx.put("detail", r.mx().detail());
    ArrayNode hosts = mx.putArray("hosts");
    for (HostReport h : r.hosts()) {
      hosts.add(host(h, revocation));
    }
    o.set("mtaSts", r.mtaSts() == null ? NODES.nullNode() : mtaSts(r.mtaSts()));
    o.set("tlsRpt", r.tlsRpt() == null ? NODES.nullNode() : tlsRpt(r.tlsRpt()));
    o.set("findings", JsonReports.findings(r.findings()));
    o.put("aborted", r.aborted());
    return o;
  }

  private static ObjectNode host(HostReport h, Function<InspectionReport, Revocation.@Nullable Outcome> revocation) {
    ObjectNode o = NODES.objectNode();
    o.put("host", h.host());
    o.put("preference", h.preference());
    o.put("implicit", h.implicit());
    o.put("addressDetail", h.addressDetail());
    ArrayNode addresses = o.putArray("addresses");
    for (AddressReport a : h.addresses()) {
      ObjectNode ao = addresses.addObject();
      ao.put("address", IpAddresses.text(a.address()));
      ao.put("family", a.address() instanceof Inet4Address ? "IPV4" : "IPV6");
      ao.set("probe", JsonReports.probe(a.probe(), revocation.apply(a.probe())));
      ao.set("dane", a.dane() == null ? NODES.nullNode() : daneMatch(a.dane()));
      ao.put("probeReused", a.probeReused());
    }
    o.set("dane", h.dane() == null ? NODES.nullNode() : dane(h.dane(), h));
    o.set("mtaSts", h.mtaSts() == null ? NODES.nullNode() : hostMtaSts(h.mtaSts()));
    o.set("findings", JsonReports.findings(h.findings()));
    return o;
  }

  private static ObjectNode daneMatch(DaneMatch m) {
    ObjectNode o = NODES.objectNode();
    o.put("status", m.status().name());
    o.set("matched", m.matched() == null ? NODES.nullNode() : tlsa(m.matched()));
    o.put("detail", m.detail());
    return o;
  }

  private static ObjectNode dane(DaneLookup d, HostReport h) {
    ObjectNode o = NODES.objectNode();
    o.put("tlsaName", d.tlsaName());
    o.put("dnssec", d.dnssec().name());
    ArrayNode records = o.putArray("records");
    d.records().forEach(t -> records.add(tlsa(t)));
    o.put("status", h.daneStatus() == null ? d.status().name() : h.daneStatus().name());
    o.put("detail", d.detail());
    return o;
  }

  private static ObjectNode tlsa(TlsaRecord t) {
    ObjectNode o = NODES.objectNode();
    o.put("usage", t.usage());
    o.put("selector", t.selector());
    o.put("matchingType", t.matchingType());
    o.put("data", t.data());
    return o;
  }

  private static ObjectNode hostMtaSts(MtaStsHostCheck c) {
    ObjectNode o = NODES.objectNode();
    o.put("matches", c.matches());
    o.put("pattern", c.pattern());
    if (c.certificateValid() == null) {
      o.putNull("certificateValid");
    } else {
      o.put("certificateValid", c.certificateValid());
    }
    return o;
  }

  private static ObjectNode mtaSts(MtaStsResult s) {
    ObjectNode o = NODES.objectNode();
    MtaStsRecord rec = s.record();
    if (rec == null) {
      o.putNull("record");
    } else {
      ObjectNode ro = o.putObject("record");
      ro.put("raw", rec.raw());
      ro.put("version", rec.version());
      ro.put("id", rec.id());
    }
    o.put("policyUrl", s.policyUrl());
    MtaStsFetch f = s.fetch();
    if (f == null) {
      o.putNull("fetch");
    } else {
      ObjectNode fo = o.putObject("fetch");
      fo.put("status", f.status().name());
      if (f.httpStatus() == null) {
        fo.putNull("httpStatus");
      } else {
        fo.put("httpStatus", f.httpStatus());
      }
      fo.put("bytes", f.bytes());
      fo.put("detail", f.detail());
    }
    MtaStsPolicy p = s.policy();
    if (p == null) {
      o.putNull("policy");
    } else {
      ObjectNode po = o.putObject("policy");
      po.put("version", p.version());
      po.put("mode", p.mode().name().toLowerCase(Locale.ROOT));
      ArrayNode mx = po.putArray("mx");
      p.mx().forEach(mx::add);
      po.put("maxAge", p.maxAge());
    }
    o.put("status", s.status().name());
    return o;
  }

  private static ObjectNode tlsRpt(TlsRptResult t) {
    ObjectNode o = NODES.objectNode();
    TlsRptRecord rec = t.record();
    if (rec == null) {
      o.putNull("record");
    } else {
      ObjectNode ro = o.putObject("record");
      ro.put("raw", rec.raw());
      ro.put("version", rec.version());
      ArrayNode rua = ro.putArray("rua");
      rec.rua().forEach(rua::add);
    }
    o.put("status", t.status().name());
    return o;
  }

  /**
   * The report for a person: the summary, then per host and address one line each, then the
   * findings.
   *
   * @param r the report
   * @return the text
   */
  static String text(DomainReport r) {
    StringBuilder sb = new StringBuilder();
    sb.append(r.summary()).append("\n\n");
    for (HostReport h : r.hosts()) {
      sb.append("MX ").append(h.preference()).append(' ').append(h.host()).append(h.implicit() ? " (implicit)" : "");
      if (h.daneStatus() != null && h.dane() != null) {
        sb.append("  DANE ").append(h.daneStatus()).append(" (").append(h.dane().tlsaName()).append(", ")
            .append(h.dane().dnssec()).append(')');
      }
      if (h.mtaSts() != null) {
        sb.append("  MTA-STS ").append(h.mtaSts().matches() ? "matches " + h.mtaSts().pattern() : "no pattern matches");
      }
      sb.append('\n');
      if (h.addresses().isEmpty()) {
        sb.append("  no address: ").append(h.addressDetail()).append('\n');
      }
      for (AddressReport a : h.addresses()) {
        InspectionReport p = a.probe();
        sb.append("  ").append(IpAddresses.text(a.address())).append("  STARTTLS ").append(p.startTls().status());
        if (p.startTls() instanceof StartTlsOutcome.Upgraded u) {
          sb.append(' ').append(u.protocol());
        }
        var check = p.certificateCheck();
        if (check != null) {
          sb.append("  certificate ").append(check.valid() ? "valid" : "NOT valid");
        }
        if (a.dane() != null) {
          sb.append("  DANE ").append(a.dane().status());
        }
        if (a.probeReused()) {
          sb.append("  (probe shared with another domain)");
        }
        sb.append('\n');
      }
    }
    if (!r.findings().isEmpty()) {
      sb.append('\n');
      TextReports.findings(sb, r.findings(), "");
    }
    return sb.toString();
  }

}
