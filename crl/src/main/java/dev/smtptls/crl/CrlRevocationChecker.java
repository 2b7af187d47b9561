package dev.smtptls.crl;

import static java.util.Objects.requireNonNull;

import dev.smtptls.cert.CertificateInfo;
import dev.smtptls.crl.internal.CrlCache;
import dev.smtptls.crl.internal.CrlFetcher;
import dev.smtptls.crl.internal.CrlFormatException;
import dev.smtptls.crl.internal.FetchResult;
import dev.smtptls.crl.internal.IssuingDistributionPoint;
import dev.smtptls.crl.internal.ParsedCrl;
import dev.smtptls.crl.internal.ReasonFlags;
import dev.smtptls.crl.internal.RevokedEntry;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.spi.RevocationChecker;
import java.math.BigInteger;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.CRLException;
import java.security.cert.CRLReason;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.jspecify.annotations.Nullable;

/**
 * Checks revocation with CRLs, as RFC 5280 §6.3 describes and as strict receivers such as
 * Exchange and Exchange Online need it: for every certificate of a validated path except the
 * trust anchor, the CRL of each of its CRL distribution points is fetched ({@code http:} and
 * {@code ldap:}, through a cache that honours {@code nextUpdate}) or taken from CRLs given
 * beforehand, checked (issuer, signature by the issuer's key or an indirect CRL issuer's, the
 * issuer's {@code cRLSign} key usage, {@code thisUpdate} and {@code nextUpdate}, the issuing
 * distribution point's scope and reasons, critical extensions, delta CRLs and their base
 * number), and the certificate's serial number is looked up.
 *
 * <p>What it finds are {@link Finding}s, never exceptions: {@code CERT_REVOKED} (with the reason
 * by its RFC 5280 name and the date), {@code CRL_UNAVAILABLE} for each URL that cannot be
 * fetched (in words: DNS, connect, timeout, HTTP status, too large), {@code CRL_EXPIRED}, {@code
 * CRL_INVALID} and {@code CERT_NO_REVOCATION_POINT}. A distribution point whose first URL fails
 * and whose second works gives {@code CRL_UNAVAILABLE} for the first and the status from the
 * second. {@link #reachability(List, Instant)} gives the per-URL table an administrator needs
 * when Exchange says it cannot check revocation.
 *
 * <pre>{@code
 * CertificateChecker checker = CertificateChecker.builder()
 *     .profile(CheckProfile.STRICT_RECEIVER)
 *     .revocationChecker(CrlRevocationChecker.builder()
 *         .connectTimeout(Duration.ofSeconds(5))
 *         .build())
 *     .build();
 * }</pre>
 *
 * <p>Offline (air-gapped checks, test suites): give the CRLs with {@link
 * Builder#staticCrls(Collection)} and turn fetching off with {@link Builder#fetch(boolean)};
 * CRLs are then matched to certificates by issuer name (and issuing distribution point), and a
 * certificate without a distribution point is checked against its issuer's CRLs.
 *
 * <p>Immutable and thread-safe; the cache is shared by all calls of one checker.
 */
public final class CrlRevocationChecker implements RevocationChecker {

  /** How deep CRL signer certificates may chain to the path (and recurse for their own status). */
  private static final int MAX_DEPTH = 4;

  private static final int KEY_USAGE_CRL_SIGN = 6;

  /** How far a CRL's thisUpdate may lie after the validation time: the CA's clock may run ahead. */
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private final boolean fetch;
  private final @Nullable CrlCache<LoadedCrl> cache;
  private final Map<X500Principal, List<Given>> givenComplete;
  private final Map<X500Principal, List<Given>> givenDelta;
  private final List<X509Certificate> signerCertificates;

  /** A CRL given beforehand, with a label for evidence. */
  private record Given(LoadedCrl crl, String label) {}

  /**
   * A checker with the defaults, as {@link java.util.ServiceLoader} creates it: fetching on,
   * connect timeout 5 s, read timeout 20 s, at most 64 MiB per CRL, cached up to 24 hours.
   */
  public CrlRevocationChecker() {
    this(new Builder());
  }

