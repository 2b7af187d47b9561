package dev.smtptls.connector;

import static java.util.Objects.requireNonNull;

import dev.smtptls.connector.PolicyVerdict.Outcome;
import dev.smtptls.dns.DaneLookup;
import dev.smtptls.dns.DaneStatus;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.PlaintextCheck;
import dev.smtptls.inspect.StartTlsOutcome;
import dev.smtptls.smtp.SmtpReply;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The Postfix SMTP client's TLS rules (smtp(8); postconf(5); Postfix TLS_README "Client-side TLS
 * security levels"): {@code smtp_tls_security_level} with the parameters that refine it, and
 * per-destination overrides from {@code smtp_tls_policy_maps}.
 *
 * <p>{@link #evaluate(InspectionReport)} predicts, by the level in force for the probed server
 * (the policy table entry for its next hop, else {@code smtp_tls_security_level}):
 *
 * <ul>
 *   <li>{@code none}: clear text, STARTTLS never used; a server that refuses {@code MAIL FROM}
 *       before STARTTLS (the probe's plaintext check) defers (4xx) or bounces (5xx) the mail;
 *   <li>{@code may}: as {@link OpportunisticPolicy}: TLS when offered, clear text otherwise;
 *   <li>{@code encrypt}: TLS or the mail is deferred ({@code QUEUED}) with Postfix's text: {@value
 *       PostfixTls#NOT_OFFERED} (also when a firewall hides STARTTLS: Postfix follows the EHLO
 *       reply), {@value PostfixTls#REFUSED} or {@value PostfixTls#HANDSHAKE_FAILURE}; a negotiated
 *       protocol outside {@code smtp_tls_mandatory_protocols} (or the entry's {@code protocols=})
 *       fails the handshake: {@value PostfixTls#HANDSHAKE_FAILURE};
 *   <li>{@code fingerprint}: also the leaf certificate's or its public key's fingerprint ({@code
 *       smtp_tls_fingerprint_digest}) must be one of {@code smtp_tls_fingerprint_cert_match} (or
 *       {@code match=}), else {@value PostfixTls#NOT_TRUSTED};
 *   <li>{@code verify} and {@code secure}: also the chain must be trusted, else {@value
 *       PostfixTls#NOT_TRUSTED}, and a name of the certificate must match {@code
 *       smtp_tls_verify_cert_match} (default {@code hostname}) or {@code smtp_tls_secure_cert_match}
 *       (default {@code nexthop, dot-nexthop}), else {@value PostfixTls#NOT_VERIFIED}. Postfix checks
 *       no revocation, so an unreachable CRL changes nothing; trust is read from the report's
 *       certificate check (without one, the chain counts as not trusted);
 *   <li>{@code dane} and {@code dane-only}: with {@code smtp_dns_support_level = dnssec} and a
 *       {@link Builder#daneLookup(DaneLookup) DANE lookup} whose records are usable, TLS is required
 *       and the chain must match a TLSA record (core's {@code DaneChecker}), else {@value
 *       PostfixTls#NOT_TRUSTED}. Without usable TLSA data (none given — postconf carries none — or
 *       no DNSSEC), {@code dane} acts as {@code may}, and as {@code encrypt} when the records are
 *       secure but unusable (TLS_README, RFC 7672 §2.2); {@code dane-only} defers the mail (no
 *       document gives the text: null). A bogus DNSSEC answer defers under both (text null).
 * </ul>
 *
 * <p>The smtpResponse is what Postfix logs in {@code status=deferred (...)}: the texts of {@code
 * src/smtp/smtp_proto.c}. A session that fails before STARTTLS is predicted as by {@link
 * OpportunisticPolicy}. The next-hop domain of the {@code secure} and {@code nexthop} matching
 * defaults to the probed host (as for a {@code [host]} next hop without MX lookup).
 *
 * @param securityLevel {@code smtp_tls_security_level}
 * @param verifyCertMatch {@code smtp_tls_verify_cert_match}
 * @param secureCertMatch {@code smtp_tls_secure_cert_match}
 * @param mandatoryProtocols {@code smtp_tls_mandatory_protocols}, empty for every protocol
 * @param fingerprintDigest {@code smtp_tls_fingerprint_digest}: {@code md5}, {@code sha1}, {@code
 *     sha256} (the default from Postfix 3.6) or {@code sha512}
 * @param fingerprintCertMatch {@code smtp_tls_fingerprint_cert_match}, fingerprints as {@code
 *     AB:CD:...}
 * @param dnsSupportLevel {@code smtp_dns_support_level}: empty, {@code disabled}, {@code enabled} or
 *     {@code dnssec}
 * @param policyMap the entries of {@code smtp_tls_policy_maps}
 * @param nexthop the next-hop domain, or null for the probed host
 * @param daneLookup the TLSA records of the probed host, or null when none were looked up
 */
public record PostfixClientPolicy(
    Level securityLevel,
    List<String> verifyCertMatch,
    List<String> secureCertMatch,
    String mandatoryProtocols,
    String fingerprintDigest,
    List<String> fingerprintCertMatch,
    String dnsSupportLevel,
    List<PostfixPolicyEntry> policyMap,
    @Nullable String nexthop,
    @Nullable DaneLookup daneLookup)
    implements ConnectorPolicy {

  /** The CLI kind ({@code CONTRACT.md}), shared with {@link PostfixServerPolicy}. */
  public static final String KIND = "postfix";

  /** The parameters {@link #fromParameters(Map)} knows, as postconf(5) names them. */
  public static final List<String> PARAMETERS = List.of(
      "smtp_tls_security_level",
      "smtp_tls_verify_cert_match",
      "smtp_tls_secure_cert_match",
      "smtp_tls_mandatory_protocols",
      "smtp_tls_fingerprint_digest",
      "smtp_tls_fingerprint_cert_match",
      "smtp_tls_policy_maps",
      "smtp_dns_support_level",
      "compatibility_level");

  /** The Postfix client security levels, as {@code smtp_tls_security_level} names them. */
  public enum Level {
    /** No TLS. */
    NONE,
    /** Opportunistic TLS. */
    MAY,
    /** Mandatory TLS, no certificate checks. */
    ENCRYPT,
    /** Opportunistic DANE (RFC 7672). */
    DANE,
    /** Mandatory DANE. */
    DANE_ONLY,
    /** Certificate fingerprint verification. */
    FINGERPRINT,
    /** Mandatory TLS with a trusted certificate whose name matches {@code smtp_tls_verify_cert_match}. */
    VERIFY,
    /** Like verify, with {@code smtp_tls_secure_cert_match} and without trusting MX lookups. */
    SECURE;

    /** {@return the value as postconf writes it, e.g. {@code dane-only}} */
    public String value() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Parses a level as postconf accepts it (case-insensitive).
     *
     * @param parameter the parameter, for the error
     * @param value e.g. {@code verify}
     * @return the level
     * @throws IllegalArgumentException naming the parameter and the levels
     */
    public static Level parse(String parameter, String value) {
      for (Level l : values()) {
        if (l.value().equalsIgnoreCase(value.trim())) {
          return l;
        }
      }
      throw new IllegalArgumentException(parameter + ": unknown security level \"" + value + "\" (known: "
          + String.join(", ", java.util.Arrays.stream(values()).map(Level::value).toList()) + ")");
    }
  }

  /**
   * Validates as Postfix does at start-up.
   *
   * @throws IllegalArgumentException naming the parameter: a fingerprint level without
   *     fingerprints, an unknown digest, protocol or DNS support level, an empty match list
   */
  public PostfixClientPolicy {
    requireNonNull(securityLevel, "securityLevel");
    verifyCertMatch = List.copyOf(verifyCertMatch);
    secureCertMatch = List.copyOf(secureCertMatch);
    requireNonNull(mandatoryProtocols, "mandatoryProtocols");
    requireNonNull(fingerprintDigest, "fingerprintDigest");
    fingerprintCertMatch = List.copyOf(fingerprintCertMatch);
    requireNonNull(dnsSupportLevel, "dnsSupportLevel");
    policyMap = List.copyOf(policyMap);
    if (verifyCertMatch.isEmpty()) {
      throw new IllegalArgumentException("smtp_tls_verify_cert_match is empty (postconf(5) default: hostname)");
    }
    if (secureCertMatch.isEmpty()) {
      throw new IllegalArgumentException(
          "smtp_tls_secure_cert_match is empty (postconf(5) default: nexthop, dot-nexthop)");
    }
    PostfixTls.allowedProtocols("smtp_tls_mandatory_protocols", mandatoryProtocols);
    if (!List.of("md5", "sha1", "sha256", "sha512").contains(fingerprintDigest)) {
      throw new IllegalArgumentException("smtp_tls_fingerprint_digest must be md5, sha1, sha256 or sha512: "
          + fingerprintDigest);
    }
    if (!List.of("", "disabled", "enabled", "dnssec").contains(dnsSupportLevel)) {
      throw new IllegalArgumentException(
          "smtp_dns_support_level must be disabled, enabled or dnssec: " + dnsSupportLevel);
    }
    if (securityLevel == Level.FINGERPRINT && fingerprintCertMatch.isEmpty()) {
      throw new IllegalArgumentException("smtp_tls_security_level = fingerprint requires"
          + " smtp_tls_fingerprint_cert_match (the fingerprints to accept; postconf(5))");
    }
    for (PostfixPolicyEntry e : policyMap) {
      if (e.level() == Level.FINGERPRINT && e.match().isEmpty()) {
        throw new IllegalArgumentException("smtp_tls_policy_maps: the fingerprint level of " + e.destination()
            + " requires match= with the fingerprints to accept (TLS_README)");
      }
    }
    if (nexthop != null && nexthop.isBlank()) {
      throw new IllegalArgumentException("nexthop is blank");
    }
  }

  /** {@return a builder with Postfix's defaults: level none, as before compatibility_level 3.11} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A policy from postconf parameters (keys case-insensitive, values as in main.cf).
   * {@code smtp_tls_policy_maps} must be an {@code inline:{ destination = level attrs, ... }}
   * table here (a file's text goes through {@link PostfixConfig}). Without {@code
   * smtp_tls_security_level} the level is {@code may} at {@code compatibility_level} 3.11 or later,
   * else {@code none} (postconf(5)).
   *
   * @param parameters the parameters
   * @return the policy
   * @throws IllegalArgumentException for an unknown key (listing the known ones) or a value Postfix
   *     would refuse
   */
  public static PostfixClientPolicy fromParameters(Map<String, String> parameters) {
    return fromParameters(parameters, true, List.of());
  }

  static PostfixClientPolicy fromParameters(
      Map<String, String> parameters, boolean strict, List<PostfixPolicyEntry> fileEntries) {
    Map<String, String> p = PostfixParameters.normalise(parameters, PARAMETERS, strict, KIND);
    Builder b = builder();
    String level = p.getOrDefault("smtp_tls_security_level", "").trim();
    if (level.isEmpty()) {
      b.securityLevel(PostfixParameters.compatibilityAtLeast(p.get("compatibility_level"), 3, 11)
          ? Level.MAY : Level.NONE);
    } else {
      b.securityLevel(Level.parse("smtp_tls_security_level", level));
    }
    Optional.ofNullable(p.get("smtp_tls_verify_cert_match"))
        .ifPresent(v -> b.verifyCertMatch(PostfixParameters.list(v)));
    Optional.ofNullable(p.get("smtp_tls_secure_cert_match"))
        .ifPresent(v -> b.secureCertMatch(PostfixParameters.list(v)));
    Optional.ofNullable(p.get("smtp_tls_mandatory_protocols")).ifPresent(b::mandatoryProtocols);
    Optional.ofNullable(p.get("smtp_tls_fingerprint_digest"))
        .ifPresent(v -> b.fingerprintDigest(v.trim().toLowerCase(Locale.ROOT)));
    Optional.ofNullable(p.get("smtp_tls_fingerprint_cert_match"))
        .ifPresent(v -> b.fingerprintCertMatch(List.of(v.trim().split("[\\s,]+"))));
    Optional.ofNullable(p.get("smtp_dns_support_level")).ifPresent(v -> b.dnsSupportLevel(v.trim()));
    String maps = p.get("smtp_tls_policy_maps");
    if (maps != null && !maps.isBlank()) {
      if (maps.trim().startsWith("inline:")) {
        PostfixParameters.inlineTable("smtp_tls_policy_maps", maps).forEach(b::policyEntry);
      } else if (strict) {
        throw new IllegalArgumentException("smtp_tls_policy_maps = " + maps.trim() + " names a table file:"
            + " give its entries as inline:{ destination = level attributes, ... }, or read main.cf and"
            + " the table with PostfixConfig");
      }
    }
    fileEntries.forEach(b::policyEntry);
    return b.build();
  }

  /**
   * The entry of {@link #policyMap()} Postfix uses for the probed server: {@code [host]:port}
   * (or {@code [host]} on port 25) first, then the next-hop domain, then the nearest {@code
   * .parent} domain.
   *
   * @param report the probe
   * @return the entry, or empty when {@code smtp_tls_security_level} applies
   */
  public Optional<PostfixPolicyEntry> entryFor(InspectionReport report) {
    String host = report.target().host();
    int port = report.target().port();
    String hop = nexthop == null ? host : nexthop;
    for (PostfixPolicyEntry e : policyMap) {
      if (e.destination().startsWith("[") && e.appliesTo(host, port, hop)) {
        return Optional.of(e);
      }
    }
    for (PostfixPolicyEntry e : policyMap) {
      if (!e.destination().startsWith("[") && !e.destination().startsWith(".") && e.appliesTo(host, port, hop)) {
        return Optional.of(e);
      }
    }
    return policyMap.stream().filter(e -> e.destination().startsWith(".") && e.appliesTo(host, port, hop))
        .max((a, c) -> Integer.compare(a.destination().length(), c.destination().length()));
  }

  @Override
  public PolicyVerdict evaluate(InspectionReport report) {
    requireNonNull(report, "report");
    PolicyVerdict base = Evaluation.evaluate(report, false, null);
    Optional<PostfixPolicyEntry> entry = entryFor(report);
    Level level = entry.map(PostfixPolicyEntry::level).orElse(securityLevel);
    List<String> match = entry.map(PostfixPolicyEntry::match).filter(m -> !m.isEmpty()).orElse(switch (level) {
      case VERIFY -> verifyCertMatch;
      case SECURE -> secureCertMatch;
      case FINGERPRINT -> fingerprintCertMatch;
      default -> List.of();
    });
    String protocols = entry.map(PostfixPolicyEntry::protocols).orElse(mandatoryProtocols);
    DaneLookup dane = dnsSupportLevel.equals("dnssec") ? daneLookup : null;
    return switch (level) {
      case NONE -> clearText(report, base);
      case MAY -> base;
      case DANE, DANE_ONLY -> dane(report, base, level, dane, protocols);
      default -> mandatory(report, base, level, match, protocols, null);
    };
  }

  private PolicyVerdict dane(
      InspectionReport report, PolicyVerdict base, Level level, @Nullable DaneLookup lookup, String protocols) {
    DaneStatus status = lookup == null ? DaneStatus.NO_RECORDS : lookup.status();
    if (lookup != null && status == DaneStatus.MATCH) {
      return mandatory(report, base, level, List.of(), protocols, lookup);
    }
    if (status == DaneStatus.BOGUS && lookup != null) {
      return PostfixTls.verdict(report, Outcome.QUEUED, null, lookup.findings(), List.of());
    }
    if (level == Level.DANE_ONLY) {
      Finding none = Finding.of(FindingCode.DANE_INSECURE,
          "smtp_tls_security_level = dane-only requires DNSSEC-validated, usable TLSA records for "
              + report.target().host() + (lookup == null ? "; none were given" : ": " + lookup.detail()),
          "host", report.target().host(), "name", "_" + report.target().port() + "._tcp." + report.target().host())
          .withSeverity(Severity.ERROR);
      return PostfixTls.verdict(report, Outcome.QUEUED, null, List.of(none), List.of(policyLine(report, "dane")));
    }
    if (status == DaneStatus.UNUSABLE && lookup != null) {
      PolicyVerdict v = mandatory(report, base, Level.ENCRYPT, List.of(), protocols, null);
      return PostfixTls.verdict(report, v.outcome(), v.smtpResponse(), PostfixTls.plus(v.reasons(), lookup.findings()),
          v.remediations());
    }
    return base;
  }

  private static PolicyVerdict clearText(InspectionReport report, PolicyVerdict base) {
    if (report.startTls() instanceof StartTlsOutcome.NotAttempted) {
      return base;
    }
    Remediation useTls = new Remediation("smtp_tls_security_level = none never uses STARTTLS: let the Postfix"
        + " client encrypt whenever the server offers it (opportunistic TLS, RFC 3207).",
        "postconf -e 'smtp_tls_security_level = may'\npostfix reload");
    PlaintextCheck plaintext = report.plaintext();
    if (plaintext != null && !plaintext.mailFromAccepted()) {
      SmtpReply r = plaintext.reply();
      List<Finding> reasons = report.finding(FindingCode.TLS_REQUIRED_BY_SERVER).map(List::of).orElse(List.of());
      return PostfixTls.verdict(report, r.isPermanentNegative() ? Outcome.REJECTED : Outcome.QUEUED, r.oneLine(),
          reasons, List.of(useTls));
    }
    return PostfixTls.verdict(report, Outcome.DELIVERED_PLAINTEXT, null, List.of(),
        report.ehlo() != null && report.ehlo().supports("STARTTLS") ? List.of(useTls) : List.of());
  }

  private PolicyVerdict mandatory(
      InspectionReport report, PolicyVerdict base, Level level, List<String> match, String protocols,
      @Nullable DaneLookup lookup) {
    if (report.startTls() instanceof StartTlsOutcome.NotAttempted) {
      return base;
    }
    if (!PostfixTls.upgradedAsAdvertised(report)) {
      PolicyVerdict forced = Evaluation.evaluate(report, true, null);
      return PostfixTls.verdict(report, Outcome.QUEUED, PostfixTls.noTlsText(report), forced.reasons(),
          List.of(policyLine(report, "may")));
    }
    if (base.outcome() != Outcome.DELIVERED_TLS) {
      return base; // the session broke after TLS
    }
    StartTlsOutcome.Upgraded u = (StartTlsOutcome.Upgraded) report.startTls();
    List<String> allowed = PostfixTls.allowedProtocols("smtp_tls_mandatory_protocols", protocols);
    if (!allowed.contains(u.protocol())) {
      Finding weak = Finding.of(FindingCode.TLS_PROTOCOL_WEAK, "The server negotiated " + u.protocol()
              + ", which the Postfix client's protocols (" + protocols + ") exclude: the handshake fails.",
          "protocol", u.protocol()).withSeverity(Severity.ERROR);
      return PostfixTls.verdict(report, Outcome.QUEUED, PostfixTls.HANDSHAKE_FAILURE, List.of(weak), List.of());
    }
    List<X509Certificate> chain = report.peerChain();
    String host = report.target().host();
    switch (level) {
      case FINGERPRINT -> {
        List<String> actual = chain.isEmpty() ? List.of() : PostfixTls.fingerprints(chain.get(0), fingerprintDigest);
        boolean ok = actual.stream().anyMatch(a -> match.stream().anyMatch(m -> normalise(m).equals(normalise(a))));
        if (!ok) {
          Finding f = Finding.of(FindingCode.CERT_UNTRUSTED, "The " + fingerprintDigest
                  + " fingerprint of the server's certificate (" + (actual.isEmpty() ? "none" : actual.get(0))
                  + ") matches none of the fingerprints the Postfix client accepts.",
              "fingerprint", actual.isEmpty() ? "" : actual.get(0), "match", match);
          List<Remediation> fix = actual.isEmpty() ? List.of() : List.of(new Remediation(
              "If the server's new certificate is genuine (check its fingerprint with the server's"
                  + " administrator), accept it in the policy table, then postmap the table:",
              "[" + host + "]:" + report.target().port() + " fingerprint match=" + actual.get(0)));
          return PostfixTls.verdict(report, Outcome.QUEUED, PostfixTls.NOT_TRUSTED, List.of(f), fix);
        }
      }
      case VERIFY, SECURE -> {
        List<Finding> untrusted = PostfixTls.trustProblems(report);
        if (!untrusted.isEmpty()) {
          return PostfixTls.verdict(report, Outcome.QUEUED, PostfixTls.NOT_TRUSTED, untrusted, List.of(new Remediation(
              "The Postfix client trusts the CAs of smtp_tls_CAfile / smtp_tls_CApath: if the server's CA is"
                  + " one you should trust, add it there; otherwise the server needs a certificate from a"
                  + " public CA.",
              "postconf -e 'smtp_tls_CAfile = /etc/ssl/certs/ca-certificates.crt'\npostfix reload")));
        }
        List<String> names = PostfixTls.leafNames(report);
        String hop = nexthop == null ? host : nexthop;
        if (PostfixTls.matchingName(names, match, host, hop) == null) {
          Map<String, Object> ev = new LinkedHashMap<>();
          ev.put("names", names);
          ev.put("expected", String.join(", ", match));
          Finding f = new Finding(FindingCode.CERT_NAME_MISMATCH, Severity.ERROR,
              "No name of the server's certificate (" + String.join(", ", names) + ") matches the Postfix client's "
                  + (level == Level.VERIFY ? "smtp_tls_verify_cert_match" : "smtp_tls_secure_cert_match")
                  + " (" + String.join(", ", match) + ") for " + host + ".", ev);
          List<Remediation> fix = names.isEmpty() ? List.of() : List.of(new Remediation(
              "Either the server gets a certificate naming " + host + ", or, if the names it has are right for"
                  + " this destination, the policy table says so (then postmap the table):",
              "[" + host + "]:" + report.target().port() + " " + level.value() + " match="
                  + String.join(":", names)));
          return PostfixTls.verdict(report, Outcome.QUEUED, PostfixTls.NOT_VERIFIED, List.of(f), fix);
        }
      }
      case DANE, DANE_ONLY -> {
        if (lookup != null) {
          PolicyVerdict v = DanePolicy.matchVerdict(report, lookup);
          if (v != null) {
            return new PolicyVerdict(v.outcome(), PostfixTls.NOT_TRUSTED, v.reasons(), v.remediations());
          }
        }
      }
      default -> {
        // encrypt: no certificate checks
      }
    }
    return base;
  }

  private static String normalise(String fingerprint) {
    return fingerprint.replace(":", "").trim().toUpperCase(Locale.ROOT);
  }

  private static Remediation policyLine(InspectionReport report, String level) {
    String table = "/etc/postfix/tls_policy";
    return new Remediation("To deliver to this server anyway (in clear when it offers no TLS) while it is being"
        + " fixed, lower the level for this destination only in the smtp_tls_policy_maps table, and remove"
        + " the line once the server offers STARTTLS again.",
        "echo '[" + report.target().host() + "]:" + report.target().port() + " " + level + "' >> " + table + "\n"
            + "postmap " + table + "\n"
            + "postconf -e 'smtp_tls_policy_maps = hash:" + table + "'\n"
            + "postfix reload");
  }

  /** Builds a {@link PostfixClientPolicy}. Not thread-safe. */
  public static final class Builder {
    private Level securityLevel = Level.NONE;
    private List<String> verifyCertMatch = List.of("hostname");
    private List<String> secureCertMatch = List.of("nexthop", "dot-nexthop");
    private String mandatoryProtocols = "";
    private String fingerprintDigest = "sha256";
    private List<String> fingerprintCertMatch = List.of();
    private String dnsSupportLevel = "";
    private final List<PostfixPolicyEntry> policyMap = new ArrayList<>();
    private @Nullable String nexthop;
    private @Nullable DaneLookup daneLookup;

    private Builder() {}

    /**
     * {@code smtp_tls_security_level}.
     *
     * @param level the level
     * @return this builder
     */
    public Builder securityLevel(Level level) {
      this.securityLevel = requireNonNull(level, "level");
      return this;
    }

    /**
     * {@code smtp_tls_verify_cert_match}; default {@code hostname}.
     *
     * @param strategies {@code hostname}, {@code nexthop}, {@code dot-nexthop}, names, {@code .domain}
     * @return this builder
     */
    public Builder verifyCertMatch(List<String> strategies) {
      this.verifyCertMatch = List.copyOf(strategies);
      return this;
    }

    /**
     * {@code smtp_tls_secure_cert_match}; default {@code nexthop, dot-nexthop}.
     *
     * @param strategies as for {@link #verifyCertMatch(List)}
     * @return this builder
     */
    public Builder secureCertMatch(List<String> strategies) {
      this.secureCertMatch = List.copyOf(strategies);
      return this;
    }

    /**
     * {@code smtp_tls_mandatory_protocols}, e.g. {@code >=TLSv1.2} or {@code !SSLv2, !SSLv3}.
     *
     * @param protocols the list
     * @return this builder
     */
    public Builder mandatoryProtocols(String protocols) {
      this.mandatoryProtocols = requireNonNull(protocols, "protocols");
      return this;
    }

    /**
     * {@code smtp_tls_fingerprint_digest}; default {@code sha256}.
     *
     * @param digest md5, sha1, sha256 or sha512
     * @return this builder
     */
    public Builder fingerprintDigest(String digest) {
      this.fingerprintDigest = requireNonNull(digest, "digest");
      return this;
    }

    /**
     * {@code smtp_tls_fingerprint_cert_match}.
     *
     * @param fingerprints {@code AB:CD:...} of certificates or public keys
     * @return this builder
     */
    public Builder fingerprintCertMatch(List<String> fingerprints) {
      this.fingerprintCertMatch = List.copyOf(fingerprints);
      return this;
    }

    /**
     * {@code smtp_dns_support_level}; DANE needs {@code dnssec}.
     *
     * @param level empty, disabled, enabled or dnssec
     * @return this builder
     */
    public Builder dnsSupportLevel(String level) {
      this.dnsSupportLevel = requireNonNull(level, "level");
      return this;
    }

    /**
     * Adds an {@code smtp_tls_policy_maps} entry.
     *
     * @param entry the entry
     * @return this builder
     */
    public Builder policyEntry(PostfixPolicyEntry entry) {
      policyMap.add(requireNonNull(entry, "entry"));
      return this;
    }

    /**
     * The next-hop domain (the recipient domain for MX delivery); default the probed host.
     *
     * @param domain the domain
     * @return this builder
     */
    public Builder nexthop(String domain) {
      this.nexthop = requireNonNull(domain, "domain");
      return this;
    }

    /**
     * The TLSA records of the probed host for the dane levels (from core's {@code DaneChecker}, or
     * built from given records with DNSSEC SECURE); used with {@code smtp_dns_support_level = dnssec}.
     *
     * @param lookup the lookup
     * @return this builder
     */
    public Builder daneLookup(DaneLookup lookup) {
      this.daneLookup = requireNonNull(lookup, "lookup");
      return this;
    }

    /**
     * {@return the policy}
     *
     * @throws IllegalArgumentException as {@link PostfixClientPolicy#PostfixClientPolicy} says
     */
    public PostfixClientPolicy build() {
      return new PostfixClientPolicy(securityLevel, verifyCertMatch, secureCertMatch, mandatoryProtocols,
          fingerprintDigest, fingerprintCertMatch, dnsSupportLevel, policyMap, nexthop, daneLookup);
    }
  }
}
