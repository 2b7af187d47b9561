/**
 * smtptls testkit: test doubles for your own tests and ours. {@code MockSmtpServer} is a
 * scriptable STARTTLS server on loopback; {@code TestPki} makes certificate authorities,
 * intermediates, leaves and CRLs at test time; {@code MockDnsServer} is an authoritative DNS
 * server on loopback (UDP and TCP) with zones from code; {@code MtaStsPolicyServer} serves an MTA-STS
 * policy over HTTPS on loopback; {@code SmtpTlsSinkExtension} runs the core's {@code SmtpTlsSink}
 * as a receiver for tests of code that sends mail.
 */
module dev.smtptls.testkit {
  requires transitive dev.smtptls.core;
  requires static transitive org.jspecify;
  requires org.bouncycastle.provider;
  requires org.bouncycastle.pkix;
  requires static org.junit.jupiter.api;
  requires jdk.httpserver;
  requires org.dnsjava;

  exports dev.smtptls.testkit.pki;
  exports dev.smtptls.testkit.smtp;
  exports dev.smtptls.testkit.crl;
  exports dev.smtptls.testkit.ocsp;
  exports dev.smtptls.testkit.dns;
  exports dev.smtptls.testkit.mtasts;
  exports dev.smtptls.testkit.sink;
}
