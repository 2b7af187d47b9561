/** The dnsjava-backed {@link dev.smtptls.spi.DnsResolver}. Not API. */
@NullMarked
package dev.smtptls.internal.dns;

import org.jspecify.annotations.NullMarked;
