package dev.smtptls.internal.cert;

import static java.util.Objects.requireNonNull;

import dev.smtptls.finding.FindingCode;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.jspecify.annotations.Nullable;

/**
 * Builds certification paths from what a server presents and validates them (RFC 5280 6.1, with
 * the web PKI rules of the CA/Browser Forum as the default profile), reporting every problem of
 * the best path rather than the first exception.
 *
 * <p>Path building is a depth-first search from the leaf over the presented certificates and
 * the trust anchors: a certificate's issuer is any certificate whose subject equals its issuer
 * name and whose key verifies its signature; authority and subject key identifiers only order and
 * prune the candidates. No certificate (nor subject and key) appears twice in a path. The work is
 * bounded (signature checks and search steps), and an exhausted budget fails closed. The first
 * path that passes every check wins; otherwise the best failing path is reported: one reaching a
 * trust anchor before one that does not, then the one with the fewest problems, then the longest.
 *
 * <p>Host names are not checked here; see {@code NameMatcher}.
 */
public final class PathValidator {

  /** The OID of id-kp-serverAuth. */
  public static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

  /** Default cap on the number of intermediates between leaf and anchor. */
  public static final int DEFAULT_MAX_CHAIN_DEPTH = 8;

  static final int MAX_SIGNATURE_CHECKS = 1_000;
  static final int MAX_SEARCH_STEPS = 5_000;
  private static final int UNLIMITED_DEPTH_CAP = 32;

  /** Which rule set the checks follow. */
  public enum Profile {
    /**
     * RFC 5280 plus the CA/Browser Forum baseline requirements that browsers enforce: leaf must
     * not be a CA, leaf needs an extKeyUsage with the required purpose and no anyExtendedKeyUsage,
     * subject CN must repeat a SAN entry, roots carry no extKeyUsage.
     */
    WEB_PKI,
    /** RFC 5280 alone: a CA certificate may be a leaf, a missing extKeyUsage allows any purpose. */
    RFC5280
  }

  /**
   * What to validate for.
   *
   * @param time the instant at which every certificate of the path must be valid
   * @param maxChainDepth the maximum number of (not self-issued) intermediates between leaf and
   *     anchor; -1 for no limit
   * @param requiredEku the extended key usage the leaf must allow (e.g. {@link #SERVER_AUTH}), or
   *     null for none
   * @param profile the rule set
   * @param judgeAnchorForm whether the trust anchor's own form counts (how it marks and fills
   *     basicConstraints, key identifiers, extKeyUsage: x509-limbo tests this); some roots still
   *     in platform stores (Go Daddy and Starfield Class 2, QuoVadis Root CA 2 and 3, Certigna,
   *     TWCA Global Root CA, ePKI) break these rules, so a checker using a platform store may
   *     turn this off. Validity, CA bit, keyCertSign, key strength, unknown critical extensions
   *     and name constraints of the anchor count either way.
   */
  public record Settings(
      Instant time,
      int maxChainDepth,
      @Nullable String requiredEku,
      Profile profile,
      boolean judgeAnchorForm) {

    /** Validates. */
    public Settings {
      requireNonNull(time, "time");
      requireNonNull(profile, "profile");
      if (maxChainDepth < -1) {
        throw new IllegalArgumentException("maxChainDepth must be -1 or more: " + maxChainDepth);
      }
    }

    /**
     * Settings that judge the trust anchor's form too.
     *
     * @param time the validation instant
     * @param maxChainDepth the maximum number of intermediates, -1 for no limit
     * @param requiredEku the required extended key usage, or null
     * @param profile the rule set
     */
    public Settings(Instant time, int maxChainDepth, @Nullable String requiredEku, Profile profile) {
      this(time, maxChainDepth, requiredEku, profile, true);
    }

    /**
     * The defaults for a TLS server: depth 8, serverAuth, web PKI profile.
     *
     * @param time the validation instant
     * @return the settings
     */
    public static Settings serverAuth(Instant time) {
      return new Settings(time, DEFAULT_MAX_CHAIN_DEPTH, SERVER_AUTH, Profile.WEB_PKI);
    }
  }