  private CrlRevocationChecker(Builder b) {
    this.fetch = b.fetch;
    Clock clock = b.clock == null ? Clock.systemUTC() : b.clock;
    if (fetch) {
      CrlFetcher fetcher = b.connectTimeout == null && b.readTimeout == null && b.maxBytes == null && b.clock == null
          ? CrlFetcher.defaults()
          : new CrlFetcher(
              b.connectTimeout == null ? CrlFetcher.DEFAULT_CONNECT_TIMEOUT : b.connectTimeout,
              b.readTimeout == null ? CrlFetcher.DEFAULT_READ_TIMEOUT : b.readTimeout,
              b.maxBytes == null ? CrlFetcher.DEFAULT_MAX_BYTES : b.maxBytes,
              clock);
      this.cache = new CrlCache<>(fetcher, LoadedCrl::parse, c -> c.crl().nextUpdate(),
          b.maxCacheAge == null ? Duration.ofHours(24) : b.maxCacheAge, clock);
    } else {
      this.cache = null;
    }
    Map<X500Principal, List<Given>> complete = new LinkedHashMap<>();
    Map<X500Principal, List<Given>> delta = new LinkedHashMap<>();
    for (LoadedCrl c : b.given) {
      ParsedCrl p = c.crl();
      String label = "given CRL of " + p.issuer().getName(X500Principal.RFC2253)
          + (p.crlNumber() == null ? "" : " (number " + p.crlNumber() + ")");
      (p.deltaCrlIndicator() == null ? complete : delta)
          .computeIfAbsent(p.issuer(), k -> new ArrayList<>())
          .add(new Given(c, label));
    }
    complete.replaceAll((k, v) -> List.copyOf(v));
    delta.replaceAll((k, v) -> List.copyOf(v));
    this.givenComplete = Collections.unmodifiableMap(complete);
    this.givenDelta = Collections.unmodifiableMap(delta);
    this.signerCertificates = List.copyOf(b.signers);
  }

  /** {@return a builder with the defaults of the no-argument constructor} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Checks a validated path.
   *
   * @param path the path, leaf first, ending with the trust anchor (whose revocation is not
   *     checked)
   * @param at the validation time
   * @return the findings, in path order; empty when every certificate is known not to be revoked
   *     from CRLs that could be fetched and are valid
   * @throws NullPointerException if an argument or a certificate is null
   */
  @Override
  public List<Finding> check(List<X509Certificate> path, Instant at) {
    requireNonNull(path, "path");
    requireNonNull(at, "at");
    path.forEach(c -> requireNonNull(c, "path element"));
    Context ctx = new Context(List.copyOf(path), at);
    List<Finding> out = new ArrayList<>();
    for (int i = 0; i + 1 < path.size(); i++) {
      out.addAll(checkCertificate(ctx, path.get(i), path.get(i + 1), 0).findings);
    }
    return List.copyOf(out);
  }

  /**
   * The reachability table: for every certificate of the path except the trust anchor and every
   * CRL URL it names (CRL Distribution Points, then Freshest CRL), whether the CRL can be fetched,
   * how fast, how big, whether it is current and signed by the certificate's issuer, and how many
   * entries it has. Every URL is fetched (through the cache), not only the first that works.
   *
   * @param path the path, leaf first, ending with the trust anchor
   * @param at the validation time
   * @return one row per certificate and URL, in path and certificate order
   * @throws NullPointerException if an argument or a certificate is null
   */
  public List<CrlReachability> reachability(List<X509Certificate> path, Instant at) {
    requireNonNull(path, "path");
    requireNonNull(at, "at");
    path.forEach(c -> requireNonNull(c, "path element"));
    Context ctx = new Context(List.copyOf(path), at);
    List<CrlReachability> rows = new ArrayList<>();
    for (int i = 0; i + 1 < path.size(); i++) {
      X509Certificate cert = path.get(i);
      X509Certificate issuer = path.get(i + 1);
      RevocationPoints points = RevocationPoints.of(cert);
      Set<X500Principal> issuers = new LinkedHashSet<>();
      issuers.add(cert.getIssuerX500Principal());
      for (DistributionPoint dp : points.crlDistributionPoints()) {
        issuers.addAll(LoadedCrl.crlIssuers(dp));
      }
      Set<URI> uris = new LinkedHashSet<>(points.crlUris());
      uris.addAll(points.deltaCrlUris());
      for (URI uri : uris) {
        rows.add(reachabilityRow(ctx, cert, issuer, issuers, uri));
      }
    }
    return List.copyOf(rows);
  }

