package dev.smtptls.dns;

import static java.util.Objects.requireNonNull;

import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.internal.cert.NameMatcher;
import dev.smtptls.internal.dns.RecordData;
import dev.smtptls.spi.DnsResolver;
import java.io.IOException;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x509.Certificate;
import org.jspecify.annotations.Nullable;

/**
 * DANE for SMTP (RFC 7672): finds an MX host's TLSA records and matches the certificate chain the
 * host presents against them.
 *
 * <pre>{@code
 * DaneChecker dane = DaneChecker.builder()
 *     .resolver(DnsResolvers.validating(server, Duration.ofSeconds(5), DnssecAnchors.root()))
 *     .build();
 * DaneLookup lookup = dane.lookup("mx.example.org", 25);
 * if (lookup.usable()) {
 *   DaneMatch match = dane.match(lookup, report.peerChain());
 * }
 * }</pre>
 *
 * <p>Only a resolver that tells DNSSEC-secure answers apart ({@link DnsResolvers#validating}, or a
 * stub behind a trusted validating server) makes DANE apply; with any other, lookups are {@link
 * DaneStatus#INSECURE}. Immutable and thread-safe when its resolver is.
 */
public final class DaneChecker {

  /** The longest CNAME chain followed for the MX host. */
  public static final int MAX_CNAME_HOPS = 8;

  private final DnsResolver resolver;
  private final Clock clock;

  private DaneChecker(DnsResolver resolver, Clock clock) {
    this.resolver = resolver;
    this.clock = clock;
  }

  /** {@return a builder; a resolver must be given} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Finds the TLSA records of an MX host (RFC 7672 §2.2).
   *
   * <ol>
   *   <li>The host's address records are looked up first: bogus ones make the lookup {@link
   *       DaneStatus#BOGUS}, provably insecure ones {@link DaneStatus#INSECURE} (RFC 7672 §2.2.2:
   *       no TLSA lookup for a host whose addresses are not secure).
   *   <li>If the host is an alias (CNAME) and its addresses are secure, the TLSA records of the
   *       expanded name are asked first ({@code _25._tcp.<expanded>}), and those of the host's own
   *       name when the first yields none (RFC 7672 §2.2.2); {@link DaneLookup#tlsaName()} says
   *       which was used.
   *   <li>NXDOMAIN or NODATA: {@link DaneStatus#NO_RECORDS}, secure denial or not (the detail
   *       says); records that are not DNSSEC-secure: {@link DaneStatus#INSECURE}; secure records
   *       none of which is usable for SMTP: {@link DaneStatus#UNUSABLE}; otherwise {@link
   *       DaneStatus#MATCH}.
   * </ol>
   *
   * <p>A lookup that fails (timeout, SERVFAIL that is not a DNSSEC failure) is {@link
   * DaneStatus#INSECURE} with {@link DnssecStatus#INDETERMINATE}: DANE could not be checked; the
   * detail says why. Never throws for a DNS failure.
   *
   * @param mxHost the MX host name, e.g. {@code "mx.example.org"}; a trailing dot is allowed
   * @param port the SMTP port, 25 for MX delivery
   * @return the lookup
   * @throws IllegalArgumentException if the host is empty or the port outside 1 to 65535
   */
  public DaneLookup lookup(String mxHost, int port) {
    requireNonNull(mxHost, "mxHost");
    String host = RecordData.canonical(mxHost);
    if (host.isEmpty() || host.equals(".")) {
      throw new IllegalArgumentException("mxHost must not be empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range 1-65535: " + port);
    }
    String own = tlsaName(port, host);
    Expansion address = expand(host);
    if (address.dnssec == DnssecStatus.BOGUS) {
      return new DaneLookup(
          host,
          own,
          DnssecStatus.BOGUS,
          List.of(),
          DaneStatus.BOGUS,
          "the address records of " + host + " are bogus: " + address.detail);
    }
    if (address.dnssec == DnssecStatus.INSECURE) {
      return new DaneLookup(
          host,
          own,
          DnssecStatus.INSECURE,
          List.of(),
          DaneStatus.INSECURE,
          "the address records of "
              + host
              + " are not DNSSEC-signed, so DANE does not apply (RFC 7672 §2.2.2)");
    }
    List<String> notes = new ArrayList<>();
    if (!address.name.equals(host) && address.dnssec == DnssecStatus.SECURE) {
      String expanded = tlsaName(port, address.name);
      DnsAnswer first = resolver.query(expanded, DnsType.TLSA);
      if (!isDenial(first)) {
        return evaluate(host, expanded, first, "TLSA base domain " + address.name
            + " (" + host + " is an alias for it); ");
      }
      notes.add(expanded + " has no TLSA records (" + denial(first) + "), so " + own
          + " was asked (RFC 7672 §2.2.2); ");
    }
    DnsAnswer answer = resolver.query(own, DnsType.TLSA);
    return evaluate(host, own, answer, String.join("", notes));
  }

