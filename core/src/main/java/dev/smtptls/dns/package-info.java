/**
 * Domain-level DNS: the value types every {@link dev.smtptls.spi.DnsResolver} answers with ({@link
 * dev.smtptls.dns.DnsAnswer}, {@link dev.smtptls.dns.DnsRecord}), the resolvers the library ships
 * ({@link dev.smtptls.dns.DnsResolvers}) and the MX resolution of a mail domain ({@link
 * dev.smtptls.dns.MxResolver}).
 *
 * <p>One resolver: every name the library looks up goes through the configured {@code DnsResolver};
 * nothing here asks the JDK's system resolver or dnsjava's global default.
 */
@NullMarked
package dev.smtptls.dns;

import org.jspecify.annotations.NullMarked;