  private CrlReachability reachabilityRow(
      Context ctx, X509Certificate cert, X509Certificate issuer, Set<X500Principal> issuers, URI uri) {
    if (cache == null) {
      return new CrlReachability(uri, cert, CrlReachability.Status.UNAVAILABLE, null, Duration.ZERO, 0,
          null, null, 0, "Fetching CRLs is turned off in this checker.");
    }
    CrlCache.Entry<LoadedCrl> e = cache.get(uri);
    FetchResult last = e.lastFetch();
    Integer http = httpStatus(last);
    LoadedCrl loaded = e.value();
    if (loaded == null) {
      if (last instanceof FetchResult.Failed f) {
        return new CrlReachability(uri, cert, CrlReachability.Status.UNAVAILABLE, f.httpStatus(), f.latency(), 0,
            null, null, 0, sentence(f.detail()));
      }
      String why = e.decodeError() == null ? "no CRL was received" : e.decodeError();
      return new CrlReachability(uri, cert, CrlReachability.Status.INVALID, http, last.latency(), bodyLength(last),
          null, null, 0, "The response is not a CRL: " + why + ".");
    }
    ParsedCrl p = loaded.crl();
    String problem;
    if (!issuers.contains(p.issuer())) {
      problem = "it is issued by " + p.issuer().getName(X500Principal.RFC2253) + ", not by "
          + cert.getIssuerX500Principal().getName(X500Principal.RFC2253);
    } else {
      problem = validity(ctx, loaded, issuer, 0);
    }
    CrlReachability.Status status;
    String detail;
    String figures = p.size() + (p.size() == 1 ? " entry" : " entries") + ", thisUpdate " + p.thisUpdate()
        + ", nextUpdate " + (p.nextUpdate() == null ? "none" : p.nextUpdate());
    Instant next = p.nextUpdate();
    if (problem != null) {
      status = CrlReachability.Status.INVALID;
      detail = "The CRL cannot be used: " + problem + ".";
    } else if (p.thisUpdate().isAfter(ctx.at.plus(CLOCK_SKEW))) {
      status = CrlReachability.Status.INVALID;
      detail = "The CRL is not valid yet: its thisUpdate is " + p.thisUpdate() + ".";
    } else if (next != null && next.isBefore(ctx.at)) {
      status = CrlReachability.Status.EXPIRED;
      detail = "The CRL is out of date: its nextUpdate was " + next + " (" + figures + ").";
    } else {
      status = CrlReachability.Status.OK;
      detail = "The CRL is current and correctly signed (" + figures + ")"
          + (e.fromCache() ? ", answered from the cache." : ".");
    }
    return new CrlReachability(uri, cert, status, http, last.latency(), p.encodedLength(),
        p.thisUpdate(), next, p.size(), detail);
  }

  private static @Nullable Integer httpStatus(FetchResult r) {
    if (r instanceof FetchResult.Fetched f) {
      return f.httpStatus();
    }
    if (r instanceof FetchResult.NotModified) {
      return 304;
    }
    if (r instanceof FetchResult.Failed f) {
      return f.httpStatus();
    }
    return null;
  }

  private static long bodyLength(FetchResult r) {
    return r instanceof FetchResult.Fetched f ? f.body().length : 0;
  }

  // ---------------------------------------------------------------------------------------------
  // The RFC 5280 §6.3 algorithm for one certificate.

  /** The state of one call: the path, the time, the CRL signer certificates being checked. */
  private static final class Context {
    final List<X509Certificate> path;
    final Instant at;
    final Set<X509Certificate> inProgress = Collections.newSetFromMap(new IdentityHashMap<>());

    Context(List<X509Certificate> path, Instant at) {
      this.path = path;
      this.at = at;
    }
  }

  /** What is known of one certificate. */
  private record Status(List<Finding> findings, boolean revoked, boolean determined) {}

  /** A CRL found for a distribution point, with where it came from. */
  private record Source(@Nullable URI uri, @Nullable Given given) {}

  private Status checkCertificate(Context ctx, X509Certificate cert, X509Certificate issuer, int depth) {
    RevocationPoints points = RevocationPoints.of(cert);
    List<Finding> findings = new ArrayList<>();
    if (!points.hasAny()) {
      findings.add(concerning(FindingCode.CERT_NO_REVOCATION_POINT,
          "The certificate " + name(cert) + " names neither a CRL distribution point nor an OCSP responder:"
              + " strict receivers such as Exchange cannot check whether it is revoked.",
          cert, "url", "", "reason", "no CRL distribution point and no OCSP URL"));
    }
    List<DistributionPoint> dps = points.crlDistributionPoints();
    if (dps.isEmpty()) {
      if (fetch && givenComplete.isEmpty()) {
        // Nothing to fetch; the OCSP checker (or the finding above) speaks for this certificate.
        return new Status(findings, false, false);
      }
      // RFC 5280 §6.3: CRLs obtained by other means, as if a point named the issuer as cRLIssuer.
      dps = List.of(new DistributionPoint(List.of(), null, List.of(), Set.of()));
    }
    Set<CRLReason> mask = EnumSet.noneOf(CRLReason.class);
    List<Finding> soft = new ArrayList<>();
    Finding revoked = null;
    int hardBefore = findings.size();
    for (DistributionPoint dp : dps) {
      if (revoked != null || mask.containsAll(ReasonFlags.ALL)) {
        break;
      }
      revoked = checkPoint(ctx, cert, issuer, points, dp, mask, findings, soft, depth);
    }
    if (revoked != null) {
      findings.add(revoked);
      return new Status(findings, true, true);
    }
    if (mask.containsAll(ReasonFlags.ALL)) {
      return new Status(findings, false, true);
    }
    boolean hard = findings.size() > hardBefore;
    if (!soft.isEmpty()) {
      findings.addAll(soft);
    } else if (!hard) {
      String url = label(dps.get(0), cert);
      String reason = mask.isEmpty()
          ? (fetch ? "no CRL could be obtained for it" : "no CRL from " + names(expectedIssuers(dps.get(0), cert))
              + " is among the CRLs given")
          : "the CRLs found cover only the reasons " + reasonNames(mask);
      findings.add(concerning(FindingCode.CRL_UNAVAILABLE,
          "The revocation status of " + name(cert) + " cannot be determined: " + reason + ".",
          cert, "url", url, "reason", reason));
    }
    return new Status(findings, false, false);
  }

