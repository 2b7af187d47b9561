package dev.smtptls.bench.crl;

import dev.smtptls.crl.internal.ParsedCrl;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.security.auth.x500.X500Principal;
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

/**
 * Lookup of a serial in the generated CRL: {@link ParsedCrl#lookup} against the JDK's
 * {@code X509CRL.getRevokedCertificate} (the map behind {@code isRevoked}). The CRL directory
 * comes from {@code -Dcrl.dir} (default {@code /tmp/crlbench/1m}); hits are random revoked
 * serials, misses random 128-bit serials.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx3g")
public class CrlLookupBenchmark {

  @Param({"ours", "jdk"})
  public String impl;

  private ParsedCrl ours;
  private X509CRL jdk;
  private X500Principal issuer;
  private BigInteger[] hits;
  private BigInteger[] misses;
  private int i;

  @Setup(Level.Trial)
  public void load() throws Exception {
    Path dir = Path.of(System.getProperty("crl.dir", "/tmp/crlbench/1m"));
    X509Certificate ca;
    try (InputStream in = Files.newInputStream(dir.resolve("ca.pem"))) {
      ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    issuer = ca.getSubjectX500Principal();
    byte[] der = Files.readAllBytes(dir.resolve("crl.der"));
    if (impl.equals("ours")) {
      ours = ParsedCrl.parse(der);
    } else {
      try (InputStream in = Files.newInputStream(dir.resolve("crl.der"))) {
        jdk = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(in);
      }
    }
    BigInteger[] all = CrlScale.serials(dir.resolve("serials.txt"), Integer.MAX_VALUE);
    Random rnd = new Random(5);
    hits = new BigInteger[1 << 16];
    misses = new BigInteger[1 << 16];
    for (int k = 0; k < hits.length; k++) {
      hits[k] = new BigInteger(all[rnd.nextInt(all.length)].toByteArray()); // fresh: contiguous like the misses
      misses[k] = new BigInteger(128, rnd);
    }
  }

  @Benchmark
  public Object hit() {
    BigInteger s = hits[i++ & (hits.length - 1)];
    return impl.equals("ours") ? ours.lookup(s, issuer) : jdk.getRevokedCertificate(s);
  }

  @Benchmark
  public Object miss() {
    BigInteger s = misses[i++ & (misses.length - 1)];
    return impl.equals("ours") ? ours.lookup(s, issuer) : jdk.getRevokedCertificate(s);
  }
}
