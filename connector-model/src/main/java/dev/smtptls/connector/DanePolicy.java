package dev.smtptls.connector;

import static java.util.Objects.requireNonNull;

import dev.smtptls.connector.PolicyVerdict.Outcome;
import dev.smtptls.dns.DaneChecker;
import dev.smtptls.dns.DaneLookup;
import dev.smtptls.dns.DaneMatch;
import dev.smtptls.dns.DaneStatus;
import dev.smtptls.dns.DnssecStatus;
import dev.smtptls.dns.TlsaRecord;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.StartTlsOutcome;
import dev.smtptls.spi.DnsResolver;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A DANE sender (RFC 7672) with the receiving host's TLSA records given as values: what Postfix
 * with {@code smtp_tls_security_level = dane} or Exchange Online with SMTP DANE does, judged with
 * core's {@link DaneChecker#match(DaneLookup, List)}.
 *
 * <p>The records stand for a DNSSEC-secure answer at {@code _port._tcp.<host>} (host: {@link
 * #host()}, or the probed host). {@link #evaluate(InspectionReport)}:
 *
 * <ul>
 *   <li>usable records (DANE-TA(2) or DANE-EE(3), RFC 7672 §3.1): TLS is required and the chain
 *       must match one; a match is {@code DELIVERED_TLS}; a mismatch, or no TLS, is {@code QUEUED}
 *       (Postfix: deferred) with {@code DANE_TLSA_MISMATCH} and the "3 1 1" record of the presented
 *       key to publish;
 *   <li>no records: DANE does not apply, delivery is opportunistic (RFC 7672 §2.2), as {@link
 *       OpportunisticPolicy};
 *   <li>records, none usable: TLS without authentication is required (RFC 7672 §2.2, §3.1); no TLS
 *       is {@code QUEUED}.
 * </ul>
 *
 * <p>RFC 7672 defines no status text, and each product logs its own, so {@code smtpResponse} is
 * null except where {@link OpportunisticPolicy} quotes the server (see {@link PostfixClientPolicy}
 * for Postfix's texts).
 *
 * @param records the TLSA records, in the order given
 * @param host the TLSA base domain (the MX host name), or null for the probed host
 */
public record DanePolicy(List<TlsaRecord> records, @Nullable String host) implements ConnectorPolicy {

  /** The CLI kind ({@code CONTRACT.md}). */
  public static final String KIND = "dane";

  /**
   * The keys of {@link #fromParameters(Map)}: {@code tlsa}, the records in presentation form
   * ({@code usage selector matching-type hex}), several separated by {@code ;}; {@code host}, the
   * TLSA base domain.
   */
  public static final List<String> PARAMETERS = List.of("tlsa", "host");

  /** A resolver for checkers that only match: the records are given, nothing is looked up. */
  private static final DnsResolver NO_DNS = (name, type) -> {
    throw new IllegalStateException("DanePolicy looks nothing up: its TLSA records are given");
  };

  /**
   * Copies.
   *
   * @throws IllegalArgumentException if the host is blank
   */
  public DanePolicy {
    records = List.copyOf(records);
    if (host != null && host.isBlank()) {
      throw new IllegalArgumentException("host is blank");
    }
  }

  /** {@return a builder} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A policy from a lookup made by core's {@link DaneChecker#lookup(String, int)}: its host and
   * records. A lookup that is not secure (INSECURE) makes DANE not apply: use no records.
   *
   * @param lookup the lookup
   * @return the policy
   * @throws IllegalArgumentException if the lookup is BOGUS or failed ({@link
   *     DaneLookup#lookupFailed()}): senders defer, there is nothing to evaluate
   */
  public static DanePolicy of(DaneLookup lookup) {
    requireNonNull(lookup, "lookup");
    if (lookup.status() == DaneStatus.BOGUS) {
      throw new IllegalArgumentException("the TLSA lookup of " + lookup.host() + " is bogus: " + lookup.detail());
    }
    if (lookup.lookupFailed()) {
      throw new IllegalArgumentException("the TLSA lookup of " + lookup.host() + " failed, so DANE senders defer"
          + " (RFC 7672 §2.2): " + lookup.detail());
    }
    return new DanePolicy(lookup.status() == DaneStatus.INSECURE ? List.of() : lookup.records(), lookup.host());
  }

  /**
   * A policy from parameters {@code tlsa} and {@code host} (keys case-insensitive).
   *
   * @param parameters e.g. {@code tlsa=3 1 1 8f3a...;2 0 1 c0ff...}
   * @return the policy
   * @throws IllegalArgumentException for an unknown key or a malformed record
   */
  public static DanePolicy fromParameters(Map<String, String> parameters) {
    Map<String, String> p = PostfixParameters.normalise(parameters, PARAMETERS, true, KIND);
    Builder b = builder();
    String tlsa = p.getOrDefault("tlsa", "");
    for (String r : tlsa.split(";")) {
      if (!r.isBlank()) {
        b.tlsa(r);
      }
    }
    String h = p.get("host");
    if (h != null) {
      b.host(h.trim());
    }
    return b.build();
  }

  /** {@return the lookup the records amount to for a host} */
  DaneLookup lookup(String probedHost, int port) {
    String h = PostfixTls.canonical(host == null ? probedHost : host);
    String name = "_" + port + "._tcp." + h;
    long usable = records.stream().filter(TlsaRecord::usableForSmtp).count();
    DaneStatus status = records.isEmpty() ? DaneStatus.NO_RECORDS : usable == 0 ? DaneStatus.UNUSABLE : DaneStatus.MATCH;
    return new DaneLookup(h, name, DnssecStatus.SECURE, records, status,
        records.size() + " TLSA record(s) given for " + name + ", " + usable + " usable for SMTP");
  }

  @Override
  public PolicyVerdict evaluate(InspectionReport report) {
    requireNonNull(report, "report");
    PolicyVerdict base = Evaluation.evaluate(report, false, null);
    DaneLookup lookup = lookup(report.target().host(), report.target().port());
    if (lookup.status() == DaneStatus.NO_RECORDS || report.startTls() instanceof StartTlsOutcome.NotAttempted) {
      return base;
    }
    if (!PostfixTls.upgradedAsAdvertised(report)) {
      PolicyVerdict forced = Evaluation.evaluate(report, true, null);
      return PostfixTls.verdict(report, Outcome.QUEUED, null, PostfixTls.plus(forced.reasons(), lookup.findings()),
          List.of());
    }
    if (base.outcome() != Outcome.DELIVERED_TLS) {
      return base;
    }
    if (lookup.status() == DaneStatus.UNUSABLE) {
      return PostfixTls.verdict(report, Outcome.DELIVERED_TLS, null, PostfixTls.plus(base.reasons(), lookup.findings()),
          List.of());
    }
    PolicyVerdict mismatch = matchVerdict(report, lookup);
    return mismatch == null ? base : mismatch;
  }

  /**
   * Matches the report's chain against a usable lookup.
   *
   * @return null on a match; else the QUEUED verdict (text null) with the mismatch finding and the
   *     record to publish
   */
  static @Nullable PolicyVerdict matchVerdict(InspectionReport report, DaneLookup lookup) {
    DaneChecker checker = DaneChecker.builder().resolver(NO_DNS).build();
    List<X509Certificate> chain = report.peerChain();
    DaneMatch match = checker.match(lookup, chain);
    if (match.status() == DaneStatus.MATCH) {
      return null;
    }
    InetSocketAddress a = report.address();
    Finding f = a != null
        ? checker.mismatchFinding(lookup, a.getAddress(), match)
        : Finding.of(FindingCode.DANE_TLSA_MISMATCH, "The certificate of " + lookup.host()
            + " matches none of its TLSA records: " + match.detail(), "host", lookup.host(), "name", lookup.tlsaName());
    List<Remediation> fix = new ArrayList<>();
    if (!chain.isEmpty()) {
      fix.add(new Remediation("If the certificate the server presents now is the right one, publish a TLSA"
          + " record for its public key (DANE-EE, SPKI, SHA-256; RFC 7671 §5.1) in the DNSSEC-signed zone,"
          + " keep the old record until every cache has expired it, then remove it:",
          lookup.tlsaName() + ". IN TLSA 3 1 1 " + PostfixTls.spkiSha256(chain.get(0)).toLowerCase(Locale.ROOT)));
    }
    return PostfixTls.verdict(report, Outcome.QUEUED, null, List.of(f), fix);
  }

  /** Builds a {@link DanePolicy}. Not thread-safe. */
  public static final class Builder {
    private final List<TlsaRecord> records = new ArrayList<>();
    private @Nullable String host;

    private Builder() {}

    /**
     * Adds a record in presentation form, e.g. {@code 3 1 1 8f3a...}.
     *
     * @param presentation the record data
     * @return this builder
     * @throws IllegalArgumentException naming the text when it is not a TLSA record
     */
    public Builder tlsa(String presentation) {
      records.add(TlsaRecord.parse(presentation));
      return this;
    }

    /**
     * Adds a record.
     *
     * @param record the record
     * @return this builder
     */
    public Builder tlsa(TlsaRecord record) {
      records.add(requireNonNull(record, "record"));
      return this;
    }

    /**
     * The TLSA base domain (the MX host); default the probed host.
     *
     * @param name the host name
     * @return this builder
     */
    public Builder host(String name) {
      this.host = requireNonNull(name, "name");
      return this;
    }

    /** {@return the policy} */
    public DanePolicy build() {
      return new DanePolicy(records, host);
    }
  }
}
