package dev.smtptls.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smtptls.dns.DnsResolvers;
import dev.smtptls.dns.DnsblChecker;
import dev.smtptls.dns.DnsblLookup;
import dev.smtptls.dns.IpAddresses;
import dev.smtptls.dns.DnsblReport;
import dev.smtptls.spi.DnsResolver;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code smtptls dnsbl IP}: looks an address up in DNS block lists (RFC 5782), printed for a person
 * or as the JSON of {@code CONTRACT.md}. Exit 0 when no list lists it and at least one answered; 1
 * when a list lists it ({@code DNSBL_LISTED}, an {@code ERROR}), or when no list answered at all
 * (then nothing is known, and a script must not read "not listed"); 2 for a bad IP, {@code --dns}
 * or {@code --zone}.
 */
@Command(
    name = "dnsbl",
    mixinStandardHelpOptions = true,
    versionProvider = ToolVersion.class,
    description = {
      "Looks an IP address up in DNS block lists (RFC 5782): the address reversed under each zone"
          + " (IPv4 octets, or the 32 nibbles of an IPv6 address), asked over UDP with a retry over"
          + " TCP when the answer is truncated. An A answer in 127.0.0.0/8 is a listing: its codes"
          + " are decoded where the list documents them and its TXT record gives the reason."
          + " NXDOMAIN is not listed. A DNS failure, or an answer that is no listing (outside"
          + " 127.0.0.0/8, or a 127.255.255.x 'query refused' code), is an error row, neither"
          + " listed nor not listed.",
      "Without --zone the default lists are asked: zen.spamhaus.org, b.barracudacentral.org,"
          + " bl.spamcop.net (Spamhaus refuses queries from large public resolvers: use --dns with"
          + " a resolver of your own). With --zone only the zones given are asked.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:no list lists the address, and at least one list answered",
      "1:a list lists the address (DNSBL_LISTED), or no list answered at all (every lookup failed)",
      "2:usage or input error: bad IP, --dns or --zone (one line on stderr)",
      "3:internal error (one line on stderr; the stack trace with --debug)"
    })
public final class DnsblCommand implements Callable<Integer> {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String LABEL = "%-13s %s%n";

