/** {@code CrlServer}: a real HTTP server on 127.0.0.1, port 0, serving CRLs with faults, for revocation tests. */
@NullMarked
package dev.smtptls.testkit.crl;

import org.jspecify.annotations.NullMarked;