  /**
   * Processes one distribution point; adds covered reasons to the mask, failures of fetched URLs
   * to {@code hard} and failures of given CRLs to {@code soft}. Returns the CERT_REVOKED finding
   * when a CRL lists the certificate.
   */
  private @Nullable Finding checkPoint(
      Context ctx, X509Certificate cert, X509Certificate issuer, RevocationPoints points, DistributionPoint dp,
      Set<CRLReason> mask, List<Finding> hard, List<Finding> soft, int depth) {
    List<X500Principal> crlIssuers = expectedIssuers(dp, cert);
    List<Source> sources = new ArrayList<>();
    for (X500Principal n : crlIssuers) {
      for (Given g : givenComplete.getOrDefault(n, List.of())) {
        sources.add(new Source(null, g));
      }
    }
    if (sources.isEmpty() && cache != null) {
      for (URI u : dp.uris()) {
        sources.add(new Source(u, null));
      }
    }
    for (Source s : sources) {
      if (mask.containsAll(ReasonFlags.ALL)) {
        break;
      }
      LoadedCrl crl;
      String url;
      List<Finding> failures;
      Given given = s.given();
      URI uri = s.uri();
      if (given != null) {
        crl = given.crl();
        url = dp.uris().isEmpty() ? given.label() : dp.uris().get(0).toString();
        failures = soft;
      } else {
        requireNonNull(uri);
        url = uri.toString();
        failures = hard;
        CrlCache<LoadedCrl> c = requireNonNull(cache);
        CrlCache.Entry<LoadedCrl> e = c.get(uri);
        LoadedCrl value = e.value();
        if (value == null) {
          hard.add(fetchFailure(cert, url, e));
          continue;
        }
        crl = value;
      }
      ParsedCrl p = crl.crl();
      String scope = scope(crl, cert, dp, crlIssuers);
      if (scope != null) {
        failures.add(invalid(cert, url, scope));
        continue;
      }
      Set<CRLReason> interim = interimReasons(dp, p.issuingDistributionPoint());
      if (mask.containsAll(interim)) {
        continue;
      }
      String problem = validity(ctx, crl, issuer, depth);
      if (problem != null) {
        failures.add(invalid(cert, url, problem));
        continue;
      }
      if (p.thisUpdate().isAfter(ctx.at.plus(CLOCK_SKEW))) {
        failures.add(invalid(cert, url, "the CRL is not valid before " + p.thisUpdate()));
        continue;
      }
      Given delta = delta(ctx, crl, cert, issuer, points, hard, depth);
      Instant next = p.nextUpdate();
      boolean expired = next != null && next.isBefore(ctx.at);
      Optional<RevokedEntry> entry = p.lookup(cert.getSerialNumber(), cert.getIssuerX500Principal());
      if (entry.isPresent() && p.unknownCriticalEntryExtensions()) {
        failures.add(invalid(cert, url,
            "the CRL's entry for the certificate has a critical extension this checker does not know"));
        continue;
      }
      String revokedUrl = url;
      if (delta != null) {
        Optional<RevokedEntry> d = delta.crl().crl().lookup(cert.getSerialNumber(), cert.getIssuerX500Principal());
        if (d.isPresent()) {
          entry = d;
          revokedUrl = delta.label();
        }
      }
      if (entry.isPresent() && entry.get().reason() != CRLReason.REMOVE_FROM_CRL) {
        RevokedEntry r = entry.get();
        if (!expired || delta != null || r.reason() != CRLReason.CERTIFICATE_HOLD) {
          // A revocation in a correctly signed CRL stands even when the CRL is out of date,
          // except a hold, which may have been lifted since.
          if (expired && delta == null) {
            failures.add(expired(cert, url, next));
          }
          return revokedFinding(cert, revokedUrl, r);
        }
      }
      if (expired && delta == null) {
        failures.add(expired(cert, url, next));
        continue;
      }
      mask.addAll(interim);
      if (given == null) {
        // The URLs of one point are alternatives for one CRL: the first that works answers.
        break;
      }
    }
    return null;
  }

  private static List<X500Principal> expectedIssuers(DistributionPoint dp, X509Certificate cert) {
    return dp.indirect() ? LoadedCrl.crlIssuers(dp) : List.of(cert.getIssuerX500Principal());
  }

