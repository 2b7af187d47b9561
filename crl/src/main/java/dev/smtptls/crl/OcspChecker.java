package dev.smtptls.crl;

import static java.util.Objects.requireNonNull;

import dev.smtptls.cert.CertificateInfo;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.spi.RevocationChecker;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.cert.ocsp.jcajce.JcaCertificateID;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.jspecify.annotations.Nullable;

/**
 * Checks revocation with OCSP (RFC 6960, in the lightweight profile of RFC 5019): for every
 * certificate of a validated path except the trust anchor that names an OCSP responder in its
 * Authority Information Access extension, a request (CertID with SHA-1, as RFC 5019 requires;
 * a 16-byte nonce, RFC 8954, unless turned off) is {@code POST}ed as {@code
 * application/ocsp-request} (RFC 6960 Appendix A.1), and the answer is checked: response status
 * {@code successful}; a basic response; signed by the issuer itself or by a delegated responder
 * certificate that the issuer issued, that carries {@code id-kp-OCSPSigning} and that is valid
 * now (RFC 6960 §4.2.2.2); a single response for this CertID; {@code thisUpdate} not after now
 * (with 5 minutes for the responder's clock) and {@code nextUpdate}, when present, not before
 * now; the nonce echoed when one was sent (a responder may leave it out, RFC 5019 §2.2, but a
 * different nonce is refused).
 *
 * <p>Findings, never exceptions: {@code OCSP_REVOKED} (evidence {@code url}, {@code reason} by
 * its RFC 5280 name, {@code revokedAt}, {@code subject}, {@code sha1}) and {@code
 * OCSP_UNAVAILABLE} (evidence {@code url}, {@code reason} in words: connection, timeout, HTTP
 * status, too large, unparseable, {@code tryLater}, bad signature, unauthorised responder, out of
 * date, unknown certificate). A certificate without an OCSP URL gives nothing here; the CRL
 * checker reports {@code CERT_NO_REVOCATION_POINT} when it has neither. When a certificate names
 * several responders, they are asked in order until one answers good or revoked; the failures of
 * those asked before are reported.
 *
 * <p>Freshness is judged against the checker's {@linkplain Builder#clock(Clock) clock}, not the
 * validation time given to {@link #check(List, Instant)}: an OCSP response tells the status now.
 *
 * <p><b>Stapled responses.</b> Through {@link #check(List, Instant, Map)} a certificate may come
 * with the OCSP response the server stapled in the TLS handshake (RFC 6066 §8, RFC 6961, RFC 8446
 * §4.4.2.1). It is verified exactly as a fetched answer (status, signature by the issuer or an
 * authorised delegated responder, CertID, thisUpdate / nextUpdate), except that it carries no
 * nonce of ours, and no responder is asked: good gives nothing, revoked gives {@code
 * OCSP_REVOKED} with evidence {@code stapled = true} (and {@code url}, the certificate's OCSP URL,
 * or {@code stapled} when it names none). An unusable stapled response gives {@code
 * OCSP_UNAVAILABLE} ({@code stapled = true}, reason "the stapled OCSP response is unusable: ...")
 * and the responders are then asked as for a certificate without one. Stapled answers do not
 * enter the cache.
 *
 * <pre>{@code
 * RevocationChecker both = OcspChecker.combined(
 *     CrlRevocationChecker.builder().build(),
 *     OcspChecker.builder().connectTimeout(Duration.ofSeconds(5)).build());
 * CertificateChecker checker = CertificateChecker.builder().revocationChecker(both).build();
 * }</pre>
 *
 * <p><b>Cache.</b> Each checker keeps the answers it got, keyed by responder URL, issuer key
 * hash and serial number, so a fleet scan asks a responder about a shared intermediate once, not
 * once per host. A verified good or revoked answer is reused until its {@code nextUpdate}, and
 * never longer than the {@linkplain Builder#maxCacheAge(Duration) maximum cache age} (default 1
 * hour; also the lifetime of an answer without {@code nextUpdate}); a failure (no connection,
 * timeout, HTTP error, bad signature, {@code unknown}, ...) is reused for at most 30 seconds, so
 * a dead responder is not hammered but a recovered one is asked again soon. Expiry is judged
 * against the checker's clock. Concurrent checks of the same certificate share one request: the
 * others wait for it, at most the connect plus the read timeout, and give up on interrupt. A
 * reused answer carries the nonce of the request that fetched it: RFC 5019 responders serve
 * pre-produced answers anyway, and the signature and freshness were verified when it arrived. At
 * most 10,000 answers are kept, the eldest evicted first; {@code maxCacheAge(Duration.ZERO)}
 * turns the cache off.
 *
 * <p>Thread-safe; the settings are immutable. Every request is bounded: a connect timeout, one
 * deadline for the answer and its whole body, a size cap.
 */
