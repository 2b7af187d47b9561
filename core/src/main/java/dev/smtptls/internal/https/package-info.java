/**
 * A small, bounded HTTPS GET for the MTA-STS policy fetch: it connects to addresses the caller
 * resolved through its {@code DnsResolver}, keeps the host name for SNI, the certificate check
 * and the {@code Host} header, and bounds every read. Not API.
 */
@NullMarked
package dev.smtptls.internal.https;

import org.jspecify.annotations.NullMarked;
