package dev.smtptls.bench.crl;

import dev.smtptls.crl.internal.ParsedCrl;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import javax.security.auth.x500.X500Principal;

/**
 * One measurement of one implementation in a fresh JVM:
 *
 * <pre>
 *   java -cp crl-bench.jar dev.smtptls.bench.crl.CrlScale ours|jdk|ours-unsorted DIR [--warm N]
 * </pre>
 *
 * <p>DIR is what {@code gen-crl.sh} wrote (crl.der, ca.pem, ca.key, serials.txt). Prints one
 * {@code RESULT} line: the cold time of parse + verify + index (+ one lookup) from the bytes in
 * memory, the heap retained by the parsed CRL (MemoryMXBean after GC, the input bytes dropped),
 * and a quick lookup time (2^20 lookups of 2^16 revoked serials; JMH gives the careful figure). With
 * {@code --warm N} it parses N more times and reports the median. {@code ours-unsorted} first
 * shuffles the entries and re-signs the CRL with ca.key (OpenSSL writes CRLs sorted by serial,
 * which lets the parser skip its sort; many CAs do not).
 */
public final class CrlScale {

  private CrlScale() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: CrlScale ours|jdk|ours-unsorted DIR [--warm N]");
      System.exit(2);
    }
    String impl = args[0];
    Path dir = Path.of(args[1]);
    int warm = args.length >= 4 && args[2].equals("--warm") ? Integer.parseInt(args[3]) : 0;
    X509Certificate ca;
    try (var in = Files.newInputStream(dir.resolve("ca.pem"))) {
      ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    PublicKey key = ca.getPublicKey();
    X500Principal issuer = ca.getSubjectX500Principal();
    BigInteger[] serials = serials(dir.resolve("serials.txt"), 1 << 16);
    if (impl.equals("ours-unsorted")) {
      Path shuffled = dir.resolve("crl-shuffled.der");
      if (!Files.exists(shuffled)) {
        Files.write(shuffled, shuffleAndResign(Files.readAllBytes(dir.resolve("crl.der")), privateKey(dir)));
      }
    }
    Path crlFile = dir.resolve(impl.equals("ours-unsorted") ? "crl-shuffled.der" : "crl.der");

    long baseline = usedAfterGc();
    byte[] der = Files.readAllBytes(crlFile);
    var threads = ManagementFactory.getThreadMXBean();
    long c0 = threads.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    Object crl = load(impl, der, key, issuer, serials[0]);
    long coldNs = System.nanoTime() - t0;
    long coldCpuNs = threads.getCurrentThreadCpuTime() - c0;
    der = null;
    long retained = usedAfterGc() - baseline;

    int entries = impl.startsWith("ours") ? ((ParsedCrl) crl).size() : ((X509CRL) crl).getRevokedCertificates().size();
    long indexBytes = impl.startsWith("ours") ? ((ParsedCrl) crl).indexBytes() : -1;

    // quick lookup figure: 1M lookups of revoked serials in random order, after a warm-up
    Random rnd = new Random(1);
    int[] order = new int[1 << 20];
    for (int i = 0; i < order.length; i++) {
      order[i] = rnd.nextInt(serials.length);
    }
    int found = 0;
    for (int round = 0; round < 3; round++) {
      found = 0;
      for (int i : order) {
        found += lookup(impl, crl, serials[i], issuer) ? 1 : 0;
      }
    }
    long l0 = System.nanoTime();
    for (int i : order) {
      found += lookup(impl, crl, serials[i], issuer) ? 1 : 0;
    }
    double lookupNs = (System.nanoTime() - l0) / (double) order.length;
    if (found != 2 * order.length) {
      throw new IllegalStateException("lookups found " + found + " of " + 2 * order.length);
    }

    double warmMs = Double.NaN;
    if (warm > 0) {
      byte[] again = Files.readAllBytes(crlFile);
      long[] times = new long[warm];
      for (int i = 0; i < warm; i++) {
        long w0 = System.nanoTime();
        crl = load(impl, again, key, issuer, serials[i]);
        times[i] = System.nanoTime() - w0;
      }
      Arrays.sort(times);
      warmMs = times[warm / 2] / 1e6;
    }
    System.out.printf(
        "RESULT impl=%s entries=%d derBytes=%d coldMs=%.0f coldCpuMs=%.0f warmMs=%.0f retainedMiB=%.1f indexMiB=%.1f lookupNs=%.0f%n",
        impl, entries, Files.size(crlFile), coldNs / 1e6, coldCpuNs / 1e6, warmMs, retained / 1048576.0,
        indexBytes < 0 ? Double.NaN : indexBytes / 1048576.0, lookupNs);
    if (crl.hashCode() == 42) {
      System.out.println(); // keep crl reachable until here
    }
  }

  /** Parse + verify + index, and one lookup, as a revocation check needs them. */
  private static Object load(String impl, byte[] der, PublicKey key, X500Principal issuer, BigInteger serial)
      throws Exception {
    if (impl.startsWith("ours")) {
      ParsedCrl crl = ParsedCrl.parse(der);
      if (!crl.verify(key)) {
        throw new IllegalStateException("signature does not verify");
      }
      if (crl.lookup(serial, issuer).isEmpty()) {
        throw new IllegalStateException("serial not found");
      }
      return crl;
    }
    X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
    crl.verify(key);
    if (crl.getRevokedCertificate(serial) == null) {
      throw new IllegalStateException("serial not found");
    }
    return crl;
  }

  private static boolean lookup(String impl, Object crl, BigInteger serial, X500Principal issuer) {
    if (impl.startsWith("ours")) {
      return ((ParsedCrl) crl).lookup(serial, issuer).isPresent();
    }
    return ((X509CRL) crl).getRevokedCertificate(serial) != null;
  }

  static BigInteger[] serials(Path file, int max) throws Exception {
    List<BigInteger> out = new ArrayList<>();
    try (var lines = Files.lines(file)) {
      lines.limit(max).forEach(l -> out.add(new BigInteger(l.trim(), 16)));
    }
    return out.toArray(new BigInteger[0]);
  }

  static long usedAfterGc() throws InterruptedException {
    var mem = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(50);
      used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  private static PrivateKey privateKey(Path dir) throws Exception {
    String pem = Files.readString(dir.resolve("ca.key"), StandardCharsets.US_ASCII);
    byte[] pkcs8 = Base64.getMimeDecoder().decode(
        pem.replaceAll("-----[A-Z ]+-----", ""));
    String alg = pem.contains("BEGIN PRIVATE KEY") ? null : "";
    if (alg != null) {
      throw new IllegalStateException("ca.key is not PKCS#8");
    }
    for (String a : new String[] {"RSA", "EC"}) {
      try {
        return KeyFactory.getInstance(a).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      } catch (java.security.spec.InvalidKeySpecException e) {
        // try the next
      }
    }
    throw new IllegalStateException("ca.key is neither RSA nor EC");
  }

  // ---- a minimal DER walk to shuffle the entries in place and re-sign -------------------------

  private static int[] header(byte[] b, int pos) {
    int p = pos + 1;
    int first = b[p++] & 0xff;
    int len = first;
    if (first >= 0x80) {
      len = 0;
      for (int i = 0; i < (first & 0x7f); i++) {
        len = (len << 8) | (b[p++] & 0xff);
      }
    }
    return new int[] {p, p + len}; // value offset, end
  }

  static byte[] shuffleAndResign(byte[] der, PrivateKey key) throws Exception {
    byte[] out = der.clone();
    int[] outer = header(out, 0);
    int tbsStart = outer[0];
    int[] tbs = header(out, tbsStart);
    int p = tbs[0];
    if (out[p] == 0x02) {
      p = header(out, p)[1]; // version
    }
    p = header(out, p)[1]; // signature
    p = header(out, p)[1]; // issuer
    p = header(out, p)[1]; // thisUpdate
    if (out[p] == 0x17 || out[p] == 0x18) {
      p = header(out, p)[1];
    }
    int[] revoked = header(out, p);
    List<byte[]> entries = new ArrayList<>();
    for (int q = revoked[0]; q < revoked[1]; ) {
      int end = header(out, q)[1];
      entries.add(Arrays.copyOfRange(out, q, end));
      q = end;
    }
    java.util.Collections.shuffle(entries, new Random(3));
    int q = revoked[0];
    for (byte[] e : entries) {
      System.arraycopy(e, 0, out, q, e.length);
      q += e.length;
    }
    int tbsEnd = tbs[1];
    int[] alg = header(out, tbsEnd);
    int[] bits = header(out, alg[1]);
    Signature s = Signature.getInstance(key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA");
    s.initSign(key);
    s.update(out, tbsStart, tbsEnd - tbsStart);
    byte[] sig = s.sign();
    if (sig.length != bits[1] - bits[0] - 1) {
      throw new IllegalStateException("re-signing an EC CRL may change its length; use KEY=rsa for ours-unsorted");
    }
    System.arraycopy(sig, 0, out, bits[0] + 1, sig.length);
    return out;
  }
}
