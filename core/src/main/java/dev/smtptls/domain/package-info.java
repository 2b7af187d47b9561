/**
 * Mail to a domain, checked whole: {@link dev.smtptls.domain.DomainInspector} resolves the MX hosts,
 * probes every address of every host with {@link dev.smtptls.inspect.SmtpTlsInspector}, and adds
 * the domain's MTA-STS policy, TLS-RPT record and each host's DANE records, into one {@link
 * dev.smtptls.domain.DomainReport}.
 */
@NullMarked
package dev.smtptls.domain;

import org.jspecify.annotations.NullMarked;
