package dev.smtptls.dns;

import static java.util.Objects.requireNonNull;

import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import java.util.List;

/**
 * The TLSA records of one MX host and whether DANE applies to it, from {@link
 * DaneChecker#lookup(String, int)}.
 *
 * @param host the MX host name, lower case, without the trailing dot
 * @param tlsaName the name whose TLSA records were used, e.g. {@code "_25._tcp.mx.example.org"}: the
 *     TLSA base domain is the host, or the name its CNAME expands to (RFC 7672 §2.2.2)
 * @param dnssec what DNSSEC says about the TLSA answer (or about the host's address answers, when
 *     those decided the status)
 * @param records the TLSA records found, usable or not, in answer order
 * @param status {@link DaneStatus#MATCH} when usable, secure records are present (DANE applies; a
 *     chain is awaited), otherwise why DANE does not apply: {@link DaneStatus#NO_RECORDS}, {@link
 *     DaneStatus#INSECURE}, {@link DaneStatus#BOGUS} or {@link DaneStatus#UNUSABLE}
 * @param detail what was found, in words, with the validator's reason for a bogus answer
 */
public record DaneLookup(
    String host,
    String tlsaName,
    DnssecStatus dnssec,
    List<TlsaRecord> records,
    DaneStatus status,
    String detail) {

  /**
   * Copies the records and checks the status.
   *
   * @throws IllegalArgumentException if the status is {@link DaneStatus#MISMATCH} (a lookup cannot
   *     mismatch; see {@link DaneMatch}), or {@link DaneStatus#MATCH} without a usable record
   */
  public DaneLookup {
    requireNonNull(host, "host");
    requireNonNull(tlsaName, "tlsaName");
    requireNonNull(dnssec, "dnssec");
    records = List.copyOf(records);
    requireNonNull(status, "status");
    requireNonNull(detail, "detail");
    if (status == DaneStatus.MISMATCH) {
      throw new IllegalArgumentException("a lookup is never MISMATCH; a DaneMatch is");
    }
    if (status == DaneStatus.MATCH && records.stream().noneMatch(TlsaRecord::usableForSmtp)) {
      throw new IllegalArgumentException("MATCH needs a record usable for SMTP");
    }
  }

  /** {@return whether DANE applies: secure TLSA records, at least one usable for SMTP} */
  public boolean usable() {
    return status == DaneStatus.MATCH;
  }

  /** {@return the records an SMTP client may use (RFC 7672 §3.1)} */
  public List<TlsaRecord> usableRecords() {
    return records.stream().filter(TlsaRecord::usableForSmtp).toList();
  }

  /**
   * {@return the TLSA base domain: {@link #tlsaName()} without its {@code _port._tcp.} prefix}
   */
  public String baseDomain() {
    String[] labels = tlsaName.split("\\.", 3);
    return labels.length == 3 && labels[0].startsWith("_") && labels[1].equals("_tcp")
        ? labels[2]
        : tlsaName;
  }

  /**
   * {@return whether the TLSA lookup itself failed (timeout, SERVFAIL that is not a DNSSEC failure,
   * unreachable server)} Such a lookup reads {@link DaneStatus#INSECURE} with {@link
   * DnssecStatus#INDETERMINATE} (the contract's statuses), but unlike a provably insecure one it
   * does not let DANE senders fall back to unauthenticated TLS: RFC 7672 §2.2 has them defer.
   */
  public boolean lookupFailed() {
    return status == DaneStatus.INSECURE && dnssec == DnssecStatus.INDETERMINATE;
  }

  /**
   * {@return the findings of the lookup} {@code DANE_TLSA_LOOKUP_FAILED} (ERROR) when the lookup
   * failed ({@link #lookupFailed()}), {@code DANE_INSECURE} (INFO) when DANE does not apply for
   * want of DNSSEC, {@code DANE_DNSSEC_BOGUS} (ERROR) when validation failed, {@code
   * DANE_TLSA_UNUSABLE} (WARNING) when no record is usable; none for {@link DaneStatus#MATCH} and
   * {@link DaneStatus#NO_RECORDS}. Evidence: {@code host}, {@code name}, and {@code reason} or
   * {@code records}.
   */
  public List<Finding> findings() {
    if (lookupFailed()) {
      return List.of(
          Finding.of(
              FindingCode.DANE_TLSA_LOOKUP_FAILED,
              "The TLSA lookup of " + tlsaName + " failed: DANE senders treat " + host
                  + " as unusable and defer mail to it (RFC 7672 §2.2)",
              "host",
              host,
              "name",
              tlsaName,
              "reason",
              detail));
    }
    return switch (status) {
      case INSECURE -> List.of(
          Finding.of(
              FindingCode.DANE_INSECURE,
              "DANE does not apply to " + host + ": " + detail,
              "host",
              host,
              "name",
              tlsaName,
              "reason",
              detail));
      case BOGUS -> List.of(
          Finding.of(
              FindingCode.DANE_DNSSEC_BOGUS,
              "DNSSEC validation failed for " + tlsaName + ": DANE senders defer mail to " + host,
              "host",
              host,
              "name",
              tlsaName,
              "reason",
              detail));
      case UNUSABLE -> List.of(
          Finding.of(
              FindingCode.DANE_TLSA_UNUSABLE,
              "None of the TLSA records at "
                  + tlsaName
                  + " is usable for SMTP (RFC 7672 §3.1: DANE-TA(2) or DANE-EE(3) only)",
              "host",
              host,
              "name",
              tlsaName,
              "records",
              records.stream().map(TlsaRecord::presentation).toList()));
      case MATCH, MISMATCH, NO_RECORDS -> List.of();
    };
  }
}
