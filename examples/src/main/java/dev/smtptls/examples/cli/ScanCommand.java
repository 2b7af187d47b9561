package dev.smtptls.examples.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smtptls.dns.DnsResolvers;
import dev.smtptls.domain.DomainReport;
import dev.smtptls.domain.DomainScanHandle;
import dev.smtptls.domain.DomainScanInput;
import dev.smtptls.domain.DomainScanResult;
import dev.smtptls.domain.DomainScanSummary;
import dev.smtptls.domain.DomainScanner;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.ScanHandle;
import dev.smtptls.inspect.ScanInput;
import dev.smtptls.inspect.ScanResult;
import dev.smtptls.inspect.ScanSummary;
import dev.smtptls.inspect.SmtpTlsScanner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code smtptls scan --input FILE}: probes every {@code HOST[:PORT]} line, many at once, and
 * prints one compact probe JSON object per line as each completes; with {@code --domains}, checks
 * every domain line as {@code smtptls domain} does and prints its JSON object per line. Exit 0 when
 * no entry had an {@code ERROR} finding and no line was malformed, 1 otherwise, also when
 * interrupted (SIGINT: what was done is printed, then the summary).
 */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    versionProvider = ToolVersion.class,
    description = {
      "Probes many SMTP servers: one HOST[:PORT] per line of --input (blank lines and lines"
          + " starting with # are skipped; - reads standard input). Prints one JSON object per line"
          + " on stdout as each probe completes (completion order; \"line\" and \"input\" say which"
          + " line it was): the JSON of probe, or {\"line\", \"input\", \"error\"} for a malformed"
          + " line. At most --concurrency probes run at once and at most --per-host connect to one"
          + " address at once (receivers throttle scanners with 421). A progress bar (done/total,"
          + " rate, ETA) goes to stderr when it is a terminal, and a summary at the end. Ctrl-C"
          + " stops the scan: probes running are cut short and printed, then the summary.",
      "",
      "With --domains, each line is a mail domain, checked as the domain command checks it (MX,"
          + " every MX address probed, DANE, MTA-STS, TLS-RPT; every lookup to --dns, validated from"
          + " --dnssec-anchor), and each JSON line is the domain command's JSON object with \"line\","
          + " \"input\" and \"error\". --concurrency domains run at once, each with at most"
          + " --domain-concurrency probes and lookups; --per-host holds across all domains. An MX"
          + " host probed at an address for one domain is not probed again for another (its probe is"
          + " marked \"probeReused\" there), and DNS answers are kept for their TTL (at most an hour;"
          + " answers without records a minute) and shared by all domains, unless --no-dedupe.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every line was probed and no probe found an ERROR",
      "1:a probe found an ERROR, a line was malformed, or the scan was interrupted with such results",
      "2:usage or input error (unreadable file, bad option)",
      "3:internal error"
    })
public final class ScanCommand implements Callable<Integer> {

  /** Answers a domain scan keeps (least recently used out). */
  static final int DNS_CACHE_ENTRIES = 10_000;

  /** The options that only apply with {@code --domains}, besides {@link DomainOptions#NAMES}. */
  private static final List<String> DOMAIN_ONLY = List.of("--domain-concurrency", "--no-dedupe");

  @Spec CommandSpec spec;

  @Option(names = "--input", paramLabel = "FILE", required = true,
      description = "The targets, one HOST[:PORT] per line (with --domains, one domain); - for standard input.")
  String input;

  @Option(names = "--domains",
      description = "Each line is a mail domain: check it as the domain command does, one JSON object per domain.")
  boolean domains;

  @Option(names = "--concurrency", paramLabel = "N", defaultValue = "16", showDefaultValue = Visibility.ALWAYS,
      description = "Probes at once (with --domains, domains at once): 1 to 10000.")
  int concurrency = 16;

  @Option(names = "--per-host", paramLabel = "N", defaultValue = "2", showDefaultValue = Visibility.ALWAYS,
      description = "Connections at once to one IP address (1 to 1000): politeness towards receivers.")
  int perHost = 2;

  @Option(names = "--domain-concurrency", paramLabel = "N", defaultValue = "4", showDefaultValue = Visibility.ALWAYS,
      description = "With --domains: probes and lookups of one domain at once (1 to 64).")
  int domainConcurrency = 4;

