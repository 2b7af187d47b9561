package dev.smtptls.domain;

import static java.util.Objects.requireNonNull;

import dev.smtptls.dns.DaneChecker;
import dev.smtptls.dns.DaneLookup;
import dev.smtptls.dns.DaneMatch;
import dev.smtptls.dns.DaneStatus;
import dev.smtptls.dns.IpAddresses;
import dev.smtptls.dns.MtaStsChecker;
import dev.smtptls.dns.MtaStsHostCheck;
import dev.smtptls.dns.MtaStsResult;
import dev.smtptls.dns.MtaStsStatus;
import dev.smtptls.dns.MxHost;
import dev.smtptls.dns.MxResolver;
import dev.smtptls.dns.MxResult;
import dev.smtptls.dns.MxStatus;
import dev.smtptls.dns.TlsRptResult;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.SmtpTlsInspector;
import dev.smtptls.inspect.StartTlsOutcome;
import dev.smtptls.inspect.SmtpTarget;
import dev.smtptls.inspect.Timings;
import dev.smtptls.spi.DnsResolver;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Checks mail to a whole domain, as a sending MTA meets it: the MX hosts (RFC 5321 §5.1, RFC
 * 7505), every IPv4 and IPv6 address of every host probed with {@link SmtpTlsInspector} (the
 * certificate checked for the MX host name), each host's DANE TLSA records (RFC 7672) compared
 * with the chain each address presented, the domain's MTA-STS policy (RFC 8461) applied to every
 * host, and the TLS-RPT record (RFC 8460).
 *
 * <pre>{@code
 * DnsResolver dns = DnsResolvers.validating(server, Duration.ofSeconds(5), DnssecAnchors.root());
 * DomainInspector domains = DomainInspector.builder().resolver(dns).build();
 * DomainReport report = domains.inspect("example.org");
 * System.out.println(report.summary());
 * }</pre>
 *
 * <p>Every name is looked up through the one configured {@link DnsResolver}; give a validating
 * resolver ({@code DnsResolvers.validating}) for DANE, which only applies to DNSSEC-secure
 * records. The probes, the TLSA lookups and the MTA-STS and TLS-RPT fetches run concurrently, at
 * most {@link Builder#concurrency(int)} at a time (the calling thread runs some of them itself),
 * each bounded by its own timeouts; remote failures are findings, never exceptions. Interrupting
 * the calling thread aborts the probes in flight and those not begun (their reports say so) and
 * returns what was found, marked {@link DomainReport#aborted()}. Immutable and thread-safe.
 *
 * <p>For many domains, {@link #inspectAll} or {@link #scanner()} ({@link DomainScanner}): bounded
 * concurrency over domains, lazy input, the per-address politeness limit across all domains, and
 * each MX host probed once per address however many domains it serves.
 */
public final class DomainInspector {

  /** The default number of concurrent probes and lookups per domain. */
  public static final int DEFAULT_CONCURRENCY = 4;

  private final DnsResolver resolver;
  private final MxResolver mxResolver;
  private final SmtpTlsInspector inspector;
  private final int smtpPort;
  private final @Nullable DaneChecker dane;
  private final @Nullable MtaStsChecker mtaSts;
  private final boolean tlsRpt;
  private final boolean publicAddressCheck;
  private final int concurrency;
  private final Clock clock;

  private DomainInspector(Builder b, DnsResolver resolver) {
    this.resolver = resolver;
    this.mxResolver = MxResolver.builder().resolver(resolver).build();
    this.inspector = b.inspector != null ? b.inspector : SmtpTlsInspector.create();
    this.smtpPort = b.smtpPort;
    this.dane = b.dane ? DaneChecker.builder().resolver(resolver).build() : null;
    this.mtaSts =
        !b.mtaSts ? null : b.mtaStsChecker != null ? b.mtaStsChecker : MtaStsChecker.builder().resolver(resolver).build();
    this.tlsRpt = b.tlsRpt;
    this.publicAddressCheck = b.publicAddressCheck;
    this.concurrency = b.concurrency;
    this.clock = b.clock;
  }

  /** {@return a builder; a resolver must be given} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Inspects mail to {@code domain}.
   *
   * @param domain a domain name, e.g. {@code "example.org"}; a trailing dot is allowed
   * @return the report; never throws for a remote failure
   * @throws IllegalArgumentException if {@code domain} is empty or not a domain name
   */
  public DomainReport inspect(String domain) {
    String name = normalise(domain);
    AtomicInteger threads = new AtomicInteger();
    // The calling thread runs tasks too while it waits: concurrency - 1 helpers make N at once.
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, concurrency - 1),
            r -> {
              Thread t = new Thread(r, "smtptls-domain-" + name + "-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    try {
      return inspect(name, pool, this::probeAlone);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Inspects many domains, {@value DomainScanner#DEFAULT_CONCURRENCY} at a time, with at most
   * {@value DomainScanner#DEFAULT_PER_ADDRESS} connections at once per destination address across
   * all of them, and an MX host probed once per address however many domains it serves; blocks
   * until all are done. Domains are pulled lazily from the stream as inspections complete (the
   * stream is never collected), and each result is handed to {@code results} as it completes:
   * completion order, one call at a time. A string that is not a domain name is a result with an
   * error. For the concurrency, the executor, the cache of shared probes, or to cancel from another
   * thread, use {@link #scanner()}. An interrupt of the calling thread cancels the scan and returns
   * what was done.
   *
   * @param domains the domains, e.g. {@code Files.lines(path)}
   * @param results receives each result
   * @return the summary
   * @throws java.util.concurrent.CompletionException if the stream or the consumer threw
   */
  public DomainScanSummary inspectAll(Stream<String> domains, Consumer<? super DomainScanResult> results) {
    requireNonNull(domains, "domains");
    return scanner().build().run(DomainScanInput.domains(domains.iterator()), results);
  }

  /**
   * {@return a builder of a {@link DomainScanner} that inspects with this inspector: concurrency,
   * politeness per address, shared probes and executor}
   */
  public DomainScanner.Builder scanner() {
    return DomainScanner.builder(this);
  }

  /** {@return the probes and lookups of one domain at once at most} */
  public int concurrency() {
    return concurrency;
  }

  SmtpTlsInspector inspector() {
    return inspector;
  }

  Clock clock() {
    return clock;
  }

  /** How a domain's MX addresses are probed: alone, or through a scan's shared probes. */
  interface Prober {
    /**
     * Probes one address of an MX host.
     *
     * @param target the MX host name and port, with the address to connect to
     * @param mxHost the MX host name, without the trailing dot: the name the certificate must cover
     * @return the report, and whether it was another domain's
     */
    AddressProbe probe(SmtpTarget target, String mxHost);
  }

  /** A probe's report, and whether it was made for another domain of the scan and reused. */
  record AddressProbe(InspectionReport report, boolean reused) {}

  private AddressProbe probeAlone(SmtpTarget target, String mxHost) {
    if (Thread.currentThread().isInterrupted()) {
      return new AddressProbe(notProbed(target, clock), false);
    }
    return new AddressProbe(inspector.inspect(target, List.of(mxHost)), false);
  }

  /** The report of a probe an interrupt stopped before it began: aborted, nothing attempted. */
  static InspectionReport notProbed(SmtpTarget target, Clock clock) {
    return new InspectionReport(
        target, null, clock.instant(), Duration.ZERO, null, null, null,
        new StartTlsOutcome.NotAttempted("interrupted before the probe began"),
        null, null, null, List.of(), List.of(), new Timings(null, null, null, null, null, Duration.ZERO), true);
  }

  /**
   * Inspects a domain already normalised, running its tasks on {@code executor} (and on the calling
   * thread) and probing through {@code prober}.
   */
  DomainReport inspect(String name, Executor executor, Prober prober) {
    Instant startedAt = clock.instant();
    long t0 = System.nanoTime();
    MxResult mx = mxResolver.resolve(name);
    Subtasks tasks = new Subtasks(executor, concurrency - 1);
    @Nullable Future<MtaStsResult> stsFuture = null;
    MtaStsChecker sts = mtaSts;
    if (sts != null) {
      stsFuture = tasks.submit(() -> sts.check(name));
    }
    @Nullable Future<TlsRptResult> rptFuture =
        tlsRpt ? tasks.submit(() -> TlsRptResult.lookup(resolver, name)) : null;
    Map<MxHost, @Nullable Future<DaneLookup>> lookups = new LinkedHashMap<>();
    Map<MxHost, List<Future<AddressProbe>>> probes = new LinkedHashMap<>();
    for (MxHost host : mx.hosts()) {
      String hostName = bare(host.host());
      DaneChecker d = dane;
      lookups.put(host, d == null ? null : tasks.submit(() -> d.lookup(hostName, smtpPort)));
      List<Future<AddressProbe>> list = new ArrayList<>();
      for (InetAddress address : host.addresses()) {
        SmtpTarget target = SmtpTarget.of(hostName, smtpPort).withAddress(address);
        list.add(tasks.submit(() -> prober.probe(target, hostName)));
      }
      probes.put(host, list);
    }
    @Nullable MtaStsResult stsResult = stsFuture == null ? null : tasks.await(stsFuture);
    List<HostReport> hosts = new ArrayList<>();
    boolean aborted = false;
    for (MxHost host : mx.hosts()) {
      Future<DaneLookup> lf = lookups.get(host);
      @Nullable DaneLookup lookup = lf == null ? null : tasks.await(lf);
      List<AddressProbe> reports = new ArrayList<>();
      for (Future<AddressProbe> f : requireNonNull(probes.get(host))) {
        AddressProbe p = tasks.await(f);
        aborted |= p.report().aborted();
        reports.add(p);
      }
      hosts.add(hostReport(host, reports, lookup, stsResult));
    }
    @Nullable TlsRptResult rptResult = rptFuture == null ? null : tasks.await(rptFuture);
    if (tasks.interrupted()) {
      Thread.currentThread().interrupt();
    }
    aborted |= Thread.currentThread().isInterrupted();
    List<Finding> findings = new ArrayList<>(domainFindings(name, mx, hosts));
    if (stsResult != null) {
      findings.addAll(stsResult.findings());
    }
    if (rptResult != null) {
      findings.addAll(rptResult.findings());
    }
    for (HostReport h : hosts) {
      findings.addAll(h.findings());
    }
    List<Finding> sorted = bySeverity(findings);
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    String summary = Summaries.summary(name, mx, hosts, stsResult, rptResult, sorted, aborted);
    return new DomainReport(name, startedAt, took, mx, hosts, stsResult, rptResult, sorted, summary, aborted);
  }

  private HostReport hostReport(
      MxHost host, List<AddressProbe> probes, @Nullable DaneLookup lookup, @Nullable MtaStsResult sts) {
    String hostName = bare(host.host());
    List<Finding> findings = new ArrayList<>();
    List<AddressReport> addresses = new ArrayList<>();
    boolean allMatch = true;
    boolean allCertsValid = !probes.isEmpty();
    @Nullable String certProblem = probes.isEmpty() ? "the host has no address" : null;
    for (int i = 0; i < probes.size(); i++) {
      InspectionReport report = probes.get(i).report();
      InetAddress address = host.addresses().get(i);
      String shown = IpAddresses.text(address);
      if (publicAddressCheck) {
        @Nullable String why = AddressScope.nonPublicReason(address);
        if (why != null) {
          findings.add(
              Finding.of(
                  FindingCode.MX_ADDRESS_NOT_PUBLIC,
                  hostName + " resolves to " + shown + ", a " + why + " address: not reachable on the internet.",
                  "host", hostName, "address", shown, "reason", why));
        }
      }
      for (Finding f : report.findings()) {
        findings.add(withEvidence(f, hostName, shown));
      }
      @Nullable DaneMatch match = null;
      DaneChecker d = dane;
      if (d != null && lookup != null && lookup.usable()) {
        match =
            report.startTls() instanceof StartTlsOutcome.Upgraded
                ? d.match(lookup, report.peerChain())
                : new DaneMatch(DaneStatus.MISMATCH, null, "no TLS session: DANE requires STARTTLS and a matching chain");
        if (match.status() != DaneStatus.MATCH) {
          allMatch = false;
          findings.add(withEvidence(d.mismatchFinding(lookup, address, match), hostName, shown));
        }
      }
      addresses.add(new AddressReport(address, report, match, probes.get(i).reused()));
      if (!(report.startTls() instanceof StartTlsOutcome.Upgraded)) {
        allCertsValid = false;
        if (certProblem == null) {
          certProblem = shown + ": no TLS (" + report.startTls().status() + ")";
        }
      } else if (report.certificateCheck() == null || !report.certificateCheck().valid()) {
        allCertsValid = false;
        if (certProblem == null) {
          certProblem = shown + ": " + firstError(report);
        }
      }
    }
    @Nullable DaneStatus daneStatus = null;
    if (lookup != null) {
      for (Finding f : lookup.findings()) {
        findings.add(withEvidence(f, hostName, null));
      }
      daneStatus = lookup.usable() ? (allMatch && !probes.isEmpty() ? DaneStatus.MATCH : DaneStatus.MISMATCH) : lookup.status();
    }
    @Nullable MtaStsHostCheck stsCheck = null;
    if (sts != null && sts.status() == MtaStsStatus.VALID && sts.policy() != null) {
      stsCheck = sts.evaluateHost(hostName, allCertsValid, allCertsValid ? null : certProblem);
      for (Finding f : stsCheck.findings()) {
        findings.add(withEvidence(f, hostName, null));
      }
    }
    return new HostReport(
        hostName, host.preference(), host.implicit(), addresses, host.detail(), lookup, daneStatus, stsCheck, bySeverity(findings));
  }

  private static String firstError(InspectionReport report) {
    var check = report.certificateCheck();
    if (check == null) {
      return "the certificate was not checked";
    }
    return check.findings().stream()
        .filter(f -> f.severity() == Severity.ERROR)
        .findFirst()
        .map(f -> f.code() + ": " + f.message())
        .orElse("the certificate is not valid");
  }

  private static List<Finding> domainFindings(String domain, MxResult mx, List<HostReport> hosts) {
    List<Finding> out = new ArrayList<>();
    if (mx.status() == MxStatus.NULL_MX) {
      out.add(
          Finding.of(FindingCode.NULL_MX, domain + " publishes a null MX (RFC 7505): it accepts no mail.", "domain", domain));
    } else if (mx.status() == MxStatus.NONE) {
      out.add(
          Finding.of(
              FindingCode.MX_NONE,
              domain + " has no mail host: " + mx.detail(),
              "domain", domain, "reason", mx.detail()));
    } else if (!hosts.isEmpty() && hosts.stream().allMatch(h -> h.addresses().isEmpty())) {
      out.add(
          Finding.of(
              FindingCode.MX_NONE,
              "No MX host of " + domain + " has an address: " + mx.detail(),
              "domain", domain, "reason", mx.detail()));
    }
    return out;
  }

  /** A copy of a finding with {@code host} and {@code address} evidence added (unless present). */
  static Finding withEvidence(Finding f, String host, @Nullable String address) {
    Map<String, Object> evidence = new LinkedHashMap<>(f.evidence());
    evidence.putIfAbsent("host", host);
    if (address != null) {
      evidence.putIfAbsent("address", address);
    }
    return new Finding(f.code(), f.severity(), f.message(), evidence);
  }

  static List<Finding> bySeverity(List<Finding> findings) {
    List<Finding> sorted = new ArrayList<>(findings);
    sorted.sort(Comparator.comparingInt(f -> f.severity().ordinal()));
    return sorted;
  }

  private static String bare(String host) {
    return host.endsWith(".") && host.length() > 1 ? host.substring(0, host.length() - 1) : host;
  }

  static String normalise(String domain) {
    requireNonNull(domain, "domain");
    String d = bare(domain.trim()).toLowerCase(Locale.ROOT);
    if (d.isEmpty() || d.equals(".")) {
      throw new IllegalArgumentException("domain must not be empty");
    }
    if (d.length() > 253 || d.startsWith(".") || d.contains("..") || d.chars().anyMatch(c -> c <= ' ' || c == '/' || c == ':' || c == '@')) {
      throw new IllegalArgumentException("not a domain name: \"" + domain + "\"");
    }
    return d;
  }

  /** Configures a {@link DomainInspector}. */
  public static final class Builder {
    private @Nullable DnsResolver resolver;
    private @Nullable SmtpTlsInspector inspector;
    private int smtpPort = SmtpTarget.SMTP_PORT;
    private boolean dane = true;
    private boolean mtaSts = true;
    private @Nullable MtaStsChecker mtaStsChecker;
    private boolean tlsRpt = true;
    private boolean publicAddressCheck = true;
    private int concurrency = DEFAULT_CONCURRENCY;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * The resolver every lookup goes through (required). For DANE, a validating one.
     *
     * @param resolver the resolver
     * @return this builder
     */
    public Builder resolver(DnsResolver resolver) {
      this.resolver = requireNonNull(resolver, "resolver");
      return this;
    }

    /**
     * The inspector that probes each address (default {@link SmtpTlsInspector#create()}: system
     * trust, default timeouts). Its certificate checker decides "certificate valid" for MTA-STS.
     *
     * @param inspector the inspector
     * @return this builder
     */
    public Builder inspector(SmtpTlsInspector inspector) {
      this.inspector = requireNonNull(inspector, "inspector");
      return this;
    }

    /**
     * The SMTP port probed on every address, and the port of the TLSA name {@code
     * _<port>._tcp.<host>} (default 25; other values are for tests and labs).
     *
     * @param port 1 to 65535
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder smtpPort(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("smtpPort out of range: " + port);
      }
      this.smtpPort = port;
      return this;
    }

    /**
     * Whether to look up and check DANE TLSA records (default true).
     *
     * @param enabled true to check
     * @return this builder
     */
    public Builder dane(boolean enabled) {
      this.dane = enabled;
      return this;
    }

    /**
     * Whether to check MTA-STS (default true, with a checker over the same resolver and system
     * trust).
     *
     * @param enabled true to check
     * @return this builder
     */
    public Builder mtaSts(boolean enabled) {
      this.mtaSts = enabled;
      return this;
    }

    /**
     * The MTA-STS checker to use (its trust, port and timeouts); implies {@code mtaSts(true)}.
     *
     * @param checker the checker
     * @return this builder
     */
    public Builder mtaStsChecker(MtaStsChecker checker) {
      this.mtaStsChecker = requireNonNull(checker, "checker");
      this.mtaSts = true;
      return this;
    }

    /**
     * Whether to look up the TLS-RPT record (default true).
     *
     * @param enabled true to look up
     * @return this builder
     */
    public Builder tlsRpt(boolean enabled) {
      this.tlsRpt = enabled;
      return this;
    }

    /**
     * Whether an MX address that is not public (loopback, private, documentation) is a {@code
     * MX_ADDRESS_NOT_PUBLIC} warning (default true; labs may turn it off).
     *
     * @param enabled true to warn
     * @return this builder
     */
    public Builder publicAddressCheck(boolean enabled) {
      this.publicAddressCheck = enabled;
      return this;
    }

    /**
     * How many probes and lookups of one domain run at once (default {@value
     * #DEFAULT_CONCURRENCY}).
     *
     * @param n 1 to 64
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder concurrency(int n) {
      if (n < 1 || n > 64) {
        throw new IllegalArgumentException("concurrency must be 1 to 64: " + n);
      }
      this.concurrency = n;
      return this;
    }

    /**
     * The clock for {@link DomainReport#startedAt()} (default UTC system clock).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * {@return the inspector}
     *
     * @throws IllegalStateException if no resolver was given
     */
    public DomainInspector build() {
      DnsResolver r = resolver;
      if (r == null) {
        throw new IllegalStateException("a resolver is required: DomainInspector.builder().resolver(...)");
      }
      return new DomainInspector(this, r);
    }
  }

}
