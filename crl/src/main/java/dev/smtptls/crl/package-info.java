/**
 * Revocation information of certificates: {@link dev.smtptls.crl.RevocationPoints} reads the CRL
 * distribution points (RFC 5280 §4.2.1.13), the Freshest CRL (§5.2.6) and the Authority
 * Information Access OCSP and caIssuers locations (§4.2.2.1) of a certificate.
 */
@NullMarked
package dev.smtptls.crl;

import org.jspecify.annotations.NullMarked;
