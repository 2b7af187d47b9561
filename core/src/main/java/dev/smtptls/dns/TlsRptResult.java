package dev.smtptls.dns;

import static java.util.Objects.requireNonNull;

import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.spi.DnsResolver;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A domain's TLS-RPT record (RFC 8460 §3), from {@link #lookup(DnsResolver, String)}.
 *
 * @param record the record, or null when there is none or it is malformed
 * @param status the verdict
 * @param findings {@code TLSRPT_RECORD_INVALID} (WARNING) for a malformed or ambiguous record
 */
public record TlsRptResult(@Nullable TlsRptRecord record, TlsRptStatus status, List<Finding> findings) {

  /** Checks and copies. */
  public TlsRptResult {
    requireNonNull(status, "status");
    findings = List.copyOf(findings);
    if ((status == TlsRptStatus.VALID) != (record != null)) {
      throw new IllegalArgumentException("a record goes with status VALID, and only with it");
    }
  }

  /**
   * Looks up the TXT records at {@code _smtp._tls.<domain>} and keeps those starting with {@code
   * v=TLSRPTv1} (the others are ignored). None: {@link TlsRptStatus#NONE}. One that parses:
   * {@link TlsRptStatus#VALID}. More than one, or one that does not parse: {@link
   * TlsRptStatus#INVALID} with {@code TLSRPT_RECORD_INVALID} (evidence {@code record}, {@code
   * reason}). A failed lookup (SERVFAIL, timeout) counts as no record, as senders treat it.
   *
   * @param resolver the resolver
   * @param domain the mail domain; a trailing dot is allowed
   * @return the result; never throws for what DNS does
   * @throws IllegalArgumentException if {@code domain} is not a domain name
   */
  public static TlsRptResult lookup(DnsResolver resolver, String domain) {
    requireNonNull(resolver, "resolver");
    requireNonNull(domain, "domain");
    String name = "_smtp._tls." + MtaStsText.domain(domain, "domain");
    DnsAnswer answer = resolver.query(name, DnsType.TXT);
    if (!answer.isNoError()) {
      return new TlsRptResult(null, TlsRptStatus.NONE, List.of());
    }
    List<String> texts = MtaStsText.txtStartingWith(answer.records(DnsType.TXT), TlsRptRecord.VERSION_FIELD);
    if (texts.isEmpty()) {
      return new TlsRptResult(null, TlsRptStatus.NONE, List.of());
    }
    if (texts.size() > 1) {
      String reason = texts.size() + " TXT records at " + name
          + " start with v=TLSRPTv1; RFC 8460 §3 requires exactly one, else senders send no reports";
      return new TlsRptResult(null, TlsRptStatus.INVALID, List.of(Finding.of(FindingCode.TLSRPT_RECORD_INVALID,
          "The TLS-RPT record of " + domain + " is ambiguous: " + reason + ".",
          "record", String.join(" | ", texts), "reason", reason)));
    }
    try {
      TlsRptRecord record = TlsRptRecord.parse(texts.get(0));
      return new TlsRptResult(record, TlsRptStatus.VALID, List.of());
    } catch (IllegalArgumentException e) {
      return new TlsRptResult(null, TlsRptStatus.INVALID, List.of(Finding.of(FindingCode.TLSRPT_RECORD_INVALID,
          "The TLS-RPT record at " + name + " is malformed (" + e.getMessage() + "): senders send no TLS reports.",
          "record", texts.get(0), "reason", String.valueOf(e.getMessage()))));
    }
  }
}
