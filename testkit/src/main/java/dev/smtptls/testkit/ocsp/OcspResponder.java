package dev.smtptls.testkit.ocsp;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import dev.smtptls.testkit.internal.LoopbackHttpServer;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.RevocationReason;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;

/**
 * A real OCSP responder (RFC 6960) on {@code 127.0.0.1}, port 0, for revocation tests: yours and
 * ours. It answers {@code POST} of an {@code application/ocsp-request} (RFC 6960 Appendix A.1)
 * and the {@code GET} form (the base64 request appended to {@link #uri()}) with a basic response
 * signed by the CA that issued the certificates asked about, or by a delegated responder
 * certificate that CA issued ({@link Builder#responderCertificate}). Each certificate is
 * {@linkplain #good good}, {@linkplain #revoked revoked} or, by default, unknown; a request for
 * another CA's certificate is answered unknown. The request's nonce (RFC 8954) is echoed unless
 * {@linkplain Builder#echoNonce(boolean) told otherwise}. Responses are dated by the configured
 * clock: thisUpdate a minute ago, nextUpdate in an hour, producedAt now.
 *
 * <pre>{@code
 * TestPki pki = TestPki.create();
 * try (OcspResponder ocsp = OcspResponder.builder(pki.intermediate()).start()) {
 *   IssuedCertificate leaf = pki.newLeaf().dnsNames("mx.example.test").ocspUrl(ocsp.uri()).issue();
 *   ocsp.revoked(leaf.certificate(), RevocationReason.KEY_COMPROMISE, Instant.now());
 *   // ... check the leaf; then
 *   assertThat(ocsp.requestCount()).isEqualTo(1);
 *   ocsp.fault(OcspFault.TRY_LATER);
 * }
 * }</pre>
 *
 * <p>Thread-safe. Requests are served on daemon threads; the wait of {@link OcspFault#SLOW} ends
 * when the responder is {@linkplain #close() closed}, and {@code close()} returns promptly.
 */
public final class OcspResponder implements AutoCloseable {

  /** The default delay of {@link OcspFault#SLOW}: 30 s. */
  public static final Duration DEFAULT_SLOW_DELAY = Duration.ofSeconds(30);

  /** The path {@link #uri()} names. */
  public static final String PATH = "/ocsp";

  private static final int MAX_REQUEST_BYTES = 64 * 1024;
  private static final byte[] GARBAGE = "this is not an OCSP response\n".getBytes(StandardCharsets.US_ASCII);

  /** Bouncy Castle, private to the testkit: never registered globally. */
  private static final class Bc {
    static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();
  }

  private record Status(@Nullable CertificateStatus status) {}

  private final IssuedCertificate issuer;
  private final @Nullable IssuedCertificate responderCertificate;
  private final Duration slowDelay;
  private final Clock clock;
  private final boolean echoNonce;
  private final KeyPair unrelated;
  private final LoopbackHttpServer http;
  private final Map<BigInteger, Status> statuses = new ConcurrentHashMap<>();
  private final AtomicReference<@Nullable OcspFault> fault = new AtomicReference<>();
  private final AtomicInteger requests = new AtomicInteger();
  private volatile byte @Nullable [] lastNonce;