  private DaneLookup evaluate(String host, String name, DnsAnswer answer, String prefix) {
    if (answer.dnssec() == DnssecStatus.BOGUS) {
      return new DaneLookup(
          host, name, DnssecStatus.BOGUS, List.of(), DaneStatus.BOGUS, prefix + answer.detail());
    }
    if (isDenial(answer)) {
      return new DaneLookup(
          host,
          name,
          answer.dnssec(),
          List.of(),
          DaneStatus.NO_RECORDS,
          prefix + name + " has no TLSA records (" + denial(answer) + ")");
    }
    if (!answer.isNoError()) {
      return new DaneLookup(
          host,
          name,
          DnssecStatus.INDETERMINATE,
          List.of(),
          DaneStatus.INSECURE,
          prefix
              + "the TLSA lookup failed, so DANE could not be checked: "
              + answer.status().description()
              + " ("
              + answer.detail()
              + ")");
    }
    List<TlsaRecord> records = new ArrayList<>();
    int malformed = 0;
    for (DnsRecord r : answer.records(DnsType.TLSA)) {
      if (!RecordData.canonical(r.name()).equals(RecordData.canonical(name))) {
        continue;
      }
      try {
        records.add(TlsaRecord.parse(r.data()));
      } catch (IllegalArgumentException e) {
        malformed++;
      }
    }
    String counted =
        records.size()
            + " TLSA record(s) at "
            + name
            + (malformed > 0 ? ", " + malformed + " malformed" : "");
    if (answer.dnssec() != DnssecStatus.SECURE) {
      return new DaneLookup(
          host,
          name,
          answer.dnssec(),
          records,
          DaneStatus.INSECURE,
          prefix
              + counted
              + ", not DNSSEC-secure ("
              + answer.dnssec()
              + "), so DANE does not apply (RFC 7672 §2.2)");
    }
    long usable = records.stream().filter(TlsaRecord::usableForSmtp).count();
    if (usable == 0) {
      return new DaneLookup(
          host,
          name,
          DnssecStatus.SECURE,
          records,
          DaneStatus.UNUSABLE,
          prefix + counted + ", DNSSEC-secure, none usable for SMTP (RFC 7672 §3.1)");
    }
    return new DaneLookup(
        host,
        name,
        DnssecStatus.SECURE,
        records,
        DaneStatus.MATCH,
        prefix + counted + ", DNSSEC-secure, " + usable + " usable for SMTP");
  }

