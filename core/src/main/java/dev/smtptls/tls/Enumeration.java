package dev.smtptls.tls;

import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.SmtpTarget;
import dev.smtptls.inspect.StartTlsOutcome;
import dev.smtptls.internal.inspect.ProbeSession;
import dev.smtptls.internal.inspect.ProbeSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/** One enumeration run: single use. See {@link TlsEnumerator} for the phases. */
final class Enumeration {

  /** The groups tried on Java 20+: RFC 8446 §4.2.7's ECDHE and FFDHE groups the JSSE knows. */
  static final List<String> GROUPS = List.of(
      "x25519", "x448", "secp256r1", "secp384r1", "secp521r1",
      "ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144", "ffdhe8192");

  private static final AtomicInteger POOLS = new AtomicInteger();

  /** One test connection's answer. */
  private record Attempt(Support support, @Nullable String protocol, @Nullable String suite, @Nullable String detail) {
    static Attempt inconclusive(String why) {
      return new Attempt(Support.INCONCLUSIVE, null, null, why);
    }
  }

  private final ProbeSettings settings;
  private final SmtpTarget target;
  private final int concurrency;
  private final AtomicInteger connections = new AtomicInteger();
  private final Jsse jsse = new Jsse();
  private volatile boolean interrupted;
  private @Nullable ExecutorService pool;

  Enumeration(ProbeSettings settings, SmtpTarget target, int concurrency) {
    this.settings = settings;
    this.target = target;
    this.concurrency = concurrency;
  }

