package dev.smtptls.connector;

import dev.smtptls.connector.PolicyVerdict.Outcome;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.inspect.InspectionReport;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The evaluation the receive-side Exchange connectors share ({@link ExchangeReceiveConnector},
 * {@link ExoInboundConnector}): what a standard opportunistic sender meets at the probed server,
 * given that the connector there requires TLS or not, plus the connector's own settings checked
 * against what the server showed.
 */
final class ExchangeReceiving {

  /** Exchange's queue text around the remote reply (seed document). */
  static final String QUEUE_PREFIX = "451 4.4.0 Primary target IP address responded with: \"";

  private ExchangeReceiving() {}

  /**
   * Evaluates.
   *
   * @param tlsRequiredReply the receiver's reply to MAIL before STARTTLS when it requires TLS
   * @param fqdn the connector's Fqdn, or null
   * @param certificateName the connector's TlsCertificateName, or null
   * @param connector the cmdlet and identity for commands, e.g. {@code Set-ReceiveConnector "EX01\Default"}
   */
  static PolicyVerdict evaluate(
      InspectionReport report,
      boolean requireTls,
      String tlsRequiredReply,
      @Nullable String fqdn,
      @Nullable ExchangeCertificateName certificateName,
      String connector) {
    PolicyVerdict base = Evaluation.evaluate(report, false, null);
    List<Finding> reasons = new ArrayList<>(base.reasons());
    Set<Remediation> remediations = new LinkedHashSet<>(base.remediations());
    Outcome outcome = base.outcome();
    String response = base.smtpResponse();
    if (requireTls && outcome == Outcome.DELIVERED_PLAINTEXT && report.plaintext() == null) {
      // The connector refuses MAIL before STARTTLS; a probe that did not try MAIL cannot have seen
      // it, so the connector's reply stands in. An accepted MAIL in the report is the truth.
      Finding required = Finding.of(FindingCode.TLS_REQUIRED_BY_SERVER,
          "The connector requires TLS (RequireTLS $true), so a sender that cannot use STARTTLS is refused: "
              + tlsRequiredReply, "reply", tlsRequiredReply);
      reasons.add(required);
      remediations.addAll(Diagnosis.remediations(List.of(required), report));
      outcome = Outcome.QUEUED;
      response = QUEUE_PREFIX + tlsRequiredReply + "\"";
    }
    String announced = report.announcedFqdn();
    List<X509Certificate> chain = report.peerChain();
    if (fqdn != null && announced != null && !fqdn.equalsIgnoreCase(stripDot(announced))) {
      reasons.add(Finding.of(FindingCode.CONNECTOR_FQDN_MISMATCH,
          "The server announces " + announced + "; the connector's Fqdn is " + fqdn + ".",
          "expected", fqdn, "announced", announced));
      String name = fqdn;
      if (!chain.isEmpty() && !ExchangeParameters.covers(chain.get(0), fqdn)) {
        List<String> names = ExchangeParameters.presentedNames(chain.get(0));
        name = names.isEmpty() ? fqdn : names.get(0).replace("*.", "mail.");
      }
      remediations.add(new Remediation(
          "The server announces " + announced + " but the connector's Fqdn is " + fqdn + ": the probe reached"
              + " another Receive connector or server (check Bindings and RemoteIPRanges), or the setting"
              + " did not apply. Announce a name the SMTP certificate covers:",
          connector + " -Fqdn " + name.toLowerCase(Locale.ROOT)));
    }
    if (certificateName != null && !chain.isEmpty() && !certificateName.names(chain.get(0))) {
      X509Certificate leaf = chain.get(0);
      ExchangeCertificateName presented = ExchangeCertificateName.of(leaf);
      String sha1 = dev.smtptls.cert.CertificateInfo.thumbprint(leaf, "SHA-1");
      reasons.add(Finding.of(FindingCode.CONNECTOR_CERTIFICATE_MISMATCH,
          "The server presents " + presented + " (thumbprint " + sha1 + "); the connector's TlsCertificateName is "
              + certificateName + ".",
          "expected", certificateName.toString(), "issuer", presented.issuer().getName(),
          "subject", presented.subject().getName(), "sha1", sha1));
      remediations.add(new Remediation(
          "The certificate bound to SMTP is not the one the connector names. Bind the named certificate"
              + " to SMTP (Enable-ExchangeCertificate -Thumbprint <SHA-1 of the right certificate>"
              + " -Services SMTP; this pipeline finds it by issuer and subject):",
          "Get-ExchangeCertificate | Where-Object { $_.Issuer -eq '"
              + certificateName.issuer().getName(javax.security.auth.x500.X500Principal.RFC1779)
              + "' -and $_.Subject -eq '"
              + certificateName.subject().getName(javax.security.auth.x500.X500Principal.RFC1779)
              + "' } | Enable-ExchangeCertificate -Services SMTP"));
      remediations.add(new Remediation(
          "Or, if the presented certificate (thumbprint " + sha1 + ") is the right one, name it on the connector:",
          connector + " -TlsCertificateName " + ExchangeParameters.quote(presented.toString())));
    }
    return new PolicyVerdict(outcome, response, Diagnosis.errorsFirst(reasons), List.copyOf(remediations));
  }

  private static String stripDot(String name) {
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }
}