public final class OcspChecker implements RevocationChecker {

  /** The default connect timeout: 5 s. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** The default read timeout (the answer, headers and whole body): 10 s. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);

  /** The default longest reuse of a cached answer: 1 hour. */
  public static final Duration DEFAULT_MAX_CACHE_AGE = Duration.ofHours(1);

  /** The default size cap of a response: {@value} bytes (1 MiB). */
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 1024L * 1024;

  /** How far a response's thisUpdate may lie after now: the responder's clock may run ahead. */
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  /** {@code id-kp-OCSPSigning} (RFC 5280 §4.2.1.12). */
  private static final String OCSP_SIGNING = "1.3.6.1.5.5.7.3.9";

  private static final int NONCE_BYTES = 16;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final long maxResponseBytes;
  private final Clock clock;
  private final boolean nonce;
  private final OcspHttp http;
  private final Duration maxCacheAge;
  private final OcspCache cache;

  /**
   * A checker with the defaults: connect timeout 5 s, read timeout 10 s, responses up to 1 MiB,
   * the system UTC clock, nonces on, answers cached for at most 1 hour.
   */
  public OcspChecker() {
    this(new Builder());
  }

  private OcspChecker(Builder b) {
    this.connectTimeout = b.connectTimeout;
    this.readTimeout = b.readTimeout;
    this.maxResponseBytes = b.maxResponseBytes;
    this.clock = b.clock;
    this.nonce = b.nonce;
    this.http = new OcspHttp(connectTimeout, readTimeout, maxResponseBytes);
    this.maxCacheAge = b.maxCacheAge;
    this.cache = new OcspCache(clock, maxCacheAge, connectTimeout.plus(readTimeout));
  }

  /** {@return a builder with the defaults of the no-argument constructor} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A checker that runs several in order and concatenates their findings: {@code --revocation
   * all} is {@code combined(crlChecker, ocspChecker)}. Each checker is bounded in time itself;
   * they run one after the other.
   *
   * @param checkers the checkers, in the order their findings should appear
   * @return an immutable, thread-safe checker (thread-safe as long as the checkers are)
   * @throws NullPointerException if the array or a checker is null
   */
  public static RevocationChecker combined(RevocationChecker... checkers) {
    List<RevocationChecker> all = List.of(requireNonNull(checkers, "checkers"));
    return new Combined(all);
  }

  /** Runs checkers one after the other. */
  private record Combined(List<RevocationChecker> checkers) implements RevocationChecker {
    @Override
    public List<Finding> check(List<X509Certificate> path, Instant at) {
      List<Finding> out = new ArrayList<>();
      for (RevocationChecker c : checkers) {
        out.addAll(c.check(path, at));
      }
      return List.copyOf(out);
    }

    @Override
    public List<Finding> check(List<X509Certificate> path, Instant at, Map<X509Certificate, byte[]> stapledOcsp) {
      List<Finding> out = new ArrayList<>();
      for (RevocationChecker c : checkers) {
        out.addAll(c.check(path, at, stapledOcsp));
      }
      return List.copyOf(out);
    }
  }

  /** {@return the connect timeout} */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** {@return the read timeout: the answer, headers and whole body} */
  public Duration readTimeout() {
    return readTimeout;
  }

  /** {@return the largest response read, in bytes} */
  public long maxResponseBytes() {
    return maxResponseBytes;
  }

  /** {@return the longest a good or revoked answer is reused; zero when the cache is off} */
  public Duration maxCacheAge() {
    return maxCacheAge;
  }

  /** {@return whether requests carry a nonce} */
  public boolean nonce() {
    return nonce;
  }

  /**
   * Checks a validated path.
   *
   * @param path the path, leaf first, ending with the trust anchor (whose status is not asked)
   * @param at the validation time (freshness is judged against the checker's clock; see the
   *     class description)
   * @return the findings, in path order; empty when every certificate with an OCSP URL is good
   * @throws NullPointerException if an argument or a certificate is null
   */
  @Override
  public List<Finding> check(List<X509Certificate> path, Instant at) {
    return check(path, at, Map.of());
  }