  private PathValidator() {}

  /**
   * Builds and validates a path from {@code leaf} to one of {@code anchors}.
   *
   * @param s the settings
   * @param leaf the server's certificate
   * @param untrusted the other certificates the server presented, in any order, possibly with
   *     duplicates and certificates that belong to no path
   * @param anchors the trust anchors
   * @return the trusted path, or the best failing path with all its problems; never throws for
   *     anything a certificate contains
   */
  public static PathResult validate(
      Settings s,
      X509Certificate leaf,
      List<X509Certificate> untrusted,
      List<X509Certificate> anchors) {
    requireNonNull(anchors, "anchors");
    return validate(s, leaf, untrusted, Anchors.of(anchors));
  }

  /**
   * Builds and validates a path from {@code leaf} to one of the prepared {@code anchors}.
   *
   * @param s the settings
   * @param leaf the server's certificate
   * @param untrusted the other certificates the server presented
   * @param anchors trust anchors parsed once with {@link Anchors#of}
   * @return the trusted path, or the best failing path with all its problems
   */
  public static PathResult validate(
      Settings s, X509Certificate leaf, List<X509Certificate> untrusted, Anchors anchors) {
    requireNonNull(s, "s");
    requireNonNull(leaf, "leaf");
    requireNonNull(untrusted, "untrusted");
    requireNonNull(anchors, "anchors");
    return new Search(s, leaf, untrusted, anchors).run();
  }

  /**
   * Trust anchors parsed once: parsing is most of the cost of a check, and a platform store has
   * well over a hundred anchors. Immutable and safe to share between threads: the views are not
   * changed after construction.
   */
  public static final class Anchors {
    private final List<X509Certificate> certificates;
    private final List<CertView> views;

    private Anchors(List<X509Certificate> certificates, List<CertView> views) {
      this.certificates = certificates;
      this.views = views;
    }

    /**
     * Parses anchors, dropping duplicates.
     *
     * @param anchors the anchor certificates
     * @return the prepared anchors
     */
    public static Anchors of(List<X509Certificate> anchors) {
      List<X509Certificate> certs = List.copyOf(anchors);
      List<CertView> views = new ArrayList<>(certs.size());
      outer:
      for (X509Certificate a : certs) {
        byte[] enc = encodedOf(a);
        for (CertView v : views) {
          if (Arrays.equals(v.encoded, enc)) {
            continue outer;
          }
        }
        views.add(CertView.of(views.size(), a, true));
      }
      return new Anchors(certs, List.copyOf(views));
    }

    /** {@return the anchors as given} */
    public List<X509Certificate> certificates() {
      return certificates;
    }
  }

  private static byte[] encodedOf(X509Certificate c) {
    try {
      return c.getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      return new byte[0];
    }
  }

  /** One run of the path search. */
  private static final class Search {
    private final Settings settings;
    private final CertView leaf;
    private final byte[] leafEncoded;
    private final List<CertView> all = new ArrayList<>();
    private final Map<X500Principal, List<CertView>> bySubject = new HashMap<>();
    private final Map<Long, Boolean> signatures = new HashMap<>();
    private final int depthLimit;
    private int signatureChecks;
    private int steps;
    private boolean exhausted;
    private @Nullable Candidate best;
    private @Nullable Candidate found;

    private record Candidate(List<CertView> path, boolean anchored, List<PathProblem> problems) {}

    Search(Settings settings, X509Certificate leafCert, List<X509Certificate> untrusted, Anchors anchors) {
      this.settings = settings;
      int max = settings.maxChainDepth() < 0 ? UNLIMITED_DEPTH_CAP : settings.maxChainDepth();
      // Room for self-issued intermediates and for one CA too many, so the report can say so.
      this.depthLimit = Math.min(UNLIMITED_DEPTH_CAP, max + 1) + 4;
      this.leafEncoded = encodedOf(leafCert);
      CertView leafView = null;
      for (CertView a : anchors.views) {
        all.add(a);
        bySubject.computeIfAbsent(a.subject, k -> new ArrayList<>()).add(a);
      }
      for (CertView v : all) {
        if (Arrays.equals(v.encoded, leafEncoded)) {
          leafView = v;
        }
      }
      if (leafView == null) {
        leafView = CertView.of(all.size(), leafCert, false);
      }
      this.leaf = leafView;
      for (X509Certificate u : untrusted) {
        addCert(u, false);
      }
    }