  @Option(names = "--no-dedupe",
      description = "With --domains: probe every MX address and ask every DNS question for every domain, instead of"
          + " once per MX host, address and port and once per question for the whole scan.")
  boolean noDedupe;

  @Option(names = "--dns", paramLabel = "HOST[:PORT]", converter = DnsServerConverter.class,
      description = "The DNS server host names are resolved with (A, else AAAA). Default: the system's resolver."
          + " With --domains, every lookup goes there (default: the system's first configured server).")
  @Nullable InetSocketAddress dns;

  @Option(names = "--dns-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      defaultValue = "5s", showDefaultValue = Visibility.ALWAYS, description = "Longest one DNS lookup may take.")
  Duration dnsTimeout = Duration.ofSeconds(5);

  @Mixin DomainOptions domainOptions;

  @Mixin ProbeOptions options;

  @Option(names = "--json", description = "Accepted for symmetry: scan always prints JSON lines.")
  boolean json;

  @Option(names = "--debug", description = "Print the stack trace of an internal error.")
  boolean debug;

  /** Whether stderr is a terminal (then the progress bar is drawn); tests leave it false. */
  boolean terminal = System.console() != null;

  /** Creates the command; picocli fills its fields. */
  public ScanCommand() {}

  /** A scan under way, host or domain, as the command follows it. */
  private interface Run {
    void cancel();

    ScanProgress.Counts counts();

    /** Waits for the end: the summary line, and whether an entry had an error. */
    Ended await() throws InterruptedException;
  }

  private record Ended(String summaryLine, boolean hasErrors) {}

  @Override
  public Integer call() throws InterruptedException {
    if (options.address != null) {
      throw new UsageException("--address does not apply to scan: each line names its own target");
    }
    if (!options.names.isEmpty()) {
      throw new UsageException("--name does not apply to scan: each certificate is checked for its line's host");
    }
    if (concurrency < 1 || concurrency > 10_000) {
      throw new UsageException("--concurrency must be 1 to 10000: " + concurrency);
    }
    if (perHost < 1 || perHost > 1000) {
      throw new UsageException("--per-host must be 1 to 1000: " + perHost);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Function<Iterator<String>, Run> scan = domains ? domainScan(out) : hostScan(out);
    boolean stdin = input.equals("-");
    Path file = stdin ? null : Path.of(input);
    // The total is for the progress bar only: no second pass over the input when there is none.
    long total = file == null || !terminal ? -1 : countEntries(file);
    BufferedReader reader = open(file);
    ScanProgress progress = new ScanProgress(err, total, terminal);
    CountDownLatch printed = new CountDownLatch(1);
    try (reader) {
      Run run = scan.apply(reader.lines().iterator());
      int[] exit = {SmtpTlsCommand.EXIT_OK};
      Thread hook = new Thread(() -> onInterrupt(run, printed, exit), "smtptls-scan-sigint");
      boolean hooked = addHook(hook);
      progress.start(run::counts);
      Ended ended;
      try {
        ended = run.await();
      } catch (CompletionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof UncheckedIOException io) {
          throw new UsageException("cannot read " + input + ": " + io.getMessage());
        }
        throw e;
      } finally {
        progress.stop();
        if (hooked) {
          removeHook(hook);
        }
      }
      err.println(ended.summaryLine());
      err.flush();
      exit[0] = ended.hasErrors() ? SmtpTlsCommand.EXIT_FINDINGS : SmtpTlsCommand.EXIT_OK;
      out.flush();
      printed.countDown();
      return exit[0];
    } catch (IOException e) {
      throw new UsageException("cannot read " + input + ": " + e.getMessage());
    }
  }

  /** HOST[:PORT] lines: the probe JSON per line. */
  private Function<Iterator<String>, Run> hostScan(PrintWriter out) {
    for (String o : concat(DomainOptions.NAMES, DOMAIN_ONLY)) {
      if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
        throw new UsageException(o + " only applies with --domains: without it, each line is a HOST[:PORT] to probe");
      }
    }
    SmtpTlsScanner.Builder b = options.inspector().scanner().concurrency(concurrency).perAddress(perHost);
    if (dns != null) {
      b.dnsResolver(DnsResolvers.dnsjava(dns, dnsTimeout));
    }
    SmtpTlsScanner scanner = b.build();
    return lines -> {
      ScanHandle h = scanner.start(ScanInput.lines(lines), r -> print(out, json(r)));
      return new Run() {
        @Override
        public void cancel() {
          h.cancel();
        }

        @Override
        public ScanProgress.Counts counts() {
          return ScanProgress.Counts.of(h.summary());
        }

        @Override
        public Ended await() throws InterruptedException {
          ScanSummary s = h.await();
          return new Ended(ScanProgress.summaryLine(s), s.hasErrors());
        }
      };
    };
  }