  /** RFC 5280 §6.3.3 (b): whether the CRL covers this certificate at this point; null when it does. */
  private static @Nullable String scope(
      LoadedCrl crl, X509Certificate cert, DistributionPoint dp, List<X500Principal> crlIssuers) {
    ParsedCrl p = crl.crl();
    if (p.deltaCrlIndicator() != null) {
      return "the distribution point serves a delta CRL (base " + p.deltaCrlIndicator()
          + "), not a complete CRL";
    }
    if (!crlIssuers.contains(p.issuer())) {
      return "the CRL is issued by " + p.issuer().getName(X500Principal.RFC2253) + ", not by "
          + names(crlIssuers);
    }
    IssuingDistributionPoint idp = p.issuingDistributionPoint();
    if (dp.indirect() && (idp == null || !idp.indirectCrl())) {
      return "the certificate names " + names(crlIssuers)
          + " as its CRL issuer, but that CRL is not marked as an indirect CRL";
    }
    if (idp == null) {
      return null;
    }
    Set<String> idpNames = crl.idpNames();
    if (!idpNames.isEmpty()) {
      Set<String> mine = LoadedCrl.pointNames(dp);
      if (mine.isEmpty()) {
        List<X500Principal> issuers = dp.indirect() ? crlIssuers : List.of(cert.getIssuerX500Principal());
        for (X500Principal n : issuers) {
          mine.add(LoadedCrl.dnName(n));
        }
      }
      if (Collections.disjoint(mine, idpNames)) {
        return "the CRL's issuing distribution point " + display(idpNames)
            + " does not match the certificate's distribution point " + display(mine);
      }
    }
    boolean ca = cert.getBasicConstraints() >= 0;
    if (idp.onlyUserCerts() && ca) {
      return "the CRL covers only end-entity certificates, and this is a CA certificate";
    }
    if (idp.onlyCaCerts() && !ca) {
      return "the CRL covers only CA certificates, and this is an end-entity certificate";
    }
    if (idp.onlyAttributeCerts()) {
      return "the CRL covers only attribute certificates";
    }
    return null;
  }

  private static Set<CRLReason> interimReasons(DistributionPoint dp, @Nullable IssuingDistributionPoint idp) {
    Set<CRLReason> r = EnumSet.copyOf(dp.coversAllReasons() ? ReasonFlags.ALL : dp.reasons());
    if (idp != null && !idp.onlySomeReasons().isEmpty()) {
      r.retainAll(idp.onlySomeReasons());
    }
    return r;
  }

  /**
   * RFC 5280 §6.3.3 (f)–(j) and §5.2: extensions, signature by the issuer (or a CRL signer
   * certificate that chains to the path), the signer's cRLSign; null when the CRL is fine.
   */
  private @Nullable String validity(Context ctx, LoadedCrl crl, X509Certificate issuer, int depth) {
    ParsedCrl p = crl.crl();
    if (!p.unknownCriticalExtensions().isEmpty()) {
      return "the CRL carries critical extensions this checker does not know ("
          + String.join(", ", p.unknownCriticalExtensions()) + ")";
    }
    if (p.crlNumber() == null) {
      return "the CRL lacks the CRLNumber extension that RFC 5280 §5.2.3 requires";
    }
    if (p.crlNumberCritical()) {
      return "the CRL's CRLNumber extension is marked critical, which RFC 5280 §5.2.3 forbids";
    }
    if (!p.signatureAlgorithmsMatch()) {
      return "the CRL's two signature algorithm fields differ";
    }
    return signer(ctx, crl, issuer, depth);
  }

  /** Finds a certificate whose key verifies the CRL and may sign it; null when one is found. */
  private @Nullable String signer(Context ctx, LoadedCrl crl, X509Certificate issuer, int depth) {
    X500Principal name = crl.crl().issuer();
    List<X509Certificate> candidates = new ArrayList<>();
    if (issuer.getSubjectX500Principal().equals(name)) {
      candidates.add(issuer);
    }
    for (X509Certificate c : ctx.path) {
      if (c.getSubjectX500Principal().equals(name) && !candidates.contains(c)) {
        candidates.add(c);
      }
    }
    for (X509Certificate c : signerCertificates) {
      if (c.getSubjectX500Principal().equals(name) && !candidates.contains(c)) {
        candidates.add(c);
      }
    }
    String problem = null;
    for (X509Certificate c : candidates) {
      if (!crl.verifiedBy(c.getPublicKey())) {
        continue;
      }
      if (!mayCrlSign(c)) {
        problem = "the CRL issuer's certificate " + name(c) + " has a keyUsage without cRLSign";
        continue;
      }
      if (ctx.path.contains(c)) {
        return null;
      }
      String p = signerCertificate(ctx, c, depth);
      if (p == null) {
        return null;
      }
      problem = p;
    }
    if (problem != null) {
      return problem;
    }
    return "its signature does not verify with the public key of " + name.getName(X500Principal.RFC2253)
        + (candidates.isEmpty() ? " (no certificate of that CRL issuer is known)" : "");
  }

