package dev.smtptls.bench;

import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.cert.CertificateReport;
import dev.smtptls.cert.PeerIdentity;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.trust.TrustSources;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The same EC P-256 chain as {@link CertificateValidationBenchmark} (certificate objects reused),
 * but trusted through a realistic store: the JDK's {@code cacerts} (about 140 roots) plus the
 * test root. Shows how each validator's cost grows with the number of trust anchors. Not part of
 * the main comparison; run it by name: {@code java -jar benchmarks.jar LargeTrustStoreBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LargeTrustStoreBenchmark {

  private List<X509Certificate> presented;
  private X509Certificate[] presentedArray;
  private PeerIdentity identity;
  private CertificateChecker checker;
  private X509ExtendedTrustManager trustManager;
  private SSLEngine engine;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    TestPki pki = TestPki.create();
    X509Certificate root = pki.root().certificate();
    presented = List.of(pki.leaf(CertificateValidationBenchmark.HOST).certificate(),
        pki.intermediate().certificate());
    presentedArray = presented.toArray(new X509Certificate[0]);
    identity = PeerIdentity.of(CertificateValidationBenchmark.HOST);

    List<X509Certificate> anchors = new ArrayList<>(TrustSources.system().anchors());
    anchors.add(root);
    checker = CertificateChecker.builder()
        .trustSource(TrustSources.anchors("system+bench", anchors))
        .revocationChecker(null)
        .build();

    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    for (int i = 0; i < anchors.size(); i++) {
      store.setCertificateEntry("a" + i, anchors.get(i));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(store);
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager x) {
        trustManager = x;
      }
    }
    SSLContext sslContext = SSLContext.getInstance("TLS");
    sslContext.init(null, new TrustManager[] {trustManager}, null);
    SSLEngine real = sslContext.createSSLEngine(CertificateValidationBenchmark.HOST, 25);
    SSLParameters parameters = real.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    engine = new CertificateValidationBenchmark.InHandshakeEngine(real, parameters);

    CertificateReport report = checker.check(presented, identity);
    if (!report.valid()) {
      throw new IllegalStateException("our checker rejects the chain: " + report.findings());
    }
    trustManager.checkServerTrusted(presentedArray, "ECDHE_ECDSA", engine);
    System.out.println("trust anchors: " + anchors.size());
  }

  @Benchmark
  public void smtptlsChecker(Blackhole bh) {
    bh.consume(checker.check(presented, identity));
  }

  @Benchmark
  public void jdkTrustManagerHttps() throws Exception {
    trustManager.checkServerTrusted(presentedArray, "ECDHE_ECDSA", engine);
  }
}
