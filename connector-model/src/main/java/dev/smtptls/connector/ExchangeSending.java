package dev.smtptls.connector;

import dev.smtptls.connector.PolicyVerdict.Outcome;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.PlaintextCheck;
import dev.smtptls.inspect.StartTlsOutcome;
import dev.smtptls.smtp.SmtpReply;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The evaluation the sending Exchange connectors share ({@link ExchangeSendConnector}, {@link
 * ExoOutboundConnector}): the generic {@link Evaluation} for the SMTP dialogue, then the
 * certificate rules of {@code TlsAuthLevel} / {@code TlsSettings}, then each product's texts.
 */
final class ExchangeSending {

  /** Which product sends: the texts differ. */
  enum Dialect { SERVER, ONLINE }

  /** Exchange Online's connector texts, from Microsoft's "Mail flow intelligence in EOP". */
  static final String EXO_CONNECTION_TIMED_OUT = "450 4.4.315 Connection timed out";
  static final String EXO_CONNECTION_REFUSED = "450 4.4.316 Connection refused";
  static final String EXO_CANNOT_CONNECT = "450 4.4.317 Cannot connect to remote server";
  static final String EXO_CLOSED_ABRUPTLY = "450 4.4.318 Connection was closed abruptly";
  static final String EXO_CERTIFICATE_VALIDATION_FAILED = "450 4.7.320 Certificate validation failed";
  /** Exchange Online's DANE texts, from Microsoft's "How SMTP DANE works" (NDR codes 4/5.7.32x). */
  static final String EXO_TLSA_INVALID = "4.7.323 tlsa-invalid: The domain failed DANE validation.";
  static final String EXO_DNSSEC_INVALID = "4.7.324 dnssec-invalid: Destination domain returned invalid DNSSEC records.";

  /** Chain findings that fail CertificateValidation whatever their severity in the report. */
  private static final Set<FindingCode> CHAIN = EnumSet.of(
      FindingCode.CERT_UNTRUSTED,
      FindingCode.CERT_SELF_SIGNED,
      FindingCode.CERT_EXPIRED,
      FindingCode.CERT_NOT_YET_VALID,
      FindingCode.CERT_CHAIN_INCOMPLETE,
      FindingCode.CERT_WRONG_PURPOSE,
      FindingCode.CERT_WEAK_KEY,
      FindingCode.CERT_WEAK_SIGNATURE,
      FindingCode.CERT_MALFORMED,
      FindingCode.CERT_REVOKED,
      FindingCode.OCSP_REVOKED,
      // Revocation that cannot be checked: the seed document, Exchange does not trust what it
      // cannot check against the CRL.
      FindingCode.CRL_UNAVAILABLE,
      FindingCode.CRL_EXPIRED,
      FindingCode.CRL_INVALID);

  /**
   * What the connector requires.
   *
   * @param namePattern the name the certificate must cover under DomainValidation, or null when
   *     none is known (then DomainValidation fails)
   * @param nameSource where the name comes from, for messages ("TlsDomain", "the recipient domain")
   * @param connector the cmdlet and identity for commands, e.g. {@code Set-SendConnector "To Contoso"}
   * @param levelParameter {@code TlsAuthLevel} or {@code TlsSettings}
   */
  record Rules(
      Dialect dialect,
      boolean ignoreStartTls,
      boolean forced,
      @Nullable ExchangeTlsAuthLevel level,
      @Nullable String namePattern,
      String nameSource,
      @Nullable ExoSmtpDaneMode dane,
      String connector,
      String levelParameter) {}

  private ExchangeSending() {}

