package dev.smtptls.connector;

import static java.util.Objects.requireNonNull;

import dev.smtptls.inspect.InspectionReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An Exchange Server Send connector's TLS settings ({@code Set-SendConnector}, Microsoft's Exchange
 * Server cmdlet reference; {@code reference/exchange-postfix-tls.md}) and what they do with mail to
 * a probed server.
 *
 * <pre>{@code
 * ExchangeSendConnector connector = ExchangeSendConnector.builder()
 *     .name("To Contoso")
 *     .requireTls(true)
 *     .tlsAuthLevel(ExchangeTlsAuthLevel.DOMAIN_VALIDATION)
 *     .tlsDomain("contoso.com")
 *     .build();
 * PolicyVerdict verdict = connector.evaluate(report, "contoso.com");
 * }</pre>
 *
 * <p>Validated as {@code Set-SendConnector} validates: {@code TlsAuthLevel} only with {@code
 * RequireTLS $true}; {@code IgnoreSTARTTLS} must be {@code $false} when {@code RequireTLS} is set;
 * {@code DomainValidation} on a smart-host connector ({@code DNSRoutingEnabled $false}) needs {@code
 * TlsDomain}; {@code SmartHosts} exactly when {@code DNSRoutingEnabled} is {@code $false};
 * {@code DomainSecureEnabled} needs {@code DNSRoutingEnabled $true} and {@code IgnoreSTARTTLS
 * $false}. {@code TlsDomain} is used only under {@code DomainValidation} (ignored otherwise, as by
 * Exchange).
 *
 * <p>{@link #evaluate(InspectionReport, String)} predicts:
 *
 * <ul>
 *   <li>{@code IgnoreSTARTTLS $true}: {@code DELIVERED_PLAINTEXT} (the connector never sends
 *       STARTTLS), unless the probe saw the server refuse {@code MAIL} before STARTTLS (then queued
 *       or rejected with that reply);
 *   <li>{@code RequireTLS $false}: opportunistic, as {@link OpportunisticPolicy} ("falls back to
 *       regular ESMTP or SMTP", seed document); the certificate is not checked;
 *   <li>{@code RequireTLS $true} without TLS: {@code QUEUED} as {@link ForcedPolicy}: with the seed
 *       document's {@value ForcedPolicy#STARTTLS_REQUIRED_RESPONSE} when STARTTLS is missing, the
 *       server's refusal quoted after {@code 451 4.4.0 Primary target IP address responded with:}
 *       when it refuses STARTTLS, null after a failed handshake (no document gives that text);
 *   <li>{@code TlsAuthLevel CertificateValidation}: also {@code QUEUED} when the chain fails (not
 *       trusted, self-signed, expired, incomplete, revoked, or its CRL cannot be checked); {@code
 *       DomainValidation}: also when the certificate's names do not cover {@code TlsDomain}, or the
 *       recipient domain when {@code TlsDomain} is empty. No Microsoft document gives Exchange
 *       Server's queue text for a failed certificate check, so {@code smtpResponse} is then null;
 *   <li>{@code DomainSecureEnabled $true} (mutual TLS Domain Security): TLS is required and the
 *       certificate is checked as under {@code DomainValidation} against the recipient domain.
 * </ul>
 *
 * <p>{@code Fqdn} and {@code TlsCertificateName} describe what this connector presents to the
 * receiver (its EHLO name and its own certificate); a probe of the receiver cannot check them, so
 * they are validated and kept, not evaluated. Immutable and thread-safe.
 */
public final class ExchangeSendConnector implements ConnectorPolicy {

  /** The {@code KIND} of {@code CONTRACT.md}'s {@code smtptls policy --connector}. */
  public static final String KIND = "exchange-send";

  private static final String CMDLET = "Set-SendConnector";

  /** The parameter names {@link #fromParameters(Map)} knows, as the cmdlet spells them. */
  public static final List<String> PARAMETERS = List.of("Name", "Identity", "RequireTLS", "TlsAuthLevel", "TlsDomain",
      "IgnoreSTARTTLS", "Fqdn", "TlsCertificateName", "DomainSecureEnabled", "SmartHosts", "DNSRoutingEnabled");

  private final @Nullable String name;
  private final boolean requireTls;
  private final @Nullable ExchangeTlsAuthLevel tlsAuthLevel;
  private final @Nullable String tlsDomain;
  private final boolean ignoreStartTls;
  private final @Nullable String fqdn;
  private final @Nullable ExchangeCertificateName tlsCertificateName;
  private final boolean domainSecureEnabled;
  private final List<String> smartHosts;
  private final boolean dnsRoutingEnabled;

  private ExchangeSendConnector(Builder b) {
    this.name = b.name;
    this.requireTls = b.requireTls;
    this.tlsAuthLevel = b.tlsAuthLevel;
    this.tlsDomain = b.tlsDomain;
    this.ignoreStartTls = b.ignoreStartTls;
    this.fqdn = b.fqdn;
    this.tlsCertificateName = b.tlsCertificateName;
    this.domainSecureEnabled = b.domainSecureEnabled;
    this.smartHosts = List.copyOf(b.smartHosts);
    Boolean dns = b.dnsRoutingEnabled;
    this.dnsRoutingEnabled = dns != null ? dns : smartHosts.isEmpty();
    if (tlsAuthLevel != null && !requireTls) {
      throw new IllegalArgumentException("TlsAuthLevel requires RequireTLS $true (" + CMDLET + ")");
    }
    if (requireTls && ignoreStartTls) {
      throw new IllegalArgumentException("IgnoreSTARTTLS must be $false when RequireTLS is $true (" + CMDLET + ")");
    }
    if (!dnsRoutingEnabled && smartHosts.isEmpty()) {
      throw new IllegalArgumentException("DNSRoutingEnabled $false requires SmartHosts (" + CMDLET + ")");
    }
    if (dnsRoutingEnabled && !smartHosts.isEmpty()) {
      throw new IllegalArgumentException("SmartHosts requires DNSRoutingEnabled $false (" + CMDLET + ")");
    }
    if (tlsAuthLevel == ExchangeTlsAuthLevel.DOMAIN_VALIDATION && !dnsRoutingEnabled && tlsDomain == null) {
      throw new IllegalArgumentException("TlsAuthLevel DomainValidation on a smart-host connector"
          + " (DNSRoutingEnabled $false) requires TlsDomain (" + CMDLET + ")");
    }
    if (domainSecureEnabled && (!dnsRoutingEnabled || ignoreStartTls)) {
      throw new IllegalArgumentException(
          "DomainSecureEnabled requires DNSRoutingEnabled $true and IgnoreSTARTTLS $false (" + CMDLET + ")");
    }
  }

  /** {@return a new builder; every setting starts at the cmdlet's default} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a connector from {@code Set-SendConnector} parameters (or {@code Get-SendConnector |
   * ConvertTo-Json} properties): keys case-insensitive, booleans {@code $true}/{@code true},
   * {@code TlsAuthLevel} by name, {@code SmartHosts} separated by commas, semicolons, {@code |} or
   * spaces. An empty value or {@code $null} is "not set".
   *
   * @param parameters the parameters, keys among {@link #PARAMETERS}
   * @return the connector
   * @throws IllegalArgumentException naming an unknown key, a bad value, or a rule the cmdlet
   *     enforces
   */
  public static ExchangeSendConnector fromParameters(Map<String, String> parameters) {
    ExchangeParameters p = ExchangeParameters.of(parameters, KIND, PARAMETERS);
    Builder b = builder();
    String name = p.name();
    if (name != null) {
      b.name(name);
    }
    Boolean require = p.bool("RequireTLS");
    if (require != null) {
      b.requireTls(require);
    }
    String level = p.get("TlsAuthLevel");
    if (level != null) {
      b.tlsAuthLevel(ExchangeTlsAuthLevel.parse("TlsAuthLevel", level));
    }
    String domain = p.get("TlsDomain");
    if (domain != null) {
      b.tlsDomain(domain);
    }
    Boolean ignore = p.bool("IgnoreSTARTTLS");
    if (ignore != null) {
      b.ignoreStartTls(ignore);
    }
    String fqdn = p.get("Fqdn");
    if (fqdn != null) {
      b.fqdn(fqdn);
    }
    String cert = p.get("TlsCertificateName");
    if (cert != null) {
      b.tlsCertificateName(ExchangeCertificateName.parse("TlsCertificateName", cert));
    }
    Boolean secure = p.bool("DomainSecureEnabled");
    if (secure != null) {
      b.domainSecureEnabled(secure);
    }
    List<String> hosts = p.list("SmartHosts");
    if (!hosts.isEmpty()) {
      b.smartHosts(hosts);
    }
    Boolean dns = p.bool("DNSRoutingEnabled");
    if (dns != null) {
      b.dnsRoutingEnabled(dns);
    }
    return b.build();
  }

  /**
   * Predicts delivery to the probed server with the recipient domain taken from the probe: the
   * parent domain of the probed host when its name has three labels or more ({@code
   * mx1.contoso.com} gives {@code contoso.com}), else the host name itself; none for an IP
   * literal (then {@code DomainValidation} without {@code TlsDomain} fails). Use {@link
   * #evaluate(InspectionReport, String)} when the recipient domain is known.
   *
   * @param report a completed probe of the receiving server
   * @return the verdict
   * @throws IllegalArgumentException if the report is aborted
   */
  @Override
  public PolicyVerdict evaluate(InspectionReport report) {
    requireNonNull(report, "report");
    return evaluate(report, recipientDomainOf(report));
  }

  /**
   * Predicts delivery of mail for a recipient domain to the probed server.
   *
   * @param report a completed probe of the receiving server
   * @param recipientDomain the domain of the recipients (what {@code DomainValidation} checks
   *     when {@code TlsDomain} is empty), or null when unknown
   * @return the verdict
   * @throws IllegalArgumentException if the report is aborted or the domain is not a domain name
   */
  public PolicyVerdict evaluate(InspectionReport report, @Nullable String recipientDomain) {
    requireNonNull(report, "report");
    String recipient = recipientDomain == null
        ? null : ExchangeParameters.domain("recipientDomain", recipientDomain, false, CMDLET);
    ExchangeTlsAuthLevel level = tlsAuthLevel;
    String pattern = tlsDomain != null ? tlsDomain : recipient;
    String source = tlsDomain != null ? "TlsDomain" : "the recipient domain";
    if (domainSecureEnabled) {
      level = ExchangeTlsAuthLevel.DOMAIN_VALIDATION;
      pattern = recipient;
      source = "the recipient domain, for Domain Security";
    } else if (requireTls && level == null) {
      level = ExchangeTlsAuthLevel.ENCRYPTION_ONLY;
    }
    return ExchangeSending.evaluate(report, new ExchangeSending.Rules(ExchangeSending.Dialect.SERVER,
        ignoreStartTls, requireTls || domainSecureEnabled, level, pattern, source, null,
        CMDLET + " " + ExchangeParameters.quote(name == null ? "<Send connector>" : name), "TlsAuthLevel"));
  }

  private static @Nullable String recipientDomainOf(InspectionReport report) {
    if (!report.target().hostIsName()) {
      return null;
    }
    String host = report.target().host().toLowerCase(java.util.Locale.ROOT);
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    String[] labels = host.split("\\.");
    return labels.length >= 3 ? host.substring(host.indexOf('.') + 1) : host;
  }

  /** {@return the connector's name, used in the remediation commands, or null} */
  public @Nullable String name() {
    return name;
  }

  /** {@return {@code RequireTLS}} */
  public boolean requireTls() {
    return requireTls;
  }

  /** {@return {@code TlsAuthLevel}, or null when not set} */
  public @Nullable ExchangeTlsAuthLevel tlsAuthLevel() {
    return tlsAuthLevel;
  }

  /** {@return {@code TlsDomain}, lower case, or null} */
  public @Nullable String tlsDomain() {
    return tlsDomain;
  }

  /** {@return {@code IgnoreSTARTTLS}} */
  public boolean ignoreStartTls() {
    return ignoreStartTls;
  }

  /** {@return {@code Fqdn}, the EHLO name this connector sends, or null for the server's FQDN} */
  public @Nullable String fqdn() {
    return fqdn;
  }

  /** {@return {@code TlsCertificateName}, the certificate this connector presents, or null} */
  public @Nullable ExchangeCertificateName tlsCertificateName() {
    return tlsCertificateName;
  }

  /** {@return {@code DomainSecureEnabled}} */
  public boolean domainSecureEnabled() {
    return domainSecureEnabled;
  }

  /** {@return {@code SmartHosts}, empty for DNS (MX) routing} */
  public List<String> smartHosts() {
    return smartHosts;
  }

  /** {@return {@code DNSRoutingEnabled}} */
  public boolean dnsRoutingEnabled() {
    return dnsRoutingEnabled;
  }

  @Override
  public String toString() {
    return KIND + "{RequireTLS=" + requireTls + ", TlsAuthLevel=" + tlsAuthLevel + ", TlsDomain=" + tlsDomain
        + ", IgnoreSTARTTLS=" + ignoreStartTls + ", DomainSecureEnabled=" + domainSecureEnabled
        + ", DNSRoutingEnabled=" + dnsRoutingEnabled + ", SmartHosts=" + smartHosts + "}";
  }

  /**
   * Builds an {@link ExchangeSendConnector}. Each setter validates its value at once (a bad value
   * is an {@link IllegalArgumentException} naming the parameter); {@link #build()} checks the
   * rules between parameters. Not thread-safe.
   */
  public static final class Builder {
    private @Nullable String name;
    private boolean requireTls;
    private @Nullable ExchangeTlsAuthLevel tlsAuthLevel;
    private @Nullable String tlsDomain;
    private boolean ignoreStartTls;
    private @Nullable String fqdn;
    private @Nullable ExchangeCertificateName tlsCertificateName;
    private boolean domainSecureEnabled;
    private List<String> smartHosts = List.of();
    private @Nullable Boolean dnsRoutingEnabled;

    Builder() {}

    /**
     * The connector's name, for the commands in remediations.
     *
     * @param name e.g. {@code To Contoso}
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
     * {@code RequireTLS}: mail over this connector must use TLS (default false).
     *
     * @param on the value
     * @return this builder
     */
    public Builder requireTls(boolean on) {
      this.requireTls = on;
      return this;
    }

    /**
     * {@code TlsAuthLevel}.
     *
     * @param level the level, or null for not set
     * @return this builder
     */
    public Builder tlsAuthLevel(@Nullable ExchangeTlsAuthLevel level) {
      this.tlsAuthLevel = level;
      return this;
    }

    /**
     * {@code TlsDomain}: the domain the certificate must cover under {@code DomainValidation};
     * {@code *.contoso.com} allowed.
     *
     * @param domain the domain, or null for not set
     * @return this builder
     * @throws IllegalArgumentException if not a domain name
     */
    public Builder tlsDomain(@Nullable String domain) {
      this.tlsDomain = domain == null ? null : ExchangeParameters.domain("TlsDomain", domain, true, CMDLET);
      return this;
    }

    /**
     * {@code IgnoreSTARTTLS} (default false).
     *
     * @param on the value
     * @return this builder
     */
    public Builder ignoreStartTls(boolean on) {
      this.ignoreStartTls = on;
      return this;
    }

    /**
     * {@code Fqdn}: the name the connector uses in EHLO.
     *
     * @param fqdn a host name, or null for the server's FQDN
     * @return this builder
     * @throws IllegalArgumentException if not a host name
     */
    public Builder fqdn(@Nullable String fqdn) {
      this.fqdn = fqdn == null ? null : ExchangeParameters.domain("Fqdn", fqdn, false, CMDLET);
      return this;
    }

    /**
     * {@code TlsCertificateName}: the certificate the connector presents.
     *
     * @param name the name, or null
     * @return this builder
     */
    public Builder tlsCertificateName(@Nullable ExchangeCertificateName name) {
      this.tlsCertificateName = name;
      return this;
    }

    /**
     * {@code DomainSecureEnabled} (default false).
     *
     * @param on the value
     * @return this builder
     */
    public Builder domainSecureEnabled(boolean on) {
      this.domainSecureEnabled = on;
      return this;
    }

    /**
     * {@code SmartHosts}: FQDNs or IP addresses (optionally in brackets) the connector relays
     * through. Setting smart hosts implies {@code DNSRoutingEnabled $false} unless set otherwise.
     *
     * @param hosts the hosts
     * @return this builder
     * @throws IllegalArgumentException if a host is neither a host name nor an IP address
     */
    public Builder smartHosts(List<String> hosts) {
      List<String> out = new ArrayList<>();
      for (String h : requireNonNull(hosts, "hosts")) {
        out.add(ExchangeParameters.smartHost("SmartHosts", h, CMDLET));
      }
      this.smartHosts = List.copyOf(out);
      return this;
    }

    /**
     * {@code DNSRoutingEnabled}: route by MX records (default true without smart hosts).
     *
     * @param on the value
     * @return this builder
     */
    public Builder dnsRoutingEnabled(boolean on) {
      this.dnsRoutingEnabled = on;
      return this;
    }

    /**
     * Builds the connector.
     *
     * @return the immutable connector
     * @throws IllegalArgumentException naming the parameter when a rule of {@code Set-SendConnector}
     *     is broken
     */
    public ExchangeSendConnector build() {
      return new ExchangeSendConnector(this);
    }
  }
}
