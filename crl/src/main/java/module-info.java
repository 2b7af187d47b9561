/**
 * smtptls crl: where a certificate says its revocation status lives (RFC 5280 CRL distribution
 * points, Freshest CRL, Authority Information Access), the base of the CRL and OCSP checks that
 * plug into core's revocation SPI.
 *
 * <p>Bouncy Castle parses the extensions; public signatures use JDK types only.
 */
module dev.smtptls.crl {
  requires transitive dev.smtptls.core;
  requires static transitive org.jspecify;
  requires org.bouncycastle.provider;
  requires org.bouncycastle.pkix;
  requires java.net.http;
  requires java.naming;

  exports dev.smtptls.crl;

  provides dev.smtptls.spi.RevocationChecker with dev.smtptls.crl.CrlRevocationChecker;
}
