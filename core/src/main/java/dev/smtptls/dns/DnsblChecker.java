package dev.smtptls.dns;

import static java.util.Objects.requireNonNull;

import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.internal.dns.RecordData;
import dev.smtptls.spi.DnsResolver;
import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Looks an address up in DNS block lists (RFC 5782).
 *
 * <ul>
 *   <li>The query name is the address reversed under the zone: for IPv4 the four octets in reverse
 *       order ({@code 192.0.2.1} in {@code bl.example} is {@code 1.2.0.192.bl.example}); for IPv6
 *       the 32 nibbles of the address in reverse order, in lower-case hex;
 *   <li>an A answer in {@code 127.0.0.0/8} means listed, and the answers are the list's codes; the
 *       TXT record at the same name is then read for the reason;
 *   <li>NXDOMAIN, or no A record (NODATA), means not listed;
 *   <li>a DNS failure (SERVFAIL, REFUSED, a timeout, ...) is an {@link DnsblLookup#ERROR}, as is an
 *       answer outside {@code 127.0.0.0/8} or in {@code 127.255.255.0/24}, which lists such as
 *       Spamhaus use to refuse a query ({@code 127.255.255.252} to {@code .255}): neither is a
 *       listing.
 * </ul>
 *
 * <p>Codes are decoded into words where the list documents them; see {@link #meaning}. Zones are
 * asked one after the other, in the order given. Immutable and thread-safe when its resolver is.
 */
public final class DnsblChecker {

  /**
   * The zones asked when none are given: Spamhaus ZEN ({@code zen.spamhaus.org}), Barracuda
   * ({@code b.barracudacentral.org}) and SpamCop ({@code bl.spamcop.net}). Spamhaus refuses
   * queries that arrive through large public resolvers (answering {@code 127.255.255.254}), and
   * Barracuda asks for registration; use a resolver of your own.
   */
  public static final List<String> DEFAULT_ZONES =
      List.of("zen.spamhaus.org", "b.barracudacentral.org", "bl.spamcop.net");

  /**
   * Spamhaus ZEN return codes, from Spamhaus' "ZEN return codes" page (DNSBL usage: "Return codes
   * of zen.spamhaus.org"). They also hold for the SBL, XBL and PBL zones under spamhaus.org.
   */
  private static final Map<String, String> SPAMHAUS_CODES =
      Map.ofEntries(
          Map.entry("127.0.0.2", "SBL, Spamhaus SBL data: a known spam source"),
          Map.entry("127.0.0.3", "SBL CSS, Spamhaus CSS: a low-reputation sending address"),
          Map.entry("127.0.0.4", "XBL, exploits: a compromised or infected host"),
          Map.entry("127.0.0.5", "XBL, exploits: a compromised or infected host"),
          Map.entry("127.0.0.6", "XBL, exploits: a compromised or infected host"),
          Map.entry("127.0.0.7", "XBL, exploits: a compromised or infected host"),
          Map.entry("127.0.0.9", "DROP, Spamhaus DROP/EDROP: a hijacked or spammer-run network"),
          Map.entry("127.0.0.10", "PBL, ISP maintained: an address that should not send mail directly"),
          Map.entry(
              "127.0.0.11", "PBL, Spamhaus maintained: an address that should not send mail directly"));

  /** Spamhaus' codes for a refused query, from the same page. */
  private static final Map<String, String> REFUSED_CODES =
      Map.of(
          "127.255.255.252", "query refused: a typing error in the block list's name",
          "127.255.255.254", "query refused: sent through a public or open resolver",
          "127.255.255.255", "query refused: too many queries");

  private final DnsResolver resolver;
  private final List<String> zones;

  private DnsblChecker(DnsResolver resolver, List<String> zones) {
    this.resolver = resolver;
    this.zones = zones;
  }

  /** {@return a builder; a resolver must be given} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the zones asked, in order, without trailing dots} */
  public List<String> zones() {
    return zones;
  }

  /**
   * Looks {@code address} up in every configured zone.
   *
   * @param address an IPv4 or IPv6 address
   * @return one lookup per zone and a {@link FindingCode#DNSBL_LISTED} finding per listing; never
   *     throws for a DNS failure
   */
  public DnsblReport check(InetAddress address) {
    requireNonNull(address, "address");
    String reversed = reversed(address);
    String shown = IpAddresses.text(address);
    List<DnsblLookup> lookups = new ArrayList<>();
    List<Finding> findings = new ArrayList<>();
    for (String zone : zones) {
      DnsblLookup lookup = lookup(reversed + "." + zone, zone);
      lookups.add(lookup);
      if (Boolean.TRUE.equals(lookup.listed())) {
        findings.add(finding(shown, lookup));
      }
    }
    boolean listed = lookups.stream().anyMatch(l -> Boolean.TRUE.equals(l.listed()));
    return new DnsblReport(address, listed, lookups, findings);
  }

  /**
   * The meaning of a list's return code, where the list documents it. Only Spamhaus' codes are
   * known (zones under {@code spamhaus.org}).
   *
   * @param zone the zone, e.g. {@code "zen.spamhaus.org"}
   * @param code the A answer, e.g. {@code "127.0.0.4"}
   * @return the meaning in words, e.g. {@code "XBL, exploits: ..."}, or {@code null} if unknown
   */
  public static @Nullable String meaning(String zone, String code) {
    String z = RecordData.canonical(zone);
    if (z.equals("spamhaus.org") || z.endsWith(".spamhaus.org")) {
      String m = SPAMHAUS_CODES.get(code);
      return m != null ? m : REFUSED_CODES.get(code);
    }
    return null;
  }

  /**
   * The RFC 5782 query label sequence for an address, without a zone.
   *
   * @param address an IPv4 or IPv6 address
   * @return e.g. {@code "1.2.0.192"} for {@code 192.0.2.1}, 32 dot-separated nibbles for IPv6
   */
  public static String reversed(InetAddress address) {
    byte[] b = address.getAddress();
    StringBuilder sb = new StringBuilder();
    if (address instanceof Inet4Address) {
      for (int i = b.length - 1; i >= 0; i--) {
        sb.append(b[i] & 0xFF);
        if (i > 0) {
          sb.append('.');
        }
      }
    } else {
      for (int i = b.length - 1; i >= 0; i--) {
        sb.append(Character.forDigit(b[i] & 0x0F, 16)).append('.');
        sb.append(Character.forDigit((b[i] >> 4) & 0x0F, 16));
        if (i > 0) {
          sb.append('.');
        }
      }
    }
    return sb.toString();
  }

  private DnsblLookup lookup(String query, String zone) {
    DnsAnswer a = resolver.query(query, DnsType.A);
    if (a.status() == DnsStatus.NXDOMAIN) {
      return new DnsblLookup(zone, query, false, List.of(), null, DnsblLookup.NOT_LISTED);
    }
    if (!a.isNoError()) {
      return error(zone, query, List.of(), a.status().description() + " (" + a.detail() + ")");
    }
    List<String> codes = new ArrayList<>(new LinkedHashSet<>(a.records(DnsType.A).stream()
        .map(r -> r.address().getHostAddress()).toList()));
    if (codes.isEmpty()) {
      return new DnsblLookup(zone, query, false, List.of(), null, DnsblLookup.NOT_LISTED);
    }
    for (String code : codes) {
      if (!code.startsWith("127.")) {
        return error(zone, query, codes,
            "the answer " + code + " is outside 127.0.0.0/8, so it is not a listing (RFC 5782)");
      }
      if (code.startsWith("127.255.255.")) {
        String words = REFUSED_CODES.getOrDefault(code, "query refused by the list");
        return error(zone, query, codes, words + " (" + code + "), not a listing");
      }
    }
    return new DnsblLookup(zone, query, true, codes, txtReason(query), DnsblLookup.LISTED);
  }

  private static DnsblLookup error(String zone, String query, List<String> codes, String why) {
    return new DnsblLookup(zone, query, null, codes, why, DnsblLookup.ERROR);
  }

  private @Nullable String txtReason(String query) {
    DnsAnswer t = resolver.query(query, DnsType.TXT);
    if (!t.isNoError()) {
      return null;
    }
    List<String> texts = new ArrayList<>();
    for (DnsRecord r : t.records(DnsType.TXT)) {
      String s = unquote(r.data());
      if (!s.isBlank()) {
        texts.add(s);
      }
    }
    return texts.isEmpty() ? null : String.join("; ", texts);
  }

  /**
   * The strings of a TXT record in presentation form ({@code "a" "b"}, with backslash escapes),
   * joined as one text; data without quotes is taken as is.
   */
  static String unquote(String data) {
    String d = data.trim();
    if (!d.startsWith("\"")) {
      return d;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean inString = false;
    for (int i = 0; i < d.length(); i++) {
      char c = d.charAt(i);
      if (c == '"') {
        inString = !inString;
      } else if (!inString) {
        continue; // whitespace between strings
      } else if (c == '\\' && i + 1 < d.length()) {
        char n = d.charAt(i + 1);
        if (Character.isDigit(n) && i + 3 < d.length()
            && Character.isDigit(d.charAt(i + 2)) && Character.isDigit(d.charAt(i + 3))) {
          out.write(Integer.parseInt(d.substring(i + 1, i + 4)) & 0xFF);
          i += 3;
        } else {
          out.write(n);
          i++;
        }
      } else {
        byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static Finding finding(String address, DnsblLookup l) {
    List<String> described = new ArrayList<>();
    for (String code : l.codes()) {
      String m = meaning(l.zone(), code);
      described.add(m == null ? code : code + " " + m);
    }
    String message = address + " is listed on " + l.zone() + " (" + String.join("; ", described)
        + ")" + (l.reason() == null ? "" : ": " + l.reason());
    List<Object> evidence = new ArrayList<>(List.of(
        "zone", l.zone(), "address", address, "codes", l.codes()));
    if (l.reason() != null) {
      evidence.add("reason");
      evidence.add(l.reason());
    }
    return Finding.of(FindingCode.DNSBL_LISTED, message, evidence.toArray());
  }

  /** Builds a {@link DnsblChecker}. Not thread-safe. */
  public static final class Builder {
    private @Nullable DnsResolver resolver;
    private List<String> zones = DEFAULT_ZONES;

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
     * The zones to ask, in order; {@link #DEFAULT_ZONES} unless given.
     *
     * @param zones zone names; a trailing dot is allowed; duplicates are asked once
     * @return this builder
     * @throws IllegalArgumentException if none is given, or one is empty or not a domain name
     */
    public Builder zones(String... zones) {
      return zones(List.of(zones));
    }

    /**
     * The zones to ask, in order; {@link #DEFAULT_ZONES} unless given.
     *
     * @param zones zone names; a trailing dot is allowed; duplicates are asked once
     * @return this builder
     * @throws IllegalArgumentException if none is given, or one is empty or not a domain name
     */
    public Builder zones(List<String> zones) {
      LinkedHashSet<String> clean = new LinkedHashSet<>();
      for (String z : zones) {
        String c = RecordData.canonical(requireNonNull(z, "zone"));
        if (c.isEmpty() || c.equals(".") || c.startsWith(".") || c.contains("..")
            || c.chars().anyMatch(ch -> ch <= ' ' || ch >= 0x7F)) {
          throw new IllegalArgumentException("not a zone name: \"" + z + "\"");
        }
        clean.add(c.toLowerCase(Locale.ROOT));
      }
      if (clean.isEmpty()) {
        throw new IllegalArgumentException("no zones given");
      }
      this.zones = List.copyOf(clean);
      return this;
    }

    /**
     * {@return the checker}
     *
     * @throws IllegalStateException if no resolver was given
     */
    public DnsblChecker build() {
      if (resolver == null) {
        throw new IllegalStateException("a resolver is required");
      }
      return new DnsblChecker(resolver, zones);
    }
  }
}