  /** A CRL signer certificate outside the path: valid, chaining to the path, not revoked. */
  private @Nullable String signerCertificate(Context ctx, X509Certificate s, int depth) {
    if (ctx.inProgress.contains(s)) {
      // The CRL vouches for its own signer (an indirect CRL covering the CRL issuer).
      return null;
    }
    if (depth >= MAX_DEPTH) {
      return "the CRL signer's certificate chain is too long";
    }
    try {
      s.checkValidity(Date.from(ctx.at));
    } catch (GeneralSecurityException e) {
      return "the CRL signer's certificate " + name(s) + " is not valid at " + ctx.at;
    }
    X509Certificate parent = null;
    List<X509Certificate> pool = new ArrayList<>(ctx.path);
    pool.addAll(signerCertificates);
    for (X509Certificate c : pool) {
      if (!c.equals(s) && c.getSubjectX500Principal().equals(s.getIssuerX500Principal()) && verifies(s, c)) {
        parent = c;
        if (ctx.path.contains(c)) {
          break;
        }
      }
    }
    if (parent == null) {
      return "the CRL signer's certificate " + name(s) + " does not chain to the certification path";
    }
    ctx.inProgress.add(s);
    try {
      if (!ctx.path.contains(parent)) {
        String p = signerCertificate(ctx, parent, depth + 1);
        if (p != null) {
          return p;
        }
      }
      Status st = checkCertificate(ctx, s, parent, depth + 1);
      if (st.revoked()) {
        return "the CRL signer's certificate " + name(s) + " is revoked";
      }
      if (!st.determined()) {
        return "the revocation status of the CRL signer's certificate " + name(s) + " cannot be determined";
      }
      return null;
    } finally {
      ctx.inProgress.remove(s);
    }
  }