  TlsCapabilities run() {
    long t0 = System.nanoTime();
    Instant startedAt = settings.clock().instant();
    boolean legacy = jsse.offerable(TlsVersion.TLS_1_0, jsse.supportedCipherSuites(), null) == null;
    String javaVersion = System.getProperty("java.version", "unknown");
    InspectionReport baseline = probe(null);
    if (!(baseline.startTls() instanceof StartTlsOutcome.Upgraded)) {
      String why = "the first probe did not reach TLS: "
          + (baseline.findings().isEmpty() ? baseline.startTls().status().toString() : baseline.findings().get(0).message());
      List<ProtocolSupport> none = new ArrayList<>();
      for (TlsVersion v : TlsVersion.values()) {
        none.add(new ProtocolSupport(v, Support.INCONCLUSIVE, why, List.of(), CipherOrder.UNKNOWN, List.of()));
      }
      return new TlsCapabilities(target, baseline.address(), startedAt, Duration.ofNanos(System.nanoTime() - t0),
          connections.get(), baseline.startTls(), none, new KeyExchangeGroups(Support.INCONCLUSIVE, why, List.of()),
          legacy, javaVersion, baseline.findings());
    }
    ExecutorService p = Executors.newFixedThreadPool(concurrency, threads());
    pool = p;
    try {
      List<ProtocolSupport> protocols = protocols();
      KeyExchangeGroups groups = groups(protocols);
      return new TlsCapabilities(target, baseline.address(), startedAt, Duration.ofNanos(System.nanoTime() - t0),
          connections.get(), baseline.startTls(), protocols, groups, legacy, javaVersion, findings(protocols));
    } finally {
      p.shutdownNow();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private List<ProtocolSupport> protocols() {
    List<String> supported = jsse.supportedCipherSuites();
    Map<TlsVersion, List<String>> offerable = new EnumMap<>(TlsVersion.class);
    Map<TlsVersion, Future<Attempt>> versionTests = new EnumMap<>(TlsVersion.class);
    for (TlsVersion v : TlsVersion.values()) {
      List<String> suites = supported.stream().filter(s -> jsse.offerable(v, List.of(s), null) == null).toList();
      offerable.put(v, suites);
      if (!suites.isEmpty()) {
        versionTests.put(v, submit(() -> test(v, suites, null)));
      }
    }
    // Phase 2: each suite alone, for every accepted version at once.
    Map<TlsVersion, Attempt> versionResults = new EnumMap<>(TlsVersion.class);
    Map<TlsVersion, Map<String, Future<Attempt>>> suiteTests = new EnumMap<>(TlsVersion.class);
    for (TlsVersion v : TlsVersion.values()) {
      Future<Attempt> f = versionTests.get(v);
      if (f == null) {
        continue;
      }
      Attempt a = await(f);
      versionResults.put(v, a);
      if (a.support() == Support.ACCEPTED) {
        Map<String, Future<Attempt>> perSuite = new LinkedHashMap<>();
        for (String s : offerable.getOrDefault(v, List.of())) {
          perSuite.put(s, submit(() -> test(v, List.of(s), null)));
        }
        suiteTests.put(v, perSuite);
      }
    }
    Map<TlsVersion, List<CipherSuiteSupport>> suiteResults = new EnumMap<>(TlsVersion.class);
    Map<TlsVersion, List<String>> acceptedJsse = new EnumMap<>(TlsVersion.class);
    for (Map.Entry<TlsVersion, Map<String, Future<Attempt>>> e : suiteTests.entrySet()) {
      TlsVersion v = e.getKey();
      List<CipherSuiteSupport> list = new ArrayList<>();
      List<String> accepted = new ArrayList<>();
      for (Map.Entry<String, Future<Attempt>> s : e.getValue().entrySet()) {
        Attempt a = await(s.getValue());
        String iana = CipherSuites.ianaName(s.getKey());
        list.add(new CipherSuiteSupport(iana, a.support(), a.detail(), CipherSuites.weakness(iana).orElse(null)));
        if (a.support() == Support.ACCEPTED) {
          accepted.add(s.getKey());
        }
      }
      list.addAll(notTestable(v, supported, offerable.getOrDefault(v, List.of())));
      suiteResults.put(v, list);
      acceptedJsse.put(v, accepted);
    }
    // Phase 3: whose order, and the server's order; one sequential chain per version.
    Map<TlsVersion, Future<Order>> orders = new EnumMap<>(TlsVersion.class);
    for (Map.Entry<TlsVersion, List<String>> e : acceptedJsse.entrySet()) {
      if (e.getValue().size() >= 2) {
        orders.put(e.getKey(), submitOrder(() -> order(e.getKey(), e.getValue())));
      }
    }
    List<ProtocolSupport> result = new ArrayList<>();
    for (TlsVersion v : TlsVersion.values()) {
      Attempt a = versionResults.get(v);
      if (a == null) {
        result.add(new ProtocolSupport(v, Support.NOT_TESTABLE, versionNotTestable(v), List.of(),
            CipherOrder.NOT_APPLICABLE, List.of()));
        continue;
      }
      if (a.support() != Support.ACCEPTED) {
        result.add(new ProtocolSupport(v, a.support(), a.detail(), List.of(), CipherOrder.NOT_APPLICABLE, List.of()));
        continue;
      }
      List<String> accepted = acceptedJsse.getOrDefault(v, List.of());
      Order order = accepted.size() < 2
          ? new Order(CipherOrder.NOT_APPLICABLE, accepted)
          : awaitOrder(orders.get(v), accepted);
      result.add(new ProtocolSupport(v, Support.ACCEPTED, null,
          order.suites().stream().map(CipherSuites::ianaName).toList(), order.order(),
          suiteResults.getOrDefault(v, List.of())));
    }
    return result;
  }

  /** The suites of the catalogue that apply to {@code v} and the JSSE cannot offer, with why. */
  private List<CipherSuiteSupport> notTestable(TlsVersion v, List<String> supported, List<String> offerable) {
    Set<String> tested = new HashSet<>(offerable);
    List<CipherSuiteSupport> list = new ArrayList<>();
    for (String s : CipherSuites.JSSE) {
      if (tested.contains(s) || !CipherSuites.appliesTo(s, v)) {
        continue;
      }
      String iana = CipherSuites.ianaName(s);
      String why;
      if (supported.contains(s)) {
        String engine = jsse.offerable(v, List.of(s), null);
        why = "the JSSE cannot offer it with " + v.displayName() + (engine == null ? "" : ": " + engine);
      } else {
        why = "disabled in this JVM by jdk.tls.disabledAlgorithms (LegacyAlgorithms.enableProcessWide(),"
            + " smtptls tls --legacy-algorithms, enables it process-wide)";
      }
      list.add(new CipherSuiteSupport(iana, Support.NOT_TESTABLE, why, CipherSuites.weakness(iana).orElse(null)));
    }
    for (String s : CipherSuites.NOT_IN_JSSE) {
      if (CipherSuites.appliesTo(s, v) && !tested.contains(s)) {
        list.add(new CipherSuiteSupport(s, Support.NOT_TESTABLE, "the JSSE does not implement it",
            CipherSuites.weakness(s).orElse(null)));
      }
    }
    return list;
  }

  private String versionNotTestable(TlsVersion v) {
    if (!jsse.implementsProtocol(v)) {
      return "the JSSE of this JVM does not implement " + v.displayName();
    }
    return "disabled in this JVM by jdk.tls.disabledAlgorithms (LegacyAlgorithms.enableProcessWide(),"
        + " smtptls tls --legacy-algorithms, enables it process-wide)";
  }

  /** Whose order, and the accepted suites in it. */
  private record Order(CipherOrder order, List<String> suites) {}

  private Order order(TlsVersion v, List<String> accepted) {
    List<String> reversed = new ArrayList<>(accepted);
    Collections.reverse(reversed);
    Attempt forward = test(v, accepted, null);
    Attempt backward = test(v, reversed, null);
    if (forward.suite() == null || backward.suite() == null) {
      return new Order(CipherOrder.UNKNOWN, accepted);
    }
    if (forward.suite().equals(accepted.get(0)) && backward.suite().equals(reversed.get(0))) {
      return new Order(CipherOrder.CLIENT, accepted);
    }
    if (!forward.suite().equals(backward.suite())) {
      // Neither consistently the client's first nor one fixed choice (OpenSSL's
      // PrioritizeChaCha does this): no single order to report.
      return new Order(CipherOrder.UNKNOWN, accepted);
    }
    List<String> order = new ArrayList<>();
    List<String> remaining = new ArrayList<>(accepted);
    String choice = forward.suite();
    while (true) {
      order.add(choice);
      remaining.remove(choice);
      if (remaining.size() <= 1) {
        order.addAll(remaining);
        return new Order(CipherOrder.SERVER, order);
      }
      Attempt next = test(v, remaining, null);
      if (next.suite() == null || !remaining.contains(next.suite())) {
        order.addAll(remaining);
        return new Order(CipherOrder.UNKNOWN, accepted);
      }
      choice = next.suite();
    }
  }

  private KeyExchangeGroups groups(List<ProtocolSupport> protocols) {
    if (!Jsse.namedGroupsSettable()) {
      return new KeyExchangeGroups(Support.NOT_TESTABLE,
          "Java " + System.getProperty("java.version", "?") + " cannot offer one group per connection:"
              + " SSLParameters.setNamedGroups needs Java 20, and the jdk.tls.namedGroups system property"
              + " is read once per JVM (nor does SSLSession name the negotiated group)",
          List.of());
    }
    TlsVersion newest = null;
    for (ProtocolSupport p : protocols) {
      if (p.accepted()) {
        newest = p.version();
      }
    }
    if (newest == null) {
      return new KeyExchangeGroups(Support.INCONCLUSIVE, "no version was accepted to test the groups with", List.of());
    }
    TlsVersion v = newest;
    List<String> suites = jsse.supportedCipherSuites().stream()
        .filter(s -> jsse.offerable(v, List.of(s), null) == null).toList();
    Map<String, Future<Attempt>> tests = new LinkedHashMap<>();
    Map<String, String> untestable = new LinkedHashMap<>();
    for (String g : GROUPS) {
      String why = jsse.offerable(v, suites, g);
      if (why == null) {
        tests.put(g, submit(() -> test(v, suites, g)));
      } else {
        untestable.put(g, why);
      }
    }
    List<GroupSupport> list = new ArrayList<>();
    for (String g : GROUPS) {
      Future<Attempt> f = tests.get(g);
      if (f == null) {
        list.add(new GroupSupport(g, Support.NOT_TESTABLE, "the JSSE cannot offer it: " + untestable.get(g)));
      } else {
        Attempt a = await(f);
        list.add(new GroupSupport(g, a.support(), a.detail()));
      }
    }
    return new KeyExchangeGroups(Support.ACCEPTED, "tested with " + v.displayName(), list);
  }

  /** The findings for what was accepted: package-private for its unit test. */
  static List<Finding> findings(List<ProtocolSupport> protocols) {
    List<Finding> findings = new ArrayList<>();
    Map<String, List<String>> weak = new LinkedHashMap<>();
    for (ProtocolSupport p : protocols) {
      if (p.accepted() && p.version().deprecated()) {
        findings.add(Finding.of(FindingCode.TLS_PROTOCOL_WEAK,
            "The server accepts " + p.version().displayName() + ", which RFC 8996 deprecates.",
            "protocol", p.version().jsseName()));
      }
      for (String s : p.acceptedCipherSuites()) {
        if (CipherSuites.weakness(s).isPresent()) {
          weak.computeIfAbsent(s, k -> new ArrayList<>()).add(p.version().jsseName());
        }
      }
    }
    for (Map.Entry<String, List<String>> e : weak.entrySet()) {
      String reason = CipherSuites.weakness(e.getKey()).orElse("weak");
      findings.add(Finding.of(FindingCode.TLS_CIPHER_WEAK,
          "The server accepts " + e.getKey() + " (" + reason + ") with " + String.join(", ", e.getValue()) + ".",
          "cipherSuite", e.getKey(), "protocols", e.getValue(), "reason", reason));
    }
    return findings;
  }

  private Attempt test(TlsVersion v, List<String> suites, @Nullable String group) {
    if (interrupted || Thread.currentThread().isInterrupted()) {
      return Attempt.inconclusive("interrupted");
    }
    InspectionReport r;
    try {
      r = probe(socket -> {
        SSLParameters p = socket.getSSLParameters();
        p.setProtocols(new String[] {v.jsseName()});
        p.setCipherSuites(suites.toArray(String[]::new));
        if (group != null) {
          Jsse.setNamedGroups(p, group);
        }
        socket.setSSLParameters(p);
      });
    } catch (RuntimeException e) {
      return Attempt.inconclusive("the JSSE refused the offer: " + e.getMessage());
    }
    if (r.aborted()) {
      return Attempt.inconclusive("interrupted");
    }
    StartTlsOutcome o = r.startTls();
    if (o instanceof StartTlsOutcome.Upgraded u) {
      return new Attempt(Support.ACCEPTED, u.protocol(), u.cipherSuite(), null);
    }
    if (o instanceof StartTlsOutcome.HandshakeFailed h) {
      return new Attempt(Support.REJECTED, null, null, h.alert());
    }
    return Attempt.inconclusive(r.findings().isEmpty() ? o.status().toString() : r.findings().get(0).message());
  }

  private InspectionReport probe(@Nullable Consumer<SSLSocket> setup) {
    connections.incrementAndGet();
    return new ProbeSession(settings, target, List.of(), setup).run();
  }

  private Future<Attempt> submit(Supplier<Attempt> task) {
    ExecutorService p = pool;
    if (p == null || interrupted) {
      return CompletableFuture.completedFuture(Attempt.inconclusive("interrupted"));
    }
    try {
      return p.submit(task::get);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.completedFuture(Attempt.inconclusive("interrupted"));
    }
  }

  private Future<Order> submitOrder(Supplier<Order> task) {
    ExecutorService p = pool;
    if (p == null || interrupted) {
      return CompletableFuture.failedFuture(new IllegalStateException("interrupted"));
    }
    try {
      return p.submit(task::get);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private Attempt await(Future<Attempt> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      onInterrupt();
      return Attempt.inconclusive("interrupted");
    } catch (ExecutionException e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      return Attempt.inconclusive(String.valueOf(c.getMessage()));
    }
  }

  private Order awaitOrder(@Nullable Future<Order> f, List<String> accepted) {
    if (f == null) {
      return new Order(CipherOrder.UNKNOWN, accepted);
    }
    try {
      return f.get();
    } catch (InterruptedException e) {
      onInterrupt();
      return new Order(CipherOrder.UNKNOWN, accepted);
    } catch (ExecutionException e) {
      return new Order(CipherOrder.UNKNOWN, accepted);
    }
  }

  private void onInterrupt() {
    interrupted = true;
    ExecutorService p = pool;
    if (p != null) {
      p.shutdownNow();
    }
  }

  private static ThreadFactory threads() {
    int n = POOLS.incrementAndGet();
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "smtptls-tls-" + n + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