  static PolicyVerdict evaluate(InspectionReport report, Rules r) {
    if (r.ignoreStartTls()) {
      return ignoringStartTls(report, r);
    }
    PolicyVerdict base = Evaluation.evaluate(report, r.forced(), null);
    if (r.dialect() == Dialect.ONLINE && base.outcome() == Outcome.QUEUED) {
      base = new PolicyVerdict(Outcome.QUEUED, onlineQueueText(report, r.forced()), base.reasons(), base.remediations());
    }
    if (base.outcome() != Outcome.DELIVERED_TLS) {
      return base;
    }
    PolicyVerdict dane = dane(report, r, base);
    if (dane != null) {
      return dane;
    }
    ExchangeTlsAuthLevel level = r.level();
    if (!r.forced() || level == null || level == ExchangeTlsAuthLevel.ENCRYPTION_ONLY) {
      return base;
    }
    List<Finding> failures = new ArrayList<>();
    for (Finding f : report.findings()) {
      if (CHAIN.contains(f.code())) {
        failures.add(f.severity() == Severity.ERROR ? f : f.withSeverity(Severity.ERROR));
      }
    }
    List<Remediation> fixes = new ArrayList<>();
    if (level == ExchangeTlsAuthLevel.DOMAIN_VALIDATION) {
      Finding mismatch = nameMismatch(report, r, fixes);
      if (mismatch != null) {
        failures.add(mismatch);
      }
    }
    if (failures.isEmpty()) {
      return base;
    }
    List<Finding> reasons = new ArrayList<>(failures);
    reasons.addAll(base.reasons());
    reasons = Diagnosis.errorsFirst(reasons);
    Set<Remediation> remediations = new LinkedHashSet<>(fixes);
    remediations.addAll(Diagnosis.remediations(reasons, report));
    if (failures.stream().anyMatch(f -> f.code() != FindingCode.CERT_NAME_MISMATCH)) {
      remediations.add(new Remediation(
          "Until the certificate is fixed, the connector can encrypt without checking it (weaker:"
              + " it no longer proves whom it talks to):",
          r.connector() + " -" + r.levelParameter() + " EncryptionOnly"));
    }
    // Exchange Server documents no queue text for a failed certificate check; Exchange Online's
    // connector text is 4.7.320 (Mail flow intelligence in EOP).
    String text = r.dialect() == Dialect.ONLINE ? EXO_CERTIFICATE_VALIDATION_FAILED : null;
    return new PolicyVerdict(Outcome.QUEUED, text, reasons, List.copyOf(remediations));
  }

  private static PolicyVerdict ignoringStartTls(InspectionReport report, Rules r) {
    PolicyVerdict base = Evaluation.evaluate(report, false, null);
    Remediation fix = new Remediation(
        "The Send connector ignores STARTTLS (IgnoreSTARTTLS $true), so it sends in clear even to"
            + " servers that offer TLS. Let it use STARTTLS:",
        r.connector() + " -IgnoreSTARTTLS $false");
    if (base.outcome() == Outcome.DELIVERED_TLS) {
      PlaintextCheck plaintext = report.plaintext();
      List<Remediation> rs = new ArrayList<>(List.of(fix));
      rs.addAll(base.remediations());
      if (plaintext != null && !plaintext.mailFromAccepted()) {
        // The server requires TLS, and the connector never starts it.
        SmtpReply reply = plaintext.reply();
        List<Finding> reasons = Diagnosis.errorsFirst(report.finding(FindingCode.TLS_REQUIRED_BY_SERVER)
            .map(List::of)
            .orElseGet(() -> List.of(Finding.of(FindingCode.TLS_REQUIRED_BY_SERVER,
                "The server refuses mail before STARTTLS: " + reply.oneLine(), "reply", reply.oneLine()))));
        return reply.isPermanentNegative()
            ? new PolicyVerdict(Outcome.REJECTED, reply.oneLine(), reasons, rs)
            : new PolicyVerdict(Outcome.QUEUED,
                "451 4.4.0 Primary target IP address responded with: \"" + reply.oneLine() + "\"", reasons, rs);
      }
      return new PolicyVerdict(Outcome.DELIVERED_PLAINTEXT, null, base.reasons(), rs);
    }
    if (base.outcome() == Outcome.DELIVERED_PLAINTEXT) {
      List<Remediation> rs = new ArrayList<>(base.remediations());
      rs.add(fix);
      return new PolicyVerdict(Outcome.DELIVERED_PLAINTEXT, null, base.reasons(), rs);
    }
    return base;
  }