  /**
   * Checks a validated path, using the OCSP responses the server stapled in the handshake: a
   * certificate with a usable stapled response is settled by it and no responder is asked; see
   * the class description.
   *
   * @param path the path, leaf first, ending with the trust anchor (whose status is not asked)
   * @param at the validation time (freshness is judged against the checker's clock)
   * @param stapledOcsp DER {@code OCSPResponse}s (RFC 6960 §4.2.1) by the certificate they are
   *     about; a missing or empty entry means none was stapled
   * @return the findings, in path order
   * @throws NullPointerException if an argument or a certificate is null
   */
  @Override
  public List<Finding> check(List<X509Certificate> path, Instant at, Map<X509Certificate, byte[]> stapledOcsp) {
    requireNonNull(path, "path");
    requireNonNull(at, "at");
    requireNonNull(stapledOcsp, "stapledOcsp");
    path.forEach(c -> requireNonNull(c, "path element"));
    List<Finding> out = new ArrayList<>();
    for (int i = 0; i + 1 < path.size(); i++) {
      X509Certificate cert = path.get(i);
      X509Certificate issuer = path.get(i + 1);
      byte[] stapled = stapledOcsp.isEmpty() ? null : stapledOcsp.get(cert);
      if (stapled != null && stapled.length > 0) {
        Finding f = stapled(stapled, cert, issuer);
        if (f == null) {
          continue; // good
        }
        out.add(f);
        if (f.code() == FindingCode.OCSP_REVOKED) {
          continue;
        }
        // unusable: ask the responders as if nothing had been stapled
      }
      List<Finding> failures = new ArrayList<>();
      for (URI uri : RevocationPoints.of(cert).ocspUris()) {
        Finding f = query(uri, cert, issuer);
        if (f == null) {
          failures.clear(); // an answer from a later responder settles it
          break;
        }
        if (f.code() == FindingCode.OCSP_REVOKED) {
          failures.clear();
          failures.add(f);
          break;
        }
        failures.add(f);
      }
      out.addAll(failures);
    }
    return List.copyOf(out);
  }

  /** Verifies a stapled response; null when it says good. No request, no cache. */
  private @Nullable Finding stapled(byte[] der, X509Certificate cert, X509Certificate issuer) {
    List<URI> uris = RevocationPoints.of(cert).ocspUris();
    String url = uris.isEmpty() ? "stapled" : uris.get(0).toString();
    OcspCache.Answer a;
    try {
      CertificateID id = new JcaCertificateID(new BcDigestCalculatorProvider().get(CertificateID.HASH_SHA1), issuer,
          cert.getSerialNumber());
      a = verify(der, id, issuer, null);
    } catch (OCSPException | OperatorCreationException | GeneralSecurityException e) {
      a = OcspCache.Answer.failed("its CertID cannot be made: " + e.getMessage());
    }
    return switch (a.kind()) {
      case GOOD -> null;
      case REVOKED -> concerning(FindingCode.OCSP_REVOKED,
          "The OCSP response the server stapled in the TLS handshake says " + name(cert) + " was revoked on "
              + a.revokedAt() + " (reason " + a.reason() + ").",
          cert, "url", url, "reason", a.reason(), "revokedAt", String.valueOf(a.revokedAt()), "stapled", "true");
      case FAILED -> {
        String reason = "the stapled OCSP response is unusable: " + a.reason();
        yield concerning(FindingCode.OCSP_UNAVAILABLE,
            "The OCSP response the server stapled in the TLS handshake for " + name(cert) + " is unusable: "
                + a.reason() + (uris.isEmpty() ? "." : "; asking the responder instead."),
            cert, "url", url, "reason", reason, "stapled", "true");
      }
    };
  }

