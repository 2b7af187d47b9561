package dev.smtptls.crl.internal;

import java.math.BigInteger;
import java.security.cert.CRLReason;
import java.time.Instant;
import javax.security.auth.x500.X500Principal;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a CRL's {@code revokedCertificates} list (RFC 5280 §5.1.2.6).
 *
 * @param serial the revoked certificate's serial number
 * @param revokedAt the entry's {@code revocationDate}
 * @param reason the {@code reasonCode} entry extension (§5.3.1), or null when absent
 * @param certificateIssuer the issuer of the revoked certificate: the CRL issuer, or for an
 *     indirect CRL the name the {@code certificateIssuer} entry extension (§5.3.3) gave to this
 *     or an earlier entry
 */
public record RevokedEntry(
    BigInteger serial, Instant revokedAt, @Nullable CRLReason reason, X500Principal certificateIssuer) {}