  private static @Nullable PolicyVerdict dane(InspectionReport report, Rules r, PolicyVerdict base) {
    ExoSmtpDaneMode mode = r.dane();
    if (mode == null || mode == ExoSmtpDaneMode.NONE) {
      return null;
    }
    String text = null;
    Finding reason = null;
    if (report.has(FindingCode.DANE_DNSSEC_BOGUS)) {
      reason = report.finding(FindingCode.DANE_DNSSEC_BOGUS).orElseThrow();
      text = EXO_DNSSEC_INVALID;
    } else if (report.has(FindingCode.DANE_TLSA_LOOKUP_FAILED)) {
      // RFC 7672 §2.2: a failed TLSA lookup of a secure host defers; no Microsoft document gives
      // Exchange Online's text for it.
      reason = report.finding(FindingCode.DANE_TLSA_LOOKUP_FAILED).orElseThrow();
    } else if (report.has(FindingCode.DANE_TLSA_MISMATCH)) {
      reason = report.finding(FindingCode.DANE_TLSA_MISMATCH).orElseThrow();
      text = EXO_TLSA_INVALID;
    } else if (mode == ExoSmtpDaneMode.MANDATORY && report.has(FindingCode.DANE_INSECURE)) {
      // RFC 8460 calls it dane-required; no Microsoft document gives Exchange Online's text.
      reason = report.finding(FindingCode.DANE_INSECURE).orElseThrow().withSeverity(Severity.ERROR);
    }
    if (reason == null) {
      return null;
    }
    List<Finding> reasons = new ArrayList<>(List.of(reason));
    reasons.addAll(base.reasons());
    return new PolicyVerdict(Outcome.QUEUED, text, reasons, Diagnosis.remediations(reasons, report));
  }

  private static @Nullable Finding nameMismatch(InspectionReport report, Rules r, List<Remediation> fixes) {
    String pattern = r.namePattern();
    List<X509Certificate> chain = report.peerChain();
    if (chain.isEmpty()) {
      return Finding.of(FindingCode.CERT_NAME_MISMATCH,
          "DomainValidation needs the server's certificate, and the report has none.",
          "expected", pattern == null ? "" : pattern);
    }
    X509Certificate leaf = chain.get(0);
    List<String> names = ExchangeParameters.presentedNames(leaf);
    if (pattern != null && ExchangeParameters.covers(leaf, pattern)) {
      return null;
    }
    String host = report.target().host();
    String message = pattern == null
        ? "DomainValidation checks the certificate against " + r.nameSource() + ", and none is known for " + host + "."
        : "The certificate of " + host + " (" + String.join(", ", names) + ") does not cover " + pattern
            + ", which DomainValidation checks (" + r.nameSource() + ").";
    if (!names.isEmpty()) {
      fixes.add(new Remediation(
          "Name in TlsDomain a domain the receiving server's certificate covers"
              + (pattern == null ? "" : ", or have " + host + " present a certificate that covers " + pattern) + ":",
          r.connector() + " -TlsDomain " + names.get(0).toLowerCase(Locale.ROOT)));
    }
    return Finding.of(FindingCode.CERT_NAME_MISMATCH, message,
        "expected", pattern == null ? "" : pattern, "names", names);
  }

  /** Exchange Online's documented connector text for a queued message, or null where none is documented. */
  private static @Nullable String onlineQueueText(InspectionReport report, boolean forced) {
    StartTlsOutcome startTls = report.startTls();
    boolean sessionLevel = startTls instanceof StartTlsOutcome.NotAttempted
        || startTls instanceof StartTlsOutcome.Upgraded u && u.advertised();
    if (sessionLevel) {
      if (report.finding(FindingCode.CONNECT_FAILED)
          .flatMap(f -> f.evidence("reason")).map(s -> s.toLowerCase(Locale.ROOT).contains("refused")).orElse(false)) {
        return EXO_CONNECTION_REFUSED;
      }
      if (report.finding(FindingCode.TIMEOUT).flatMap(f -> f.evidence("step")).map("connect"::equals).orElse(false)) {
        return EXO_CONNECTION_TIMED_OUT;
      }
      if (report.has(FindingCode.CONNECTION_CLOSED)) {
        return EXO_CLOSED_ABRUPTLY;
      }
      if (report.has(FindingCode.GREETING_REJECTED)) {
        // "the server responded with an immediate error" (Mail flow intelligence in EOP).
        return EXO_CANNOT_CONNECT;
      }
      return null;
    }
    // No TLS: "The connector is configured to require TLS, but the destination email server
    // doesn't support TLS" (Mail flow intelligence in EOP).
    return forced ? EXO_CANNOT_CONNECT : null;
  }
}
