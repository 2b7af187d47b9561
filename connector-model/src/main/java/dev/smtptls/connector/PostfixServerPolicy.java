package dev.smtptls.connector;

import static java.util.Objects.requireNonNull;

import dev.smtptls.connector.PolicyVerdict.Outcome;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.sink.SenderReport;
import dev.smtptls.smtp.SmtpReply;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Postfix SMTP server's TLS rules (smtpd(8); postconf(5) {@code smtpd_tls_security_level}):
 * what a connecting client meets. The receive side, like an Exchange Receive connector.
 *
 * <ul>
 *   <li>{@code none}: STARTTLS is not offered;
 *   <li>{@code may}: STARTTLS is offered, mail is accepted without it;
 *   <li>{@code encrypt}: STARTTLS is offered and {@code MAIL FROM} before it is answered {@code 530
 *       5.7.0 Must issue a STARTTLS command first} ({@code reference/exchange-postfix-tls.md};
 *       RFC 3207 forbids this for a publicly referenced MX).
 * </ul>
 *
 * <p>{@link #evaluate(InspectionReport)} takes a probe of the server this configuration runs on and
 * predicts what an opportunistic sender meets there (as {@link OpportunisticPolicy}); {@link
 * #receiveProfile()} gives the behaviour to configure a test server with. {@code
 * smtpd_tls_req_ccert} (a client certificate required, only with {@code encrypt}) does not change
 * what the probe of the server shows; {@link #evaluate(SenderReport)} judges it against the sender an
 * {@link dev.smtptls.sink.SmtpTlsSink} saw.
 *
 * @param securityLevel {@code smtpd_tls_security_level}: {@code none}, {@code may} or {@code encrypt}
 * @param requireClientCertificate {@code smtpd_tls_req_ccert}
 * @param myhostname {@code myhostname}, announced in the greeting and EHLO reply
 */
public record PostfixServerPolicy(String securityLevel, boolean requireClientCertificate, String myhostname)
    implements ConnectorPolicy, SenderPolicy {

  /** The CLI kind ({@code CONTRACT.md}), shared with {@link PostfixClientPolicy}. */
  public static final String KIND = "postfix";

  /** Postfix smtpd's reply to mail before STARTTLS under {@code encrypt}. */
  public static final SmtpReply TLS_REQUIRED_REPLY = SmtpReply.of(530, "5.7.0 Must issue a STARTTLS command first");

  /** The parameters {@link #fromParameters(Map)} knows, as postconf(5) names them. */
  public static final List<String> PARAMETERS = List.of("smtpd_tls_security_level", "smtpd_tls_req_ccert", "myhostname");

  /**
   * Validates as Postfix does.
   *
   * @throws IllegalArgumentException if the level is not none, may or encrypt, {@code
   *     smtpd_tls_req_ccert} is set without {@code encrypt}, or myhostname is blank
   */
  public PostfixServerPolicy {
    requireNonNull(securityLevel, "securityLevel");
    requireNonNull(myhostname, "myhostname");
    securityLevel = securityLevel.trim().toLowerCase(Locale.ROOT);
    if (!List.of("none", "may", "encrypt").contains(securityLevel)) {
      throw new IllegalArgumentException("smtpd_tls_security_level must be none, may or encrypt: " + securityLevel);
    }
    if (requireClientCertificate && !securityLevel.equals("encrypt")) {
      throw new IllegalArgumentException("smtpd_tls_req_ccert = yes requires smtpd_tls_security_level = encrypt"
          + " (postconf(5): with optional TLS Postfix ignores it with a warning)");
    }
    if (myhostname.isBlank()) {
      throw new IllegalArgumentException("myhostname is blank");
    }
  }

  /** {@return a builder: level none, no client certificate, myhostname localhost} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A policy from postconf parameters (keys case-insensitive): {@code smtpd_tls_security_level}
   * (empty means none), {@code smtpd_tls_req_ccert} (yes/no), {@code myhostname}.
   *
   * @param parameters the parameters
   * @return the policy
   * @throws IllegalArgumentException for an unknown key or a value Postfix refuses
   */
  public static PostfixServerPolicy fromParameters(Map<String, String> parameters) {
    return fromParameters(parameters, true);
  }

  static PostfixServerPolicy fromParameters(Map<String, String> parameters, boolean strict) {
    Map<String, String> p = PostfixParameters.normalise(parameters, PARAMETERS, strict, KIND);
    Builder b = builder();
    String level = p.getOrDefault("smtpd_tls_security_level", "").trim();
    b.securityLevel(level.isEmpty() ? "none" : level);
    String req = p.get("smtpd_tls_req_ccert");
    if (req != null) {
      b.requireClientCertificate(PostfixParameters.bool("smtpd_tls_req_ccert", req));
    }
    String host = p.get("myhostname");
    if (host != null && !host.isBlank()) {
      b.myhostname(host.trim());
    }
    return b.build();
  }

  /**
   * What an opportunistic sender meets at the probed server.
   *
   * @param report a probe of the server
   * @return the verdict
   */
  @Override
  public PolicyVerdict evaluate(InspectionReport report) {
    return Evaluation.evaluate(report, false, null);
  }

  /**
   * What Postfix's SMTP server would do with the mail of the sender a sink saw.
   *
   * <ul>
   *   <li>{@code none}: no STARTTLS offered: {@code DELIVERED_PLAINTEXT}, reason {@code
   *       STARTTLS_NOT_OFFERED} (a WARNING).
   *   <li>{@code encrypt} and no STARTTLS: {@code REJECTED} with {@code 530 5.7.0 Must issue a
   *       STARTTLS command first} (smtpd(8) answers every command but the pre-TLS ones so; a 5xx
   *       to {@code MAIL} bounces the message).
   *   <li>{@code encrypt} with {@code smtpd_tls_req_ccert = yes}: a sender without a trusted client
   *       certificate gets {@code 421 4.7.1 <myhostname> Error: No client certificate presented} or
   *       {@code ... Error: Client certificate not trusted} (the texts of Postfix's smtpd, which
   *       then closes the session): {@code QUEUED}, reason {@code SENDER_NO_CLIENT_CERT} as an ERROR
   *       or the chain's {@code SENDER_CERT_*} findings.
   *   <li>Else {@code DELIVERED_TLS}, or {@code DELIVERED_PLAINTEXT} with {@code SENDER_NO_STARTTLS}.
   * </ul>
   *
   * @param report what the sink saw
   * @return the verdict
   */
  @Override
  public PolicyVerdict evaluate(SenderReport report) {
    requireNonNull(report, "report");
    boolean tls = report.startTls().used();
    if (securityLevel.equals("none")) {
      Finding f = new Finding(FindingCode.STARTTLS_NOT_OFFERED, Severity.WARNING,
          "smtpd_tls_security_level = none: the server does not offer STARTTLS, so the sender's mail arrives in clear.",
          java.util.Map.of("reply", "smtpd_tls_security_level = none"));
      return SenderEvaluation.verdict(Outcome.DELIVERED_PLAINTEXT, null, List.of(f), List.of(new Remediation(
          "Let the server offer STARTTLS (with smtpd_tls_chain_files set to its key and certificate):",
          "postconf -e 'smtpd_tls_security_level = may'")));
    }
    if (securityLevel.equals("encrypt") && !tls) {
      return SenderEvaluation.verdict(Outcome.REJECTED, TLS_REQUIRED_REPLY.oneLine(),
          List.of(SenderEvaluation.noStartTls(report)), List.of(SenderEvaluation.POSTFIX_MAY));
    }
    if (requireClientCertificate) {
      if (report.clientChain().isEmpty()) {
        Finding f = SenderEvaluation.error(FindingCode.SENDER_NO_CLIENT_CERT,
            "The sender presented no client certificate; smtpd_tls_req_ccert = yes requires a trusted one.",
            "helo", report.heloName() == null ? "" : report.heloName());
        String name = report.heloName() == null ? "<sender FQDN>" : report.heloName().toLowerCase(Locale.ROOT);
        return SenderEvaluation.verdict(Outcome.QUEUED, "421 4.7.1 " + myhostname + " Error: No client certificate presented",
            List.of(f), SenderEvaluation.presentCertificate(name, null, null));
      }
      List<Finding> chain = SenderEvaluation.chainErrors(report);
      if (!chain.isEmpty()) {
        return SenderEvaluation.verdict(Outcome.QUEUED, "421 4.7.1 " + myhostname + " Error: Client certificate not trusted",
            chain, List.of());
      }
    }
    return SenderEvaluation.delivered(report, List.of());
  }

  /** {@return how a server with this configuration behaves towards senders} */
  public ReceiveProfile receiveProfile() {
    boolean offers = !securityLevel.equals("none");
    boolean requires = securityLevel.equals("encrypt");
    return new ReceiveProfile(myhostname, offers, requires, requires ? TLS_REQUIRED_REPLY : null,
        offers ? myhostname : null);
  }

  /** Builds a {@link PostfixServerPolicy}. Not thread-safe. */
  public static final class Builder {
    private String securityLevel = "none";
    private boolean requireClientCertificate;
    private String myhostname = "localhost";

    private Builder() {}

    /**
     * {@code smtpd_tls_security_level}.
     *
     * @param level none, may or encrypt
     * @return this builder
     */
    public Builder securityLevel(String level) {
      this.securityLevel = requireNonNull(level, "level");
      return this;
    }

    /**
     * {@code smtpd_tls_req_ccert}.
     *
     * @param required whether clients must present a certificate
     * @return this builder
     */
    public Builder requireClientCertificate(boolean required) {
      this.requireClientCertificate = required;
      return this;
    }

    /**
     * {@code myhostname}.
     *
     * @param name the server's FQDN
     * @return this builder
     */
    public Builder myhostname(String name) {
      this.myhostname = requireNonNull(name, "name");
      return this;
    }

    /**
     * {@return the policy}
     *
     * @throws IllegalArgumentException as {@link PostfixServerPolicy#PostfixServerPolicy} says
     */
    public PostfixServerPolicy build() {
      return new PostfixServerPolicy(securityLevel, requireClientCertificate, myhostname);
    }
  }
}
