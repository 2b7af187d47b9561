package dev.smtptls.connector;

import static java.util.Objects.requireNonNull;

import dev.smtptls.connector.PolicyVerdict.Outcome;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.sink.SenderReport;
import dev.smtptls.smtp.SmtpReply;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An Exchange Server Receive connector's TLS settings ({@code Set-ReceiveConnector}, Microsoft's
 * Exchange Server cmdlet reference; {@code reference/exchange-postfix-tls.md}): what a sender meets
 * at a server with this connector.
 *
 * <p>Validated as the cmdlet validates: {@code RequireTLS $true} needs {@code Tls} in {@code
 * AuthMechanism}; {@code BasicAuthRequireTLS} needs {@code BasicAuth} and {@code Tls}; {@code None}
 * stands alone; {@code TlsDomainCapabilities} entries read {@code domain:Capability}. {@code
 * AuthMechanism} defaults to {@code Tls} when not given.
 *
 * <p>{@link #evaluate(InspectionReport)} takes a probe of the server that hosts the connector and
 * predicts what a standard opportunistic sender (an Exchange Send connector with {@code RequireTLS
 * $false}) meets: {@code DELIVERED_TLS} when STARTTLS is offered and works; when the connector
 * requires TLS and the server does not deliver it, {@code QUEUED} with the seed document's {@code
 * 451 4.4.0 Primary target IP address responded with: "451 5.7.3 Must issue a STARTTLS command
 * first."} (the probe's own plaintext check wins when it ran); otherwise as {@link
 * OpportunisticPolicy}. The announced FQDN against {@code Fqdn} and the presented certificate
 * against {@code TlsCertificateName} add {@code CONNECTOR_FQDN_MISMATCH} / {@code
 * CONNECTOR_CERTIFICATE_MISMATCH} reasons (warnings: the outcome stays) with {@code
 * Set-ReceiveConnector -Fqdn} and {@code Enable-ExchangeCertificate ... -Services SMTP} fixes. What
 * the connector checks of the sender (its certificate under {@code TlsDomainCapabilities}) is not
 * visible in a probe. {@link #evaluate(SenderReport)} judges a sender that an {@link
 * dev.smtptls.sink.SmtpTlsSink} saw. Immutable and thread-safe.
 */
public final class ExchangeReceiveConnector implements ConnectorPolicy, SenderPolicy {

  /** The {@code KIND} of {@code CONTRACT.md}'s {@code smtptls policy --connector}. */
  public static final String KIND = "exchange-receive";

  /** What Exchange answers MAIL before STARTTLS when the connector requires TLS (seed document). */
  public static final String TLS_REQUIRED_REPLY = "451 5.7.3 Must issue a STARTTLS command first.";

  private static final String CMDLET = "Set-ReceiveConnector";

  /** The parameter names {@link #fromParameters(Map)} knows, as the cmdlet spells them. */
  public static final List<String> PARAMETERS = List.of("Name", "Identity", "RequireTLS", "AuthMechanism", "Fqdn",
      "TlsCertificateName", "TlsDomainCapabilities");

  private final @Nullable String identity;
  private final boolean requireTls;
  private final Set<ExchangeAuthMechanism> authMechanism;
  private final @Nullable String fqdn;
  private final @Nullable ExchangeCertificateName tlsCertificateName;
  private final List<String> tlsDomainCapabilities;

  private ExchangeReceiveConnector(Builder b) {
    this.identity = b.identity;
    this.requireTls = b.requireTls;
    this.authMechanism = Set.copyOf(b.authMechanism);
    this.fqdn = b.fqdn;
    this.tlsCertificateName = b.tlsCertificateName;
    this.tlsDomainCapabilities = List.copyOf(b.tlsDomainCapabilities);
    if (authMechanism.isEmpty()) {
      throw new IllegalArgumentException("AuthMechanism is empty (" + CMDLET + ")");
    }
    if (requireTls && !authMechanism.contains(ExchangeAuthMechanism.TLS)) {
      throw new IllegalArgumentException("RequireTLS $true requires Tls in AuthMechanism (" + CMDLET + ")");
    }
    if (authMechanism.contains(ExchangeAuthMechanism.BASIC_AUTH_REQUIRE_TLS)
        && !authMechanism.containsAll(EnumSet.of(ExchangeAuthMechanism.BASIC_AUTH, ExchangeAuthMechanism.TLS))) {
      throw new IllegalArgumentException("AuthMechanism BasicAuthRequireTLS requires BasicAuth and Tls (" + CMDLET + ")");
    }
    if (authMechanism.contains(ExchangeAuthMechanism.NONE) && authMechanism.size() > 1) {
      throw new IllegalArgumentException("AuthMechanism None cannot be combined with other values (" + CMDLET + ")");
    }
  }

