package dev.smtptls.examples.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smtptls.dns.DnsResolvers;
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
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code smtptls scan --input FILE}: probes every {@code HOST[:PORT]} line, many at once, and
 * prints one compact probe JSON object per line as each completes. Exit 0 when no target had an
 * {@code ERROR} finding and no line was malformed, 1 otherwise, also when interrupted (SIGINT: what
 * was done is printed, then the summary).
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
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every line was probed and no probe found an ERROR",
      "1:a probe found an ERROR, a line was malformed, or the scan was interrupted with such results",
      "2:usage or input error (unreadable file, bad option)",
      "3:internal error"
    })
public final class ScanCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--input", paramLabel = "FILE", required = true,
      description = "The targets, one HOST[:PORT] per line; - for standard input.")
  String input;

  @Option(names = "--concurrency", paramLabel = "N", defaultValue = "16", showDefaultValue = Visibility.ALWAYS,
      description = "Probes at once (1 to 10000).")
  int concurrency = 16;

  @Option(names = "--per-host", paramLabel = "N", defaultValue = "2", showDefaultValue = Visibility.ALWAYS,
      description = "Connections at once to one IP address (1 to 1000): politeness towards receivers.")
  int perHost = 2;

  @Option(names = "--dns", paramLabel = "HOST[:PORT]", converter = DnsServerConverter.class,
      description = "The DNS server host names are resolved with (A, else AAAA). Default: the system's resolver.")
  @Nullable InetSocketAddress dns;

  @Option(names = "--dns-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      defaultValue = "5s", showDefaultValue = Visibility.ALWAYS, description = "Longest one DNS lookup may take.")
  Duration dnsTimeout = Duration.ofSeconds(5);

  @Mixin ProbeOptions options;

  @Option(names = "--json", description = "Accepted for symmetry: scan always prints JSON lines.")
  boolean json;

  @Option(names = "--debug", description = "Print the stack trace of an internal error.")
  boolean debug;

  /** Whether stderr is a terminal (then the progress bar is drawn); tests leave it false. */
  boolean terminal = System.console() != null;

  /** Creates the command; picocli fills its fields. */
  public ScanCommand() {}

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
    boolean stdin = input.equals("-");
    Path file = stdin ? null : Path.of(input);
    // The total is for the progress bar only: no second pass over the input when there is none.
    long total = file == null || !terminal ? -1 : countTargets(file);
    SmtpTlsScanner.Builder b = options.inspector().scanner().concurrency(concurrency).perAddress(perHost);
    if (dns != null) {
      b.dnsResolver(DnsResolvers.dnsjava(dns, dnsTimeout));
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    BufferedReader reader = open(file);
    ScanProgress progress = new ScanProgress(err, total, terminal);
    CountDownLatch printed = new CountDownLatch(1);
    ScanHandle handle;
    try (reader) {
      handle = b.build().start(ScanInput.lines(reader.lines().iterator()), r -> {
        out.println(JsonReports.compact(json(r)));
        out.flush();
      });
      int[] exit = {SmtpTlsCommand.EXIT_OK};
      Thread hook = new Thread(() -> onInterrupt(handle, printed, exit), "smtptls-scan-sigint");
      boolean hooked = addHook(hook);
      progress.start(handle);
      ScanSummary summary;
      try {
        summary = handle.await();
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
      err.println(ScanProgress.summaryLine(summary));
      err.flush();
      exit[0] = summary.hasErrors() ? SmtpTlsCommand.EXIT_FINDINGS : SmtpTlsCommand.EXIT_OK;
      out.flush();
      printed.countDown();
      return exit[0];
    } catch (IOException e) {
      throw new UsageException("cannot read " + input + ": " + e.getMessage());
    }
  }

  /** SIGINT: stop the scan, let the command print what was done and the summary, exit with its code. */
  private static void onInterrupt(ScanHandle handle, CountDownLatch printed, int[] exit) {
    handle.cancel();
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

  /** The lines that are targets (or malformed), streamed: a first pass for the progress bar's total. */
  private static long countTargets(Path file) {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      // The same rule as the scan itself (ScanInput.lines skips blank and comment lines).
      long n = 0;
      for (var it = ScanInput.lines(r.lines().iterator()); it.hasNext(); it.next()) {
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
    ObjectNode o;
    if (report == null) {
      o = JsonNodeFactory.instance.objectNode();
      o.put("line", r.input().index());
      o.put("input", r.input().text());
      o.put("error", r.error());
      return o;
    }
    ObjectNode probe = JsonReports.probe(report);
    o = JsonNodeFactory.instance.objectNode();
    o.put("line", r.input().index());
    o.put("input", r.input().text());
    o.put("error", (String) null);
    o.setAll(probe);
    return o;
  }
}
