package dev.smtptls.dns;

import static java.util.Objects.requireNonNull;

import dev.smtptls.internal.dns.RecordData;
import dev.smtptls.spi.DnsResolver;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Finds the mail hosts of a domain and their addresses, as a sending MTA does (RFC 5321 §5.1).
 *
 * <ul>
 *   <li>MX records by preference, ties in answer order; the same host named twice is kept once, at
 *       its lowest preference;
 *   <li>a null MX (RFC 7505, a single MX with exchange {@code "."}) means the domain accepts no
 *       mail: {@link MxStatus#NULL_MX};
 *   <li>no MX records (NODATA): the domain's own A and AAAA records make it an implicit MX, {@link
 *       MxStatus#IMPLICIT}; without them {@link MxStatus#NONE};
 *   <li>a domain that is an alias (CNAME) is followed, at most {@value #MAX_CNAME_HOPS} aliases
 *       deep; an MX host that is an alias is resolved too, and the detail says so (RFC 2181 §10.3
 *       forbids it);
 *   <li>A and AAAA of every host; a failure (NXDOMAIN, SERVFAIL, a timeout) is said in words in the
 *       detail, never thrown;
 *   <li>the DNSSEC status of the MX answer and of each host's address answers, as the resolver
 *       gives it (see {@link DnsResolvers#validating}); over a CNAME chain, the weakest of its
 *       answers: {@link DnssecStatus#BOGUS} before {@link DnssecStatus#INSECURE} before {@link
 *       DnssecStatus#INDETERMINATE} before {@link DnssecStatus#SECURE}.
 * </ul>
 *
 * <p>At most {@value #MAX_HOSTS} hosts are resolved. Immutable and thread-safe when its resolver
 * is.
 */
public final class MxResolver {

  /** The longest CNAME chain followed for one name. */
  public static final int MAX_CNAME_HOPS = 8;

  /** The most MX hosts resolved; further MX records are counted in the detail. */
  public static final int MAX_HOSTS = 32;

  private final DnsResolver resolver;

  private MxResolver(DnsResolver resolver) {
    this.resolver = resolver;
  }

  /** {@return a builder; a resolver must be given} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Finds the mail hosts of {@code domain}.
   *
   * @param domain a domain name, e.g. {@code "example.org"}; a trailing dot is allowed
   * @return what was found; never throws for a DNS failure
   * @throws IllegalArgumentException if {@code domain} is empty
   */
  public MxResult resolve(String domain) {
    requireNonNull(domain, "domain");
    String name = RecordData.canonical(domain);
    if (name.isEmpty() || name.equals(".")) {
      throw new IllegalArgumentException("domain must not be empty");
    }
    Chase mx = chase(name, DnsType.MX);
    String alias = aliasNote(name, mx);
    if (mx.problem != null) {
      return new MxResult(name, MxStatus.NONE, mx.dnssec, List.of(), join(alias, mx.problem));
    }
    if (mx.answer.status() == DnsStatus.NXDOMAIN) {
      return new MxResult(
          name,
          MxStatus.NONE,
          mx.dnssec,
          List.of(),
          join(alias, mx.finalName + " does not exist (NXDOMAIN)"));
    }
    if (!mx.answer.isNoError()) {
      return new MxResult(
          name,
          MxStatus.NONE,
          mx.dnssec,
          List.of(),
          join(alias, "the MX lookup of " + mx.finalName + " failed: " + failure(mx.answer)));
    }
    if (mx.records.isEmpty()) {
      return implicit(name, alias);
    }
    return explicit(name, alias, mx.records, mx.dnssec);
  }

  private MxResult explicit(
      String name, @Nullable String alias, List<DnsRecord> records, DnssecStatus dnssec) {
    List<String> notes = new ArrayList<>();
    if (alias != null) {
      notes.add(alias);
    }
    boolean hasNull = records.stream().anyMatch(r -> r.exchange().equals("."));
    if (hasNull && records.size() == 1) {
      int pref = records.get(0).preference();
      notes.add(
          0,
          name
              + " accepts no mail: it publishes a null MX (RFC 7505)"
              + (pref == 0 ? "" : "; its preference is " + pref + " where RFC 7505 says 0"));
      return new MxResult(name, MxStatus.NULL_MX, dnssec, List.of(), String.join("; ", notes));
    }
    if (hasNull) {
      notes.add(
          "a null MX (\".\") among other MX records, which RFC 7505 forbids; the \".\" entry is"
              + " ignored");
    }
    // Stable sort: ties keep answer order. One entry per host, at its lowest preference.
    List<RecordData.Mx> sorted =
        records.stream()
            .map(r -> new RecordData.Mx(r.preference(), r.exchange()))
            .filter(m -> !m.exchange().equals("."))
            .sorted(Comparator.comparingInt(RecordData.Mx::preference))
            .toList();
    Set<String> seen = new HashSet<>();
    List<RecordData.Mx> unique = new ArrayList<>();
    for (RecordData.Mx m : sorted) {
      if (seen.add(RecordData.canonical(m.exchange()))) {
        unique.add(m);
      }
    }
    if (unique.size() > MAX_HOSTS) {
      notes.add(
          (unique.size() - MAX_HOSTS)
              + " MX host(s) beyond the first "
              + MAX_HOSTS
              + " not resolved");
      unique = unique.subList(0, MAX_HOSTS);
    }
    List<MxHost> hosts = new ArrayList<>();
    for (RecordData.Mx m : unique) {
      String host = RecordData.canonical(m.exchange());
      hosts.add(host(host, m.preference(), false, true));
    }
    long withAddress = hosts.stream().filter(h -> !h.addresses().isEmpty()).count();
    notes.add(
        0,
        hosts.size()
            + " MX host(s) for "
            + name
            + (withAddress == hosts.size()
                ? ""
                : ", " + (hosts.size() - withAddress) + " without an address"));
    return new MxResult(name, MxStatus.MX, dnssec, hosts, String.join("; ", notes));
  }

  private MxResult implicit(String name, @Nullable String alias) {
    MxHost self = host(name, 0, true, false);
    if (self.addresses().isEmpty()) {
      return new MxResult(
          name,
          MxStatus.NONE,
          self.dnssec(),
          List.of(),
          join(alias, name + " has no MX records and no usable address: " + self.detail()));
    }
    return new MxResult(
        name,
        MxStatus.IMPLICIT,
        self.dnssec(),
        List.of(self),
        join(
            alias,
            name
                + " has no MX records; it receives its own mail at its A/AAAA addresses (implicit"
                + " MX, RFC 5321 §5.1)"));
  }

  /** Resolves A and AAAA of a host, following aliases. */
  private MxHost host(String host, int preference, boolean implicit, boolean warnAlias) {
    Set<InetAddress> addresses = new LinkedHashSet<>();
    List<String> notes = new ArrayList<>();
    int v4 = 0;
    int v6 = 0;
    @Nullable String aliasNote = null;
    DnssecStatus dnssec = DnssecStatus.SECURE;
    for (DnsType type : List.of(DnsType.A, DnsType.AAAA)) {
      Chase c = chase(host, type);
      dnssec = weakest(dnssec, c.dnssec);
      if (aliasNote == null && !c.chain.isEmpty()) {
        aliasNote =
            host
                + " is an alias (CNAME) for "
                + c.finalName
                + (warnAlias ? "; RFC 2181 §10.3 says an MX host must not be an alias" : "");
      }
      if (c.problem != null) {
        notes.add(type + ": " + c.problem);
        continue;
      }
      if (!c.answer.isNoError()) {
        notes.add("the " + type + " lookup failed: " + failure(c.answer));
        continue;
      }
      for (DnsRecord r : c.records) {
        if (addresses.add(r.address())) {
          if (type == DnsType.A) {
            v4++;
          } else {
            v6++;
          }
        }
      }
    }
    String summary =
        addresses.isEmpty()
            ? "no address"
            : v4 + " IPv4 and " + v6 + " IPv6 address" + (v4 + v6 == 1 ? "" : "es");
    notes.add(0, summary);
    if (aliasNote != null) {
      notes.add(aliasNote);
    }
    return new MxHost(
        host, preference, implicit, List.copyOf(addresses), dnssec, String.join("; ", notes));
  }

  /**
   * Queries {@code name}, following CNAMEs in the answer and, where the server did not follow them
   * itself, with further queries; at most {@value #MAX_CNAME_HOPS} aliases.
   */
  private Chase chase(String name, DnsType type) {
    String current = name;
    List<String> chain = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    seen.add(current);
    DnssecStatus dnssec = DnssecStatus.SECURE;
    while (true) {
      DnsAnswer answer = resolver.query(current, type);
      dnssec = weakest(dnssec, answer.dnssec());
      if (!answer.isNoError()) {
        return new Chase(answer, current, chain, List.of(), dnssec, null);
      }
      boolean followed = false;
      while (true) {
        @Nullable String target = cnameTarget(answer, current);
        if (target == null) {
          break;
        }
        if (!seen.add(target)) {
          return new Chase(
              answer,
              current,
              chain,
              List.of(),
              dnssec,
              "CNAME loop: " + current + " points back to " + target);
        }
        if (chain.size() >= MAX_CNAME_HOPS) {
          return new Chase(
              answer,
              current,
              chain,
              List.of(),
              dnssec,
              "CNAME chain from "
                  + name
                  + " longer than "
                  + MAX_CNAME_HOPS
                  + " aliases; not followed further");
        }
        chain.add(target);
        current = target;
        followed = true;
      }
      String owner = current;
      List<DnsRecord> records =
          answer.records(type).stream()
              .filter(r -> RecordData.canonical(r.name()).equals(owner))
              .toList();
      if (!records.isEmpty() || !followed) {
        return new Chase(answer, current, chain, records, dnssec, null);
      }
      // The server gave the alias but not what it points to (e.g. out of its zone): ask again.
    }
  }

  private static @Nullable String cnameTarget(DnsAnswer answer, String owner) {
    for (DnsRecord r : answer.records(DnsType.CNAME)) {
      if (RecordData.canonical(r.name()).equals(owner)) {
        return RecordData.canonical(r.target());
      }
    }
    return null;
  }

  private static @Nullable String aliasNote(String name, Chase c) {
    return c.chain.isEmpty()
        ? null
        : name + " is an alias (CNAME) for " + String.join(" -> ", c.chain);
  }

  private static String failure(DnsAnswer answer) {
    return answer.status().description() + " (" + answer.detail() + ")";
  }

  private static String join(@Nullable String first, String second) {
    return first == null ? second : second + "; " + first;
  }

  /** The end of a CNAME chase: the last answer, the name it was for, the records of the type. */
  private record Chase(
      DnsAnswer answer,
      String finalName,
      List<String> chain,
      List<DnsRecord> records,
      DnssecStatus dnssec,
      @Nullable String problem) {}

  /** The weaker of two statuses: bogus, then insecure, then indeterminate, then secure. */
  static DnssecStatus weakest(DnssecStatus a, DnssecStatus b) {
    return rank(a) >= rank(b) ? a : b;
  }

  private static int rank(DnssecStatus s) {
    return switch (s) {
      case SECURE -> 0;
      case INDETERMINATE -> 1;
      case INSECURE -> 2;
      case BOGUS -> 3;
    };
  }

  /** Builds an {@link MxResolver}. Not thread-safe. */
  public static final class Builder {
    private @Nullable DnsResolver resolver;

    private Builder() {}

    /**
     * The resolver every query goes through. Required.
     *
     * @param resolver the resolver
     * @return this builder
     */
    public Builder resolver(DnsResolver resolver) {
      this.resolver = requireNonNull(resolver, "resolver");
      return this;
    }

    /**
     * {@return the MX resolver}
     *
     * @throws IllegalStateException if no resolver was given
     */
    public MxResolver build() {
      DnsResolver r = resolver;
      if (r == null) {
        throw new IllegalStateException("a DnsResolver is required");
      }
      return new MxResolver(r);
    }
  }
}