  private OcspResponder(Builder b) {
    this.issuer = b.issuer;
    this.responderCertificate = b.responderCertificate;
    this.slowDelay = b.slowDelay;
    this.clock = b.clock;
    this.echoNonce = b.echoNonce;
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC", Bc.PROVIDER);
      g.initialize(new ECGenParameterSpec("secp256r1"));
      this.unrelated = g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make an EC key", e);
    }
    this.http = LoopbackHttpServer.start("ocsp-responder", this::handle);
  }

  /**
   * Starts a builder for a responder answering for the certificates {@code issuer} issued.
   *
   * @param issuer the CA whose certificates it answers for (usually {@code pki.intermediate()}); it
   *     signs the responses unless a delegated responder certificate is given
   * @return a new builder
   */
  public static Builder builder(IssuedCertificate issuer) {
    return new Builder(requireNonNull(issuer, "issuer"));
  }

  /**
   * Starts a responder with the defaults, signing with {@code issuer} itself.
   *
   * @param issuer the CA whose certificates it answers for
   * @return the running responder; close it
   * @throws UncheckedIOException if 127.0.0.1 cannot be bound
   */
  public static OcspResponder start(IssuedCertificate issuer) {
    return builder(issuer).start();
  }

  /** {@return the responder's URL, {@code http://127.0.0.1:port/ocsp}: put it in certificates' AIA} */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + port() + PATH);
  }

  /** {@return the bound port} */
  public int port() {
    return http.port();
  }

  /**
   * Answers {@code good} for a certificate from now on.
   *
   * @param certificate a certificate the issuer issued
   * @return this responder
   */
  public OcspResponder good(X509Certificate certificate) {
    statuses.put(requireNonNull(certificate, "certificate").getSerialNumber(), new Status(CertificateStatus.GOOD));
    return this;
  }

  /**
   * Answers {@code revoked} for a certificate from now on.
   *
   * @param certificate a certificate the issuer issued
   * @param reason the revocation reason the response carries
   * @param revokedAt the revocation time (whole seconds are sent)
   * @return this responder
   */
  public OcspResponder revoked(X509Certificate certificate, RevocationReason reason, Instant revokedAt) {
    requireNonNull(certificate, "certificate");
    requireNonNull(reason, "reason");
    requireNonNull(revokedAt, "revokedAt");
    statuses.put(certificate.getSerialNumber(),
        new Status(new RevokedStatus(Date.from(revokedAt.truncatedTo(ChronoUnit.SECONDS)), reason.code())));
    return this;
  }

  /**
   * Answers {@code unknown} for a certificate from now on (the default for any certificate).
   *
   * @param certificate the certificate
   * @return this responder
   */
  public OcspResponder unknown(X509Certificate certificate) {
    statuses.remove(requireNonNull(certificate, "certificate").getSerialNumber());
    return this;
  }

  /**
   * Makes the responder misbehave for every request from now on; replaces any earlier fault.
   *
   * @param f how to misbehave
   */
  public void fault(OcspFault f) {
    fault.set(requireNonNull(f, "fault"));
  }

  /** Ends the fault: the responder answers correctly again. */
  public void clearFault() {
    fault.set(null);
  }

  /** {@return how many HTTP requests arrived, whatever was answered} */
  public int requestCount() {
    return requests.get();
  }

  /** {@return the nonce of the last well-formed request (its extension value's octets), if it had one} */
  public Optional<byte[]> lastNonce() {
    byte[] n = lastNonce;
    return n == null ? Optional.empty() : Optional.of(n.clone());
  }

  /** Stops: ends every wait and connection and the responder's threads, promptly. Idempotent. */
  @Override
  public void close() {
    http.close();
  }

  // ---------------------------------------------------------------- serving

  private void handle(HttpExchange exchange) throws IOException {
    try {
      requests.incrementAndGet();
      String path = exchange.getRequestURI().getRawPath();
      if (path == null || !(path.equals(PATH) || path.startsWith(PATH + "/"))) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      OcspFault f = fault.get();
      if (f == OcspFault.NOT_FOUND) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      byte[] der;
      String method = exchange.getRequestMethod();
      if (method.equals("POST")) {
        try (InputStream in = exchange.getRequestBody()) {
          der = in.readNBytes(MAX_REQUEST_BYTES);
        }
      } else if (method.equals("GET") && path.length() > PATH.length() + 1) {
        String b64 = URLDecoder.decode(path.substring(PATH.length() + 1), StandardCharsets.US_ASCII);
        try {
          der = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
          der = new byte[0];
        }
      } else {
        exchange.getResponseHeaders().set("Allow", "GET, POST");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      if (f == OcspFault.SLOW) {
        try {
          if (http.awaitClosing(slowDelay.toNanos())) {
            return;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      send(exchange, answer(der, f));
    } finally {
      exchange.close();
    }
  }

  private static void send(HttpExchange exchange, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/ocsp-response");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private byte[] answer(byte[] der, @Nullable OcspFault f) throws IOException {
    try {
      if (f == OcspFault.MALFORMED) {
        return GARBAGE.clone();
      }
      if (f == OcspFault.TRY_LATER) {
        return new OCSPRespBuilder().build(OCSPRespBuilder.TRY_LATER, null).getEncoded();
      }
      if (f == OcspFault.INTERNAL_ERROR) {
        return new OCSPRespBuilder().build(OCSPRespBuilder.INTERNAL_ERROR, null).getEncoded();
      }
      if (f == OcspFault.UNAUTHORIZED) {
        return new OCSPRespBuilder().build(OCSPRespBuilder.UNAUTHORIZED, null).getEncoded();
      }
      OCSPReq request;
      try {
        request = new OCSPReq(der);
      } catch (IOException | RuntimeException e) {
        return new OCSPRespBuilder().build(OCSPRespBuilder.MALFORMED_REQUEST, null).getEncoded();
      }
      Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
      lastNonce = nonce == null ? null : nonce.getExtnValue().getOctets().clone();
      return respond(request, nonce, f).getEncoded();
    } catch (OCSPException e) {
      throw new IOException("cannot build the OCSP response", e);
    }
  }

  private org.bouncycastle.cert.ocsp.OCSPResp respond(OCSPReq request, @Nullable Extension nonce, @Nullable OcspFault f)
      throws OCSPException, IOException {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Date thisUpdate = Date.from(f == OcspFault.STALE ? now.minus(Duration.ofDays(8)) : now.minus(Duration.ofMinutes(1)));
    Date nextUpdate = Date.from(f == OcspFault.STALE ? now.minus(Duration.ofDays(1)) : now.plus(Duration.ofHours(1)));
    PrivateKey key;
    X500Name name;
    X509CertificateHolder[] certs;
    if (f == OcspFault.WRONG_SIGNER) {
      key = unrelated.getPrivate();
      name = new X500Name("CN=Unrelated OCSP Signer");
      certs = null;
    } else if (responderCertificate != null) {
      key = responderCertificate.privateKey();
      name = X500Name.getInstance(responderCertificate.certificate().getSubjectX500Principal().getEncoded());
      certs = new X509CertificateHolder[] {holder(responderCertificate.certificate())};
    } else {
      key = issuer.privateKey();
      name = X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
      certs = null;
    }
    BasicOCSPRespBuilder b = new BasicOCSPRespBuilder(new RespID(name));
    X509CertificateHolder issuerHolder = holder(issuer.certificate());
    DigestCalculatorProvider digests = new BcDigestCalculatorProvider();
    for (Req r : request.getRequestList()) {
      CertificateID id = r.getCertID();
      CertificateStatus status = new UnknownStatus();
      if (id.matchesIssuer(issuerHolder, digests)) {
        Status s = statuses.get(id.getSerialNumber());
        if (s != null) {
          status = s.status();
        }
      }
      b.addResponse(id, status, thisUpdate, nextUpdate, null);
    }
    if (nonce != null && f == OcspFault.WRONG_NONCE) {
      byte[] other = nonce.getExtnValue().getOctets().clone();
      other[other.length - 1] ^= 1;
      b.setResponseExtensions(new Extensions(new Extension(nonce.getExtnId(), false, other)));
    } else if (nonce != null && echoNonce) {
      b.setResponseExtensions(new Extensions(nonce));
    }
    BasicOCSPResp basic = b.build(signer(key), certs, Date.from(now));
    return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic);
  }

  private static ContentSigner signer(PrivateKey key) {
    String alg = key.getAlgorithm().startsWith("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    try {
      return new JcaContentSignerBuilder(alg).setProvider(Bc.PROVIDER).build(key);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign with " + alg, e);
    }
  }

  private static X509CertificateHolder holder(X509Certificate c) throws IOException {
    try {
      return new X509CertificateHolder(c.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IOException("cannot encode a certificate", e);
    }
  }

  // ---------------------------------------------------------------- configuration

  /** Configures an {@link OcspResponder}. Not thread-safe. */
  public static final class Builder {
    private final IssuedCertificate issuer;
    private @Nullable IssuedCertificate responderCertificate;
    private Duration slowDelay = DEFAULT_SLOW_DELAY;
    private Clock clock = Clock.systemUTC();
    private boolean echoNonce = true;

    private Builder(IssuedCertificate issuer) {
      this.issuer = issuer;
    }

    /**
     * Signs with a delegated responder certificate (RFC 6960 §4.2.2.2) instead of the issuer's
     * key, and includes it in every response. Make it with {@code
     * pki.newLeaf().issuedBy(issuer).extendedKeyUsages("1.3.6.1.5.5.7.3.9").issue()}; leave out
     * {@code id-kp-OCSPSigning} to test that clients refuse it.
     *
     * @param certificate the responder certificate with its private key
     * @return this builder
     */
    public Builder responderCertificate(IssuedCertificate certificate) {
      this.responderCertificate = requireNonNull(certificate, "certificate");
      return this;
    }

    /**
     * Sets how long {@link OcspFault#SLOW} waits before answering; by default 30 s.
     *
     * @param delay positive, at most an hour
     * @return this builder
     * @throws IllegalArgumentException if not positive or longer than an hour
     */
    public Builder slowDelay(Duration delay) {
      requireNonNull(delay, "delay");
      if (delay.isNegative() || delay.isZero() || delay.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("slowDelay must be positive and at most an hour, got " + delay);
      }
      this.slowDelay = delay;
      return this;
    }

    /**
     * Sets the clock that dates responses; by default the system clock.
     *
     * @param c the clock
     * @return this builder
     */
    public Builder clock(Clock c) {
      this.clock = requireNonNull(c, "clock");
      return this;
    }

    /**
     * Whether the request's nonce is echoed in the response; by default true. With false the
     * responder omits it, as RFC 5019 responders serving precomputed responses do.
     *
     * @param echo whether to echo
     * @return this builder
     */
    public Builder echoNonce(boolean echo) {
      this.echoNonce = echo;
      return this;
    }

    /**
     * Binds {@code 127.0.0.1} on an ephemeral port and starts answering.
     *
     * @return the running responder; close it
     * @throws UncheckedIOException if 127.0.0.1 cannot be bound
     */
    public OcspResponder start() {
      return new OcspResponder(this);
    }
  }
}