  /** What {@code dns.server} says without {@code --dns}: the system's first configured server. */
  static final String SYSTEM = "system";

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "IP", converter = IpAddressConverter.class,
      description = "The address to look up: IPv4 (192.0.2.1) or IPv6 (2001:db8::1). Never a name.")
  InetAddress address;

  @Option(names = "--zone", paramLabel = "ZONE", converter = ZoneConverter.class,
      description = "A block list's zone (bl.example.org); repeatable, asked in order. Only these are"
          + " asked when given.")
  List<String> zones = new ArrayList<>();

  @Option(names = "--dns", paramLabel = "HOST[:PORT]", converter = DnsServerConverter.class,
      description = "The DNS server to ask: an IP literal, port 53 by default (127.0.0.1:5353,"
          + " [2001:db8::53]:53). Default: the system's first configured server.")
  @Nullable InetSocketAddress dns;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      defaultValue = "5s", showDefaultValue = Visibility.ALWAYS,
      description = "The longest one DNS query may take, a TCP retry included (500ms, 5s, PT5S).")
  Duration timeout = Duration.ofSeconds(5);

  @Option(names = "--json", description = "Print one JSON object (CONTRACT.md) instead of text.")
  boolean json;

  @Option(names = "--debug", description = "Print the stack trace of an internal error.")
  boolean debug;

  /** Creates the command; picocli fills its fields. */
  public DnsblCommand() {}

  /**
   * What the command found.
   *
   * @param report the checker's report
   * @param server the DNS server asked, {@code IP:PORT}, or {@value #SYSTEM}
   * @param startedAt when the lookups began
   * @param duration how long they took
   */
  record Outcome(DnsblReport report, String server, Instant startedAt, Duration duration) {

    /** Whether no lookup got an answer: nothing is known about the address. */
    boolean nothingAnswered() {
      return report.lookups().stream().allMatch(l -> DnsblLookup.ERROR.equals(l.status()));
    }

    int exitCode() {
      return report.listed() || nothingAnswered()
          ? SmtpTlsCommand.EXIT_FINDINGS
          : SmtpTlsCommand.EXIT_OK;
    }
  }

  @Override
  public Integer call() {
    DnsResolver resolver = dns != null ? DnsResolvers.dnsjava(dns, timeout) : systemResolver(timeout);
    String server = dns != null ? server(dns) : SYSTEM;
    DnsblChecker.Builder builder = DnsblChecker.builder().resolver(resolver);
    if (!zones.isEmpty()) {
      builder.zones(zones);
    }
    DnsblChecker checker = builder.build();
    Instant startedAt = Instant.now();
    long start = System.nanoTime();
    DnsblReport report = checker.check(address);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    Outcome o = new Outcome(report, server, startedAt, took);
    // Rendered whole before anything is printed: an error while rendering leaves stdout empty.
    String rendered = json ? JsonReports.pretty(json(o)) + System.lineSeparator() : text(o);
    PrintWriter out = spec.commandLine().getOut();
    out.print(rendered);
    out.flush();
    return o.exitCode();
  }

  private static DnsResolver systemResolver(Duration timeout) {
    try {
      return DnsResolvers.system(timeout);
    } catch (IllegalStateException e) {
      throw new UsageException("the system configures no DNS server: give one with --dns IP[:PORT]");
    }
  }

  /**
   * The JSON of {@code CONTRACT.md}: {@code tool, address, startedAt, durationMs, dns, listed,
   * lookups, findings}; every key present, {@code null} when there is no value. {@code
   * dns.server} is the {@code IP:PORT} asked, or {@code "system"} without {@code --dns}.
   *
   * @param o the outcome
   * @return the document
   */
  static ObjectNode json(Outcome o) {
    ObjectNode root = NODES.objectNode();
    root.set("tool", JsonReports.tool());
    root.put("address", IpAddresses.text(o.report().address()));
    root.put("startedAt", JsonReports.instant(o.startedAt()));
    root.put("durationMs", o.duration().toMillis());
    ObjectNode dnsNode = root.putObject("dns");
    dnsNode.put("server", o.server());
    root.put("listed", o.report().listed());
    ArrayNode lookups = root.putArray("lookups");
    o.report().lookups().forEach(l -> lookups.add(lookup(l)));
    root.set("findings", JsonReports.findings(o.report().findings()));
    return root;
  }

  /**
   * One lookup: {@code zone, query, listed (true|false|null), codes, meanings, reason, status,
   * detail}. {@code reason} is the list's TXT text of a listing; {@code detail} what went wrong in
   * an {@code ERROR} row; {@code meanings} the documented meaning of each code, in the order of
   * {@code codes}, {@code null} where the list documents none.
   */
  private static ObjectNode lookup(DnsblLookup l) {
    boolean error = DnsblLookup.ERROR.equals(l.status());
    ObjectNode o = NODES.objectNode();
    o.put("zone", l.zone());
    o.put("query", l.query());
    if (l.listed() == null) {
      o.putNull("listed");
    } else {
      o.put("listed", l.listed());
    }
    ArrayNode codes = o.putArray("codes");
    l.codes().forEach(codes::add);
    ArrayNode meanings = o.putArray("meanings");
    l.codes().forEach(c -> meanings.add(DnsblChecker.meaning(l.zone(), c)));
    o.put("reason", error ? null : l.reason());
    o.put("status", l.status());
    o.put("detail", error ? l.reason() : null);
    return o;
  }

  /** The text a person reads: one row per list, the verdict, the findings with their fixes. */
  static String text(Outcome o) {
    DnsblReport r = o.report();
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(LABEL, "Address", IpAddresses.text(r.address())));
    sb.append(String.format(LABEL, "DNS server", o.server()));
    long listed = count(r, DnsblLookup.LISTED);
    long clean = count(r, DnsblLookup.NOT_LISTED);
    long failed = count(r, DnsblLookup.ERROR);
    sb.append(String.format(LABEL, "Block lists", r.lookups().size() + " asked: " + listed
        + " listed, " + clean + " not listed, " + failed + " failed ("
        + o.duration().toMillis() + " ms)"));
    for (DnsblLookup l : r.lookups()) {
      switch (l.status()) {
        case DnsblLookup.LISTED -> {
          sb.append(String.format("  %-11s %s%n", "LISTED", l.zone()));
          for (String code : l.codes()) {
            String m = DnsblChecker.meaning(l.zone(), code);
            sb.append(String.format("  %-11s   code   %s%n", "", code + (m == null ? "" : "  " + m)));
          }
          sb.append(String.format("  %-11s   reason %s%n", "",
              l.reason() == null ? "(the list gives none)" : l.reason()));
        }
        case DnsblLookup.NOT_LISTED -> sb.append(String.format("  %-11s %s%n", "not listed", l.zone()));
        default -> {
          sb.append(String.format("  %-11s %s%n", "ERROR", l.zone()));
          sb.append(String.format("  %-11s   %s%n", "", l.reason() == null ? "(no detail)" : l.reason()));
        }
      }
    }
    String verdict;
    if (r.listed()) {
      verdict = "LISTED on " + String.join(", ", r.lookups().stream()
          .filter(l -> Boolean.TRUE.equals(l.listed())).map(DnsblLookup::zone).toList());
    } else if (o.nothingAnswered()) {
      verdict = "UNKNOWN: no block list answered, so nothing is known (exit 1)";
    } else if (failed > 0) {
      verdict = "not listed where a list answered; " + failed + " list(s) could not be asked";
    } else {
      verdict = "not listed";
    }
    sb.append(String.format(LABEL, "Verdict", verdict));
    TextReports.findings(sb, r.findings(), "");
    return sb.toString();
  }

  private static long count(DnsblReport r, String status) {
    return r.lookups().stream().filter(l -> status.equals(l.status())).count();
  }

  private static String server(InetSocketAddress s) {
    InetAddress a = s.getAddress();
    String host = a == null ? s.getHostString() : a.getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + s.getPort();
  }

  /** Checks a {@code --zone} as the checker will, so a bad one is a usage error (exit 2). */
  public static final class ZoneConverter implements ITypeConverter<String> {

    /** Creates the converter (picocli instantiates it). */
    public ZoneConverter() {}

    @Override
    public String convert(String value) {
      try {
        DnsblChecker.builder().zones(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("'" + value + "' is not a zone name (write bl.example.org)");
      }
      return value;
    }
  }
}