  private static boolean verifies(X509Certificate c, X509Certificate issuer) {
    try {
      c.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static boolean mayCrlSign(X509Certificate c) {
    boolean[] ku = c.getKeyUsage();
    return ku == null || (ku.length > KEY_USAGE_CRL_SIGN && ku[KEY_USAGE_CRL_SIGN]);
  }

  /**
   * The delta CRL that applies to a complete CRL (RFC 5280 §5.2.4, §6.3.3 (c)): same issuer,
   * same key, base number not above the complete CRL's number, valid and current; the newest.
   */
  private @Nullable Given delta(
      Context ctx, LoadedCrl complete, X509Certificate cert, X509Certificate issuer, RevocationPoints points,
      List<Finding> hard, int depth) {
    ParsedCrl base = complete.crl();
    BigInteger number = base.crlNumber();
    if (number == null) {
      return null;
    }
    List<Given> candidates = new ArrayList<>(givenDelta.getOrDefault(base.issuer(), List.of()));
    if (candidates.isEmpty() && cache != null) {
      for (URI u : points.deltaCrlUris()) {
        CrlCache.Entry<LoadedCrl> e = cache.get(u);
        LoadedCrl v = e.value();
        if (v == null) {
          hard.add(fetchFailure(cert, u.toString(), e));
        } else {
          candidates.add(new Given(v, u.toString()));
        }
      }
    }
    Given best = null;
    for (Given g : candidates) {
      ParsedCrl d = g.crl().crl();
      BigInteger indicator = d.deltaCrlIndicator();
      BigInteger dNumber = d.crlNumber();
      if (indicator == null || dNumber == null || !d.issuer().equals(base.issuer())
          || indicator.compareTo(number) > 0 || dNumber.compareTo(number) <= 0
          || !g.crl().idpNames().equals(complete.idpNames())) {
        continue;
      }
      byte[] a = base.authorityKeyIdentifier();
      byte[] b = d.authorityKeyIdentifier();
      if (a != null && b != null && !Arrays.equals(a, b)) {
        continue;
      }
      Instant next = d.nextUpdate();
      if (d.thisUpdate().isAfter(ctx.at.plus(CLOCK_SKEW)) || (next != null && next.isBefore(ctx.at))) {
        continue;
      }
      if (!d.unknownCriticalExtensions().isEmpty() || signer(ctx, g.crl(), issuer, depth) != null) {
        continue;
      }
      BigInteger bestNumber = best == null ? null : best.crl().crl().crlNumber();
      if (bestNumber == null || dNumber.compareTo(bestNumber) > 0) {
        best = g;
      }
    }
    return best;
  }

  // ---------------------------------------------------------------------------------------------
  // Findings.

  private static Finding fetchFailure(X509Certificate cert, String url, CrlCache.Entry<LoadedCrl> e) {
    if (e.lastFetch() instanceof FetchResult.Failed f) {
      String reason = f.detail();
      return concerning(FindingCode.CRL_UNAVAILABLE,
          theCrl(url) + " for " + name(cert) + " cannot be fetched: " + reason
              + ". Exchange and Exchange Online do not trust a certificate whose CRL they cannot read.",
          cert, "url", url, "reason", reason);
    }
    String reason = "the response is not a CRL: " + (e.decodeError() == null ? "nothing was decoded" : e.decodeError());
    return invalid(cert, url, reason);
  }

  private static Finding invalid(X509Certificate cert, String url, String reason) {
    return concerning(FindingCode.CRL_INVALID,
        theCrl(url) + " for " + name(cert) + " cannot be used: " + reason + ".",
        cert, "url", url, "reason", reason);
  }

  private static Finding expired(X509Certificate cert, String url, @Nullable Instant next) {
    String reason = "its nextUpdate " + next + " has passed";
    return concerning(FindingCode.CRL_EXPIRED,
        theCrl(url) + " for " + name(cert) + " is out of date: " + reason
            + "; the CA has not published a newer one there.",
        cert, "url", url, "reason", reason);
  }

  private static Finding revokedFinding(X509Certificate cert, String url, RevokedEntry r) {
    String reason = reasonName(r.reason());
    return concerning(FindingCode.CERT_REVOKED,
        "The certificate " + name(cert) + " was revoked on " + r.revokedAt() + " (" + reason + "), says "
            + theCrl(url).substring(0, 1).toLowerCase(Locale.ROOT) + theCrl(url).substring(1) + ".",
        cert, "url", url, "reason", reason, "revokedAt", r.revokedAt().toString());
  }

  private static Finding concerning(FindingCode code, String message, X509Certificate cert, String... kv) {
    Object[] evidence = new Object[kv.length + 4];
    System.arraycopy(kv, 0, evidence, 0, kv.length);
    evidence[kv.length] = "subject";
    evidence[kv.length + 1] = cert.getSubjectX500Principal().getName(X500Principal.RFC2253);
    evidence[kv.length + 2] = "sha1";
    evidence[kv.length + 3] = CertificateInfo.thumbprint(cert, "SHA-1");
    return Finding.of(code, message, evidence);
  }

  /**
   * The RFC 5280 §5.3.1 name of a reason code.
   *
   * @param reason the reason, or null when the entry has none
   * @return e.g. {@code keyCompromise}; {@code unspecified} for null
   */
  static String reasonName(@Nullable CRLReason reason) {
    if (reason == null) {
      return "unspecified";
    }
    return switch (reason) {
      case UNSPECIFIED, UNUSED -> "unspecified";
      case KEY_COMPROMISE -> "keyCompromise";
      case CA_COMPROMISE -> "cACompromise";
      case AFFILIATION_CHANGED -> "affiliationChanged";
      case SUPERSEDED -> "superseded";
      case CESSATION_OF_OPERATION -> "cessationOfOperation";
      case CERTIFICATE_HOLD -> "certificateHold";
      case REMOVE_FROM_CRL -> "removeFromCRL";
      case PRIVILEGE_WITHDRAWN -> "privilegeWithdrawn";
      case AA_COMPROMISE -> "aACompromise";
    };
  }

  private static String reasonNames(Set<CRLReason> reasons) {
    List<String> n = new ArrayList<>();
    for (CRLReason r : reasons) {
      n.add(r == CRLReason.UNUSED ? "unused" : reasonName(r));
    }
    return String.join(", ", n);
  }

  private static String label(DistributionPoint dp, X509Certificate cert) {
    if (!dp.uris().isEmpty()) {
      return dp.uris().get(0).toString();
    }
    if (!dp.fullName().isEmpty()) {
      return dp.fullName().get(0).toString();
    }
    String rel = dp.relativeName();
    if (rel != null) {
      return rel;
    }
    return "CRL of " + names(expectedIssuers(dp, cert));
  }

  /** "The CRL at URL" for a URL, "The given CRL of ..." for a CRL given beforehand. */
  private static String theCrl(String url) {
    return url.startsWith("given CRL") ? "The " + url : "The CRL at " + url;
  }

  private static String name(X509Certificate c) {
    return c.getSubjectX500Principal().getName(X500Principal.RFC2253);
  }

  private static String names(List<X500Principal> ns) {
    if (ns.isEmpty()) {
      return "(no usable CRL issuer name)";
    }
    List<String> out = new ArrayList<>();
    for (X500Principal n : ns) {
      out.add(n.getName(X500Principal.RFC2253));
    }
    return String.join(" or ", out);
  }

  private static String display(Set<String> names) {
    return names.isEmpty() ? "(none)" : "[" + String.join(", ", names) + "]";
  }

  private static String sentence(String s) {
    if (s.isEmpty()) {
      return s;
    }
    String t = s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    return t.endsWith(".") ? t : t + ".";
  }

  /** Builds a {@link CrlRevocationChecker}. Setters of single values may be called once. */
  public static final class Builder {
    private @Nullable Duration connectTimeout;
    private @Nullable Duration readTimeout;
    private @Nullable Long maxBytes;
    private @Nullable Clock clock;
    private @Nullable Duration maxCacheAge;
    private boolean fetch = true;
    private boolean fetchSet;
    private final List<LoadedCrl> given = new ArrayList<>();
    private final Set<X509Certificate> signers = new LinkedHashSet<>();

    private Builder() {}

    /**
     * How long a connection to a CRL server may take. Default 5 seconds.
     *
     * @param timeout positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     * @throws IllegalStateException if already set
     */
    public Builder connectTimeout(Duration timeout) {
      checkUnset(connectTimeout, "connectTimeout");
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /**
     * How long reading a CRL may take. Default 20 seconds.
     *
     * @param timeout positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     * @throws IllegalStateException if already set
     */
    public Builder readTimeout(Duration timeout) {
      checkUnset(readTimeout, "readTimeout");
      this.readTimeout = positive(timeout, "readTimeout");
      return this;
    }

    /**
     * The largest CRL read, in bytes; a larger one is {@code CRL_UNAVAILABLE} ("too large").
     * Default 64 MiB.
     *
     * @param bytes positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     * @throws IllegalStateException if already set
     */
    public Builder maxBytes(long bytes) {
      checkUnset(maxBytes, "maxBytes");
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxBytes must be positive: " + bytes);
      }
      this.maxBytes = bytes;
      return this;
    }

    /**
     * The clock of the cache and of the fetch timings (not the validation time, which {@link
     * #check(List, Instant)} is given). Default the system UTC clock.
     *
     * @param c the clock
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder clock(Clock c) {
      requireNonNull(c, "clock");
      checkUnset(clock, "clock");
      this.clock = c;
      return this;
    }

    /**
     * How long a fetched CRL is used at most, even when its nextUpdate is later. Default 24 hours.
     *
     * @param age positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     * @throws IllegalStateException if already set
     */
    public Builder maxCacheAge(Duration age) {
      checkUnset(maxCacheAge, "maxCacheAge");
      this.maxCacheAge = positive(age, "maxCacheAge");
      return this;
    }

    /**
     * Whether CRLs are fetched from the URLs certificates name. Default true. With false, only
     * the CRLs given with {@link #staticCrls(Collection)} are used.
     *
     * @param on whether to fetch
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder fetch(boolean on) {
      if (fetchSet) {
        throw new IllegalStateException("fetch was already set");
      }
      this.fetchSet = true;
      this.fetch = on;
      return this;
    }

    /**
     * Adds CRLs to use instead of fetching (offline checks, test suites). They are matched to a
     * certificate by issuer name (or the cRLIssuer of its distribution point) and issuing
     * distribution point; delta CRLs among them are applied to their complete CRLs. A
     * certificate whose issuer has given CRLs is checked against them without a fetch.
     *
     * @param crls the CRLs
     * @return this builder
     * @throws IllegalArgumentException if a CRL cannot be read
     */
    public Builder staticCrls(Collection<X509CRL> crls) {
      requireNonNull(crls, "crls");
      for (X509CRL crl : crls) {
        requireNonNull(crl, "crls element");
        try {
          add(crl.getEncoded());
        } catch (CRLException e) {
          throw new IllegalArgumentException("a CRL cannot be encoded: " + e.getMessage(), e);
        }
      }
      return this;
    }

    /**
     * Adds CRLs, each DER or PEM encoded, to use instead of fetching; see {@link
     * #staticCrls(Collection)}.
     *
     * @param crls the encoded CRLs
     * @return this builder
     * @throws IllegalArgumentException if a CRL cannot be read
     */
    public Builder staticCrls(byte[]... crls) {
      requireNonNull(crls, "crls");
      for (byte[] crl : crls) {
        add(requireNonNull(crl, "crls element").clone());
      }
      return this;
    }

    /**
     * Adds certificates that may sign CRLs without being in the path: a CA's separate CRL
     * signing certificate, or an indirect CRL issuer's (RFC 5280 §5). Such a certificate is used
     * when its key verifies the CRL, it allows cRLSign, it chains to a certificate of the path,
     * and it is not revoked itself.
     *
     * @param certificates the certificates
     * @return this builder
     */
    public Builder crlSigners(Collection<X509Certificate> certificates) {
      requireNonNull(certificates, "certificates");
      for (X509Certificate c : certificates) {
        signers.add(requireNonNull(c, "certificates element"));
      }
      return this;
    }

    private void add(byte[] encoded) {
      try {
        given.add(LoadedCrl.parse(encoded));
      } catch (CrlFormatException e) {
        throw new IllegalArgumentException("a CRL cannot be read: " + e.getMessage(), e);
      }
    }

    /**
     * Builds the checker.
     *
     * @return an immutable, thread-safe checker
     */
    public CrlRevocationChecker build() {
      return new CrlRevocationChecker(this);
    }

    private static Duration positive(Duration d, String what) {
      requireNonNull(d, what);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }

    private static void checkUnset(@Nullable Object current, String name) {
      if (current != null) {
        throw new IllegalStateException(name + " was already set");
      }
    }
  }
}