  /** Asks one responder, or reuses its answer from the cache; null when it answers good. */
  private @Nullable Finding query(URI uri, X509Certificate cert, X509Certificate issuer) {
    CertificateID id;
    try {
      id = new JcaCertificateID(new BcDigestCalculatorProvider().get(CertificateID.HASH_SHA1), issuer,
          cert.getSerialNumber());
    } catch (OCSPException | OperatorCreationException | GeneralSecurityException e) {
      return unavailable(uri, cert, "the request cannot be made: " + e.getMessage());
    }
    OcspCache.Key key = new OcspCache.Key(uri.toString(), HexFormat.of().formatHex(id.getIssuerKeyHash()),
        id.getSerialNumber());
    OcspCache.Answer a = cache.get(key, () -> fetch(uri, id, issuer));
    return switch (a.kind()) {
      case GOOD -> null;
      case REVOKED -> concerning(FindingCode.OCSP_REVOKED,
          "The OCSP responder at " + uri + " says " + name(cert) + " was revoked on " + a.revokedAt()
              + " (reason " + a.reason() + ").",
          cert, "url", uri.toString(), "reason", a.reason(), "revokedAt", String.valueOf(a.revokedAt()));
      case FAILED -> unavailable(uri, cert, a.reason());
    };
  }

  /** Asks one responder about a CertID and verifies the answer; judged against the clock. */
  private OcspCache.Answer fetch(URI uri, CertificateID id, X509Certificate issuer) {
    byte[] request;
    byte @Nullable [] sentNonce = null;
    try {
      OCSPReqBuilder rb = new OCSPReqBuilder().addRequest(id);
      if (nonce) {
        byte[] n = new byte[NONCE_BYTES];
        RANDOM.nextBytes(n);
        Extension ext = new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
            new DEROctetString(new DEROctetString(n)));
        rb.setRequestExtensions(new Extensions(ext));
        sentNonce = ext.getExtnValue().getOctets();
      }
      OCSPReq req = rb.build();
      request = req.getEncoded();
    } catch (OCSPException | IOException e) {
      return OcspCache.Answer.failed("the request cannot be made: " + e.getMessage());
    }
    OcspHttp.Result result = http.post(uri, request);
    byte[] body = result.body();
    if (body == null) {
      return OcspCache.Answer.failed(String.valueOf(result.failure()));
    }
    return verify(body, id, issuer, sentNonce);
  }

  /**
   * Verifies a DER OCSPResponse about a CertID, fetched or stapled; judged against the clock. A
   * nonce is checked only when one was sent: a stapled response answers the server's request.
   */
  private OcspCache.Answer verify(byte[] body, CertificateID id, X509Certificate issuer,
      byte @Nullable [] sentNonce) {
    OCSPResp resp;
    BasicOCSPResp basic;
    try {
      resp = new OCSPResp(body);
      int status = resp.getStatus();
      if (status != OCSPResp.SUCCESSFUL) {
        return OcspCache.Answer.failed("the responder answers " + statusWords(status));
      }
      Object o = resp.getResponseObject();
      if (!(o instanceof BasicOCSPResp b)) {
        return OcspCache.Answer.failed("the answer is not a basic OCSP response");
      }
      basic = b;
    } catch (IOException | OCSPException | RuntimeException e) {
      return OcspCache.Answer.failed("the answer is not an OCSP response (" + body.length + " bytes"
          + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
    }
    Instant now = clock.instant();
    String signature = signatureProblem(basic, issuer, now);
    if (signature != null) {
      return OcspCache.Answer.failed(signature);
    }
    SingleResp single = null;
    for (SingleResp s : basic.getResponses()) {
      if (sameCertId(s.getCertID(), id)) {
        single = s;
        break;
      }
    }
    if (single == null) {
      return OcspCache.Answer.failed("the response does not cover this certificate (no matching CertID)");
    }
    Instant thisUpdate = single.getThisUpdate().toInstant();
    if (thisUpdate.isAfter(now.plus(CLOCK_SKEW))) {
      return OcspCache.Answer.failed("the response is not valid yet: its thisUpdate is " + thisUpdate);
    }
    Date next = single.getNextUpdate();
    if (next != null && next.toInstant().isBefore(now)) {
      return OcspCache.Answer.failed("the response is out of date: its nextUpdate was " + next.toInstant());
    }
    if (sentNonce != null) {
      Extension echoed = basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
      if (echoed != null && !Arrays.equals(echoed.getExtnValue().getOctets(), sentNonce)) {
        return OcspCache.Answer.failed("the response's nonce differs from the request's: it may be a replay");
      }
    }
    CertificateStatus status = single.getCertStatus();
    Instant nextUpdate = next == null ? null : next.toInstant();
    if (status == CertificateStatus.GOOD) {
      return OcspCache.Answer.good(nextUpdate);
    }
    if (status instanceof RevokedStatus r) {
      String reason = r.hasRevocationReason() ? reasonName(r.getRevocationReason()) : "unspecified";
      return OcspCache.Answer.revoked(reason, r.getRevocationTime().toInstant(), nextUpdate);
    }
    if (status instanceof UnknownStatus) {
      return OcspCache.Answer.failed("the responder does not know this certificate");
    }
    return OcspCache.Answer.failed("the response has a certificate status that is neither good, revoked nor unknown");
  }

  /** Null when the basic response is signed by the issuer or an authorised delegated responder. */
  private static @Nullable String signatureProblem(BasicOCSPResp basic, X509Certificate issuer, Instant now) {
    if (signedBy(basic, issuer.getPublicKey())) {
      return null;
    }
    String problem = null;
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    for (X509CertificateHolder h : basic.getCerts()) {
      X509Certificate rc;
      try {
        rc = converter.getCertificate(h);
      } catch (CertificateException e) {
        continue;
      }
      if (!signedBy(basic, rc.getPublicKey())) {
        continue;
      }
      String who = "the responder certificate " + name(rc);
      if (!rc.getIssuerX500Principal().equals(issuer.getSubjectX500Principal()) || !issuedBy(rc, issuer)) {
        problem = "the response is signed by " + who + ", which " + name(issuer)
            + " did not issue: it may not answer for that CA (RFC 6960 §4.2.2.2)";
        continue;
      }
      List<String> ekus;
      try {
        ekus = rc.getExtendedKeyUsage();
      } catch (CertificateParsingException e) {
        ekus = null;
      }
      if (ekus == null || !ekus.contains(OCSP_SIGNING)) {
        problem = "the response is signed by " + who + ", which lacks id-kp-OCSPSigning: it is not"
            + " authorised to answer for " + name(issuer) + " (RFC 6960 §4.2.2.2)";
        continue;
      }
      Date d = Date.from(now);
      if (d.before(rc.getNotBefore()) || d.after(rc.getNotAfter())) {
        problem = "the response is signed by " + who + ", which is not valid now (valid "
            + rc.getNotBefore().toInstant() + " to " + rc.getNotAfter().toInstant() + ")";
        continue;
      }
      return null;
    }
    return problem != null ? problem
        : "the response's signature is not by " + name(issuer) + " nor by a responder certificate it issued";
  }

  private static boolean signedBy(BasicOCSPResp basic, PublicKey key) {
    try {
      return basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key));
    } catch (OCSPException | OperatorCreationException | RuntimeException e) {
      return false;
    }
  }

  private static boolean issuedBy(X509Certificate c, X509Certificate issuer) {
    try {
      c.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static boolean sameCertId(CertificateID a, CertificateID b) {
    return a.getHashAlgOID().equals(b.getHashAlgOID())
        && Arrays.equals(a.getIssuerNameHash(), b.getIssuerNameHash())
        && Arrays.equals(a.getIssuerKeyHash(), b.getIssuerKeyHash())
        && a.getSerialNumber().equals(b.getSerialNumber());
  }

  private static String statusWords(int status) {
    return switch (status) {
      case 1 -> "malformedRequest (1): it could not read the request";
      case 2 -> "internalError (2): it is broken";
      case 3 -> "tryLater (3): it cannot answer now";
      case 5 -> "sigRequired (5): it wants signed requests";
      case 6 -> "unauthorized (6): it does not answer for this certificate";
      default -> "the unknown status " + status;
    };
  }

  /**
   * The RFC 5280 §5.3.1 name of a CRLReason code.
   *
   * @param code the code
   * @return e.g. {@code keyCompromise}
   */
  static String reasonName(int code) {
    return switch (code) {
      case 0 -> "unspecified";
      case 1 -> "keyCompromise";
      case 2 -> "cACompromise";
      case 3 -> "affiliationChanged";
      case 4 -> "superseded";
      case 5 -> "cessationOfOperation";
      case 6 -> "certificateHold";
      case 8 -> "removeFromCRL";
      case 9 -> "privilegeWithdrawn";
      case 10 -> "aACompromise";
      default -> "unknown reason " + code;
    };
  }

  private static Finding unavailable(URI uri, X509Certificate cert, String reason) {
    return concerning(FindingCode.OCSP_UNAVAILABLE,
        "The OCSP responder at " + uri + " gives no usable answer for " + name(cert) + ": " + reason + ".",
        cert, "url", uri.toString(), "reason", reason);
  }

  private static Finding concerning(FindingCode code, String message, X509Certificate cert, String... kv) {
    Object[] evidence = new Object[kv.length + 4];
    System.arraycopy(kv, 0, evidence, 0, kv.length);
    evidence[kv.length] = "subject";
    evidence[kv.length + 1] = name(cert);
    evidence[kv.length + 2] = "sha1";
    evidence[kv.length + 3] = CertificateInfo.thumbprint(cert, "SHA-1");
    return Finding.of(code, message, evidence);
  }

  private static String name(X509Certificate c) {
    return c.getSubjectX500Principal().getName(X500Principal.RFC2253);
  }

  /** Builds an {@link OcspChecker}. Each setter may be called once. Not thread-safe. */
  public static final class Builder {
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;
    private long maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
    private Clock clock = Clock.systemUTC();
    private boolean nonce = true;
    private Duration maxCacheAge = DEFAULT_MAX_CACHE_AGE;
    private final Set<String> set = new HashSet<>();

    private Builder() {}

    /**
     * How long a connection to a responder may take. Default 5 seconds.
     *
     * @param timeout positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     * @throws IllegalStateException if already set
     */
    public Builder connectTimeout(Duration timeout) {
      once("connectTimeout");
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /**
     * How long the answer (headers and whole body) may take once connected. Default 10 seconds.
     *
     * @param timeout positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     * @throws IllegalStateException if already set
     */
    public Builder readTimeout(Duration timeout) {
      once("readTimeout");
      this.readTimeout = positive(timeout, "readTimeout");
      return this;
    }

    /**
     * The clock that says "now" for a response's thisUpdate and nextUpdate and a delegated
     * responder certificate's validity. Default the system UTC clock.
     *
     * @param c the clock
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder clock(Clock c) {
      requireNonNull(c, "clock");
      once("clock");
      this.clock = c;
      return this;
    }

    /**
     * Whether requests carry a nonce (RFC 8954). Default true. A responder that leaves the
     * nonce out of its answer is accepted (RFC 5019); one that answers another nonce is not.
     *
     * @param on whether to send a nonce
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder nonce(boolean on) {
      once("nonce");
      this.nonce = on;
      return this;
    }

    /**
     * The largest response read, in bytes; a larger one is {@code OCSP_UNAVAILABLE}. Default
     * 1 MiB.
     *
     * @param bytes between 1 and 2^31 - 17
     * @return this builder
     * @throws IllegalArgumentException if out of range
     * @throws IllegalStateException if already set
     */
    public Builder maxResponseBytes(long bytes) {
      once("maxResponseBytes");
      if (bytes < 1 || bytes > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException("maxResponseBytes must be between 1 and " + (Integer.MAX_VALUE - 16)
            + ": " + bytes);
      }
      this.maxResponseBytes = bytes;
      return this;
    }

    /**
     * The longest a verified good or revoked answer is reused: until its {@code nextUpdate}, but
     * never longer than this; an answer without {@code nextUpdate} is reused for this long. A
     * failure is reused for at most 30 seconds (or this, if shorter). Judged against the
     * {@linkplain #clock(Clock) clock}. Default 1 hour; zero turns the cache off (every check
     * asks the responder).
     *
     * @param age zero or positive
     * @return this builder
     * @throws IllegalArgumentException if negative
     * @throws IllegalStateException if already set
     */
    public Builder maxCacheAge(Duration age) {
      requireNonNull(age, "maxCacheAge");
      once("maxCacheAge");
      if (age.isNegative()) {
        throw new IllegalArgumentException("maxCacheAge must not be negative: " + age);
      }
      this.maxCacheAge = age;
      return this;
    }

    /**
     * Builds the checker.
     *
     * @return a thread-safe checker with its own, empty response cache
     */
    public OcspChecker build() {
      return new OcspChecker(this);
    }

    private void once(String what) {
      if (!set.add(what)) {
        throw new IllegalStateException(what + " was already set");
      }
    }

    private static Duration positive(Duration d, String what) {
      requireNonNull(d, what);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }
  }

  /** {@return the settings, for logs} */
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "OcspChecker[connect %s, read %s, max %d bytes, nonce %s, cache %s]",
        OcspHttp.duration(connectTimeout), OcspHttp.duration(readTimeout), maxResponseBytes, nonce,
        maxCacheAge.isZero() ? "off" : OcspHttp.duration(maxCacheAge));
  }
}
