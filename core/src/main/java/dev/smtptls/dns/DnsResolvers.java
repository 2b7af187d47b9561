package dev.smtptls.dns;

import static java.util.Objects.requireNonNull;

import dev.smtptls.internal.dns.CachingResolver;
import dev.smtptls.internal.dns.DnsjavaResolver;
import dev.smtptls.internal.dns.ValidatingDnsjavaResolver;
import dev.smtptls.spi.DnsResolver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.xbill.DNS.ResolverConfig;

/**
 * The {@link DnsResolver}s the library ships, all backed by dnsjava.
 *
 * <p>Two kinds, as far as DNSSEC goes:
 *
 * <ul>
 *   <li>{@link #dnsjava} and {@link #system()} are stubs: they do not validate, and trust the
 *       server's AD bit, as Postfix trusts its local resolver's ({@code smtp_tls_security_level =
 *       dane} with {@code smtp_dns_support_level = dnssec}). An answer with the AD bit is {@link
 *       DnssecStatus#SECURE}, any other {@link DnssecStatus#INDETERMINATE}. Only use them for DANE
 *       with a validating server on a trusted path (on the same host).
 *   <li>{@link #validating} validates every answer itself from trust anchors, and tells {@link
 *       DnssecStatus#SECURE}, {@link DnssecStatus#INSECURE} and {@link DnssecStatus#BOGUS} apart,
 *       whatever server it asks (a recursive resolver, or an authoritative server in tests).
 * </ul>
 */
public final class DnsResolvers {

  /** The timeout of {@link #system()}: 5 seconds per query. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private DnsResolvers() {}

  /**
   * {@return a resolver asking one server} Queries go over UDP with EDNS0 (1232-byte payload) and
   * are retried over TCP when the answer is truncated. Each call makes its own resolver; dnsjava's
   * global default resolver is never used or changed. It does not validate DNSSEC: an answer whose
   * AD bit the server set is {@link DnssecStatus#SECURE}, any other {@link
   * DnssecStatus#INDETERMINATE}.
   *
   * @param server the server's resolved address and port, e.g. {@code new
   *     InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 53)}
   * @param timeout the longest one query may take, including a TCP retry
   * @throws IllegalArgumentException if the address is unresolved or the timeout not positive
   */
  public static DnsResolver dnsjava(InetSocketAddress server, Duration timeout) {
    return new DnsjavaResolver(server, timeout);
  }

  /**
   * {@return a resolver that validates DNSSEC itself} It asks {@code server} with the DO and CD bits
   * (so the server hands over signatures and does not hide bogus data), and validates every answer
   * with dnsjava's {@code ValidatingResolver} from {@code anchors}:
   *
   * <ul>
   *   <li>{@link DnssecStatus#SECURE}: the answer (records, NODATA or NXDOMAIN) is proven by a chain
   *       of signatures from an anchor;
   *   <li>{@link DnssecStatus#INSECURE}: provably unsigned (a signed parent proves there is no DS),
   *       or under no anchor; the records are still given;
   *   <li>{@link DnssecStatus#BOGUS}: validation failed; the answer is {@link DnsStatus#SERVFAIL}
   *       without records, and its detail carries the validator's reason (RFC 8914 Extended DNS
   *       Error, and dnsjava's reason text);
   *   <li>{@link DnssecStatus#INDETERMINATE}: the lookup failed before validation (timeout,
   *       unreachable server, or a SERVFAIL/REFUSED of the server itself).
   * </ul>
   *
   * <p>dnsjava's global default resolver is never used or changed. Validated keys are cached in the
   * returned resolver for their TTL. If the system property {@code
   * dnsjava.dnssec.trust_anchor_file} is set, dnsjava's validator loads that file's anchors too.
   *
   * @param server the server's resolved address and port; a recursive resolver, or the
   *     authoritative server of the zones asked about
   * @param timeout the longest one lookup may take, all the DS and DNSKEY queries the validator
   *     makes for it included
   * @param anchors where chains of trust start, e.g. {@link DnssecAnchors#root()}
   * @throws IllegalArgumentException if the address is unresolved or the timeout not positive
   */
  public static DnsResolver validating(
      InetSocketAddress server, Duration timeout, DnssecAnchors anchors) {
    return new ValidatingDnsjavaResolver(server, timeout, anchors);
  }

  /**
   * A bounded cache in front of {@code delegate}, for scans in which many domains share MX hosts
   * (their A, AAAA and TLSA lookups are then made once): answers with records are kept for their
   * smallest TTL, at most an hour; answers without records (NXDOMAIN, NODATA) for a minute;
   * failures (SERVFAIL, REFUSED, TIMEOUT, network errors) never. Concurrent queries for one name and
   * type wait for the one lookup in flight (at most a minute, then they ask themselves). Thread-safe. A DNSSEC status is kept with its answer:
   * wrap the validating resolver, not what it asks.
   *
   * @param delegate the resolver asked on a miss
   * @param maxEntries the most answers kept (the least recently used go first), at least 1
   * @return the caching resolver
   * @throws IllegalArgumentException if {@code maxEntries} is below 1
   */
  public static DnsResolver caching(DnsResolver delegate, int maxEntries) {
    return caching(delegate, maxEntries, Duration.ofHours(1), Duration.ofMinutes(1));
  }

  /**
   * A bounded cache in front of {@code delegate} with its own bounds; see {@link
   * #caching(DnsResolver, int)}.
   *
   * @param delegate the resolver asked on a miss
   * @param maxEntries the most answers kept, at least 1
   * @param maxTtl the longest an answer with records is kept (its records' smallest TTL if less),
   *     positive
   * @param negativeTtl how long an answer without records is kept; zero keeps none
   * @return the caching resolver
   * @throws IllegalArgumentException naming a bound out of range
   */
  public static DnsResolver caching(DnsResolver delegate, int maxEntries, Duration maxTtl, Duration negativeTtl) {
    requireNonNull(maxTtl, "maxTtl");
    requireNonNull(negativeTtl, "negativeTtl");
    return new CachingResolver(delegate, maxEntries, maxTtl, negativeTtl, System::nanoTime);
  }

  /**
   * {@return a resolver asking the system's first configured name server, with {@link
   * #DEFAULT_TIMEOUT}}
   *
   * @throws IllegalStateException if the system configures no name server
   */
  public static DnsResolver system() {
    return system(DEFAULT_TIMEOUT);
  }

  /**
   * {@return a resolver asking the system's first configured name server} The configuration ({@code
   * /etc/resolv.conf} and its platform equivalents) is read afresh with dnsjava's {@code
   * ResolverConfig}; its search path and dnsjava's global lookup state are not used.
   *
   * @param timeout the longest one query may take
   * @throws IllegalStateException if the system configures no name server
   */
  public static DnsResolver system(Duration timeout) {
    requireNonNull(timeout, "timeout");
    return new DnsjavaResolver(systemServer(), timeout);
  }

  /**
   * {@return the system's first configured name server} Read afresh from {@code /etc/resolv.conf}
   * (and its platform equivalents) with dnsjava's {@code ResolverConfig}; for building a {@link
   * #validating validating} resolver over the system's server, or for saying which server was asked.
   *
   * @throws IllegalStateException if the system configures no name server
   */
  public static InetSocketAddress systemServer() {
    List<InetSocketAddress> servers = new ResolverConfig().servers();
    if (servers.isEmpty()) {
      throw new IllegalStateException("the system configures no DNS server");
    }
    return servers.get(0);
  }
}
