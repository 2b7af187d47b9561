/**
 * {@code MockDnsServer}: a real, authoritative DNS server on 127.0.0.1, port 0, over UDP and TCP
 * on the same port, serving zones written in code (MX, A, AAAA, TXT, CNAME, TLSA), with faults
 * per name ({@link dev.smtptls.testkit.dns.Rcode}, dropped queries) and truncation over UDP, for
 * DNS tests: yours and ours. No DNSSEC.
 */
@NullMarked
package dev.smtptls.testkit.dns;

import org.jspecify.annotations.NullMarked;
