package dev.smtptls.spi;

import dev.smtptls.dns.DnsAnswer;
import dev.smtptls.dns.DnsType;

/**
 * How the library asks DNS. Every name the library looks up goes through the one configured
 * resolver; the shipped ones are in {@link dev.smtptls.dns.DnsResolvers}. Implementations are found
 * with {@link java.util.ServiceLoader} when a builder is not given one explicitly.
 *
 * <p>Implementations must be thread-safe and must bound every query in time.
 */
@FunctionalInterface
public interface DnsResolver {

  /**
   * Asks for the records of {@code type} at {@code name} (class IN).
   *
   * <p>Never throws for a remote failure: a timeout, an unreachable server or an error response is
   * an answer with that {@link dev.smtptls.dns.DnsStatus} and a detail in words.
   *
   * @param name an absolute domain name; the trailing dot is optional
   * @param type the record type
   * @return the answer, never null
   */
  DnsAnswer query(String name, DnsType type);
}
