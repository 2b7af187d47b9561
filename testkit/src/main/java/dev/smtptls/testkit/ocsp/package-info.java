/**
 * {@code OcspResponder}: a real OCSP responder (RFC 6960, HTTP as in Appendix A and RFC 5019) on
 * 127.0.0.1, port 0, signing with a {@code TestPki} issuer or a delegated responder certificate,
 * with faults, for revocation tests.
 */
@NullMarked
package dev.smtptls.testkit.ocsp;

import org.jspecify.annotations.NullMarked;
