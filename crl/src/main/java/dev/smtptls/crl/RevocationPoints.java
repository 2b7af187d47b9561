package dev.smtptls.crl;

import static java.util.Objects.requireNonNull;

import dev.smtptls.crl.internal.RevocationExtensions;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a certificate says about where its revocation status lives:
 *
 * <ul>
 *   <li>the CRL Distribution Points extension (RFC 5280 §4.2.1.13, OID 2.5.29.31): full-name URIs,
 *       names relative to the CRL issuer (resolved to a DN), cRLIssuer and reasons;
 *   <li>the Freshest CRL extension (§5.2.6, OID 2.5.29.46): where delta CRLs are published;
 *   <li>the Authority Information Access extension (§4.2.2.1, OID 1.3.6.1.5.5.7.1.1): OCSP
 *       responders ({@code id-ad-ocsp}, RFC 6960) and the issuer's certificate ({@code
 *       id-ad-caIssuers}).
 * </ul>
 *
 * <p>Reading is tolerant: certificates in the wild carry broken extensions, and a broken
 * extension must not hide the rest. An extension that cannot be parsed contributes an empty list
 * and a sentence in {@link #problems()}; {@link #of(X509Certificate)} never throws for the
 * certificate's content. Strict receivers such as Exchange need a reachable CRL to trust a
 * certificate ({@code seed/troubleshooting-tls-smtp-eop.txt}: "If Exchange or O365 can't read the
 * CRL it will not trust the certificate"), so a certificate without any point is itself worth a
 * finding ({@code CERT_NO_REVOCATION_POINT}); {@link #hasAny()} answers that question.
 *
 * <pre>{@code
 * RevocationPoints points = RevocationPoints.of(report.peerChain().get(0));
 * for (URI crl : points.crlUris()) { ... }
 * }</pre>
 *
 * @param crlDistributionPoints the CRL distribution points in the certificate's order
 * @param freshestCrl the Freshest CRL (delta CRL) distribution points in order
 * @param ocsp the AIA {@code id-ad-ocsp} access locations in order
 * @param caIssuers the AIA {@code id-ad-caIssuers} access locations in order
 * @param problems one sentence per thing that could not be read, naming the extension; empty when
 *     everything parsed
 */
public record RevocationPoints(
    List<DistributionPoint> crlDistributionPoints,
    List<DistributionPoint> freshestCrl,
    List<Location> ocsp,
    List<Location> caIssuers,
    List<String> problems) {

  /**
   * Validates and copies.
   *
   * @throws NullPointerException if a list or an element is null
   */
  public RevocationPoints {
    crlDistributionPoints = List.copyOf(requireNonNull(crlDistributionPoints, "crlDistributionPoints"));
    freshestCrl = List.copyOf(requireNonNull(freshestCrl, "freshestCrl"));
    ocsp = List.copyOf(requireNonNull(ocsp, "ocsp"));
    caIssuers = List.copyOf(requireNonNull(caIssuers, "caIssuers"));
    problems = List.copyOf(requireNonNull(problems, "problems"));
  }

  /**
   * Reads the revocation extensions of a certificate with Bouncy Castle. A malformed extension
   * yields an empty list for it and a sentence in {@link #problems()}; so does a single entry that
   * cannot be read (the other entries are kept).
   *
   * @param certificate the certificate
   * @return what the certificate says
   * @throws NullPointerException if {@code certificate} is null
   */
  public static RevocationPoints of(X509Certificate certificate) {
    requireNonNull(certificate, "certificate");
    return RevocationExtensions.read(certificate);
  }

  /**
   * Whether the certificate names any place to check its revocation: a CRL distribution point, a
   * Freshest CRL point or an OCSP responder. The caIssuers location is not one (it serves the
   * issuer's certificate, not revocation status). A point whose names cannot be fetched still
   * counts here; {@link #crlUris()} and {@link #ocspUris()} say what can be fetched.
   *
   * @return true when there is at least one point
   */
  public boolean hasAny() {
    return !crlDistributionPoints.isEmpty() || !freshestCrl.isEmpty() || !ocsp.isEmpty();
  }

  /**
   * The fetchable ({@code http:} and {@code ldap:}) URIs of all CRL distribution points, in the
   * certificate's order, without duplicates.
   *
   * @return the URIs
   */
  public List<URI> crlUris() {
    return uris(crlDistributionPoints);
  }

  /**
   * The fetchable URIs of the Freshest CRL points (RFC 5280 §5.2.6: where delta CRLs live), in
   * order, without duplicates.
   *
   * @return the URIs
   */
  public List<URI> deltaCrlUris() {
    return uris(freshestCrl);
  }

  /**
   * The OCSP responder URIs: the {@code http:} access locations (RFC 6960 Appendix A), in order.
   *
   * @return the URIs
   */
  public List<URI> ocspUris() {
    return ocsp.stream()
        .filter(l -> l.kind() == Location.Kind.HTTP && l.fetchable())
        .map(l -> l.uri().orElseThrow())
        .distinct()
        .toList();
  }

  /**
   * The caIssuers URIs ({@code http:} or {@code ldap:}, RFC 5280 §4.2.2.1), in order.
   *
   * @return the URIs
   */
  public List<URI> caIssuersUris() {
    return caIssuers.stream()
        .filter(Location::fetchable)
        .map(l -> l.uri().orElseThrow())
        .distinct()
        .toList();
  }

  private static List<URI> uris(List<DistributionPoint> points) {
    Set<URI> all = new LinkedHashSet<>();
    for (DistributionPoint p : points) {
      all.addAll(p.uris());
    }
    return List.copyOf(all);
  }
}
