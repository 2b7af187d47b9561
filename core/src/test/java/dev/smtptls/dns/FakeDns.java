package dev.smtptls.dns;

import dev.smtptls.spi.DnsResolver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A zone from code for MxResolver tests: unknown names are NXDOMAIN, known names NODATA. */
final class FakeDns implements DnsResolver {
  private final Map<String, List<DnsRecord>> records = new HashMap<>();
  private final Map<String, DnsStatus> failures = new HashMap<>();
  final List<String> queries = new ArrayList<>();

  static String canon(String n) {
    String s = n.toLowerCase(Locale.ROOT);
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  FakeDns add(String name, DnsType type, String data) {
    records
        .computeIfAbsent(canon(name), k -> new ArrayList<>())
        .add(new DnsRecord(canon(name) + ".", type, 300, data));
    return this;
  }

  FakeDns fail(String name, DnsType type, DnsStatus status) {
    failures.put(canon(name) + " " + type, status);
    return this;
  }

  @Override
  public synchronized DnsAnswer query(String name, DnsType type) {
    String n = canon(name);
    queries.add(n + " " + type);
    DnsStatus failure = failures.get(n + " " + type);
    if (failure != null) {
      return DnsAnswer.empty(failure, type + " " + n + ": " + failure);
    }
    List<DnsRecord> at = records.get(n);
    if (at == null) {
      return DnsAnswer.empty(DnsStatus.NXDOMAIN, type + " " + n + ": NXDOMAIN");
    }
    List<DnsRecord> cname = at.stream().filter(r -> r.type() == DnsType.CNAME).toList();
    if (!cname.isEmpty()) {
      // Like an authoritative server for another zone: the alias only, not what it points to.
      return new DnsAnswer(DnsStatus.NOERROR, cname, DnssecStatus.INDETERMINATE, "alias");
    }
    return new DnsAnswer(
        DnsStatus.NOERROR,
        at.stream().filter(r -> r.type() == type).toList(),
        DnssecStatus.INDETERMINATE,
        "ok");
  }
}
