package dev.smtptls.dns;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The answer to one DNS query.
 *
 * @param status how the query ended; records are only present for {@link DnsStatus#NOERROR}
 * @param records the answer section in the order received: the records of the type asked and any
 *     CNAME records the server followed to reach them; empty for NODATA and for failures
 * @param dnssec what DNSSEC says about the answer: {@link DnssecStatus#SECURE} only from a
 *     validating resolver ({@link DnsResolvers#validating}) or from the AD bit of a server a plain
 *     stub trusts ({@link DnsResolvers#dnsjava}); a bogus answer has status {@link
 *     DnsStatus#SERVFAIL} and {@link DnssecStatus#BOGUS}
 * @param detail what happened, in words, e.g. {@code "NOERROR from 192.0.2.53:53, 2 records"}
 */
public record DnsAnswer(
    DnsStatus status, List<DnsRecord> records, DnssecStatus dnssec, String detail) {

  /** Copies the records; see the class description. */
  public DnsAnswer {
    requireNonNull(status, "status");
    records = List.copyOf(records);
    requireNonNull(dnssec, "dnssec");
    requireNonNull(detail, "detail");
    if (status != DnsStatus.NOERROR && !records.isEmpty()) {
      throw new IllegalArgumentException("records with status " + status);
    }
  }

  /**
   * {@return an answer without records for a failed query, its DNSSEC status {@link
   * DnssecStatus#INDETERMINATE}}
   *
   * @param status how it failed (or {@link DnsStatus#NOERROR} for NODATA)
   * @param detail what happened, in words
   */
  public static DnsAnswer empty(DnsStatus status, String detail) {
    return new DnsAnswer(status, List.of(), DnssecStatus.INDETERMINATE, detail);
  }

  /**
   * {@return the records of {@code type}, in answer order}
   *
   * @param type the record type
   */
  public List<DnsRecord> records(DnsType type) {
    return records.stream().filter(r -> r.type() == type).toList();
  }

  /**
   * {@return whether the answer is DNSSEC-validated ({@link DnssecStatus#SECURE})} From a plain stub
   * this is the server's AD bit, only meaningful from a validating server the client trusts.
   */
  public boolean authenticated() {
    return dnssec == DnssecStatus.SECURE;
  }

  /** {@return whether the server answered without error (NOERROR, possibly with no records)} */
  public boolean isNoError() {
    return status == DnsStatus.NOERROR;
  }
}