  /**
   * Matches a certificate chain against the usable records of a lookup (RFC 7672 §3.1, RFC 7671).
   *
   * <ul>
   *   <li>DANE-EE(3): the leaf certificate (selector 0: its DER; 1: its SubjectPublicKeyInfo),
   *       compared whole (matching type 0) or by SHA-256 (1) or SHA-512 (2) digest; the leaf's
   *       names and validity dates are ignored (RFC 7672 §3.1.1).
   *   <li>DANE-TA(2): a certificate of the chain other than the leaf matches; the leaf chains to it
   *       (each signature checked); the leaf's subjectAltName covers the TLSA base domain or the MX
   *       host name (RFC 7672 §3.2.2); and the leaf and the certificates between it and the trust
   *       anchor are within their validity at the clock's time. The trust anchor's own dates are
   *       not checked (RFC 7671 §5.2.2 leaves them to the domain).
   * </ul>
   *
   * @param lookup a lookup with {@link DaneLookup#usable()}
   * @param chain the chain the server presented, leaf first
   * @return MATCH with the first record matched, or MISMATCH with the reasons
   * @throws IllegalArgumentException if the lookup is not usable
   */
  public DaneMatch match(DaneLookup lookup, List<X509Certificate> chain) {
    requireNonNull(lookup, "lookup");
    requireNonNull(chain, "chain");
    if (!lookup.usable()) {
      throw new IllegalArgumentException(
          "DANE does not apply to " + lookup.host() + " (" + lookup.status() + ")");
    }
    if (chain.isEmpty()) {
      return new DaneMatch(DaneStatus.MISMATCH, null, "the server presented no certificate");
    }
    List<String> reasons = new ArrayList<>();
    for (TlsaRecord r : lookup.usableRecords()) {
      if (r.usage() == 3) {
        if (matches(r, chain.get(0))) {
          return new DaneMatch(
              DaneStatus.MATCH, r, "the leaf certificate matches " + r.describe());
        }
      } else {
        @Nullable String problem = null;
        for (int i = 1; i < chain.size(); i++) {
          if (!matches(r, chain.get(i))) {
            continue;
          }
          problem = trustAnchorProblem(lookup, chain, i);
          if (problem == null) {
            return new DaneMatch(
                DaneStatus.MATCH,
                r,
                "certificate "
                    + i
                    + " of the chain ("
                    + chain.get(i).getSubjectX500Principal().getName()
                    + ") matches "
                    + r.describe()
                    + ", and the leaf chains to it and names "
                    + lookup.baseDomain());
          }
          break;
        }
        if (problem != null) {
          reasons.add(r.describe() + " matches a certificate of the chain, but " + problem);
        }
      }
    }
    String detail =
        "no certificate of the chain matches any of "
            + lookup.usableRecords().size()
            + " usable TLSA record(s) at "
            + lookup.tlsaName()
            + (reasons.isEmpty() ? "" : "; " + String.join("; ", reasons));
    return new DaneMatch(DaneStatus.MISMATCH, null, detail);
  }

  /**
   * {@return a {@code DANE_TLSA_MISMATCH} finding for a chain that matched nothing} Evidence:
   * {@code host}, {@code address}, {@code name}.
   *
   * @param lookup the lookup the chain was matched against
   * @param address the address the chain was presented on
   * @param match the mismatch
   * @throws IllegalArgumentException if {@code match} is not a mismatch
   */
  public Finding mismatchFinding(DaneLookup lookup, InetAddress address, DaneMatch match) {
    requireNonNull(lookup, "lookup");
    requireNonNull(address, "address");
    requireNonNull(match, "match");
    if (match.status() != DaneStatus.MISMATCH) {
      throw new IllegalArgumentException("not a mismatch: " + match.status());
    }
    return Finding.of(
        FindingCode.DANE_TLSA_MISMATCH,
        "The certificate "
            + lookup.host()
            + " presents on "
            + IpAddresses.text(address)
            + " matches none of its TLSA records at "
            + lookup.tlsaName()
            + ": DANE senders will not deliver ("
            + match.detail()
            + ")",
        "host",
        lookup.host(),
        "address",
        IpAddresses.text(address),
        "name",
        lookup.tlsaName());
  }

  private @Nullable String trustAnchorProblem(
      DaneLookup lookup, List<X509Certificate> chain, int anchorIndex) {
    for (int k = 0; k < anchorIndex; k++) {
      try {
        chain.get(k).verify(chain.get(k + 1).getPublicKey());
      } catch (GeneralSecurityException | RuntimeException e) {
        return "certificate " + k + " is not signed by certificate " + (k + 1) + " (" + e + ")";
      }
    }
    X509Certificate leaf = chain.get(0);
    Set<String> names = new HashSet<>();
    names.add(lookup.baseDomain());
    names.add(lookup.host());
    boolean named = names.stream().anyMatch(n -> NameMatcher.match(leaf, n).matched());
    if (!named) {
      return "the leaf certificate names neither "
          + String.join(" nor ", new java.util.TreeSet<>(names))
          + " (RFC 7672 §3.2.2)";
    }
    Date now = Date.from(clock.instant());
    for (int k = 0; k < anchorIndex; k++) {
      try {
        chain.get(k).checkValidity(now);
      } catch (CertificateExpiredException e) {
        return "certificate " + k + " expired on " + chain.get(k).getNotAfter().toInstant();
      } catch (CertificateNotYetValidException e) {
        return "certificate " + k + " is not valid before "
            + chain.get(k).getNotBefore().toInstant();
      }
    }
    return null;
  }

