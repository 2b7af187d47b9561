package dev.smtptls.connector;

import static java.util.Objects.requireNonNull;

import dev.smtptls.connector.PolicyVerdict.Outcome;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.sink.SenderReport;
import dev.smtptls.smtp.SmtpReply;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An Exchange Online inbound connector's TLS settings ({@code Set-InboundConnector}, Microsoft's
 * Exchange Online cmdlet reference; {@code reference/exchange-postfix-tls.md}).
 *
 * <p>Validated as the cmdlet validates: {@code TlsSenderCertificateName} is an SMTP domain, {@code
 * *.contoso.com} allowed, an embedded wildcard ({@code mail.*.contoso.com}) refused; {@code
 * RestrictDomainsToCertificate $true} needs {@code TlsSenderCertificateName}; {@code
 * RestrictDomainsToIPAddresses $true} needs {@code SenderIPAddresses}; {@code SenderIPAddresses}
 * are IPv4 addresses, ranges or CIDR blocks from /24 to /32; an {@code OnPremises} connector
 * identifies its sender by {@code SenderIPAddresses} or {@code TlsSenderCertificateName}, so it needs
 * one of them. {@code RequireTls} defaults to {@code $true} for {@code Partner} and {@code $false}
 * for {@code OnPremises}.
 *
 * <p>{@link #evaluate(InspectionReport)} takes a probe of the server that hosts the connector
 * (Exchange Online's MX) and predicts what a standard opportunistic sender meets: {@code
 * DELIVERED_TLS} when STARTTLS works; when the connector requires TLS and the sender does not get
 * it, {@code QUEUED} with the seed document's {@value ForcedPolicy#STARTTLS_REQUIRED_RESPONSE}
 * (the probe's own plaintext check wins when it ran); otherwise as {@link OpportunisticPolicy}. The
 * checks of the sending side ({@code TlsSenderCertificateName} against the sender's certificate,
 * {@code SenderIPAddresses} against its address) need the sender's session, which a probe of the
 * receiver does not have: they belong to {@link #evaluate(SenderReport)}, which judges what an
 * {@link dev.smtptls.sink.SmtpTlsSink} saw of the sender. Immutable and thread-safe.
 */
public final class ExoInboundConnector implements ConnectorPolicy, SenderPolicy {

  /** The {@code KIND} of {@code CONTRACT.md}'s {@code smtptls policy --connector}. */
  public static final String KIND = "exo-inbound";

  /**
   * What Exchange Online answers MAIL before STARTTLS when TLS is required: the inner reply of the
   * seed document's queue text.
   */
  public static final String TLS_REQUIRED_REPLY = "451 5.7.3 STARTTLS is required to send mail.";

  /**
   * What Exchange Online answers a sender that this inbound connector cannot attribute to the
   * tenant: {@code 550 5.7.64 TenantAttribution; Relay Access Denied} (Microsoft, "Fix NDR error
   * 550 5.7.64 in Exchange Online": "The host name that's specified in the certificate on the
   * inbound connector no longer matches the source email server", "IP address of the source email
   * server no longer matches the source IP address on the inbound connector"; KB 3212877: an
   * on-premises connector with certificate validation and a sender that does not send its chain).
   */
  public static final String TENANT_ATTRIBUTION_REPLY = "550 5.7.64 TenantAttribution; Relay Access Denied";

  /** The host name suffix of Exchange Online's MX hosts ({@code <domain>.mail.protection.outlook.com}). */
  public static final String EXO_MX_SUFFIX = "mail.protection.outlook.com";

  private static final String CMDLET = "Set-InboundConnector";

  /** The parameter names {@link #fromParameters(Map)} knows, as the cmdlet spells them. */
  public static final List<String> PARAMETERS = List.of("Name", "Identity", "ConnectorType", "RequireTls",
      "TlsSenderCertificateName", "RestrictDomainsToCertificate", "RestrictDomainsToIPAddresses", "SenderIPAddresses");

  private final @Nullable String name;
  private final ExoConnectorType connectorType;
  private final boolean requireTls;
  private final @Nullable String tlsSenderCertificateName;
  private final boolean restrictDomainsToCertificate;
  private final boolean restrictDomainsToIpAddresses;
  private final List<String> senderIpAddresses;

  private ExoInboundConnector(Builder b) {
    this.name = b.name;
    this.connectorType = b.connectorType;
    Boolean tls = b.requireTls;
    this.requireTls = tls != null ? tls : connectorType == ExoConnectorType.PARTNER;
    this.tlsSenderCertificateName = b.tlsSenderCertificateName;
    this.restrictDomainsToCertificate = b.restrictDomainsToCertificate;
    this.restrictDomainsToIpAddresses = b.restrictDomainsToIpAddresses;
    this.senderIpAddresses = List.copyOf(b.senderIpAddresses);
    if (restrictDomainsToCertificate && tlsSenderCertificateName == null) {
      throw new IllegalArgumentException("RestrictDomainsToCertificate $true requires TlsSenderCertificateName (" + CMDLET + ")");
    }
    if (restrictDomainsToIpAddresses && senderIpAddresses.isEmpty()) {
      throw new IllegalArgumentException("RestrictDomainsToIPAddresses $true requires SenderIPAddresses (" + CMDLET + ")");
    }
    if (connectorType == ExoConnectorType.ON_PREMISES && tlsSenderCertificateName == null && senderIpAddresses.isEmpty()) {
      throw new IllegalArgumentException(
          "ConnectorType OnPremises requires SenderIPAddresses or TlsSenderCertificateName (" + CMDLET + ")");
    }
  }

  /** {@return a new builder} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a connector from {@code Set-InboundConnector} parameters (or {@code Get-InboundConnector
   * | ConvertTo-Json} properties): keys case-insensitive, booleans {@code $true}/{@code true},
   * {@code SenderIPAddresses} separated by commas, semicolons, {@code |} or spaces.
   *
   * @param parameters the parameters, keys among {@link #PARAMETERS}
   * @return the connector
   * @throws IllegalArgumentException naming an unknown key, a bad value or a broken rule
   */
  public static ExoInboundConnector fromParameters(Map<String, String> parameters) {
    ExchangeParameters p = ExchangeParameters.of(parameters, KIND, PARAMETERS);
    Builder b = builder();
    String name = p.name();
    if (name != null) {
      b.name(name);
    }
    String type = p.get("ConnectorType");
    if (type != null) {
      b.connectorType(ExoConnectorType.parse(type));
    }
    Boolean tls = p.bool("RequireTls");
    if (tls != null) {
      b.requireTls(tls);
    }
    String cert = p.get("TlsSenderCertificateName");
    if (cert != null) {
      b.tlsSenderCertificateName(cert);
    }
    Boolean byCert = p.bool("RestrictDomainsToCertificate");
    if (byCert != null) {
      b.restrictDomainsToCertificate(byCert);
    }
    Boolean byIp = p.bool("RestrictDomainsToIPAddresses");
    if (byIp != null) {
      b.restrictDomainsToIpAddresses(byIp);
    }
    List<String> ips = p.list("SenderIPAddresses");
    if (!ips.isEmpty()) {
      b.senderIpAddresses(ips);
    }
    return b.build();
  }

  /**
   * What a standard opportunistic sender meets at the probed server that hosts this connector.
   *
   * @param report a probe of Exchange Online's MX
   * @return the verdict
   */
  @Override
  public PolicyVerdict evaluate(InspectionReport report) {
    requireNonNull(report, "report");
    return ExchangeReceiving.evaluate(report, requireTls, TLS_REQUIRED_REPLY, null, null,
        CMDLET + " " + ExchangeParameters.quote(name == null ? "<Inbound connector>" : name));
  }

  /**
   * What Exchange Online would do with the mail of the sender a sink saw, under this connector.
   *
   * <ul>
   *   <li>{@code RequireTls} and no STARTTLS: {@code QUEUED}, {@value #TLS_REQUIRED_REPLY} (Exchange
   *       Online answers {@code MAIL} before STARTTLS so; reason {@code SENDER_NO_STARTTLS}).
   *   <li>{@code TlsSenderCertificateName}: the sender's client certificate must name that domain in
   *       its subject alternative names (its CN without them), {@code *.contoso.com} covering one
   *       label below {@code contoso.com} and a certificate's own {@code *.contoso.com}; and its
   *       chain must validate (trusted, complete, current, not revoked). Otherwise {@code
   *       SENDER_NO_CLIENT_CERT} (as an ERROR), {@code SENDER_CERT_NAME_MISMATCH} (evidence {@code
   *       expected}, {@code names}) or the chain's {@code SENDER_CERT_*} findings.
   *   <li>{@code SenderIPAddresses}: the sender's address must be listed ({@code
   *       SENDER_ADDRESS_NOT_ALLOWED} otherwise).
   *   <li>{@code OnPremises}: the sender is attributed to the tenant when its certificate or its
   *       address matches what is configured, and both must when {@code
   *       RestrictDomainsToCertificate} / {@code RestrictDomainsToIPAddresses} say so; otherwise
   *       {@code REJECTED} with {@value #TENANT_ATTRIBUTION_REPLY}.
   *   <li>{@code Partner}: the certificate must match when {@code RequireTls} or {@code
   *       RestrictDomainsToCertificate} is set, the address when {@code RestrictDomainsToIPAddresses}
   *       is; otherwise {@code REJECTED} with a null {@code smtpResponse}: Microsoft's NDR reference
   *       documents no reply for a partner connector's restrictions.
   *   <li>Else {@code DELIVERED_TLS}, or {@code DELIVERED_PLAINTEXT} with {@code SENDER_NO_STARTTLS}.
   * </ul>
   *
   * @param report what the sink saw
   * @return the verdict; remediations on the sending side first
   */
  @Override
  public PolicyVerdict evaluate(SenderReport report) {
    requireNonNull(report, "report");
    boolean tls = report.startTls().used();
    if (requireTls && !tls) {
      return SenderEvaluation.verdict(Outcome.QUEUED, TLS_REQUIRED_REPLY, List.of(SenderEvaluation.noStartTls(report)),
          List.of(SenderEvaluation.POSTFIX_MAY));
    }
    List<Finding> failed = new ArrayList<>();
    List<Remediation> fixes = new ArrayList<>();
    Boolean certificateMatches = null;
    String pattern = tlsSenderCertificateName;
    if (pattern != null) {
      certificateMatches = certificateMatches(report, pattern, failed, fixes);
    }
    Boolean addressMatches = null;
    if (!senderIpAddresses.isEmpty()) {
      InetAddress a = report.remote().getAddress();
      addressMatches = a != null && SenderEvaluation.listed(a, senderIpAddresses);
      if (!addressMatches) {
        String shown = a == null ? report.remote().getHostString() : a.getHostAddress();
        failed.add(Finding.of(FindingCode.SENDER_ADDRESS_NOT_ALLOWED, "The sender connects from " + shown
            + ", which the inbound connector's SenderIPAddresses (" + String.join(", ", senderIpAddresses)
            + ") does not list.", "address", shown, "allowed", senderIpAddresses));
        fixes.add(new Remediation("Or, if " + shown + " is the sender's real public address, list it on the connector:",
            CMDLET + " " + ExchangeParameters.quote(name == null ? "<Inbound connector>" : name)
                + " -SenderIPAddresses @{Add=\"" + shown + "\"}"));
      }
    }
    boolean cert = Boolean.TRUE.equals(certificateMatches);
    boolean address = Boolean.TRUE.equals(addressMatches);
    boolean refused;
    if (connectorType == ExoConnectorType.ON_PREMISES) {
      refused = !(cert || address) || (restrictDomainsToCertificate && !cert)
          || (restrictDomainsToIpAddresses && !address);
    } else {
      refused = (certificateMatches != null && !cert && (requireTls || restrictDomainsToCertificate))
          || (restrictDomainsToIpAddresses && !address);
    }
    if (refused) {
      return SenderEvaluation.verdict(Outcome.REJECTED,
          connectorType == ExoConnectorType.ON_PREMISES ? TENANT_ATTRIBUTION_REPLY : null, failed, fixes);
    }
    return SenderEvaluation.delivered(report, List.of());
  }

  /** Whether the sender's certificate satisfies TlsSenderCertificateName; adds the reasons and fixes when not. */
  private boolean certificateMatches(SenderReport r, String pattern, List<Finding> failed, List<Remediation> fixes) {
    String suggested = SenderEvaluation.suggestedName(r, pattern);
    if (r.clientChain().isEmpty()) {
      failed.add(SenderEvaluation.error(FindingCode.SENDER_NO_CLIENT_CERT, r.startTls().used()
          ? "The sender presented no client certificate; the inbound connector identifies it by one that names "
              + pattern + " (TlsSenderCertificateName)."
          : "The sender did not use TLS, so it presented no certificate; the inbound connector identifies it by one"
              + " that names " + pattern + " (TlsSenderCertificateName).",
          "helo", r.heloName() == null ? "" : r.heloName(), "expected", pattern));
      if (!r.startTls().used()) {
        fixes.add(SenderEvaluation.POSTFIX_MAY);
      }
      fixes.addAll(SenderEvaluation.presentCertificate(suggested, null, null));
      return false;
    }
    X509Certificate leaf = r.clientChain().get(0);
    if (!ExchangeParameters.covers(leaf, pattern)) {
      List<String> names = ExchangeParameters.presentedNames(leaf);
      String sha1 = SenderEvaluation.sha1(leaf);
      failed.add(SenderEvaluation.error(FindingCode.SENDER_CERT_NAME_MISMATCH, "The sender's certificate "
          + leaf.getSubjectX500Principal().getName(javax.security.auth.x500.X500Principal.RFC1779) + " (thumbprint "
          + sha1 + ") names " + (names.isEmpty() ? "nothing" : String.join(", ", names))
          + ", not " + pattern + " (the inbound connector's TlsSenderCertificateName).",
          "expected", pattern, "names", names, "sha1", sha1));
      fixes.addAll(SenderEvaluation.presentCertificate(suggested, leaf.getIssuerX500Principal(), null));
      String domain = names.isEmpty() ? null : names.get(0).toLowerCase(Locale.ROOT);
      if (domain != null) {
        try {
          String valid = ExchangeParameters.domain("TlsSenderCertificateName", domain, true, CMDLET);
          fixes.add(new Remediation("Or, if the presented certificate (thumbprint " + sha1 + ") is the right one,"
              + " name what it covers on the inbound connector:",
              CMDLET + " " + ExchangeParameters.quote(name == null ? "<Inbound connector>" : name)
                  + " -TlsSenderCertificateName " + valid));
        } catch (IllegalArgumentException e) {
          // the certificate names nothing the cmdlet takes: no connector-side fix to offer
        }
      }
      return false;
    }
    List<Finding> chain = SenderEvaluation.chainErrors(r);
    if (!chain.isEmpty()) {
      failed.addAll(chain);
      if (chain.stream().anyMatch(f -> f.code() == FindingCode.SENDER_CERT_CHAIN_INCOMPLETE)) {
        // KB 3212877: the sending Windows server sends the intermediates it has in its CA store.
        fixes.add(new Remediation("Exchange as the sender: import the intermediate certificates of "
            + leaf.getIssuerX500Principal().getName(javax.security.auth.x500.X500Principal.RFC1779)
            + " into the computer's Intermediate Certification Authorities store, so the handshake sends them"
            + " (Microsoft KB 3212877):",
            "Get-ChildItem -Path C:\\import\\intermediateca.cer | Import-Certificate -CertStoreLocation Cert:\\LocalMachine\\CA"));
      } else {
        fixes.addAll(SenderEvaluation.presentCertificate(suggested, null, null));
      }
      return false;
    }
    return true;
  }

  /**
   * How Exchange Online behaves towards senders that this connector matches: it announces a name
   * under {@value #EXO_MX_SUFFIX}, always offers STARTTLS, and with {@code RequireTls} answers MAIL
   * before STARTTLS with {@value #TLS_REQUIRED_REPLY}.
   *
   * @return the profile
   */
  public ReceiveProfile receiveProfile() {
    SmtpReply reply = requireTls ? SmtpReply.of(451, "5.7.3 STARTTLS is required to send mail.") : null;
    return new ReceiveProfile(EXO_MX_SUFFIX, true, requireTls, reply, EXO_MX_SUFFIX);
  }

  /** {@return the connector's name, used in the remediation commands, or null} */
  public @Nullable String name() {
    return name;
  }

  /** {@return {@code ConnectorType}} */
  public ExoConnectorType connectorType() {
    return connectorType;
  }

  /** {@return {@code RequireTls}} */
  public boolean requireTls() {
    return requireTls;
  }

  /** {@return {@code TlsSenderCertificateName}, lower case, or null} */
  public @Nullable String tlsSenderCertificateName() {
    return tlsSenderCertificateName;
  }

  /** {@return {@code RestrictDomainsToCertificate}} */
  public boolean restrictDomainsToCertificate() {
    return restrictDomainsToCertificate;
  }

  /** {@return {@code RestrictDomainsToIPAddresses}} */
  public boolean restrictDomainsToIpAddresses() {
    return restrictDomainsToIpAddresses;
  }

  /** {@return {@code SenderIPAddresses}} */
  public List<String> senderIpAddresses() {
    return senderIpAddresses;
  }

  @Override
  public String toString() {
    return KIND + "{ConnectorType=" + connectorType + ", RequireTls=" + requireTls + ", TlsSenderCertificateName="
        + tlsSenderCertificateName + ", SenderIPAddresses=" + senderIpAddresses + "}";
  }

  /** Builds an {@link ExoInboundConnector}. Not thread-safe. */
  public static final class Builder {
    private @Nullable String name;
    private ExoConnectorType connectorType = ExoConnectorType.PARTNER;
    private @Nullable Boolean requireTls;
    private @Nullable String tlsSenderCertificateName;
    private boolean restrictDomainsToCertificate;
    private boolean restrictDomainsToIpAddresses;
    private List<String> senderIpAddresses = List.of();

    Builder() {}

    /**
     * The connector's name, for the commands in remediations.
     *
     * @param name e.g. {@code Inbound from Contoso}
     * @return this builder
     * @throws IllegalArgumentException if blank
     */
    public Builder name(String name) {
      requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("Name is blank");
      }
      this.name = name;
      return this;
    }

    /**
     * {@code ConnectorType} (default {@code Partner}).
     *
     * @param type the type
     * @return this builder
     */
    public Builder connectorType(ExoConnectorType type) {
      this.connectorType = requireNonNull(type, "ConnectorType");
      return this;
    }

    /**
     * {@code RequireTls} (default {@code $true} for {@code Partner}, {@code $false} for {@code OnPremises}).
     *
     * @param on the value
     * @return this builder
     */
    public Builder requireTls(boolean on) {
      this.requireTls = on;
      return this;
    }

    /**
     * {@code TlsSenderCertificateName}: the domain the sender's certificate must name.
     *
     * @param domain {@code contoso.com} or {@code *.contoso.com}, or null
     * @return this builder
     * @throws IllegalArgumentException if not a domain, or a wildcard other than the whole first label
     */
    public Builder tlsSenderCertificateName(@Nullable String domain) {
      this.tlsSenderCertificateName =
          domain == null ? null : ExchangeParameters.domain("TlsSenderCertificateName", domain, true, CMDLET);
      return this;
    }

    /**
     * {@code RestrictDomainsToCertificate} (default false).
     *
     * @param on the value
     * @return this builder
     */
    public Builder restrictDomainsToCertificate(boolean on) {
      this.restrictDomainsToCertificate = on;
      return this;
    }

    /**
     * {@code RestrictDomainsToIPAddresses} (default false).
     *
     * @param on the value
     * @return this builder
     */
    public Builder restrictDomainsToIpAddresses(boolean on) {
      this.restrictDomainsToIpAddresses = on;
      return this;
    }

    /**
     * {@code SenderIPAddresses}: IPv4 addresses, ranges ({@code 192.0.2.1-192.0.2.9}) or CIDR
     * blocks from /24 to /32.
     *
     * @param addresses the entries
     * @return this builder
     * @throws IllegalArgumentException if an entry is none of those (IPv6 included)
     */
    public Builder senderIpAddresses(List<String> addresses) {
      List<String> out = new ArrayList<>();
      for (String a : requireNonNull(addresses, "SenderIPAddresses")) {
        out.add(ExchangeParameters.senderAddress("SenderIPAddresses", a, CMDLET));
      }
      this.senderIpAddresses = List.copyOf(out);
      return this;
    }

    /**
     * Builds the connector.
     *
     * @return the immutable connector
     * @throws IllegalArgumentException naming the parameter when a rule is broken
     */
    public ExoInboundConnector build() {
      return new ExoInboundConnector(this);
    }
  }
}