    private void addCert(X509Certificate c, boolean anchor) {
      byte[] enc = encodedOf(c);
      for (CertView v : all) {
        if (Arrays.equals(v.encoded, enc)) {
          return;
        }
      }
      if (!anchor && Arrays.equals(enc, leafEncoded)) {
        return;
      }
      CertView v = CertView.of(all.size(), c, anchor);
      all.add(v);
      bySubject.computeIfAbsent(v.subject, k -> new ArrayList<>()).add(v);
    }

    PathResult run() {
      List<CertView> path = new ArrayList<>();
      path.add(leaf);
      if (leaf.anchor) {
        consider(path, true);
      } else {
        extend(path);
      }
      Candidate result = found != null ? found : best;
      if (result == null) {
        // Unreachable in practice: every search ends in at least one candidate.
        result = new Candidate(List.of(leaf), false, List.of(new PathProblem(
            FindingCode.CERT_UNTRUSTED, leaf.cert, "no certification path could be built")));
      }
      List<X509Certificate> certs = new ArrayList<>();
      for (CertView v : result.path()) {
        certs.add(v.cert);
      }
      boolean trusted = result.anchored() && result.problems().isEmpty();
      return new PathResult(certs, trusted, result.problems());
    }

    /** Extends a path whose top is not an anchor; returns true once a valid path is found. */
    private boolean extend(List<CertView> path) {
      CertView top = path.get(path.size() - 1);
      if (++steps > MAX_SEARCH_STEPS) {
        exhausted = true;
      }
      if (exhausted) {
        deadEnd(path, "building the path took more steps than allowed; the search stopped");
        return false;
      }
      List<CertView> named = new ArrayList<>();
      for (CertView c : bySubject.getOrDefault(top.issuer, List.of())) {
        if (c != top && !c.sameCertificate(top)) {
          named.add(c);
        }
      }
      List<CertView> candidates = new ArrayList<>();
      for (CertView c : named) {
        if (inPath(path, c)) {
          continue;
        }
        byte[] aki = top.akiKeyId;
        byte[] ski = c.ski;
        if (aki != null && ski != null && !Arrays.equals(aki, ski)) {
          continue;
        }
        candidates.add(c);
      }
      candidates.sort(
          Comparator.comparing((CertView c) -> !c.anchor)
              .thenComparing(c -> !(top.akiKeyId != null && c.ski != null))
              .thenComparing(c -> !validAt(c))
              .thenComparingInt(c -> c.index));
      boolean tooDeep = path.size() >= depthLimit;
      boolean extended = false;
      boolean signatureFailed = false;
      for (CertView c : candidates) {
        if (!c.anchor && tooDeep) {
          continue;
        }
        Boolean ok = verifies(top, c);
        if (ok == null) {
          exhausted = true;
          break;
        }
        if (!ok) {
          signatureFailed = true;
          continue;
        }
        extended = true;
        path.add(c);
        boolean done;
        if (c.anchor) {
          done = consider(path, true);
        } else {
          done = extend(path);
        }
        path.remove(path.size() - 1);
        if (done) {
          return true;
        }
        if (exhausted) {
          break;
        }
      }
      if (!extended) {
        String why;
        if (exhausted) {
          why = "building the path took more signature checks than allowed; the search stopped";
        } else if (signatureFailed) {
          why = "no certificate named '" + CertView.displayName(top.issuer)
              + "' has a key that verifies the signature of '" + top.name + "'";
        } else if (tooDeep && !candidates.isEmpty()) {
          why = "the path grows longer than allowed without reaching a trusted root";
        } else if (!named.isEmpty()) {
          why = "the only certificates named '" + CertView.displayName(top.issuer)
              + "' are already part of the path (a loop) or do not match its key identifier";
        } else {
          why = "";
        }
        deadEnd(path, why);
      }
      return false;
    }

