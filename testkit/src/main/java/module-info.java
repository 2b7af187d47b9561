/**
 * smtptls testkit: test doubles for your own tests and ours. {@code MockSmtpServer} is a
 * scriptable STARTTLS server on loopback; {@code TestPki} makes certificate authorities,
 * intermediates, leaves and CRLs at test time.
 */
module dev.smtptls.testkit {
  requires transitive dev.smtptls.core;
  requires static transitive org.jspecify;
  requires org.bouncycastle.provider;
  requires org.bouncycastle.pkix;
  requires static org.junit.jupiter.api;
  requires jdk.httpserver;

  exports dev.smtptls.testkit.pki;
  exports dev.smtptls.testkit.smtp;
  exports dev.smtptls.testkit.crl;
  exports dev.smtptls.testkit.ocsp;
}