  /** Domain lines: the domain JSON per line. */
  private Function<Iterator<String>, Run> domainScan(PrintWriter out) {
    if (domainConcurrency < 1 || domainConcurrency > 64) {
      throw new UsageException("--domain-concurrency must be 1 to 64: " + domainConcurrency);
    }
    DomainOptions.Dns validating = domainOptions.dns(dns, dnsTimeout);
    // Domains share MX hosts: their A, AAAA and TLSA answers (and the DNSSEC validation behind
    // each, most of a domain's CPU) are then looked up once per scan, unless --no-dedupe.
    DomainOptions.Dns setup = noDedupe ? validating : new DomainOptions.Dns(validating.server(), validating.anchors(),
        DnsResolvers.caching(validating.resolver(), DNS_CACHE_ENTRIES));
    DomainScanner scanner = domainOptions.inspector(setup, options, domainConcurrency).scanner()
        .concurrency(concurrency).perAddress(perHost).dedupe(!noDedupe).build();
    return lines -> {
      DomainScanHandle h = scanner.start(DomainScanInput.lines(lines), r -> print(out, json(r, setup, options)));
      return new Run() {
        @Override
        public void cancel() {
          h.cancel();
        }

        @Override
        public ScanProgress.Counts counts() {
          return ScanProgress.Counts.of(h.summary());
        }

        @Override
        public Ended await() throws InterruptedException {
          DomainScanSummary s = h.await();
          return new Ended(ScanProgress.summaryLine(s), s.hasErrors());
        }
      };
    };
  }

  private static void print(PrintWriter out, ObjectNode line) {
    out.println(JsonReports.compact(line));
    out.flush();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** SIGINT: stop the scan, let the command print what was done and the summary, exit with its code. */
  private static void onInterrupt(Run run, CountDownLatch printed, int[] exit) {
    run.cancel();
    try {
      if (printed.await(15, TimeUnit.SECONDS)) {
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(exit[0]);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean addHook(Thread hook) {
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      return true;
    } catch (IllegalStateException | SecurityException e) {
      return false;
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException | SecurityException e) {
      // shutting down already: the hook is running
    }
  }

  private BufferedReader open(@Nullable Path file) {
    if (file == null) {
      return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    }
    try {
      return Files.newBufferedReader(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UsageException("cannot read " + file + ": " + e.getMessage());
    }
  }

  /** The lines that are entries (or malformed), streamed: a first pass for the progress bar's total. */
  private long countEntries(Path file) {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      // The same rule as the scan itself (blank and comment lines are skipped).
      Iterator<?> it = domains ? DomainScanInput.lines(r.lines().iterator()) : ScanInput.lines(r.lines().iterator());
      long n = 0;
      for (; it.hasNext(); it.next()) {
        n++;
      }
      return n;
    } catch (IOException | UncheckedIOException e) {
      String why = e instanceof UncheckedIOException u ? u.getMessage() : e.getMessage();
      throw new UsageException("cannot read " + file + ": " + why);
    }
  }

  /** One line of output: the probe JSON with {@code line} and {@code input}, or the error of a malformed line. */
  static ObjectNode json(ScanResult r) {
    InspectionReport report = r.report();
    return line(r.input().index(), r.input().text(), r.error(), report == null ? null : JsonReports.probe(report));
  }

  /** One line of a domain scan: the domain JSON with {@code line} and {@code input}, or the error of a bad line. */
  static ObjectNode json(DomainScanResult r, DomainOptions.Dns setup, ProbeOptions options) {
    DomainReport report = r.report();
    return line(r.input().index(), r.input().text(), r.error(),
        report == null ? null : DomainOptions.json(report, setup, options));
  }

  private static ObjectNode line(long index, String text, @Nullable String error, @Nullable ObjectNode body) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("line", index);
    o.put("input", text);
    o.put("error", error);
    if (body != null) {
      o.setAll(body);
    }
    return o;
  }
}
