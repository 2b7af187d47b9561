package dev.smtptls.bench;

import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.cert.CertificateReport;
import dev.smtptls.cert.PeerIdentity;
import dev.smtptls.testkit.pki.KeyType;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.trust.TrustSources;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.security.Principal;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorResult;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Validations per second of a typical chain as a mail server sends it (leaf + intermediate; the
 * root is the one trust anchor), with the host name check, side by side:
 *
 * <ul>
 *   <li>{@link #smtptlsChecker}: {@link CertificateChecker#check} with {@code
 *       PeerIdentity.of("mx.bench.test")}, no revocation checker;
 *   <li>{@link #jdkCertPathValidator}: the JDK's PKIX {@link CertPathValidator}, revocation off,
 *       over a {@link CertPath} made from the same list. No name check: the JDK's {@code
 *       sun.security.util.HostnameChecker} is internal;
 *   <li>{@link #jdkTrustManagerHttps}: the public route to PKIX plus the JDK's host name check,
 *       {@link X509ExtendedTrustManager#checkServerTrusted(X509Certificate[], String, SSLEngine)}
 *       with endpoint identification {@code "HTTPS"} for peer host {@code mx.bench.test}, as the
 *       JDK's TLS client calls it during a handshake.
 * </ul>
 *
 * <p>The PKI is made once per trial by {@link TestPki}: EC P-256 (the default) or RSA-2048.
 * Steady state only; every benchmark's result is checked once in {@link #setUp}. See {@link
 * #certs} for reused against freshly parsed certificate objects.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/sun.security.x509=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CertificateValidationBenchmark {

  static final String HOST = "mx.bench.test";

  @Param({"EC_P256", "RSA_2048"})
  public String keyType;

  /**
   * {@code reused}: every op validates the same certificate objects. The JDK's {@code
   * X509CertImpl} remembers a successful {@code verify(key)}, so after the first op no variant
   * checks a signature again (as for a server probed again in one JVM: the JDK's
   * CertificateFactory also caches parsed certificates). {@code fresh}: every op first parses
   * the leaf and the intermediate anew from DER (bypassing that cache), so every variant pays
   * both signature checks, as for a server seen for the first time. The parse is the same for
   * all three variants.
   */
  @Param({"reused", "fresh"})
  public String certs;

  private static final MethodHandle NEW_X509_CERT_IMPL = newX509CertImpl();

  private List<X509Certificate> presented;
  private X509Certificate[] presentedArray;
  private byte[] leafDer;
  private byte[] intermediateDer;
  private boolean fresh;
  private PeerIdentity identity;
  private CertificateChecker checker;
  private CertificateFactory certificateFactory;
  private CertPathValidator validator;
  private PKIXParameters pkixParameters;
  private X509ExtendedTrustManager trustManager;
  private SSLEngine engine;
  private String authType;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    KeyType type = KeyType.valueOf(keyType);
    TestPki pki = type == KeyType.EC_P256 ? TestPki.create() : TestPki.builder().keyType(type).build();
    X509Certificate root = pki.root().certificate();
    X509Certificate intermediate = pki.intermediate().certificate();
    X509Certificate leaf = pki.leaf(HOST).certificate();
    presented = List.of(leaf, intermediate);
    presentedArray = presented.toArray(new X509Certificate[0]);
    leafDer = leaf.getEncoded();
    intermediateDer = intermediate.getEncoded();
    fresh = switch (certs) {
      case "reused" -> false;
      case "fresh" -> true;
      default -> throw new IllegalArgumentException("certs: " + certs);
    };
    if (parse(leafDer) == leaf) {
      throw new IllegalStateException("a fresh parse returned the cached certificate");
    }
    identity = PeerIdentity.of(HOST);

    // 1. ours
    checker = CertificateChecker.builder()
        .trustSource(TrustSources.anchors("bench", root))
        .revocationChecker(null)
        .build();

    // 2. the JDK's CertPathValidator
    certificateFactory = CertificateFactory.getInstance("X.509");
    validator = CertPathValidator.getInstance("PKIX");
    pkixParameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
    pkixParameters.setRevocationEnabled(false);

    // 3. the JDK's trust manager: PKIX plus endpoint identification
    KeyStore trustStore = KeyStore.getInstance("PKCS12");
    trustStore.load(null, null);
    trustStore.setCertificateEntry("root", root);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trustStore);
    trustManager = null;
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager x) {
        trustManager = x;
      }
    }
    if (trustManager == null) {
      throw new IllegalStateException("no X509ExtendedTrustManager");
    }
    SSLContext sslContext = SSLContext.getInstance("TLS");
    sslContext.init(null, new TrustManager[] {trustManager}, null);
    SSLEngine real = sslContext.createSSLEngine(HOST, 25);
    real.setUseClientMode(true);
    SSLParameters parameters = real.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    real.setSSLParameters(parameters);
    engine = new InHandshakeEngine(real);
    authType = type.algorithm().equals("EC") ? "ECDHE_ECDSA" : "ECDHE_RSA";

    // Each variant must accept the chain, and the name check must really run.
    CertificateReport report = checkOurs();
    if (!report.valid()) {
      throw new IllegalStateException("our checker rejects the chain: " + report.findings());
    }
    if (checker.check(presented, PeerIdentity.of("other.bench.test")).valid()) {
      throw new IllegalStateException("our checker accepts a wrong name");
    }
    validateJdk();
    jdkTrustManagerHttps();
    boolean rejected = false;
    try {
      trustManager.checkServerTrusted(presentedArray, authType,
          new InHandshakeEngine(sslContext.createSSLEngine("other.bench.test", 25), parameters));
    } catch (java.security.cert.CertificateException expected) {
      rejected = true;
    }
    if (!rejected) {
      throw new IllegalStateException("the JDK's trust manager accepts a wrong name");
    }
  }

  @Benchmark
  public void smtptlsChecker(Blackhole bh) {
    bh.consume(checkOurs());
  }

  @Benchmark
  public void jdkCertPathValidator(Blackhole bh) throws Exception {
    bh.consume(validateJdk());
  }

  /** Returns nothing: the trust manager throws on failure, so the call cannot be left out. */
  @Benchmark
  public void jdkTrustManagerHttps() throws Exception {
    trustManager.checkServerTrusted(fresh ? chainArray() : presentedArray, authType, engine);
  }

  private CertificateReport checkOurs() {
    return checker.check(fresh ? List.of(chainArray()) : presented, identity);
  }

  private CertPathValidatorResult validateJdk() throws Exception {
    CertPath path = certificateFactory.generateCertPath(fresh ? List.of(chainArray()) : presented);
    return validator.validate(path, pkixParameters);
  }

  private X509Certificate[] chainArray() {
    return new X509Certificate[] {parse(leafDer), parse(intermediateDer)};
  }

  /** A new certificate object: {@code new sun.security.x509.X509CertImpl(der)}. */
  private static X509Certificate parse(byte[] der) {
    try {
      return (X509Certificate) NEW_X509_CERT_IMPL.invoke(der);
    } catch (Throwable e) {
      throw new IllegalStateException("cannot parse a certificate", e);
    }
  }

  private static MethodHandle newX509CertImpl() {
    try {
      Class<?> impl = Class.forName("sun.security.x509.X509CertImpl");
      return MethodHandles.lookup()
          .findConstructor(impl, MethodType.methodType(void.class, byte[].class))
          .asType(MethodType.methodType(Object.class, byte[].class));
    } catch (ReflectiveOperationException | IllegalAccessError e) {
      throw new IllegalStateException(
          "run with --add-exports=java.base/sun.security.x509=ALL-UNNAMED", e);
    }
  }

  /**
   * The JDK's trust manager reads the peer host and the signature algorithms from the engine's
   * handshake session, which exists only while a handshake runs; it throws "No handshake
   * session" otherwise. This engine stands for the JDK client's engine in mid-handshake: it
   * delegates to a real engine and returns a TLS 1.2 session for the engine's peer host.
   */
  static final class InHandshakeEngine extends SSLEngine {
    private final SSLEngine delegate;
    private final SSLParameters parameters;
    private final HandshakeSession session;

    InHandshakeEngine(SSLEngine delegate) {
      this(delegate, delegate.getSSLParameters());
    }

    InHandshakeEngine(SSLEngine delegate, SSLParameters parameters) {
      super(delegate.getPeerHost(), delegate.getPeerPort());
      this.delegate = delegate;
      delegate.setUseClientMode(true);
      delegate.setSSLParameters(parameters);
      this.parameters = delegate.getSSLParameters();
      this.session = new HandshakeSession(delegate.getPeerHost(), delegate.getPeerPort());
    }

    @Override
    public SSLSession getHandshakeSession() {
      return session;
    }

    @Override
    public SSLParameters getSSLParameters() {
      return parameters;
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) {
      throw new UnsupportedOperationException();
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Runnable getDelegatedTask() {
      return null;
    }

    @Override
    public void closeInbound() throws javax.net.ssl.SSLException {
      delegate.closeInbound();
    }

    @Override
    public boolean isInboundDone() {
      return delegate.isInboundDone();
    }

    @Override
    public void closeOutbound() {
      delegate.closeOutbound();
    }

    @Override
    public boolean isOutboundDone() {
      return delegate.isOutboundDone();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return delegate.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
      return delegate.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
      delegate.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
      return delegate.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
      return delegate.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
      delegate.setEnabledProtocols(protocols);
    }

    @Override
    public SSLSession getSession() {
      return delegate.getSession();
    }

    @Override
    public void beginHandshake() {
      throw new UnsupportedOperationException();
    }

    @Override
    public SSLEngineResult.HandshakeStatus getHandshakeStatus() {
      return SSLEngineResult.HandshakeStatus.NEED_UNWRAP;
    }

    @Override
    public void setUseClientMode(boolean mode) {
      delegate.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
      return delegate.getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
      delegate.setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
      return delegate.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
      delegate.setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
      return delegate.getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
      delegate.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
      return delegate.getEnableSessionCreation();
    }
  }

  /** A client's TLS 1.2 handshake session, as far as the trust manager reads it. */
  static final class HandshakeSession extends ExtendedSSLSession {
    private static final String[] SIGNATURE_ALGORITHMS = {
      "SHA256withECDSA", "SHA384withECDSA", "SHA512withECDSA",
      "RSASSA-PSS", "SHA256withRSA", "SHA384withRSA", "SHA512withRSA",
    };
    private final String peerHost;
    private final int peerPort;

    HandshakeSession(String peerHost, int peerPort) {
      this.peerHost = peerHost;
      this.peerPort = peerPort;
    }

    @Override
    public String[] getLocalSupportedSignatureAlgorithms() {
      return SIGNATURE_ALGORITHMS.clone();
    }

    @Override
    public String[] getPeerSupportedSignatureAlgorithms() {
      return SIGNATURE_ALGORITHMS.clone();
    }

    @Override
    public List<SNIServerName> getRequestedServerNames() {
      return List.of();
    }

    @Override
    public List<byte[]> getStatusResponses() {
      return List.of();
    }

    @Override
    public String getProtocol() {
      return "TLSv1.2";
    }

    @Override
    public String getPeerHost() {
      return peerHost;
    }

    @Override
    public int getPeerPort() {
      return peerPort;
    }

    @Override
    public byte[] getId() {
      return new byte[0];
    }

    @Override
    public SSLSessionContext getSessionContext() {
      return null;
    }

    @Override
    public long getCreationTime() {
      return 0;
    }

    @Override
    public long getLastAccessedTime() {
      return 0;
    }

    @Override
    public void invalidate() {}

    @Override
    public boolean isValid() {
      return true;
    }

    @Override
    public void putValue(String name, Object value) {}

    @Override
    public Object getValue(String name) {
      return null;
    }

    @Override
    public void removeValue(String name) {}

    @Override
    public String[] getValueNames() {
      return new String[0];
    }

    @Override
    public Certificate[] getPeerCertificates() {
      return new Certificate[0];
    }

    @Override
    public Certificate[] getLocalCertificates() {
      return null;
    }

    @Override
    public javax.security.cert.X509Certificate[] getPeerCertificateChain() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Principal getPeerPrincipal() {
      return null;
    }

    @Override
    public Principal getLocalPrincipal() {
      return null;
    }

    @Override
    public String getCipherSuite() {
      return "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
    }

    @Override
    public int getPacketBufferSize() {
      return 16709;
    }

    @Override
    public int getApplicationBufferSize() {
      return 16384;
    }
  }
}
