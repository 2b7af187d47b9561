package dev.smtptls.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.cert.CertificateReport;
import dev.smtptls.cert.PeerIdentity;
import dev.smtptls.cert.ValidationRules;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.Severity;
import dev.smtptls.internal.cert.PathValidator;
import dev.smtptls.trust.TrustSources;
import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the x509-limbo conformance suite (C2SP/x509-limbo, with the BetterTLS cases in the full
 * set) through {@link CertificateChecker}, as a user would call it.
 *
 * <p>A SERVER case is accepted when a path to one of its trusted certificates passes every check
 * and the leaf covers the expected peer name. Cases in the {@code rfc5280} and {@code pathlen}
 * groups are validated with the {@link ValidationRules#RFC_5280} rules (they test RFC 5280 semantics,
 * and limbo marks where they conflict with the web PKI), all others with {@link ValidationRules#WEB_PKI}.
 * An empty {@code extended_key_usage} means serverAuth, as for every TLS server.
 *
 * <p>The data lives outside the repository, in {@code ../shared/conformance} (override with
 * {@code -Dsmtptls.conformance.dir=...}); without it the test fails rather than skips. Cases we
 * knowingly fail are listed with a reason in {@code limbo/known-failures.txt}; the test fails on
 * any other mismatch and on a listed case that passes.
 */
class LimboConformanceTest {

  private static final Map<String, String> EKU_OIDS =
      Map.of(
          "serverAuth", "1.3.6.1.5.5.7.3.1",
          "clientAuth", "1.3.6.1.5.5.7.3.2",
          "codeSigning", "1.3.6.1.5.5.7.3.3",
          "emailProtection", "1.3.6.1.5.5.7.3.4",
          "timeStamping", "1.3.6.1.5.5.7.3.8",
          "OCSPSigning", "1.3.6.1.5.5.7.3.9",
          "anyExtendedKeyUsage", "2.5.29.37.0");

  private static Path dir;
  private static Map<String, String> knownFailures;

  @BeforeAll
  static void locateData() throws IOException {
    String configured = System.getProperty("smtptls.conformance.dir");
    Path base;
    if (configured != null && !configured.isBlank()) {
      base = Path.of(configured);
    } else {
      Path repo = repositoryRoot();
      Path parent = repo.getParent();
      base = (parent == null ? repo : parent).resolve("shared").resolve("conformance");
    }
    dir = base.resolve("limbo").toAbsolutePath().normalize();
    if (!Files.isRegularFile(dir.resolve("limbo-core.json"))
        || !Files.isRegularFile(dir.resolve("limbo-full.json.gz"))) {
      fail(
          "x509-limbo data not found in "
              + dir
              + ": expected limbo-core.json and limbo-full.json.gz (the shared conformance folder"
              + " beside the repository, or -Dsmtptls.conformance.dir=<folder holding limbo/>)");
    }
    knownFailures = readKnownFailures();
  }

  private static Path repositoryRoot() {
    Path p = Path.of("").toAbsolutePath();
    for (Path q = p; q != null; q = q.getParent()) {
      if (Files.exists(q.resolve("mvnw")) || Files.exists(q.resolve(".git"))) {
        return q;
      }
    }
    return p;
  }

  private static Map<String, String> readKnownFailures() throws IOException {
    Map<String, String> known = new LinkedHashMap<>();
    try (InputStream in = LimboConformanceTest.class.getResourceAsStream("/limbo/known-failures.txt")) {
      if (in == null) {
        return known;
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
          continue;
        }
        int hash = t.indexOf('#');
        String id = (hash < 0 ? t : t.substring(0, hash)).strip();
        String reason = hash < 0 ? "" : t.substring(hash + 1).strip();
        if (reason.isEmpty()) {
          fail("known-failures.txt: " + id + " has no reason");
        }
        known.put(id, reason);
      }
    }
    return known;
  }

  @Test
  void coreSetMatchesExpectations() throws IOException {
    Tally tally = run(Files.newInputStream(dir.resolve("limbo-core.json")), "core");
    tally.print();
    assertThat(tally.passed).as("core-set passes").isGreaterThanOrEqualTo(190);
    tally.assertHonest();
  }

  @Test
  void fullSetMatchesExpectations() throws IOException {
    Tally tally =
        run(new GZIPInputStream(Files.newInputStream(dir.resolve("limbo-full.json.gz")), 1 << 16), "full");
    tally.print();
    assertThat(tally.passed).as("full-set passes").isGreaterThanOrEqualTo(9_700);
    tally.assertHonest();
  }

  private static Tally run(InputStream raw, String set) throws IOException {
    Tally tally = new Tally(set);
    ObjectMapper mapper = new ObjectMapper();
    long start = System.nanoTime();
    try (InputStream in = raw;
        JsonParser p = mapper.getFactory().createParser(in)) {
      while (p.nextToken() != null) {
        if (p.currentToken() == JsonToken.FIELD_NAME && "testcases".equals(p.currentName())) {
          if (p.nextToken() != JsonToken.START_ARRAY) {
            fail("testcases is not an array");
          }
          // Cases are read in batches and validated in parallel; the tally is kept in order.
          List<JsonNode> batch = new ArrayList<>();
          while (p.nextToken() == JsonToken.START_OBJECT) {
            JsonNode tc = mapper.readTree(p);
            if ("SERVER".equals(tc.path("validation_kind").asText())) {
              batch.add(tc);
            }
            if (batch.size() == 512) {
              evaluateBatch(batch, tally);
            }
          }
          evaluateBatch(batch, tally);
        }
      }
    }
    tally.millis = (System.nanoTime() - start) / 1_000_000;
    return tally;
  }

  private static void evaluateBatch(List<JsonNode> batch, Tally tally) {
    List<Verdict> verdicts = batch.parallelStream().map(LimboConformanceTest::evaluate).toList();
    for (int i = 0; i < batch.size(); i++) {
      tally.record(batch.get(i), verdicts.get(i));
    }
    batch.clear();
  }

  /** The verdict on one case and, when refused, why. */
  record Verdict(boolean accepted, String why) {}

  private static final Map<String, Optional<X509Certificate>> PARSED = new ConcurrentHashMap<>();

  private static Optional<X509Certificate> parse(String pem) {
    return PARSED.computeIfAbsent(
        pem,
        k -> {
          try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            return Optional.of(
                (X509Certificate)
                    cf.generateCertificate(new ByteArrayInputStream(k.getBytes(StandardCharsets.US_ASCII))));
          } catch (CertificateException | RuntimeException e) {
            return Optional.empty();
          }
        });
  }

  private static List<X509Certificate> parseAll(JsonNode array) {
    List<X509Certificate> out = new ArrayList<>();
    for (JsonNode n : array) {
      parse(n.asText()).ifPresent(out::add);
    }
    return out;
  }

  static Verdict evaluate(JsonNode tc) {
    String id = tc.path("id").asText();
    Optional<X509Certificate> leaf = parse(tc.path("peer_certificate").asText());
    if (leaf.isEmpty()) {
      return new Verdict(false, "the JDK cannot parse the peer certificate");
    }
    JsonNode vt = tc.path("validation_time");
    Instant time = vt.isNull() || vt.isMissingNode() ? Instant.now() : OffsetDateTime.parse(vt.asText()).toInstant();
    JsonNode depth = tc.path("max_chain_depth");
    int maxDepth = depth.isNull() || depth.isMissingNode() ? PathValidator.DEFAULT_MAX_CHAIN_DEPTH : depth.asInt();
    String eku = PathValidator.SERVER_AUTH;
    for (JsonNode e : tc.path("extended_key_usage")) {
      eku = EKU_OIDS.getOrDefault(e.asText(), e.asText());
    }
    // limbo holds two rule sets that contradict each other in a few cases (conflicts_with): its
    // rfc5280:: and pathlen:: groups are judged by RFC 5280 alone, the rest by web PKI rules.
    ValidationRules rules =
        id.startsWith("rfc5280::") || id.startsWith("pathlen::") ? ValidationRules.RFC_5280 : ValidationRules.WEB_PKI;
    CertificateChecker checker = CertificateChecker.builder()
        .trustSource(TrustSources.anchors("limbo", parseAll(tc.path("trusted_certs"))))
        .at(time)
        .maxChainDepth(maxDepth)
        .purpose(eku)
        .rules(rules)
        .checkTrustAnchorForm(true)
        .revocationChecker(null)
        .expiresSoonThreshold(Duration.ZERO)
        .build();
    List<X509Certificate> presented = new ArrayList<>();
    presented.add(leaf.get());
    presented.addAll(parseAll(tc.path("untrusted_intermediates")));
    JsonNode peer = tc.path("expected_peer_name");
    PeerIdentity identity = peer.isObject() ? PeerIdentity.of(peer.path("value").asText()) : PeerIdentity.none();
    CertificateReport report = checker.check(presented, identity);
    if (id.equals(System.getProperty("limbo.debug"))) {
      System.out.println("DEBUG " + id + " valid=" + report.valid());
      report.trust().get(0).path().forEach(c -> System.out.println("  path: " + c.getSubjectX500Principal() + " serial=" + c.getSerialNumber()));
      report.findings().forEach(f -> System.out.println("  finding: " + f.severity() + " " + f.code() + " " + f.message()));
    }
    if (!report.valid()) {
      Finding first = report.findings().stream().filter(f -> f.severity() == Severity.ERROR).findFirst().orElseThrow();
      return new Verdict(false, first.code() + ": " + first.message());
    }
    return new Verdict(true, "");
  }

  /** Counts and mismatches of one set. */
  private static final class Tally {
    final String set;
    int total;
    int passed;
    long millis;
    final Map<String, int[]> groups = new TreeMap<>();
    final Map<String, int[]> judgement = new TreeMap<>();
    final List<String> falseAccepts = new ArrayList<>();
    final List<String> falseRejects = new ArrayList<>();
    final List<String> unexpected = new ArrayList<>();
    final List<String> nowPassing = new ArrayList<>();

    Tally(String set) {
      this.set = set;
    }

    void record(JsonNode tc, Verdict v) {
      String id = tc.path("id").asText();
      boolean expected = "SUCCESS".equals(tc.path("expected_result").asText());
      boolean ok = v.accepted() == expected;
      total++;
      String[] parts = id.split("::", -1);
      String group = parts.length > 1 ? parts[0] + "::" + parts[1] : parts[0];
      int[] g = groups.computeIfAbsent(group, k -> new int[2]);
      g[1]++;
      for (JsonNode f : tc.path("features")) {
        String feature = f.asText();
        if (feature.startsWith("pedantic-") || feature.equals("rfc5280-incompatible-with-webpki")) {
          int[] j = judgement.computeIfAbsent(feature, k -> new int[2]);
          j[1]++;
          if (ok) {
            j[0]++;
          }
        }
      }
      if (ok) {
        passed++;
        g[0]++;
        if (knownFailures.containsKey(id)) {
          nowPassing.add(id);
        }
        return;
      }
      String line = id + "  (" + (v.accepted() ? "accepted" : "refused: " + v.why()) + ")";
      (v.accepted() ? falseAccepts : falseRejects).add(line);
      if (!knownFailures.containsKey(id)) {
        unexpected.add((v.accepted() ? "false accept: " : "false reject: ") + line);
      }
    }

    void print() {
      StringBuilder b = new StringBuilder();
      b.append(String.format("%n=== x509-limbo %s set: %d/%d SERVER cases agree (%d ms) ===%n", set, passed, total, millis));
      b.append(String.format("false accepts: %d, false rejects: %d%n", falseAccepts.size(), falseRejects.size()));
      for (Map.Entry<String, int[]> e : groups.entrySet()) {
        b.append(String.format("  %-48s %5d/%d%n", e.getKey(), e.getValue()[0], e.getValue()[1]));
      }
      b.append("judgement calls (pedantic-*, rfc5280-incompatible-with-webpki):\n");
      for (Map.Entry<String, int[]> e : judgement.entrySet()) {
        b.append(String.format("  %-48s %5d/%d%n", e.getKey(), e.getValue()[0], e.getValue()[1]));
      }
      falseAccepts.forEach(s -> b.append("  FALSE ACCEPT ").append(s).append('\n'));
      falseRejects.forEach(s -> b.append("  FALSE REJECT ").append(s).append('\n'));
      System.out.print(b);
    }

    void assertHonest() {
      assertThat(unexpected).as("mismatches not in known-failures.txt (%s set)", set).isEmpty();
      assertThat(nowPassing).as("cases in known-failures.txt that now pass; remove them (%s set)", set).isEmpty();
    }
  }
}
