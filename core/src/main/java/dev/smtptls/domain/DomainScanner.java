package dev.smtptls.domain;

import static java.util.Objects.requireNonNull;

import java.util.Iterator;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Inspects many mail domains with one {@link DomainInspector}: bounded concurrency, a politeness
 * limit per destination address that holds across all domains, each MX host probed once per
 * address however many domains it serves, results streamed as they complete, memory that stays
 * flat however long the input is. Immutable and thread-safe; each {@link #start} is an independent
 * scan.
 *
 * <ul>
 *   <li><b>Concurrency</b>: at most {@link Builder#concurrency(int) N} domains are inspected at
 *       once (default {@value #DEFAULT_CONCURRENCY}); each runs at most {@link
 *       DomainInspector#concurrency()} (C) of its probes and lookups at once, so at most N × C
 *       probes run.
 *   <li><b>Politeness</b>: at most {@link Builder#perAddress(int) M} connections at once to one
 *       destination IP address over the whole scan (default {@value #DEFAULT_PER_ADDRESS}): a
 *       thousand domains at one mail provider never open a thousand connections to its MX at once.
 *       Probes for a busy address wait their turn, first come first served.
 *   <li><b>Shared probes</b> ({@link Builder#dedupe(boolean)}, on by default): within one scan an
 *       MX host name at an address and port is probed once, and the report is reused for every
 *       domain with that MX host there, marked {@link AddressReport#probeReused()}. The probe checks
 *       the certificate for the MX host name, so the key is (MX host name, address, port); a
 *       provider that gives each customer its own MX name at shared addresses is probed per name,
 *       within the politeness limit. Reports are kept in a least-recently-used cache of {@link
 *       Builder#probeCacheSize(int) K} entries (default {@value #DEFAULT_PROBE_CACHE}; a report
 *       with its chain and transcript is some ten kilobytes). A request for a probe in flight waits
 *       for it, at most twice the probe deadline, then probes on its own. Everything else (MX,
 *       DANE, MTA-STS, TLS-RPT) is looked up per domain.
 *   <li><b>Deadline</b>: each probe is bounded by the inspector's timeout and deadline, each
 *       lookup by the resolver's timeout.
 *   <li><b>Laziness</b>: the input iterator is read only as domains complete: at most N entries
 *       are in hand, so a 100,000-line file is never held whole.
 *   <li><b>Ordering</b>: results arrive in completion order; {@link DomainScanInput#index()} says
 *       where each came from. The consumer is called from the scan's threads, one call at a time
 *       (it need not be thread-safe), and should return quickly.
 *   <li><b>Stopping</b>: {@link DomainScanHandle#cancel()} (safe from inside the consumer), or
 *       interrupt the thread blocked in {@link #run}. No new domain starts; running ones are
 *       interrupted and their reports, marked {@link DomainReport#aborted()}, are still delivered.
 *   <li><b>Threads</b>: default a pool of N × C platform daemon threads, shut down at the end; the
 *       thread of a domain runs its probes and lookups too while it waits, so an executor only
 *       needs to run N tasks at once to make progress (more threads, up to N × C, run a domain's
 *       probes in parallel). On Java 21+ pass {@code Executors.newVirtualThreadPerTaskExecutor()}
 *       to {@link Builder#executor(Executor)}: probes and lookups block in socket I/O, which
 *       virtual threads make cheap. A caller's executor is never shut down by the scan.
 * </ul>
 *
 * <pre>{@code
 * DomainScanner scanner = domains.scanner().concurrency(32).perAddress(2).build();
 * try (BufferedReader in = Files.newBufferedReader(Path.of("domains.txt"))) {
 *   DomainScanSummary s = scanner.run(DomainScanInput.lines(in.lines().iterator()), r -> store(r));
 * }
 * }</pre>
 */
public final class DomainScanner {

  /** Domains in flight by default. */
  public static final int DEFAULT_CONCURRENCY = 16;

  /** Connections at once per destination address by default. */
  public static final int DEFAULT_PER_ADDRESS = 2;

  /** Probe reports kept for reuse by default. */
  public static final int DEFAULT_PROBE_CACHE = 1024;

  private final DomainInspector inspector;
  private final int concurrency;
  private final int perAddress;
  private final boolean dedupe;
  private final int probeCacheSize;
  private final @Nullable Executor executor;

  private DomainScanner(Builder b) {
    this.inspector = b.inspector;
    this.concurrency = b.concurrency;
    this.perAddress = b.perAddress;
    this.dedupe = b.dedupe;
    this.probeCacheSize = b.probeCacheSize;
    this.executor = b.executor;
  }

  /**
   * {@return a builder with the defaults}
   *
   * @param inspector the inspector every domain is inspected with
   */
  public static Builder builder(DomainInspector inspector) {
    return new Builder(requireNonNull(inspector, "inspector"));
  }

  /**
   * Starts a scan in the background and returns at once.
   *
   * @param inputs the entries, read lazily from a thread of the scan (never two at once)
   * @param results receives each result as it completes
   * @return the handle to follow, wait for or cancel the scan
   */
  public DomainScanHandle start(Iterator<DomainScanInput> inputs, Consumer<? super DomainScanResult> results) {
    requireNonNull(inputs, "inputs");
    requireNonNull(results, "results");
    SharedProbes probes =
        new SharedProbes(inspector.inspector(), perAddress, dedupe ? probeCacheSize : 0, inspector.clock());
    DomainScanHandle h = new DomainScanHandle(inspector, probes, concurrency, executor, inputs, results);
    h.begin();
    return h;
  }

  /**
   * Scans and blocks until the end. An interrupt of the calling thread cancels the scan; the
   * summary of what was done is then returned with the interrupt flag set.
   *
   * @param inputs the entries
   * @param results receives each result as it completes
   * @return the summary
   * @throws CompletionException if reading the input or the consumer threw (the scan was then
   *     cancelled); the cause is what it threw
   */
  public DomainScanSummary run(Iterator<DomainScanInput> inputs, Consumer<? super DomainScanResult> results) {
    return start(inputs, results).join();
  }

  /** {@return N, the domains in flight at most} */
  public int concurrency() {
    return concurrency;
  }

  /** {@return M, the connections at once per destination address at most} */
  public int perAddress() {
    return perAddress;
  }

  /** {@return whether an MX host's probe at an address is shared by the domains it serves} */
  public boolean dedupe() {
    return dedupe;
  }

  /** Builds a {@link DomainScanner}. Not thread-safe. */
  public static final class Builder {
    private final DomainInspector inspector;
    private int concurrency = DEFAULT_CONCURRENCY;
    private int perAddress = DEFAULT_PER_ADDRESS;
    private boolean dedupe = true;
    private int probeCacheSize = DEFAULT_PROBE_CACHE;
    private @Nullable Executor executor;

    private Builder(DomainInspector inspector) {
      this.inspector = inspector;
    }

    /**
     * Domains in flight at most. Default {@value DomainScanner#DEFAULT_CONCURRENCY}.
     *
     * @param n 1 to 10,000
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder concurrency(int n) {
      if (n < 1 || n > 10_000) {
        throw new IllegalArgumentException("concurrency must be 1..10000: " + n);
      }
      this.concurrency = n;
      return this;
    }

    /**
     * Connections at once to one destination IP address at most, over all domains. Default
     * {@value DomainScanner#DEFAULT_PER_ADDRESS}.
     *
     * @param m 1 or more
     * @return this builder
     * @throws IllegalArgumentException if less than 1
     */
    public Builder perAddress(int m) {
      if (m < 1) {
        throw new IllegalArgumentException("perAddress must be at least 1: " + m);
      }
      this.perAddress = m;
      return this;
    }

    /**
     * Whether an MX host name at an address and port is probed once per scan and its report reused
     * for every domain it serves (default true). Off, every domain probes every MX address itself
     * (still within the politeness limit).
     *
     * @param enabled true to share probes
     * @return this builder
     */
    public Builder dedupe(boolean enabled) {
      this.dedupe = enabled;
      return this;
    }

    /**
     * How many probe reports are kept for reuse, least recently used first out. Default {@value
     * DomainScanner#DEFAULT_PROBE_CACHE}. Only with {@link #dedupe(boolean) dedupe} on.
     *
     * @param entries 1 to 1,000,000
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder probeCacheSize(int entries) {
      if (entries < 1 || entries > 1_000_000) {
        throw new IllegalArgumentException("probeCacheSize must be 1..1000000: " + entries);
      }
      this.probeCacheSize = entries;
      return this;
    }

    /**
     * Runs domains, probes and lookups on this executor, which is not shut down by the scan. It
     * must be able to run N tasks at once; up to N × C make full use of each domain's concurrency.
     * On Java 21+, {@code Executors.newVirtualThreadPerTaskExecutor()}. Default: a pool of N × C
     * platform daemon threads per scan.
     *
     * @param e the executor
     * @return this builder
     */
    public Builder executor(Executor e) {
      this.executor = requireNonNull(e, "executor");
      return this;
    }

    /** {@return the scanner} */
    public DomainScanner build() {
      return new DomainScanner(this);
    }
  }
}