    private boolean validAt(CertView c) {
      Instant t = settings.time();
      return !t.isBefore(c.cert.getNotBefore().toInstant()) && !t.isAfter(c.cert.getNotAfter().toInstant());
    }

    private static boolean inPath(List<CertView> path, CertView c) {
      for (CertView p : path) {
        if (p == c || p.sameCertificate(c) || p.sameSubjectAndKey(c)) {
          return true;
        }
      }
      return false;
    }

    /** Whether issuer's key verifies child's signature; null when the budget is spent. */
    private @Nullable Boolean verifies(CertView child, CertView issuer) {
      long key = ((long) child.index << 32) | issuer.index;
      Boolean cached = signatures.get(key);
      if (cached != null) {
        return cached;
      }
      if (++signatureChecks > MAX_SIGNATURE_CHECKS) {
        return null;
      }
      boolean ok;
      try {
        child.cert.verify(issuer.publicKey);
        ok = true;
      } catch (Exception e) {
        ok = false;
      }
      signatures.put(key, ok);
      return ok;
    }

    private boolean selfSigned(CertView c) {
      if (!c.selfIssued) {
        return false;
      }
      Boolean ok = verifies(c, c);
      return ok != null && ok;
    }

    private void deadEnd(List<CertView> path, String why) {
      CertView top = path.get(path.size() - 1);
      List<PathProblem> problems = new ArrayList<>(PathChecker.check(settings, List.copyOf(path), false));
      if (!why.isEmpty()) {
        problems.add(new PathProblem(FindingCode.CERT_UNTRUSTED, top.cert, why));
      } else if (selfSigned(top)) {
        if (path.size() == 1) {
          problems.add(new PathProblem(FindingCode.CERT_SELF_SIGNED, top.cert,
              "'" + top.name + "' is self-signed and not among the trusted certificates"));
        } else {
          problems.add(new PathProblem(FindingCode.CERT_UNTRUSTED, top.cert,
              "the root '" + top.name + "' is not a trusted root"));
        }
      } else {
        StringBuilder b = new StringBuilder("the issuer '")
            .append(CertView.displayName(top.issuer))
            .append("' of '")
            .append(top.name)
            .append("' was not sent by the server and is not a trusted root");
        if (!top.caIssuerUrls.isEmpty()) {
          b.append("; the certificate says it can be fetched from ").append(String.join(", ", top.caIssuerUrls));
        }
        // The server sent only its leaf: the intermediate is missing. The server sent an
        // intermediate whose issuer nobody has: most likely a root the trust store lacks (a
        // private CA), which a mail administrator knows as "untrusted", not "incomplete".
        FindingCode code = path.size() == 1 ? FindingCode.CERT_CHAIN_INCOMPLETE : FindingCode.CERT_UNTRUSTED;
        problems.add(new PathProblem(code, top.cert, b.toString()));
      }
      offer(new Candidate(List.copyOf(path), false, problems));
    }

    /** Considers a path ending in an anchor; returns true when it passes every check. */
    private boolean consider(List<CertView> path, boolean anchored) {
      List<PathProblem> problems = PathChecker.check(settings, List.copyOf(path), anchored);
      Candidate c = new Candidate(List.copyOf(path), anchored, problems);
      if (problems.isEmpty()) {
        found = c;
        return true;
      }
      offer(c);
      return false;
    }

    private void offer(Candidate c) {
      Candidate b = best;
      if (b == null || better(c, b)) {
        best = c;
      }
    }

    private static boolean better(Candidate a, Candidate b) {
      if (a.anchored() != b.anchored()) {
        return a.anchored();
      }
      if (a.problems().size() != b.problems().size()) {
        return a.problems().size() < b.problems().size();
      }
      return a.path().size() > b.path().size();
    }
  }
}
