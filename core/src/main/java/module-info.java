/**
 * smtptls core: the STARTTLS probe ({@link dev.smtptls.inspect.SmtpTlsInspector}), the SMTP
 * value types, findings, certificate summaries, DNS lookups and MX resolution ({@link
 * dev.smtptls.dns.MxResolver}) and the service-provider interfaces.
 *
 * <p>The SMTP engine in {@code dev.smtptls.internal.smtp} is exported only to the testkit, whose
 * {@code MockSmtpServer} speaks through the same reply parser and line reader as the probe.
 */
module dev.smtptls.core {
  requires static transitive org.jspecify;
  requires jdk.net;
  requires java.net.http;
  requires org.bouncycastle.provider;
  requires org.dnsjava;

  exports dev.smtptls.finding;
  exports dev.smtptls.smtp;
  exports dev.smtptls.inspect;
  exports dev.smtptls.cert;
  exports dev.smtptls.spi;
  exports dev.smtptls.dns;
  exports dev.smtptls.domain;
  exports dev.smtptls.sink;
  exports dev.smtptls.internal.smtp to dev.smtptls.testkit;
  exports dev.smtptls.internal.tls to dev.smtptls.testkit;
  exports dev.smtptls.internal.http to dev.smtptls.crl;
  exports dev.smtptls.internal.cert to dev.smtptls.connector;

  exports dev.smtptls.trust;
  exports dev.smtptls.tls;

  uses dev.smtptls.spi.Transport;
  uses dev.smtptls.spi.RevocationChecker;
  uses dev.smtptls.spi.DnsResolver;
}
