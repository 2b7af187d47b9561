package dev.smtptls.dns;

import static java.util.Objects.requireNonNull;

import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An SMTP TLS aggregate report (RFC 8460 §4): what a sending organisation saw of a receiving
 * domain's TLS over a period, per policy, ready to be sent to the {@code rua} of the domain's
 * {@link TlsRptRecord} as {@link #toJson()}.
 *
 * <pre>{@code
 * TlsRptReport.Policy.Builder sts = TlsRptReport.Policy.builder(TlsRptReport.PolicyType.STS, "example.com")
 *     .from(mtaStsResult);                                  // policy strings and mx patterns
 * sts.session("192.0.2.10", "mx1.example.com", "203.0.113.5", report.findings());  // one per probe
 * String json = TlsRptReport.builder()
 *     .organizationName("Example Sender")
 *     .contactInfo("tls-reports@sender.example")
 *     .reportId("2024-05-01T00:00:00Z_example.com")
 *     .dateRange(start, end)
 *     .policy(sts.build())
 *     .build()
 *     .toJson();
 * }</pre>
 *
 * @param organizationName the reporting organisation ({@code organization-name})
 * @param startDatetime the start of the period ({@code date-range.start-datetime})
 * @param endDatetime the end of the period ({@code date-range.end-datetime})
 * @param contactInfo how to reach the reporter ({@code contact-info})
 * @param reportId the unique report id ({@code report-id})
 * @param policies one entry per policy applied ({@code policies})
 */
public record TlsRptReport(
    String organizationName,
    Instant startDatetime,
    Instant endDatetime,
    String contactInfo,
    String reportId,
    List<Policy> policies) {

  /** Checks and copies. */
  public TlsRptReport {
    requireNonBlank(organizationName, "organizationName");
    requireNonNull(startDatetime, "startDatetime");
    requireNonNull(endDatetime, "endDatetime");
    requireNonBlank(contactInfo, "contactInfo");
    requireNonBlank(reportId, "reportId");
    policies = List.copyOf(policies);
    if (endDatetime.isBefore(startDatetime)) {
      throw new IllegalArgumentException("the date range ends before it starts: " + startDatetime + " to " + endDatetime);
    }
  }

  /** {@return a new builder} */
  public static Builder builder() {
    return new Builder();
  }

  /** The {@code policy-type} of a policy (RFC 8460 §4.4). */
  public enum PolicyType {
    /** A DANE TLSA policy: {@code "tlsa"}. */
    TLSA("tlsa"),
    /** An MTA-STS policy: {@code "sts"}. */
    STS("sts"),
    /** No policy applied: {@code "no-policy-found"}. */
    NO_POLICY_FOUND("no-policy-found");

    private final String value;

    PolicyType(String value) {
      this.value = value;
    }

    /** {@return the value in the report, e.g. {@code "no-policy-found"}} */
    public String value() {
      return value;
    }
  }

  /**
   * What was seen under one policy.
   *
   * @param type the {@code policy-type}
   * @param policyStrings the {@code policy-string}: the MTA-STS policy's lines, or the TLSA
   *     records in presentation form; empty for {@code no-policy-found} (then left out)
   * @param policyDomain the {@code policy-domain}
   * @param mxHosts the {@code mx-host} list: the MTA-STS {@code mx} patterns (left out when empty)
   * @param successfulSessions {@code summary.total-successful-session-count}
   * @param failedSessions {@code summary.total-failure-session-count}
   * @param failureDetails the {@code failure-details} (left out when empty)
   */
  public record Policy(
      PolicyType type,
      List<String> policyStrings,
      String policyDomain,
      List<String> mxHosts,
      long successfulSessions,
      long failedSessions,
      List<FailureDetail> failureDetails) {

    /** Checks and copies. */
    public Policy {
      requireNonNull(type, "type");
      policyStrings = List.copyOf(policyStrings);
      requireNonBlank(policyDomain, "policyDomain");
      mxHosts = List.copyOf(mxHosts);
      failureDetails = List.copyOf(failureDetails);
      if (successfulSessions < 0 || failedSessions < 0) {
        throw new IllegalArgumentException("session counts must not be negative");
      }
    }

    /**
     * A builder of the policy's counts and failure details.
     *
     * @param type the policy type
     * @param policyDomain the domain the policy is for
     * @return the builder
     */
    public static Builder builder(PolicyType type, String policyDomain) {
      return new Builder(type, policyDomain);
    }

    /** Accumulates sessions into a {@link Policy}. Not thread-safe. */
    public static final class Builder {
      private final PolicyType type;
      private final String policyDomain;
      private List<String> policyStrings = List.of();
      private List<String> mxHosts = List.of();
      private long successes;
      private long failures;
      private final Map<List<@Nullable String>, FailureDetail> details = new LinkedHashMap<>();

      private Builder(PolicyType type, String policyDomain) {
        this.type = requireNonNull(type, "type");
        this.policyDomain = requireNonBlank(policyDomain, "policyDomain");
      }

      /**
       * The {@code policy-string}.
       *
       * @param lines the policy lines or TLSA records
       * @return this builder
       */
      public Builder policyStrings(List<String> lines) {
        this.policyStrings = List.copyOf(lines);
        return this;
      }

      /**
       * The {@code mx-host} list.
       *
       * @param hosts the MX patterns
       * @return this builder
       */
      public Builder mxHosts(List<String> hosts) {
        this.mxHosts = List.copyOf(hosts);
        return this;
      }

      /**
       * Takes the policy strings and mx patterns of a domain's MTA-STS policy when it is valid.
       *
       * @param sts the MTA-STS result
       * @return this builder
       */
      public Builder from(MtaStsResult sts) {
        MtaStsPolicy p = sts.effectivePolicy();
        if (p != null) {
          policyStrings(p.lines());
          mxHosts(p.mx());
        }
        return this;
      }

      /**
       * Counts successful sessions.
       *
       * @param count 0 or more
       * @return this builder
       */
      public Builder successes(long count) {
        if (count < 0) {
          throw new IllegalArgumentException("count must not be negative: " + count);
        }
        successes += count;
        return this;
      }

      /**
       * Counts a failure; details with the same result type, addresses, host and texts are merged
       * and their counts added.
       *
       * @param detail the failure
       * @return this builder
       */
      public Builder failure(FailureDetail detail) {
        requireNonNull(detail, "detail");
        List<@Nullable String> key = new ArrayList<>();
        key.add(detail.resultType());
        key.add(detail.sendingMtaIp());
        key.add(detail.receivingMxHostname());
        key.add(detail.receivingMxHelo());
        key.add(detail.receivingIp());
        key.add(detail.additionalInformation());
        key.add(detail.failureReasonCode());
        details.merge(key, detail, (a, b) -> a.withCount(a.failedSessionCount() + b.failedSessionCount()));
        failures += detail.failedSessionCount();
        return this;
      }

      /**
       * Counts one session from what a probe found: a failure with the result type of the first
       * finding that has one ({@link TlsRptReport#resultType(Finding)}), else a success.
       *
       * @param sendingMtaIp the sending MTA's address, or null
       * @param receivingMxHostname the MX host
       * @param receivingIp the MX address, or null
       * @param findings what the probe and the checks found
       * @return this builder
       */
      public Builder session(@Nullable String sendingMtaIp, String receivingMxHostname,
          @Nullable String receivingIp, List<Finding> findings) {
        requireNonNull(receivingMxHostname, "receivingMxHostname");
        for (Finding f : findings) {
          String type = resultType(f);
          if (type != null) {
            return failure(new FailureDetail(type, sendingMtaIp, receivingMxHostname, null, receivingIp, 1,
                null, f.code().name()));
          }
        }
        return successes(1);
      }

      /** {@return the policy} */
      public Policy build() {
        return new Policy(type, policyStrings, policyDomain, mxHosts, successes, failures,
            List.copyOf(details.values()));
      }
    }
  }

  /**
   * One kind of failure (RFC 8460 §4.3, §4.4).
   *
   * @param resultType the {@code result-type}, e.g. {@code "certificate-expired"}
   * @param sendingMtaIp the {@code sending-mta-ip}, or null
   * @param receivingMxHostname the {@code receiving-mx-hostname}, or null
   * @param receivingMxHelo the {@code receiving-mx-helo}, or null
   * @param receivingIp the {@code receiving-ip}, or null
   * @param failedSessionCount the {@code failed-session-count}, 0 or more
   * @param additionalInformation the {@code additional-information} URI, or null
   * @param failureReasonCode the {@code failure-reason-code}, or null
   */
  public record FailureDetail(
      String resultType,
      @Nullable String sendingMtaIp,
      @Nullable String receivingMxHostname,
      @Nullable String receivingMxHelo,
      @Nullable String receivingIp,
      long failedSessionCount,
      @Nullable String additionalInformation,
      @Nullable String failureReasonCode) {

    /** Checks the fields. */
    public FailureDetail {
      requireNonNull(resultType, "resultType");
      if (!resultType.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
        throw new IllegalArgumentException("result-type must be lower-case words joined by '-': " + resultType);
      }
      if (failedSessionCount < 0) {
        throw new IllegalArgumentException("failedSessionCount must not be negative: " + failedSessionCount);
      }
    }

    FailureDetail withCount(long count) {
      return new FailureDetail(resultType, sendingMtaIp, receivingMxHostname, receivingMxHelo, receivingIp, count,
          additionalInformation, failureReasonCode);
    }
  }

  /**
   * The RFC 8460 §4.3 {@code result-type} of a finding code, or null when the code is no TLS
   * negotiation failure that the RFC reports (connection failures, warnings, block lists):
   *
   * <ul>
   *   <li>{@code starttls-not-supported}: STARTTLS not offered or refused, no ESMTP, masked by a
   *       firewall's SMTP inspection;
   *   <li>{@code certificate-host-mismatch}: {@code CERT_NAME_MISMATCH};
   *   <li>{@code certificate-expired}: {@code CERT_EXPIRED};
   *   <li>{@code certificate-not-trusted}: untrusted, self-signed, incomplete chain;
   *   <li>{@code validation-failure}: the other certificate errors (not yet valid, wrong purpose,
   *       weak key or signature, malformed, revoked), a failed handshake, a DANE mismatch, an MX
   *       outside the MTA-STS policy or with a certificate MTA-STS rejects;
   *   <li>{@code tlsa-invalid}: TLSA records unusable for SMTP;
   *   <li>{@code dnssec-invalid}: DNSSEC bogus;
   *   <li>{@code sts-policy-fetch-error}: {@code MTA_STS_POLICY_UNAVAILABLE};
   *   <li>{@code sts-policy-invalid}: {@code MTA_STS_POLICY_INVALID}.
   * </ul>
   *
   * {@code sts-webpki-invalid} needs the finding itself: see {@link #resultType(Finding)}. {@code
   * dane-required} concerns a sender's own configuration and has no finding code.
   *
   * @param code the code
   * @return the result type, or null
   */
  public static @Nullable String resultType(FindingCode code) {
    requireNonNull(code, "code");
    return switch (code) {
      case STARTTLS_NOT_OFFERED, STARTTLS_REFUSED, ESMTP_NOT_SUPPORTED, ESMTP_INSPECTION_SUSPECTED ->
          "starttls-not-supported";
      case CERT_NAME_MISMATCH -> "certificate-host-mismatch";
      case CERT_EXPIRED -> "certificate-expired";
      case CERT_UNTRUSTED, CERT_SELF_SIGNED, CERT_CHAIN_INCOMPLETE -> "certificate-not-trusted";
      case CERT_NOT_YET_VALID, CERT_WRONG_PURPOSE, CERT_WEAK_KEY, CERT_WEAK_SIGNATURE, CERT_MALFORMED,
          CERT_REVOKED, OCSP_REVOKED, TLS_HANDSHAKE_FAILED, DANE_TLSA_MISMATCH, MTA_STS_MX_MISMATCH,
          MTA_STS_CERT_INVALID -> "validation-failure";
      case DANE_TLSA_UNUSABLE -> "tlsa-invalid";
      case DANE_DNSSEC_BOGUS -> "dnssec-invalid";
      case MTA_STS_POLICY_UNAVAILABLE -> "sts-policy-fetch-error";
      case MTA_STS_POLICY_INVALID -> "sts-policy-invalid";
      default -> null;
    };
  }

  /**
   * The {@code result-type} of a finding: as {@link #resultType(FindingCode)}, except that an
   * {@code MTA_STS_POLICY_UNAVAILABLE} whose fetch failed in TLS (evidence {@code fetchStatus}
   * {@code TLS_FAILED}) is {@code sts-webpki-invalid}: the policy host's certificate failed PKIX
   * validation.
   *
   * @param finding the finding
   * @return the result type, or null
   */
  public static @Nullable String resultType(Finding finding) {
    requireNonNull(finding, "finding");
    if (finding.code() == FindingCode.MTA_STS_POLICY_UNAVAILABLE
        && Objects.equals(finding.evidence().get("fetchStatus"), MtaStsFetchStatus.TLS_FAILED.name())) {
      return "sts-webpki-invalid";
    }
    return resultType(finding.code());
  }

  /**
   * The report as RFC 8460 §4.4 JSON, with the RFC's field names in the RFC's order: {@code
   * organization-name}, {@code date-range} ({@code start-datetime}, {@code end-datetime}, RFC 3339
   * UTC to the second), {@code contact-info}, {@code report-id}, {@code policies} (each a {@code
   * policy} with {@code policy-type}, {@code policy-string}, {@code policy-domain}, {@code
   * mx-host}; a {@code summary}; {@code failure-details}). Optional members without a value are
   * left out. One line, UTF-8 text; see {@link TlsRptJson#quote} for the escaping.
   *
   * @return the JSON document
   */
  public String toJson() {
    TlsRptJson j = new TlsRptJson().beginObject()
        .field("organization-name", organizationName)
        .key("date-range").beginObject()
        .field("start-datetime", datetime(startDatetime))
        .field("end-datetime", datetime(endDatetime))
        .endObject()
        .field("contact-info", contactInfo)
        .field("report-id", reportId)
        .key("policies").beginArray();
    for (Policy p : policies) {
      j.beginObject().key("policy").beginObject().field("policy-type", p.type().value());
      if (!p.policyStrings().isEmpty()) {
        j.field("policy-string", p.policyStrings());
      }
      j.field("policy-domain", p.policyDomain());
      if (!p.mxHosts().isEmpty()) {
        j.field("mx-host", p.mxHosts());
      }
      j.endObject()
          .key("summary").beginObject()
          .field("total-successful-session-count", p.successfulSessions())
          .field("total-failure-session-count", p.failedSessions())
          .endObject();
      if (!p.failureDetails().isEmpty()) {
        j.key("failure-details").beginArray();
        for (FailureDetail d : p.failureDetails()) {
          j.beginObject().field("result-type", d.resultType());
          optional(j, "sending-mta-ip", d.sendingMtaIp());
          optional(j, "receiving-mx-hostname", d.receivingMxHostname());
          optional(j, "receiving-mx-helo", d.receivingMxHelo());
          optional(j, "receiving-ip", d.receivingIp());
          j.field("failed-session-count", d.failedSessionCount());
          optional(j, "additional-information", d.additionalInformation());
          optional(j, "failure-reason-code", d.failureReasonCode());
          j.endObject();
        }
        j.endArray();
      }
      j.endObject();
    }
    return j.endArray().endObject().toString();
  }

  private static void optional(TlsRptJson j, String key, @Nullable String value) {
    if (value != null) {
      j.field(key, value);
    }
  }

  private static String datetime(Instant i) {
    return DateTimeFormatter.ISO_INSTANT.format(i.truncatedTo(ChronoUnit.SECONDS));
  }

  private static String requireNonBlank(String s, String name) {
    requireNonNull(s, name);
    if (s.isBlank()) {
      throw new IllegalArgumentException(name + " is blank");
    }
    return s;
  }

  /** Builds a {@link TlsRptReport}. Not thread-safe. */
  public static final class Builder {
    private @Nullable String organizationName;
    private @Nullable String contactInfo;
    private @Nullable String reportId;
    private @Nullable Instant start;
    private @Nullable Instant end;
    private final List<Policy> policies = new ArrayList<>();

    private Builder() {}

    /**
     * The {@code organization-name}. Required.
     *
     * @param name the reporting organisation
     * @return this builder
     */
    public Builder organizationName(String name) {
      this.organizationName = requireNonNull(name, "name");
      return this;
    }

    /**
     * The {@code contact-info}. Required.
     *
     * @param contact an e-mail address or URI
     * @return this builder
     */
    public Builder contactInfo(String contact) {
      this.contactInfo = requireNonNull(contact, "contact");
      return this;
    }

    /**
     * The {@code report-id}. Required.
     *
     * @param id a unique id
     * @return this builder
     */
    public Builder reportId(String id) {
      this.reportId = requireNonNull(id, "id");
      return this;
    }

    /**
     * The {@code date-range}. Required.
     *
     * @param start the start
     * @param end the end, not before the start
     * @return this builder
     */
    public Builder dateRange(Instant start, Instant end) {
      this.start = requireNonNull(start, "start");
      this.end = requireNonNull(end, "end");
      return this;
    }

    /**
     * Adds a policy.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder policy(Policy policy) {
      policies.add(requireNonNull(policy, "policy"));
      return this;
    }

    /**
     * Builds the report.
     *
     * @return the report
     * @throws IllegalStateException if a required value is missing
     * @throws IllegalArgumentException if a value is blank or the range inverted
     */
    public TlsRptReport build() {
      if (organizationName == null || contactInfo == null || reportId == null || start == null || end == null) {
        throw new IllegalStateException("organizationName, contactInfo, reportId and dateRange are required");
      }
      return new TlsRptReport(organizationName, start, end, contactInfo, reportId, policies);
    }
  }
}
