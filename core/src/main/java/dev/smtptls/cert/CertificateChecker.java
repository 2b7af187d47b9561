package dev.smtptls.cert;

import static java.util.Objects.requireNonNull;

import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.StartTlsOutcome;
import dev.smtptls.internal.cert.AiaCompletion;
import dev.smtptls.internal.cert.AiaFetcher;
import dev.smtptls.internal.cert.NameMatch;
import dev.smtptls.internal.cert.NameMatcher;
import dev.smtptls.internal.cert.PathProblem;
import dev.smtptls.internal.cert.PathResult;
import dev.smtptls.internal.cert.PathValidator;
import dev.smtptls.spi.RevocationChecker;
import dev.smtptls.spi.TrustSource;
import dev.smtptls.trust.TrustSources;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Validates a certificate chain for a mail server the way strict receivers do: a path to a
 * trusted root (built from what the server really sends: unordered, duplicated or superfluous
 * certificates), RFC 5280 checks on every certificate of it, key and signature strength, the
 * names per RFC 9525 (the expected host names and, as Exchange 2013+ and Exchange Online
 * require, the FQDN the server announces in its greeting and EHLO reply), expiry ahead, and
 * revocation through the {@link RevocationChecker} SPI. It reports every problem it finds, each
 * naming the certificate it concerns, not only the first.
 *
 * <pre>{@code
 * CertificateChecker checker = CertificateChecker.builder()
 *     .trustSource(TrustSources.system())
 *     .profile(CheckProfile.STRICT_RECEIVER)
 *     .build();
 * CertificateReport report = checker.check(chain,
 *     PeerIdentity.of("mx1.contoso.com").withAnnouncedFqdn("mail.contoso.com"));
 * report.findings().forEach(f -> System.out.println(f.code() + ": " + f.message()));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class CertificateChecker {

  /** The id-kp-serverAuth extended key usage (RFC 5280 §4.2.1.12). */
  public static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  /** The id-kp-clientAuth extended key usage (RFC 5280 §4.2.1.12). */
  public static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  private final List<TrustSource> trustSources;
  private final Clock clock;
  private final CheckProfile profile;
  private final Duration expiresSoon;
  private final @Nullable RevocationChecker revocation;
  private final int maxChainDepth;
  private final String purpose;
  private final ValidationRules rules;
  private final boolean checkAnchorForm;
  private final @Nullable AiaFetcher aia;
  /** Anchors parsed once per trust source; refreshed when a source returns other anchors. */
  private final Map<TrustSource, PathValidator.Anchors> prepared = new ConcurrentHashMap<>();

  private CertificateChecker(Builder b, List<TrustSource> sources, @Nullable RevocationChecker revocation) {
    this.trustSources = List.copyOf(sources);
    this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
    this.profile = b.profile == null ? CheckProfile.DEFAULT : b.profile;
    this.expiresSoon = b.expiresSoon == null ? Duration.ofDays(30) : b.expiresSoon;
    this.revocation = revocation;
    this.maxChainDepth = b.maxChainDepth == null ? PathValidator.DEFAULT_MAX_CHAIN_DEPTH : b.maxChainDepth;
    this.purpose = b.purpose == null ? SERVER_AUTH : b.purpose;
    this.rules = b.rules == null ? ValidationRules.WEB_PKI : b.rules;
    this.checkAnchorForm = b.checkAnchorForm;
    this.aia = b.completeFromAia ? new AiaFetcher(b.aiaTimeout == null ? Duration.ofSeconds(5) : b.aiaTimeout) : null;
  }

  /** {@return a builder: the system trust store, the default profile, 30 days' expiry warning} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the trust sources, in order} */
  public List<TrustSource> trustSources() {
    return trustSources;
  }

  /** {@return the profile} */
  public CheckProfile profile() {
    return profile;
  }

  /**
   * Checks the chain a probe captured against the probe's target host name (when it is a name)
   * and the FQDN the server announced.
   *
   * @param report a probe report
   * @return the certificate report; with no captured chain, a report without findings
   */
  public CertificateReport check(InspectionReport report) {
    requireNonNull(report, "report");
    return check(report, report.target().hostIsName() ? List.of(report.target().host()) : List.of());
  }

  /**
   * Checks the chain a probe captured, with the OCSP responses the server stapled, against given
   * names and the FQDN the server announced.
   *
   * @param report a probe report
   * @param expectedNames DNS names or IP literals the certificate must cover
   * @return the certificate report; with no captured chain, a report without findings
   */
  public CertificateReport check(InspectionReport report, List<String> expectedNames) {
    requireNonNull(report, "report");
    Map<X509Certificate, byte[]> stapled =
        report.startTls() instanceof StartTlsOutcome.Upgraded u ? u.stapledOcspByCertificate() : Map.of();
    return check(report.peerChain(), new PeerIdentity(expectedNames, report.announcedFqdn()), stapled);
  }

  /**
   * Checks a chain as a server presented it.
   *
   * @param presented the leaf first, then whatever else the server sent, in its order
   * @param identity the names to cover
   * @return the report; never throws for the certificates' content
   */
  public CertificateReport check(List<X509Certificate> presented, PeerIdentity identity) {
    return check(presented, identity, Map.of());
  }

  /**
   * Checks a chain with the OCSP responses the server stapled in its handshake, which the
   * revocation checker may use instead of asking the responders.
   *
   * @param presented the leaf first, then whatever else the server sent, in its order
   * @param identity the names to cover
   * @param stapledOcsp DER OCSP responses by the certificate they are about
   * @return the report; never throws for the certificates' content
   */
  public CertificateReport check(
      List<X509Certificate> presented, PeerIdentity identity, Map<X509Certificate, byte[]> stapledOcsp) {
    requireNonNull(presented, "presented");
    requireNonNull(identity, "identity");
    requireNonNull(stapledOcsp, "stapledOcsp");
    Instant at = clock.instant();
    if (presented.isEmpty()) {
      return new CertificateReport(presented, at, List.of(), List.of());
    }
    X509Certificate leaf = presented.get(0);
    List<X509Certificate> rest = presented.subList(1, presented.size());
    PathValidator.Settings settings = new PathValidator.Settings(at, maxChainDepth, purpose,
        rules == ValidationRules.RFC_5280 ? PathValidator.Profile.RFC5280 : PathValidator.Profile.WEB_PKI,
        checkAnchorForm);
    List<TrustResult> results = new ArrayList<>(trustSources.size());
    AiaCompletion completion = aia == null ? null : new AiaCompletion(aia);
    Finding completedFinding = null;
    for (TrustSource source : trustSources) {
      PathValidator.Anchors anchors = anchorsOf(source);
      PathResult r = PathValidator.validate(settings, leaf, rest, anchors);
      AiaCompletion.Outcome outcome = completion == null ? null : completion.complete(settings, leaf, rest, anchors, r);
      Finding aiaFinding = null;
      if (outcome != null) {
        r = outcome.result();
        aiaFinding = aiaFinding(outcome);
      }
      List<Finding> pathFindings = new ArrayList<>();
      if (aiaFinding != null && !r.trusted()) {
        pathFindings.add(aiaFinding);
      }
      for (PathProblem p : r.problems()) {
        if (aiaFinding == null || p.code() != FindingCode.CERT_CHAIN_INCOMPLETE) {
          pathFindings.add(concerning(p.code(), p.reason(), p.certificate()));
        }
      }
      if (results.isEmpty() && aiaFinding != null && r.trusted()) {
        // A trusted path's result has no findings; the missing intermediate is the chain's.
        completedFinding = aiaFinding;
      }
      results.add(new TrustResult(source.name(), r.trusted(), r.path(), pathFindings));
    }

    Findings findings = new Findings();
    TrustResult primary = results.get(0);
    if (completedFinding != null) {
      findings.add(completedFinding);
    }
    primary.findings().forEach(findings::add);
    checkNames(leaf, identity, findings);
    checkExpiresSoon(leaf, at, findings);
    checkOrder(presented, primary, findings);
    if (revocation != null && primary.trusted()) {
      for (Finding f : revocation.check(primary.path(), at, stapledOcsp)) {
        findings.add(f.withSeverity(max(f.severity(), profile.severity(f.code()))));
      }
    }
    return new CertificateReport(presented, at, results, findings.list());
  }

  /** {@code CERT_CHAIN_INCOMPLETE} as it stands after an AIA completion, fetched or not. */
  private Finding aiaFinding(AiaCompletion.Outcome o) {
    PathProblem p = o.incomplete();
    String message;
    if (!o.fetched()) {
      message = p.reason() + "; fetching it from " + o.url() + " failed: " + o.failure() + ".";
    } else {
      String from = String.join(", then ", o.urls());
      message = o.result().trusted()
          ? "The server does not send the intermediate; it was fetched from " + from
              + " and the completed chain is trusted, but Postfix and most MTAs do not fetch it: make the server send it."
          : "The server does not send the intermediate; it was fetched from " + from
              + (o.failure() == null ? "" : " (" + o.failure() + ")")
              + ", but the completed chain is not trusted either.";
    }
    return concerning(FindingCode.CERT_CHAIN_INCOMPLETE, message, p.certificate(),
        "url", o.url(), "fetched", Boolean.toString(o.fetched()));
  }

  private PathValidator.Anchors anchorsOf(TrustSource source) {
    List<X509Certificate> now = source.anchors();
    PathValidator.Anchors p = prepared.get(source);
    if (p == null || (p.certificates() != now && !p.certificates().equals(now))) {
      p = PathValidator.Anchors.of(now);
      prepared.put(source, p);
    }
    return p;
  }

  private void checkNames(X509Certificate leaf, PeerIdentity identity, Findings findings) {
    Set<String> checked = new HashSet<>();
    for (String name : identity.names()) {
      NameMatch m = NameMatcher.match(leaf, name);
      checked.add(m.expected());
      if (!m.matched()) {
        findings.add(nameFinding(FindingCode.CERT_NAME_MISMATCH, m,
            "The certificate does not cover " + name + ": it names " + presented(m) + "."));
      }
      cnOnly(leaf, m, findings);
    }
    String fqdn = identity.announcedFqdn();
    if (fqdn != null && !fqdn.startsWith("[")) {
      NameMatch m = NameMatcher.match(leaf, fqdn);
      if (!m.matched() && !checked.contains(m.expected())) {
        findings.add(nameFinding(FindingCode.CERT_EHLO_NAME_MISMATCH, m,
            "The server announces itself as " + fqdn + " in its greeting/EHLO, but the certificate names "
                + presented(m) + ": Exchange and Exchange Online refuse TLS with it."));
      }
      cnOnly(leaf, m, findings);
    }
  }

  private void cnOnly(X509Certificate leaf, NameMatch m, Findings findings) {
    if (m.cnOnly()) {
      String cn = m.commonName() == null ? "" : m.commonName();
      findings.add(concerning(FindingCode.CERT_CN_ONLY,
          m.expected() + " appears only in the certificate's subject CN, which RFC 9525 clients ignore: add it as a DNS name in the subjectAltName.",
          leaf, "cn", cn));
    }
  }

  private Finding nameFinding(FindingCode code, NameMatch m, String message) {
    List<String> names = new ArrayList<>(m.dnsNames());
    names.addAll(m.ipAddresses());
    return Finding.of(code, message, "expected", m.expected(), "names", names);
  }

  private static String presented(NameMatch m) {
    List<String> all = new ArrayList<>(m.dnsNames());
    all.addAll(m.ipAddresses());
    return all.isEmpty() ? "no DNS name at all" : String.join(", ", all);
  }

  private void checkExpiresSoon(X509Certificate leaf, Instant at, Findings findings) {
    Instant notAfter = leaf.getNotAfter().toInstant();
    if (!at.isAfter(notAfter) && at.plus(expiresSoon).isAfter(notAfter)) {
      long days = Duration.between(at, notAfter).toDays();
      findings.add(concerning(FindingCode.CERT_EXPIRES_SOON,
          "The certificate expires in " + days + (days == 1 ? " day" : " days") + ", on " + notAfter + ".",
          leaf, "notAfter", notAfter.toString()));
    }
  }

  /** RFC 8446 §4.4.2 and RFC 5246 §7.4.2: each certificate should certify the one before it. */
  private void checkOrder(List<X509Certificate> presented, TrustResult primary, Findings findings) {
    List<X509Certificate> path = primary.path();
    if (path.size() < 2 || presented.size() < 2) {
      return;
    }
    for (int i = 1; i < presented.size(); i++) {
      X509Certificate c = presented.get(i);
      int inPath = path.indexOf(c);
      if (inPath >= 0 && inPath != i) {
        findings.add(concerning(FindingCode.CERT_CHAIN_ORDER,
            "The server sends its certificates out of order (position " + (i + 1) + " should be "
                + (inPath + 1) + "); strict clients may fail to build the path.",
            c));
        return;
      }
    }
  }

  private Finding concerning(FindingCode code, String message, X509Certificate cert, String... more) {
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("subject", cert.getSubjectX500Principal().getName());
    evidence.put("sha1", CertificateInfo.thumbprint(cert, "SHA-1"));
    for (int i = 0; i + 1 < more.length; i += 2) {
      evidence.put(more[i], more[i + 1]);
    }
    return new Finding(code, profile.severity(code), message, evidence);
  }

  private static Severity max(Severity a, Severity b) {
    return a.ordinal() <= b.ordinal() ? a : b;
  }

  /** Keeps findings in order without repeating one code for one certificate, name or URL. */
  private static final class Findings {
    private final Map<String, Finding> byKey = new LinkedHashMap<>();

    void add(Finding f) {
      String key = f.code() + "|" + f.evidence().getOrDefault("sha1", "") + "|" + f.evidence().getOrDefault("expected", "")
          + "|" + f.evidence().getOrDefault("url", "");
      byKey.putIfAbsent(key, f);
    }

    List<Finding> list() {
      return List.copyOf(byKey.values());
    }
  }

  /** Builds a {@link CertificateChecker}. Setters of single values may be called once. */
  public static final class Builder {
    private final List<TrustSource> trustSources = new ArrayList<>();
    private @Nullable Clock clock;
    private @Nullable CheckProfile profile;
    private @Nullable Duration expiresSoon;
    private @Nullable RevocationChecker revocation;
    private boolean revocationSet;
    private @Nullable Integer maxChainDepth;
    private @Nullable String purpose;
    private @Nullable ValidationRules rules;
    private boolean checkAnchorForm;
    private boolean checkAnchorFormSet;
    private boolean completeFromAia;
    private boolean completeFromAiaSet;
    private @Nullable Duration aiaTimeout;

    private Builder() {}

    /**
     * Whether to complete a chain that lacks its intermediate through the AIA caIssuers URL, as
     * some strict receivers (Exchange among them) sometimes do. Default false. When the path
     * search ends with {@code CERT_CHAIN_INCOMPLETE}, the checker fetches the missing issuer from
     * the caIssuers URL of the top presented certificate ({@code http:} only; DER, PEM or a
     * PKCS#7 "certs-only" bundle; at most 64 KiB and within the {@linkplain #aiaTimeout timeout}
     * each), adds it to the presented certificates and validates again, following the fetched
     * certificate's own caIssuers URL for a deeper missing chain: at most 3 fetches per check.
     *
     * <p>{@code CERT_CHAIN_INCOMPLETE} stays reported either way, because Postfix and most MTAs
     * do not fetch: with evidence {@code url} and {@code fetched} ({@code "true"} when the fetch
     * completed the path, whose {@link TrustResult} then holds the completed path; {@code
     * "false"} with the reason in the message: timeout, HTTP status, too large, not a
     * certificate). A fetch never throws and honours interrupts. Host names in the URL are
     * resolved by the JDK for now; routing them through the {@code DnsResolver} SPI comes later.
     *
     * @param on whether to fetch missing intermediates
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder completeChainFromAia(boolean on) {
      if (completeFromAiaSet) {
        throw new IllegalStateException("completeChainFromAia was already set");
      }
      this.completeFromAiaSet = true;
      this.completeFromAia = on;
      return this;
    }

    /**
     * The bound of one AIA fetch (connection, answer and body) when {@link
     * #completeChainFromAia(boolean)} is on. Default 5 s.
     *
     * @param timeout positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     * @throws IllegalStateException if already set
     */
    public Builder aiaTimeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("aiaTimeout must be positive: " + timeout);
      }
      checkUnset(aiaTimeout, "aiaTimeout");
      this.aiaTimeout = timeout;
      return this;
    }

    /**
     * The rules the path must meet. Default {@link ValidationRules#WEB_PKI}.
     *
     * @param r the rules
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder rules(ValidationRules r) {
      requireNonNull(r, "rules");
      checkUnset(rules, "rules");
      this.rules = r;
      return this;
    }

    /**
     * Whether a trust anchor's own form counts: how it marks basicConstraints and fills its key
     * identifiers, and that it has no extended key usage (RFC 5280 §4.2.1.1, §4.2.1.2, §4.2.1.9
     * and the baseline requirements). Default false, because roots still trusted by the JDK and
     * the operating systems (Go Daddy and Starfield Class 2, QuoVadis Root CA 2 and 3, among
     * others) break these rules and no client rejects them for it. The anchor's validity, CA
     * bit, key strength, critical extensions and name constraints count either way.
     *
     * @param on whether to judge the anchor's form
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder checkTrustAnchorForm(boolean on) {
      if (checkAnchorFormSet) {
        throw new IllegalStateException("checkTrustAnchorForm was already set");
      }
      this.checkAnchorFormSet = true;
      this.checkAnchorForm = on;
      return this;
    }

    /**
     * Adds a trust source. The first is the one whose verdict makes the report's findings; the
     * others are reported side by side in {@link CertificateReport#trust()}. Default: {@link
     * TrustSources#system()}.
     *
     * @param source the source
     * @return this builder
     */
    public Builder trustSource(TrustSource source) {
      trustSources.add(requireNonNull(source, "source"));
      return this;
    }

    /**
     * The clock whose instant is the validation time. Default the system UTC clock.
     *
     * @param c the clock
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder clock(Clock c) {
      requireNonNull(c, "clock");
      checkUnset(clock, "clock/at");
      this.clock = c;
      return this;
    }

    /**
     * Validates as of a fixed instant (e.g. {@code --at}).
     *
     * @param instant the validation time
     * @return this builder
     * @throws IllegalStateException if a clock was already set
     */
    public Builder at(Instant instant) {
      return clock(Clock.fixed(requireNonNull(instant, "at"), java.time.ZoneOffset.UTC));
    }

    /**
     * The profile. Default {@link CheckProfile#DEFAULT}.
     *
     * @param p the profile
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder profile(CheckProfile p) {
      requireNonNull(p, "profile");
      checkUnset(profile, "profile");
      this.profile = p;
      return this;
    }

    /**
     * How far ahead an expiry earns {@code CERT_EXPIRES_SOON}. Default 30 days.
     *
     * @param threshold zero (never warn) or positive
     * @return this builder
     * @throws IllegalArgumentException if negative
     * @throws IllegalStateException if already set
     */
    public Builder expiresSoonThreshold(Duration threshold) {
      requireNonNull(threshold, "threshold");
      if (threshold.isNegative()) {
        throw new IllegalArgumentException("expiresSoonThreshold must not be negative: " + threshold);
      }
      checkUnset(expiresSoon, "expiresSoonThreshold");
      this.expiresSoon = threshold;
      return this;
    }

    /**
     * The revocation checker; null for none. Default: the first found by {@link ServiceLoader}
     * (the {@code smtptls-crl} module provides one), else none.
     *
     * @param checker the checker, or null to check no revocation
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder revocationChecker(@Nullable RevocationChecker checker) {
      if (revocationSet) {
        throw new IllegalStateException("revocationChecker was already set");
      }
      this.revocationSet = true;
      this.revocation = checker;
      return this;
    }

    /**
     * The most intermediates allowed between the leaf and the anchor. Default 8.
     *
     * @param depth 0 or more
     * @return this builder
     * @throws IllegalArgumentException if negative
     * @throws IllegalStateException if already set
     */
    public Builder maxChainDepth(int depth) {
      if (depth < 0) {
        throw new IllegalArgumentException("maxChainDepth must not be negative: " + depth);
      }
      checkUnset(maxChainDepth, "maxChainDepth");
      this.maxChainDepth = depth;
      return this;
    }

    /**
     * The extended key usage the leaf must allow: {@link #SERVER_AUTH} (default) for a server,
     * {@link #CLIENT_AUTH} for a sending MTA's client certificate.
     *
     * @param ekuOid the OID
     * @return this builder
     * @throws IllegalArgumentException if not a dotted OID
     * @throws IllegalStateException if already set
     */
    public Builder purpose(String ekuOid) {
      requireNonNull(ekuOid, "purpose");
      if (!ekuOid.matches("[0-2](\\.\\d+)+")) {
        throw new IllegalArgumentException("purpose must be a dotted OID: " + ekuOid);
      }
      checkUnset(purpose, "purpose");
      this.purpose = ekuOid;
      return this;
    }

    /**
     * Builds the checker.
     *
     * @return an immutable, thread-safe checker
     */
    public CertificateChecker build() {
      List<TrustSource> sources = trustSources.isEmpty() ? List.of(TrustSources.system()) : trustSources;
      RevocationChecker rc = revocationSet ? revocation : discoverRevocation();
      return new CertificateChecker(this, sources, rc);
    }

    private static @Nullable RevocationChecker discoverRevocation() {
      Iterator<RevocationChecker> it = ServiceLoader.load(RevocationChecker.class).iterator();
      return it.hasNext() ? it.next() : null;
    }

    private static void checkUnset(@Nullable Object current, String name) {
      if (current != null) {
        throw new IllegalStateException(name + " was already set");
      }
    }
  }
}
