package dev.smtptls.inspect;

import static java.util.Objects.requireNonNull;

import dev.smtptls.spi.DnsResolver;
import java.util.Iterator;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Probes many servers with one {@link SmtpTlsInspector}: bounded concurrency, a politeness limit
 * per destination address, results streamed as they complete, memory that stays flat however long
 * the input is. Immutable and thread-safe; each {@link #start} is an independent scan.
 *
 * <ul>
 *   <li><b>Concurrency</b>: at most {@link Builder#concurrency(int) N} probes (and DNS look-ups)
 *       run at once; default {@value #DEFAULT_CONCURRENCY}.
 *   <li><b>Politeness</b>: at most {@link Builder#perAddress(int) M} connections at once to one
 *       destination IP address; default {@value #DEFAULT_PER_ADDRESS}. Receivers throttle
 *       scanners with {@code 421}; two connections per address stays below the usual limits
 *       (Postfix's {@code smtpd_client_connection_count_limit} defaults to 50, Exchange Online
 *       throttles per source). A target whose address is busy waits in a small buffer (at most N
 *       entries) while targets for other addresses go ahead.
 *   <li><b>Deadline</b>: each probe is bounded by the inspector's timeout and deadline.
 *   <li><b>Laziness</b>: the input iterator is read only as slots free up; at most N entries run and
 *       at most N more wait, so a 100,000-line file is never held whole.
 *   <li><b>Ordering</b>: results arrive in completion order, not input order; {@link
 *       ScanInput#index()} says where each came from. The consumer is called from the scan's
 *       threads, one call at a time (it need not be thread-safe), and should return quickly.
 *   <li><b>Stopping</b>: {@link ScanHandle#cancel()} (safe from inside the consumer), or interrupt
 *       the thread blocked in {@link #run}. No new probe starts; running ones are interrupted and
 *       their reports, marked {@link InspectionReport#aborted()}, are still delivered.
 *   <li><b>Threads</b>: default a pool of N platform daemon threads, shut down at the end. On Java
 *       21+ pass {@code Executors.newVirtualThreadPerTaskExecutor()} to {@link
 *       Builder#executor(Executor)}: probes block in socket I/O, which virtual threads make cheap.
 *       A caller's executor is never shut down by the scan.
 *   <li><b>DNS</b>: IP-literal targets and targets with an address need none. Host names are
 *       resolved through the {@link Builder#dnsResolver(DnsResolver) resolver} (A, else AAAA; the
 *       first address is probed), or the system's when none is given.
 * </ul>
 *
 * <pre>{@code
 * SmtpTlsScanner scanner = SmtpTlsScanner.builder(inspector).concurrency(64).build();
 * try (BufferedReader in = Files.newBufferedReader(Path.of("targets.txt"))) {
 *   ScanSummary s = scanner.run(ScanInput.lines(in.lines().iterator()), r -> System.out.println(r));
 * }
 * }</pre>
 */
public final class SmtpTlsScanner {

  /** Probes in flight by default. */
  public static final int DEFAULT_CONCURRENCY = 16;

  /** Connections at once per destination address by default. */
  public static final int DEFAULT_PER_ADDRESS = 2;

  private final SmtpTlsInspector inspector;
  private final int concurrency;
  private final int perAddress;
  private final @Nullable DnsResolver resolver;
  private final @Nullable Executor executor;

  private SmtpTlsScanner(Builder b) {
    this.inspector = b.inspector;
    this.concurrency = b.concurrency;
    this.perAddress = b.perAddress;
    this.resolver = b.resolver;
    this.executor = b.executor;
  }

  /**
   * {@return a builder with the defaults}
   *
   * @param inspector the inspector every probe uses
   */
  public static Builder builder(SmtpTlsInspector inspector) {
    return new Builder(requireNonNull(inspector, "inspector"));
  }

  /**
   * Starts a scan in the background and returns at once.
   *
   * @param inputs the entries, read lazily from a thread of the scan (never two at once)
   * @param results receives each result as it completes
   * @return the handle to follow, wait for or cancel the scan
   */
  public ScanHandle start(Iterator<ScanInput> inputs, Consumer<? super ScanResult> results) {
    requireNonNull(inputs, "inputs");
    requireNonNull(results, "results");
    ScanHandle h = new ScanHandle(inspector, resolver, concurrency, perAddress, executor, inputs, results);
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
  public ScanSummary run(Iterator<ScanInput> inputs, Consumer<? super ScanResult> results) {
    return start(inputs, results).join();
  }

  /** {@return N, the probes in flight at most} */
  public int concurrency() {
    return concurrency;
  }

  /** {@return M, the connections at once per destination address at most} */
  public int perAddress() {
    return perAddress;
  }

  /** Builds a {@link SmtpTlsScanner}. Not thread-safe. */
  public static final class Builder {
    private final SmtpTlsInspector inspector;
    private int concurrency = DEFAULT_CONCURRENCY;
    private int perAddress = DEFAULT_PER_ADDRESS;
    private @Nullable DnsResolver resolver;
    private @Nullable Executor executor;

    private Builder(SmtpTlsInspector inspector) {
      this.inspector = inspector;
    }

    /**
     * Probes in flight at most. Default {@value SmtpTlsScanner#DEFAULT_CONCURRENCY}.
     *
     * @param n 1 to 100,000
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder concurrency(int n) {
      if (n < 1 || n > 100_000) {
        throw new IllegalArgumentException("concurrency must be 1..100000: " + n);
      }
      this.concurrency = n;
      return this;
    }

    /**
     * Connections at once to one destination IP address at most. Default {@value
     * SmtpTlsScanner#DEFAULT_PER_ADDRESS}.
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
     * Resolves host names (A, else AAAA) through this resolver instead of the system's.
     *
     * @param r the resolver
     * @return this builder
     */
    public Builder dnsResolver(DnsResolver r) {
      this.resolver = requireNonNull(r, "resolver");
      return this;
    }

    /**
     * Runs probes on this executor; it must be able to run N tasks at once, and is not shut down
     * by the scan. On Java 21+, {@code Executors.newVirtualThreadPerTaskExecutor()}. Default: a
     * pool of N platform daemon threads per scan.
     *
     * @param e the executor
     * @return this builder
     */
    public Builder executor(Executor e) {
      this.executor = requireNonNull(e, "executor");
      return this;
    }

    /** {@return the scanner} */
    public SmtpTlsScanner build() {
      return new SmtpTlsScanner(this);
    }
  }
}
