package dev.smtptls.internal.cert;

import static java.util.Objects.requireNonNull;

import dev.smtptls.finding.FindingCode;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Completes a path that ends without its issuer ({@code CERT_CHAIN_INCOMPLETE}) through the AIA
 * caIssuers URL of the top certificate: fetches the issuer, adds it to the untrusted
 * certificates and validates again, up to {@value #MAX_FETCHES} times for a deeper missing chain.
 * One instance serves one check: it fetches each URL at most once and at most {@value
 * #MAX_FETCHES} URLs in all, whatever the number of trust sources. Not thread-safe.
 */
public final class AiaCompletion {

  /** Fetches per check, at most. */
  public static final int MAX_FETCHES = 3;

  /**
   * What the completion gave.
   *
   * @param result the path result after completion: the completed path when {@code fetched},
   *     otherwise the original result
   * @param incomplete the original {@code CERT_CHAIN_INCOMPLETE} problem
   * @param url the caIssuers URL of the certificate whose issuer was missing
   * @param fetched whether certificates were fetched and completed the path further
   * @param urls every URL followed, in order
   * @param failure why the (first or a later) fetch failed; null when none did
   */
  public record Outcome(
      PathResult result, PathProblem incomplete, String url, boolean fetched, List<String> urls, @Nullable String failure) {
    /** Validates and copies. */
    public Outcome {
      requireNonNull(result, "result");
      requireNonNull(incomplete, "incomplete");
      requireNonNull(url, "url");
      urls = List.copyOf(urls);
    }
  }

  private final AiaFetcher fetcher;
  private final Map<String, AiaFetcher.Fetch> fetched = new HashMap<>();

  /**
   * A completion for one check.
   *
   * @param fetcher the fetcher
   */
  public AiaCompletion(AiaFetcher fetcher) {
    this.fetcher = requireNonNull(fetcher, "fetcher");
  }

  /**
   * Completes {@code first} if it ends with {@code CERT_CHAIN_INCOMPLETE} on a certificate that
   * names a caIssuers URL.
   *
   * @param s the settings of the first validation
   * @param leaf the leaf
   * @param untrusted the other certificates the server presented
   * @param anchors the trust anchors
   * @param first the result without completion
   * @return the outcome, or null when there is nothing to complete; never throws
   */
  public @Nullable Outcome complete(
      PathValidator.Settings s,
      X509Certificate leaf,
      List<X509Certificate> untrusted,
      PathValidator.Anchors anchors,
      PathResult first) {
    PathProblem incomplete = null;
    for (PathProblem p : first.problems()) {
      if (p.code() == FindingCode.CERT_CHAIN_INCOMPLETE) {
        incomplete = p;
        break;
      }
    }
    if (incomplete == null) {
      return null;
    }
    List<String> firstUrls = caIssuers(incomplete.certificate());
    if (firstUrls.isEmpty()) {
      return null;
    }
    String firstUrl = httpOf(firstUrls);
    if (firstUrl == null) {
      return new Outcome(first, incomplete, firstUrls.get(0), false, List.of(),
          "only http: URLs are followed");
    }
    List<X509Certificate> extra = new ArrayList<>();
    List<String> followed = new ArrayList<>();
    PathResult current = first;
    String url = firstUrl;
    for (int round = 0; ; round++) {
      AiaFetcher.Fetch f = fetch(url);
      if (!f.ok()) {
        return round == 0
            ? new Outcome(first, incomplete, firstUrl, false, List.of(), f.failure())
            : new Outcome(current, incomplete, firstUrl, true, followed, "fetching from " + url + " failed: " + f.failure());
      }
      followed.add(url);
      for (X509Certificate c : f.certificates()) {
        if (!extra.contains(c) && !untrusted.contains(c) && !c.equals(leaf)) {
          extra.add(c);
        }
      }
      List<X509Certificate> all = new ArrayList<>(untrusted);
      all.addAll(extra);
      PathResult next = PathValidator.validate(s, leaf, all, anchors);
      if (next.trusted()) {
        return new Outcome(next, incomplete, firstUrl, true, followed, null);
      }
      if (next.path().size() <= 1) {
        // What was served does not issue the leaf: nothing was completed.
        return new Outcome(first, incomplete, firstUrl, false, List.of(),
            "not the issuer: what it serves does not issue '"
                + CertView.displayName(incomplete.certificate().getSubjectX500Principal()) + "'");
      }
      current = next;
      X509Certificate top = next.path().get(next.path().size() - 1);
      String nextUrl = extra.contains(top) && !top.getSubjectX500Principal().equals(top.getIssuerX500Principal())
          ? httpOf(caIssuers(top)) : null;
      if (nextUrl == null || followed.contains(nextUrl) || round + 1 >= MAX_FETCHES) {
        return new Outcome(next, incomplete, firstUrl, true, followed, null);
      }
      url = nextUrl;
    }
  }

  private AiaFetcher.Fetch fetch(String url) {
    AiaFetcher.Fetch f = fetched.get(url);
    if (f != null) {
      return f;
    }
    if (fetched.size() >= MAX_FETCHES) {
      return AiaFetcher.Fetch.failed(url, "not fetched: at most " + MAX_FETCHES + " fetches per check");
    }
    f = fetcher.fetch(url);
    if (!"interrupted".equals(f.failure())) {
      fetched.put(url, f);
    }
    return f;
  }

  private static List<String> caIssuers(X509Certificate cert) {
    return List.copyOf(CertView.of(-1, cert, false).caIssuerUrls);
  }

  private static @Nullable String httpOf(List<String> urls) {
    for (String u : urls) {
      if (u.toLowerCase(Locale.ROOT).startsWith("http:")) {
        return u;
      }
    }
    return null;
  }
}
