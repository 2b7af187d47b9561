package dev.smtptls.connector;

import static java.util.Objects.requireNonNull;

import dev.smtptls.inspect.InspectionReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An Exchange Online outbound connector's TLS settings ({@code Set-OutboundConnector}, Microsoft's
 * Exchange Online cmdlet reference; {@code reference/exchange-postfix-tls.md}) and what Exchange
 * Online does with mail to a probed server over it.
 *
 * <pre>{@code
 * PolicyVerdict verdict = ExoOutboundConnector.builder()
 *     .tlsSettings(ExchangeTlsAuthLevel.DOMAIN_VALIDATION)
 *     .tlsDomain("*.contoso.com")
 *     .build()
 *     .evaluate(report);
 * }</pre>
 *
 * <p>Validated as the cmdlet validates: {@code UseMXRecord $false} needs {@code SmartHosts}, and
 * {@code SmartHosts} needs {@code UseMXRecord $false}; {@code TlsSettings DomainValidation} needs
 * {@code TlsDomain}. {@code TlsDomain} takes a wildcard only as the whole first label ({@code
 * *.contoso.com}, matching one label: {@code mail.contoso.com}, not {@code a.mail.contoso.com});
 * it is used only under {@code DomainValidation}, as the cmdlet reference says.
 *
 * <p>{@link #evaluate(InspectionReport)} predicts:
 *
 * <ul>
 *   <li>{@code TlsSettings} unset: opportunistic TLS, as {@link OpportunisticPolicy}, certificate
 *       not checked;
 *   <li>{@code TlsSettings} set: TLS is forced; without it {@code QUEUED} with {@value
 *       ExchangeSending#EXO_CANNOT_CONNECT} ("The connector is configured to require TLS, but the
 *       destination email server doesn't support TLS", Microsoft's "Mail flow intelligence in
 *       EOP"); under {@code CertificateValidation} a failing chain (untrusted, self-signed,
 *       expired, incomplete, revoked, CRL not checkable) and under {@code DomainValidation} also
 *       names that do not cover {@code TlsDomain} give {@code QUEUED} with {@value
 *       ExchangeSending#EXO_CERTIFICATE_VALIDATION_FAILED} (same document);
 *   <li>a session that fails before TLS: {@code QUEUED} with the same document's {@value
 *       ExchangeSending#EXO_CONNECTION_REFUSED}, {@value ExchangeSending#EXO_CONNECTION_TIMED_OUT}
 *       (connect timeout), {@value ExchangeSending#EXO_CLOSED_ABRUPTLY} or, for a greeting that
 *       refuses the session, {@value ExchangeSending#EXO_CANNOT_CONNECT}; null where it gives none;
 *   <li>{@code SmtpDaneMode} Opportunistic or Mandatory, when the report carries DANE findings:
 *       {@code QUEUED} with {@value ExchangeSending#EXO_TLSA_INVALID} for a TLSA mismatch or
 *       {@value ExchangeSending#EXO_DNSSEC_INVALID} for bogus DNSSEC (NDR codes 4/5.7.323 and
 *       4/5.7.324 of Microsoft's "How SMTP DANE works", which also notes that Exchange Online
 *       currently reports bogus DNSSEC as {@code 4/5.4.312 DNS query failed}); Mandatory with
 *       records that are not DNSSEC-signed: {@code QUEUED} with a null text (no Microsoft
 *       document gives one). A plain probe carries no DANE findings, so these apply only to
 *       reports that merged them.
 * </ul>
 *
 * <p>{@code ConnectorType} does not change the TLS rules; it is validated and kept. Immutable and
 * thread-safe.
 */
public final class ExoOutboundConnector implements ConnectorPolicy {

  /** The {@code KIND} of {@code CONTRACT.md}'s {@code smtptls policy --connector}. */
  public static final String KIND = "exo-outbound";

  private static final String CMDLET = "Set-OutboundConnector";

  /** The parameter names {@link #fromParameters(Map)} knows, as the cmdlet spells them. */
  public static final List<String> PARAMETERS = List.of("Name", "Identity", "TlsSettings", "TlsDomain",
      "UseMXRecord", "SmartHosts", "ConnectorType", "SmtpDaneMode");

  private final @Nullable String name;
  private final @Nullable ExchangeTlsAuthLevel tlsSettings;
  private final @Nullable String tlsDomain;
  private final boolean useMxRecord;
  private final List<String> smartHosts;
  private final ExoConnectorType connectorType;
  private final ExoSmtpDaneMode smtpDaneMode;

  private ExoOutboundConnector(Builder b) {
    this.name = b.name;
    this.tlsSettings = b.tlsSettings;
    this.tlsDomain = b.tlsDomain;
    this.smartHosts = List.copyOf(b.smartHosts);
    Boolean mx = b.useMxRecord;
    this.useMxRecord = mx != null ? mx : smartHosts.isEmpty();
    this.connectorType = b.connectorType;
    this.smtpDaneMode = b.smtpDaneMode;
    if (!useMxRecord && smartHosts.isEmpty()) {
      throw new IllegalArgumentException("UseMXRecord $false requires SmartHosts (" + CMDLET + ")");
    }
    if (useMxRecord && !smartHosts.isEmpty()) {
      throw new IllegalArgumentException("SmartHosts requires UseMXRecord $false (" + CMDLET + ")");
    }
    if (tlsSettings == ExchangeTlsAuthLevel.DOMAIN_VALIDATION && tlsDomain == null) {
      throw new IllegalArgumentException("TlsSettings DomainValidation requires TlsDomain (" + CMDLET + ")");
    }
  }

  /** {@return a new builder; every setting starts at the cmdlet's default} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a connector from {@code Set-OutboundConnector} parameters (or {@code
   * Get-OutboundConnector | ConvertTo-Json} properties): keys case-insensitive, booleans {@code
   * $true}/{@code true}, enums by name, {@code SmartHosts} separated by commas, semicolons, {@code
   * |} or spaces; an empty value or {@code $null} is "not set" ({@code TlsSettings $null} is
   * opportunistic TLS).
   *
   * @param parameters the parameters, keys among {@link #PARAMETERS}
   * @return the connector
   * @throws IllegalArgumentException naming an unknown key, a bad value or a broken rule
   */
  public static ExoOutboundConnector fromParameters(Map<String, String> parameters) {
    ExchangeParameters p = ExchangeParameters.of(parameters, KIND, PARAMETERS);
    Builder b = builder();
    String name = p.name();
    if (name != null) {
      b.name(name);
    }
    String tls = p.get("TlsSettings");
    if (tls != null) {
      b.tlsSettings(ExchangeTlsAuthLevel.parse("TlsSettings", tls));
    }
    String domain = p.get("TlsDomain");
    if (domain != null) {
      b.tlsDomain(domain);
    }
    Boolean mx = p.bool("UseMXRecord");
    if (mx != null) {
      b.useMxRecord(mx);
    }
    List<String> hosts = p.list("SmartHosts");
    if (!hosts.isEmpty()) {
      b.smartHosts(hosts);
    }
    String type = p.get("ConnectorType");
    if (type != null) {
      b.connectorType(ExoConnectorType.parse(type));
    }
    String dane = p.get("SmtpDaneMode");
    if (dane != null) {
      b.smtpDaneMode(ExoSmtpDaneMode.parse(dane));
    }
    return b.build();
  }

  @Override
  public PolicyVerdict evaluate(InspectionReport report) {
    requireNonNull(report, "report");
    return ExchangeSending.evaluate(report, new ExchangeSending.Rules(ExchangeSending.Dialect.ONLINE, false,
        tlsSettings != null, tlsSettings, tlsDomain, "TlsDomain", smtpDaneMode,
        CMDLET + " " + ExchangeParameters.quote(name == null ? "<Outbound connector>" : name), "TlsSettings"));
  }

  /** {@return the connector's name, used in the remediation commands, or null} */
  public @Nullable String name() {
    return name;
  }

  /** {@return {@code TlsSettings}, or null when unset (opportunistic TLS)} */
  public @Nullable ExchangeTlsAuthLevel tlsSettings() {
    return tlsSettings;
  }

  /** {@return {@code TlsDomain}, lower case, or null} */
  public @Nullable String tlsDomain() {
    return tlsDomain;
  }

  /** {@return {@code UseMXRecord}} */
  public boolean useMxRecord() {
    return useMxRecord;
  }

  /** {@return {@code SmartHosts}, empty with MX routing} */
  public List<String> smartHosts() {
    return smartHosts;
  }

  /** {@return {@code ConnectorType}} */
  public ExoConnectorType connectorType() {
    return connectorType;
  }

  /** {@return {@code SmtpDaneMode}} */
  public ExoSmtpDaneMode smtpDaneMode() {
    return smtpDaneMode;
  }

  @Override
  public String toString() {
    return KIND + "{TlsSettings=" + tlsSettings + ", TlsDomain=" + tlsDomain + ", UseMXRecord=" + useMxRecord
        + ", SmartHosts=" + smartHosts + ", ConnectorType=" + connectorType + ", SmtpDaneMode=" + smtpDaneMode + "}";
  }

  /**
   * Builds an {@link ExoOutboundConnector}. Setters validate their value; {@link #build()} the
   * rules between parameters. Not thread-safe.
   */
  public static final class Builder {
    private @Nullable String name;
    private @Nullable ExchangeTlsAuthLevel tlsSettings;
    private @Nullable String tlsDomain;
    private @Nullable Boolean useMxRecord;
    private List<String> smartHosts = List.of();
    private ExoConnectorType connectorType = ExoConnectorType.PARTNER;
    private ExoSmtpDaneMode smtpDaneMode = ExoSmtpDaneMode.OPPORTUNISTIC;

    Builder() {}

    /**
     * The connector's name, for the commands in remediations.
     *
     * @param name e.g. {@code Outbound to Contoso}
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
     * {@code TlsSettings}.
     *
     * @param level the level, or null for unset (opportunistic TLS)
     * @return this builder
     */
    public Builder tlsSettings(@Nullable ExchangeTlsAuthLevel level) {
      this.tlsSettings = level;
      return this;
    }

    /**
     * {@code TlsDomain}: {@code contoso.com} or {@code *.contoso.com}.
     *
     * @param domain the domain, or null
     * @return this builder
     * @throws IllegalArgumentException if not a domain name or the wildcard is not the whole first label
     */
    public Builder tlsDomain(@Nullable String domain) {
      this.tlsDomain = domain == null ? null : ExchangeParameters.domain("TlsDomain", domain, true, CMDLET);
      return this;
    }

    /**
     * {@code UseMXRecord} (default true without smart hosts).
     *
     * @param on the value
     * @return this builder
     */
    public Builder useMxRecord(boolean on) {
      this.useMxRecord = on;
      return this;
    }

    /**
     * {@code SmartHosts}: FQDNs, IP addresses or IPv4 CIDR ranges. Implies {@code UseMXRecord
     * $false} unless set otherwise.
     *
     * @param hosts the hosts
     * @return this builder
     * @throws IllegalArgumentException if an entry is none of those
     */
    public Builder smartHosts(List<String> hosts) {
      List<String> out = new ArrayList<>();
      for (String h : requireNonNull(hosts, "hosts")) {
        out.add(ExchangeParameters.smartHost("SmartHosts", h, true, CMDLET));
      }
      this.smartHosts = List.copyOf(out);
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
     * {@code SmtpDaneMode} (default {@code Opportunistic}).
     *
     * @param mode the mode
     * @return this builder
     */
    public Builder smtpDaneMode(ExoSmtpDaneMode mode) {
      this.smtpDaneMode = requireNonNull(mode, "SmtpDaneMode");
      return this;
    }

    /**
     * Builds the connector.
     *
     * @return the immutable connector
     * @throws IllegalArgumentException naming the parameter when a rule is broken
     */
    public ExoOutboundConnector build() {
      return new ExoOutboundConnector(this);
    }
  }
}