  /** {@return a new builder} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a connector from {@code Set-ReceiveConnector} parameters (or {@code
   * Get-ReceiveConnector | ConvertTo-Json} properties): keys case-insensitive, booleans {@code
   * $true}/{@code true}, {@code AuthMechanism} and {@code TlsDomainCapabilities} as lists separated
   * by commas, semicolons, {@code |} or spaces.
   *
   * @param parameters the parameters, keys among {@link #PARAMETERS}
   * @return the connector
   * @throws IllegalArgumentException naming an unknown key, a bad value or a broken rule
   */
  public static ExchangeReceiveConnector fromParameters(Map<String, String> parameters) {
    ExchangeParameters p = ExchangeParameters.of(parameters, KIND, PARAMETERS);
    Builder b = builder();
    String name = p.get("Identity") != null ? p.get("Identity") : p.get("Name");
    if (name != null) {
      b.identity(name);
    }
    Boolean require = p.bool("RequireTLS");
    if (require != null) {
      b.requireTls(require);
    }
    List<String> mechanisms = p.list("AuthMechanism");
    if (!mechanisms.isEmpty()) {
      List<ExchangeAuthMechanism> parsed = new ArrayList<>();
      mechanisms.forEach(m -> parsed.add(ExchangeAuthMechanism.parse(m)));
      b.authMechanism(parsed);
    }
    String fqdn = p.get("Fqdn");
    if (fqdn != null) {
      b.fqdn(fqdn);
    }
    String cert = p.get("TlsCertificateName");
    if (cert != null) {
      b.tlsCertificateName(ExchangeCertificateName.parse("TlsCertificateName", cert));
    }
    List<String> caps = p.list("TlsDomainCapabilities");
    if (!caps.isEmpty()) {
      b.tlsDomainCapabilities(caps);
    }
    return b.build();
  }

  /**
   * What a standard opportunistic sender meets at the probed server that hosts this connector.
   *
   * @param report a probe of the server
   * @return the verdict
   */
  @Override
  public PolicyVerdict evaluate(InspectionReport report) {
    requireNonNull(report, "report");
    return ExchangeReceiving.evaluate(report, requireTls, TLS_REQUIRED_REPLY, fqdn, tlsCertificateName,
        CMDLET + " " + ExchangeParameters.quote(identity == null ? "<Server>\\<Receive connector>" : identity));
  }

  /**
   * What a server with this connector would do with the mail of the sender a sink saw.
   *
   * <ul>
   *   <li>{@code AuthMechanism} without {@code Tls}: the connector does not offer STARTTLS, so the
   *       mail arrives in clear whatever the sender can do: {@code DELIVERED_PLAINTEXT}, reason
   *       {@code STARTTLS_NOT_OFFERED} (a WARNING), fix {@code -AuthMechanism Tls}.
   *   <li>{@code RequireTLS} and no STARTTLS: {@code QUEUED} with {@value #TLS_REQUIRED_REPLY}
   *       (Exchange's answer to {@code MAIL} before STARTTLS, seed document), reason {@code
   *       SENDER_NO_STARTTLS}.
   *   <li>Else {@code DELIVERED_TLS}, or {@code DELIVERED_PLAINTEXT} with {@code SENDER_NO_STARTTLS}.
   * </ul>
   *
   * <p>Domain security ({@code TlsDomainCapabilities}, mutual TLS with a partner's certificate) is
   * not modelled: which certificate Exchange then requires is configured elsewhere ({@code
   * Set-TransportConfig -TLSReceiveDomainSecureList}).
   *
   * @param report what the sink saw
   * @return the verdict
   */
  @Override
  public PolicyVerdict evaluate(SenderReport report) {
    requireNonNull(report, "report");
    String connector = CMDLET + " " + ExchangeParameters.quote(identity == null ? "<Server>\\<Receive connector>" : identity);
    if (!authMechanism.contains(ExchangeAuthMechanism.TLS)) {
      Finding f = new Finding(FindingCode.STARTTLS_NOT_OFFERED, Severity.WARNING,
          "The Receive connector's AuthMechanism has no Tls, so it does not offer STARTTLS: the sender's mail"
              + " arrives in clear whatever the sender could do.",
          java.util.Map.of("reply", "AuthMechanism " + authMechanism.stream().map(ExchangeAuthMechanism::productName)
              .sorted().toList()));
      return SenderEvaluation.verdict(Outcome.DELIVERED_PLAINTEXT, null, List.of(f), List.of(new Remediation(
          "Let the connector offer STARTTLS (it needs a certificate bound to SMTP that covers its Fqdn):",
          connector + " -AuthMechanism Tls")));
    }
    if (requireTls && !report.startTls().used()) {
      return SenderEvaluation.verdict(Outcome.QUEUED, TLS_REQUIRED_REPLY, List.of(SenderEvaluation.noStartTls(report)),
          List.of(SenderEvaluation.POSTFIX_MAY));
    }
    return SenderEvaluation.delivered(report, List.of());
  }

