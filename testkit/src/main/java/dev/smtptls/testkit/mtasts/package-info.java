/**
 * {@code MtaStsPolicyServer}: a real HTTPS server on loopback, port 0, serving an MTA-STS policy
 * with a {@code TestPki} certificate, scripted with {@code PolicyResponse} (status, body,
 * Content-Type, framing, redirects, oversize bodies and stalls), recording every request with its
 * {@code Host} header and SNI name.
 */
@NullMarked
package dev.smtptls.testkit.mtasts;

import org.jspecify.annotations.NullMarked;
