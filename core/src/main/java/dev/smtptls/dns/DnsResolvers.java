package dev.smtptls.dns;

import static java.util.Objects.requireNonNull;

import dev.smtptls.internal.dns.DnsjavaResolver;
import dev.smtptls.spi.DnsResolver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.xbill.DNS.ResolverConfig;

/** The {@link DnsResolver}s the library ships, all backed by dnsjava. */
public final class DnsResolvers {

  /** The timeout of {@link #system()}: 5 seconds per query. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private DnsResolvers() {}

  /**
   * {@return a resolver asking one server} Queries go over UDP with EDNS0 (1232-byte payload) and
   * are retried over TCP when the answer is truncated. Each call makes its own resolver; dnsjava's
   * global default resolver is never used or changed.
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
    List<InetSocketAddress> servers = new ResolverConfig().servers();
    if (servers.isEmpty()) {
      throw new IllegalStateException("the system configures no DNS server");
    }
    return new DnsjavaResolver(servers.get(0), timeout);
  }
}