  /**
   * How a server with this connector behaves towards senders: it announces {@code Fqdn}, offers
   * STARTTLS when {@code AuthMechanism} has {@code Tls}, and with {@code RequireTLS} answers MAIL
   * before STARTTLS with {@value #TLS_REQUIRED_REPLY}; the certificate must cover {@code Fqdn}.
   *
   * @return the profile
   * @throws IllegalStateException if {@code Fqdn} is not set (it defaults to the server's FQDN,
   *     which only the server knows)
   */
  public ReceiveProfile receiveProfile() {
    String name = fqdn;
    if (name == null) {
      throw new IllegalStateException("receiveProfile needs the connector's Fqdn");
    }
    SmtpReply reply = requireTls ? SmtpReply.of(451, "5.7.3 Must issue a STARTTLS command first.") : null;
    return new ReceiveProfile(name, authMechanism.contains(ExchangeAuthMechanism.TLS), requireTls, reply, name);
  }

  /** {@return the connector's identity, used in the remediation commands, or null} */
  public @Nullable String identity() {
    return identity;
  }

  /** {@return {@code RequireTLS}} */
  public boolean requireTls() {
    return requireTls;
  }

  /** {@return {@code AuthMechanism}} */
  public Set<ExchangeAuthMechanism> authMechanism() {
    return authMechanism;
  }

  /** {@return {@code Fqdn}, or null for the server's FQDN} */
  public @Nullable String fqdn() {
    return fqdn;
  }

  /** {@return {@code TlsCertificateName}, or null} */
  public @Nullable ExchangeCertificateName tlsCertificateName() {
    return tlsCertificateName;
  }

  /** {@return {@code TlsDomainCapabilities} entries, {@code domain:Capability[,Capability]}} */
  public List<String> tlsDomainCapabilities() {
    return tlsDomainCapabilities;
  }

  @Override
  public String toString() {
    return KIND + "{RequireTLS=" + requireTls + ", AuthMechanism=" + authMechanism + ", Fqdn=" + fqdn
        + ", TlsCertificateName=" + tlsCertificateName + "}";
  }

  /** Builds an {@link ExchangeReceiveConnector}. Not thread-safe. */
  public static final class Builder {
    private @Nullable String identity;
    private boolean requireTls;
    private Set<ExchangeAuthMechanism> authMechanism = EnumSet.of(ExchangeAuthMechanism.TLS);
    private @Nullable String fqdn;
    private @Nullable ExchangeCertificateName tlsCertificateName;
    private List<String> tlsDomainCapabilities = List.of();

    Builder() {}

    /**
     * The connector's identity, for the commands in remediations.
     *
     * @param identity e.g. {@code EX01\Default Frontend EX01}
     * @return this builder
     * @throws IllegalArgumentException if blank
     */
    public Builder identity(String identity) {
      requireNonNull(identity, "identity");
      if (identity.isBlank()) {
        throw new IllegalArgumentException("Identity is blank");
      }
      this.identity = identity;
      return this;
    }

    /**
     * {@code RequireTLS} (default false).
     *
     * @param on the value
     * @return this builder
     */
    public Builder requireTls(boolean on) {
      this.requireTls = on;
      return this;
    }

    /**
     * {@code AuthMechanism} (default {@code Tls}); replaces the list, as the cmdlet does.
     *
     * @param mechanisms the mechanisms
     * @return this builder
     */
    public Builder authMechanism(List<ExchangeAuthMechanism> mechanisms) {
      requireNonNull(mechanisms, "AuthMechanism");
      this.authMechanism = mechanisms.isEmpty() ? EnumSet.noneOf(ExchangeAuthMechanism.class) : EnumSet.copyOf(mechanisms);
      return this;
    }

    /**
     * {@code Fqdn}: the name in the greeting and EHLO reply.
     *
     * @param fqdn a host name, or null
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
     * {@code TlsDomainCapabilities}: entries {@code domain:Capability}, e.g. {@code
     * mail.protection.outlook.com:AcceptCloudServicesMail}; an item without a colon adds a
     * capability to the entry before it.
     *
     * @param entries the entries
     * @return this builder
     * @throws IllegalArgumentException if an entry is malformed
     */
    public Builder tlsDomainCapabilities(List<String> entries) {
      List<String> out = new ArrayList<>();
      for (String e : requireNonNull(entries, "TlsDomainCapabilities")) {
        int colon = e.indexOf(':');
        if (colon < 0) {
          if (out.isEmpty() || !e.matches("[A-Za-z]+")) {
            throw new IllegalArgumentException("TlsDomainCapabilities entries read domain:Capability (" + CMDLET + "): " + e);
          }
          out.set(out.size() - 1, out.get(out.size() - 1) + "," + e);
          continue;
        }
        String domain = ExchangeParameters.domain("TlsDomainCapabilities", e.substring(0, colon), true, CMDLET);
        String caps = e.substring(colon + 1);
        if (!caps.matches("[A-Za-z]+(,[A-Za-z]+)*")) {
          throw new IllegalArgumentException("TlsDomainCapabilities entries read domain:Capability (" + CMDLET + "): " + e);
        }
        out.add(domain + ":" + caps);
      }
      this.tlsDomainCapabilities = List.copyOf(out);
      return this;
    }

    /**
     * Builds the connector.
     *
     * @return the immutable connector
     * @throws IllegalArgumentException naming the parameter when a rule is broken
     */
    public ExchangeReceiveConnector build() {
      return new ExchangeReceiveConnector(this);
    }
  }
}