  /** Whether {@code cert} is what {@code r} names, by its selector and matching type. */
  static boolean matches(TlsaRecord r, X509Certificate cert) {
    byte[] selected;
    try {
      selected =
          r.selector() == 0
              ? cert.getEncoded()
              : Certificate.getInstance(cert.getEncoded())
                  .getSubjectPublicKeyInfo()
                  .getEncoded("DER");
    } catch (CertificateEncodingException | IOException | IllegalArgumentException e) {
      return false;
    }
    byte[] expected = r.dataBytes();
    byte[] actual =
        switch (r.matchingType()) {
          case 0 -> selected;
          case 1 -> digest("SHA-256", selected);
          case 2 -> digest("SHA-512", selected);
          default -> new byte[0];
        };
    return actual.length > 0 && MessageDigest.isEqual(expected, actual);
  }

  private static byte[] digest(String algorithm, byte[] data) {
    try {
      return MessageDigest.getInstance(algorithm).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required of every Java platform", e);
    }
  }

  private static String tlsaName(int port, String base) {
    return "_" + port + "._tcp." + base;
  }

  private static boolean isDenial(DnsAnswer a) {
    return a.status() == DnsStatus.NXDOMAIN
        || (a.isNoError() && a.records(DnsType.TLSA).isEmpty());
  }

  private static String denial(DnsAnswer a) {
    String what = a.status() == DnsStatus.NXDOMAIN ? "NXDOMAIN" : "NODATA";
    return switch (a.dnssec()) {
      case SECURE -> what + ", securely denied";
      case INSECURE -> what + ", not DNSSEC-signed";
      default -> what + ", DNSSEC " + a.dnssec();
    };
  }

  /**
   * Follows the host's CNAMEs through its A (then AAAA) answers: the expanded name and the weakest
   * DNSSEC status met.
   */
  private Expansion expand(String host) {
    DnssecStatus weakest = DnssecStatus.SECURE;
    String current = host;
    List<String> details = new ArrayList<>();
    for (DnsType type : List.of(DnsType.A, DnsType.AAAA)) {
      String name = host;
      Set<String> seen = new HashSet<>();
      seen.add(name);
      for (int hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
        DnsAnswer a = resolver.query(name, type);
        weakest = MxResolver.weakest(weakest, a.dnssec());
        if (a.dnssec() == DnssecStatus.BOGUS || !a.isNoError()) {
          details.add(a.detail());
          break;
        }
        String next = follow(a, name);
        if (next == null || !seen.add(next)) {
          break;
        }
        name = next;
        if (!a.records(type).isEmpty()) {
          break;
        }
      }
      if (type == DnsType.A) {
        current = name;
      }
    }
    return new Expansion(current, weakest, String.join("; ", details));
  }

  /** The end of the CNAME chain within one answer starting at {@code owner}; null if none. */
  private static @Nullable String follow(DnsAnswer answer, String owner) {
    String current = owner;
    boolean moved = false;
    for (int i = 0; i <= MAX_CNAME_HOPS; i++) {
      @Nullable String target = null;
      for (DnsRecord r : answer.records(DnsType.CNAME)) {
        if (RecordData.canonical(r.name()).equals(current)) {
          target = RecordData.canonical(r.target());
          break;
        }
      }
      if (target == null || target.equals(current)) {
        break;
      }
      current = target;
      moved = true;
    }
    return moved ? current : null;
  }

  private record Expansion(String name, DnssecStatus dnssec, String detail) {}

  /** Builds a {@link DaneChecker}. Not thread-safe. */
  public static final class Builder {
    private @Nullable DnsResolver resolver;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * The resolver every query goes through; it must tell DNSSEC-secure answers apart for DANE to
     * apply (see {@link DnsResolvers#validating}). Required.
     *
     * @param resolver the resolver
     * @return this builder
     */
    public Builder resolver(DnsResolver resolver) {
      this.resolver = requireNonNull(resolver, "resolver");
      return this;
    }

    /**
     * The clock the validity of DANE-TA(2) chains is judged by. Default: the system's UTC clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * {@return the checker}
     *
     * @throws IllegalStateException if no resolver was given
     */
    public DaneChecker build() {
      DnsResolver r = resolver;
      if (r == null) {
        throw new IllegalStateException("a DnsResolver is required");
      }
      return new DaneChecker(r, clock);
    }
  }
}
