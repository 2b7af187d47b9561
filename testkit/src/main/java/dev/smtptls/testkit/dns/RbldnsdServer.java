package dev.smtptls.testkit.dns;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Address;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A real DNS block list on loopback: Debian's {@code rbldnsd}, the server most DNSBLs run, started
 * in the foreground on {@code 127.0.0.1} with an ephemeral port, serving zones written in code.
 * For DNSBL tests against the real thing: yours and ours. Point a resolver at {@link #address()};
 * never at the system's.
 *
 * <pre>{@code
 * try (RbldnsdServer bl = RbldnsdServer.builder()
 *     .listed("bl.test", "192.0.2.1", "127.0.0.2", "Listed: see https://bl.test/lookup?ip=$")
 *     .listed("bl.test", "192.0.2.1", "127.0.0.4", "Exploited host")
 *     .listed("bl.test", "198.51.100.0/24", "127.0.0.3", null)
 *     .listed("bl.test", "2001:db8::/64", "127.0.0.2", "IPv6 range $")
 *     .start()) {
 *   DnsblChecker checker = DnsblChecker.builder()
 *       .resolver(DnsResolvers.dnsjava(bl.address(), Duration.ofSeconds(2)))
 *       .zones("bl.test")
 *       .build();
 *   // ...
 * }
 * }</pre>
 *
 * <p>Each zone is served from rbldnsd datasets written to a temporary directory: IPv4 entries in
 * {@code ip4set} datasets, IPv6 entries in {@code ip6trie} datasets. An entry is an address or a
 * CIDR range (host bits zero, as rbldnsd requires); its answer is an A record (the code, usually in
 * {@code 127.0.0.0/8}) and, when a reason is given, a TXT record made from the reason as rbldnsd
 * makes it: {@code $} becomes the address asked about, {@code $$} a dollar sign. The same entry
 * listed with several codes answers with several A records (and TXT records), as lists that
 * combine sub-lists do (Spamhaus ZEN answers {@code 127.0.0.2} and {@code 127.0.0.4} for an
 * address on the SBL and the XBL): each repetition goes to a dataset of its own, and rbldnsd merges
 * the datasets of a zone. A name under a served zone that is not listed is answered {@code
 * NXDOMAIN}; a name outside every served zone is {@code REFUSED}. Every zone has an SOA, so negative
 * answers are those of a real list.
 *
 * <p>rbldnsd answers over UDP only (it has no TCP listener), as do the lists that run it.
 *
 * <p>Starting: a port is asked of the operating system (a UDP socket bound to port 0, then closed)
 * and rbldnsd started on it; if rbldnsd fails to bind it (another process took it meanwhile), a new
 * port is tried, up to {@value #BIND_ATTEMPTS} times. The server is ready once it answers a query,
 * which is polled for until {@link Builder#startTimeout} (there is no fixed wait). rbldnsd's output
 * goes to {@link #log()}. When started as root, rbldnsd drops privileges to its own user ({@code
 * rbldns}), so its directory is made world-readable: the data is for tests, nothing secret.
 *
 * <p>Faults: {@link #suspend()} keeps the port bound but answers nothing (clients time out), as a
 * list that has stopped answering; a closed server's port answers with ICMP port unreachable.
 *
 * <p>{@link #close()} stops rbldnsd (SIGTERM, then SIGKILL after {@value #STOP_WAIT_MILLIS} ms) and
 * deletes the directory. Thread-safe.
 *
 * <p>Requires the {@code rbldnsd} program ({@code apt-get install rbldnsd}): found on the {@code
 * PATH}, in {@code /usr/sbin} or {@code /usr/local/sbin}, or where the system property {@value
 * #EXECUTABLE_PROPERTY} points. Without it, {@link Builder#start()} fails with an {@link
 * IllegalStateException} that says so: tests that need it fail rather than skip.
 */
public final class RbldnsdServer implements AutoCloseable {

  /** The system property naming the rbldnsd executable, overriding the search: {@value}. */
  public static final String EXECUTABLE_PROPERTY = "smtptls.rbldnsd";

  /** How many ports are tried before giving up: {@value}. */
  public static final int BIND_ATTEMPTS = 10;

  /** How long {@link #close()} waits after SIGTERM before SIGKILL, in milliseconds: {@value}. */
  public static final int STOP_WAIT_MILLIS = 5000;

  /** The TTL of every answer, in seconds: {@value}. */
  public static final int TTL = 60;

  private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
  private static final int MAX_LOG_CHARS = 4000;
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern ZONE = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

  private final Process process;
  private final Path directory;
  private final InetSocketAddress address;
  private final List<String> zones;
  private final Object lock = new Object();
  private boolean closed;
  private boolean suspended;

  private RbldnsdServer(Process process, Path directory, InetSocketAddress address, List<String> zones) {
    this.process = process;
    this.directory = directory;
    this.address = address;
    this.zones = zones;
  }

  /**
   * A new builder with no zones.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Where rbldnsd listens (UDP only).
   *
   * @return {@code 127.0.0.1} and {@link #port()}
   */
  public InetSocketAddress address() {
    return address;
  }

  /**
   * The UDP port rbldnsd listens on.
   *
   * @return the port
   */
  public int port() {
    return address.getPort();
  }

  /**
   * The zones served, in the order they were first named, without trailing dots.
   *
   * @return the zone names
   */
  public List<String> zones() {
    return zones;
  }

  /** The directory of the datasets and the log, for our tests. */
  Path directory() {
    return directory;
  }

  /**
   * Whether rbldnsd is still running.
   *
   * @return true until {@link #close()} or until rbldnsd exits on its own
   */
  public boolean isRunning() {
    return process.isAlive();
  }

  /**
   * What rbldnsd printed (its start-up lines, the datasets it loaded, errors), for diagnostics.
   *
   * @return the last {@value #MAX_LOG_CHARS} characters of its output; empty after {@link #close()}
   */
  public String log() {
    synchronized (lock) {
      return closed ? "" : readLog(directory);
    }
  }

  /**
   * Suspends rbldnsd ({@code SIGSTOP}): its port stays bound but no query is answered, so clients
   * time out, as with a list that has stopped answering. Undone by {@link #resume()}.
   *
   * @throws IllegalStateException if closed, or the signal could not be sent
   */
  public void suspend() {
    signal("-STOP");
  }

  /**
   * Resumes rbldnsd after {@link #suspend()} ({@code SIGCONT}); the queries that arrived meanwhile
   * are then answered (their clients may have given up).
   *
   * @throws IllegalStateException if closed, or the signal could not be sent
   */
  public void resume() {
    signal("-CONT");
  }

  private void signal(String signal) {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("closed");
      }
      try {
        Process kill = new ProcessBuilder("kill", signal, String.valueOf(process.pid()))
            .redirectErrorStream(true)
            .start();
        kill.getOutputStream().close();
        String out = new String(kill.getInputStream().readNBytes(MAX_LOG_CHARS), StandardCharsets.UTF_8);
        if (!kill.waitFor(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
          kill.destroyForcibly();
          throw new IllegalStateException("kill " + signal + " did not finish");
        }
        if (kill.exitValue() != 0) {
          throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed: " + out.strip());
        }
        suspended = signal.equals("-STOP");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot run kill " + signal, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while sending " + signal, e);
      }
    }
  }

  /**
   * Stops rbldnsd and deletes its directory. Idempotent.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      if (suspended) {
        // A stopped process only acts on SIGTERM once continued.
        try {
          signal("-CONT");
        } catch (RuntimeException e) {
          // SIGKILL after the wait below ends it anyway.
        }
      }
      closed = true;
      stop(process);
      deleteTree(directory);
    }
  }

  @Override
  public String toString() {
    return "RbldnsdServer[127.0.0.1:" + port() + ", zones " + zones + "]";
  }

  private static void stop(Process p) {
    p.destroy();
    try {
      if (!p.waitFor(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // A temporary directory left behind costs nothing; close() must not fail for it.
    }
  }

  private static String readLog(Path dir) {
    try {
      String s = Files.readString(dir.resolve("rbldnsd.log"), StandardCharsets.UTF_8);
      return s.length() <= MAX_LOG_CHARS ? s : s.substring(s.length() - MAX_LOG_CHARS);
    } catch (IOException e) {
      return "";
    }
  }

  /** One listed entry: where it goes and what it answers. */
  private record Entry(String entry, boolean ipv6, String code, @Nullable String reason) {}

  /**
   * Collects zones and listings, then {@linkplain #start() starts} rbldnsd with a snapshot of them.
   * Not thread-safe; may start any number of servers.
   */
  public static final class Builder {
    private final Map<String, List<Entry>> zones = new LinkedHashMap<>();
    private @Nullable Path executable;
    private Duration startTimeout = Duration.ofSeconds(15);

    private Builder() {}

    /**
     * Serves {@code zone}, even with nothing listed in it: its names are then answered {@code
     * NXDOMAIN} rather than {@code REFUSED}.
     *
     * @param zone the zone, e.g. {@code "bl.test"}; a trailing dot is allowed
     * @return this builder
     * @throws IllegalArgumentException if {@code zone} is not a domain name
     */
    public Builder zone(String zone) {
      zones.computeIfAbsent(zoneName(zone), z -> new ArrayList<>());
      return this;
    }

    /**
     * Lists an address or a CIDR range with code {@code 127.0.0.2} and no TXT reason.
     *
     * @param zone the zone
     * @param entry an IPv4 or IPv6 address, or a CIDR range such as {@code 198.51.100.0/24}
     * @return this builder
     * @throws IllegalArgumentException as {@link #listed(String, String, String, String)}
     */
    public Builder listed(String zone, String entry) {
      return listed(zone, entry, "127.0.0.2", null);
    }

    /**
     * Lists an address or a CIDR range. Listing the same entry again with another code adds an
     * answer: the lookup then returns every code (and every reason).
     *
     * @param zone the zone, e.g. {@code "bl.test"}; a trailing dot is allowed
     * @param entry an IPv4 or IPv6 address, or a CIDR range with its host bits zero (e.g. {@code
     *     198.51.100.0/24}, {@code 2001:db8::/64}); IP literals only, never looked up
     * @param code the A record answered, an IPv4 literal, usually in {@code 127.0.0.0/8}
     * @param reason the TXT record answered, or {@code null} for none; {@code $} becomes the address
     *     asked about and {@code $$} a dollar sign, as rbldnsd does; printable text, at most 255
     *     characters
     * @return this builder
     * @throws IllegalArgumentException if the zone, entry, code or reason is malformed
     */
    public Builder listed(String zone, String entry, String code, @Nullable String reason) {
      String z = zoneName(zone);
      requireNonNull(entry, "entry");
      requireNonNull(code, "code");
      String[] parts = entry.strip().split("/", -1);
      if (parts.length > 2) {
        throw new IllegalArgumentException("not an address or CIDR range: \"" + entry + "\"");
      }
      InetAddress a = literal(parts[0], "entry \"" + entry + "\"");
      boolean v6 = !(a instanceof Inet4Address);
      int bits = v6 ? 128 : 32;
      int prefix = bits;
      if (parts.length == 2) {
        try {
          prefix = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("not a prefix length in \"" + entry + "\"");
        }
        if (prefix < 1 || prefix > bits) {
          throw new IllegalArgumentException(
              "prefix length out of 1.." + bits + " in \"" + entry + "\"");
        }
        if (!hostBitsZero(a.getAddress(), prefix)) {
          throw new IllegalArgumentException(
              "host bits set in \"" + entry + "\" (rbldnsd refuses it): write the network address");
        }
      }
      InetAddress c = literal(code, "code");
      if (!(c instanceof Inet4Address)) {
        throw new IllegalArgumentException("code must be an IPv4 address: \"" + code + "\"");
      }
      if (reason != null
          && (reason.length() > 255 || reason.chars().anyMatch(ch -> ch < ' ' || ch == 0x7F))) {
        throw new IllegalArgumentException(
            "reason must be printable text of at most 255 characters: \"" + reason + "\"");
      }
      String text = a.getHostAddress() + (prefix == bits ? "" : "/" + prefix);
      zones.computeIfAbsent(z, k -> new ArrayList<>())
          .add(new Entry(text, v6, c.getHostAddress(), reason));
      return this;
    }

    /**
     * The rbldnsd program to run, instead of searching for it.
     *
     * @param executable the path of {@code rbldnsd}
     * @return this builder
     */
    public Builder executable(Path executable) {
      this.executable = requireNonNull(executable, "executable");
      return this;
    }

    /**
     * How long {@link #start()} waits for rbldnsd to answer its first query; 15 seconds unless
     * given.
     *
     * @param timeout a positive duration
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder startTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("startTimeout must be positive: " + timeout);
      }
      this.startTimeout = timeout;
      return this;
    }

    /**
     * Writes the datasets and starts rbldnsd on 127.0.0.1 with an ephemeral port.
     *
     * @return the running server, answering queries
     * @throws IllegalStateException if no zone was given, rbldnsd is not installed, refuses the
     *     data, or does not answer within the start timeout (the message carries its output)
     * @throws UncheckedIOException if the directory cannot be written or rbldnsd not run
     */
    public RbldnsdServer start() {
      if (zones.isEmpty()) {
        throw new IllegalStateException("no zone given: call zone(...) or listed(...) first");
      }
      Path program = executable != null ? executable : findExecutable();
      if (!Files.isExecutable(program)) {
        throw new IllegalStateException(
            "rbldnsd is not installed or not executable at " + program
                + " (Debian: apt-get install rbldnsd)");
      }
      Path dir;
      try {
        dir = Files.createTempDirectory("smtptls-rbldnsd-");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create rbldnsd's directory", e);
      }
      try {
        List<String> zoneSpecs = writeDatasets(dir);
        return launch(program, dir, zoneSpecs);
      } catch (IOException e) {
        deleteTree(dir);
        throw new UncheckedIOException("cannot start rbldnsd: " + e.getMessage(), e);
      } catch (RuntimeException | Error e) {
        deleteTree(dir);
        throw e;
      }
    }

    /** Writes one dataset file per zone, family and repetition; returns the zone specs. */
    private List<String> writeDatasets(Path dir) throws IOException {
      readableByAll(dir, true);
      List<String> specs = new ArrayList<>();
      int file = 0;
      for (Map.Entry<String, List<Entry>> z : zones.entrySet()) {
        // Dataset k holds the k-th listing of each entry, so no dataset lists an entry twice.
        List<List<Entry>> v4 = new ArrayList<>();
        List<List<Entry>> v6 = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (Entry e : z.getValue()) {
          int k = seen.merge((e.ipv6() ? "6 " : "4 ") + e.entry(), 1, Integer::sum) - 1;
          List<List<Entry>> sets = e.ipv6() ? v6 : v4;
          while (sets.size() <= k) {
            sets.add(new ArrayList<>());
          }
          sets.get(k).add(e);
        }
        if (v4.isEmpty()) {
          v4.add(List.of()); // carries the SOA; an empty set answers NXDOMAIN
        }
        boolean first = true;
        for (List<Entry> set : v4) {
          specs.add(z.getKey() + ":ip4set:" + write(dir, "d" + file++ + ".ip4set", z.getKey(), set, first));
          first = false;
        }
        for (List<Entry> set : v6) {
          specs.add(z.getKey() + ":ip6trie:" + write(dir, "d" + file++ + ".ip6trie", z.getKey(), set, false));
        }
      }
      return specs;
    }

    private static String write(Path dir, String name, String zone, List<Entry> entries, boolean soa)
        throws IOException {
      StringBuilder sb = new StringBuilder();
      sb.append("# written by smtptls' RbldnsdServer for zone ").append(zone).append('\n');
      if (soa) {
        sb.append("$SOA 0 ns.").append(zone).append(". hostmaster.").append(zone)
            .append(". 1 1h 10m 1w ").append(TTL).append('\n');
        sb.append("$NS 0 ns.").append(zone).append(".\n");
      }
      for (Entry e : entries) {
        // ":code:" with nothing after the second colon means "no TXT" to rbldnsd.
        sb.append(e.entry()).append(" :").append(e.code()).append(':');
        if (e.reason() != null) {
          sb.append(e.reason());
        }
        sb.append('\n');
      }
      Path file = dir.resolve(name);
      Files.writeString(file, sb, StandardCharsets.UTF_8);
      readableByAll(file, false);
      return name;
    }

    private RbldnsdServer launch(Path program, Path dir, List<String> zoneSpecs) throws IOException {
      String probeZone = zones.keySet().iterator().next();
      InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
      String lastLog = "";
      for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
        int port;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
          port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(
            program.toString(),
            "-n", // foreground: we own the process and its lifetime
            "-c", "0", // never reload: the data is written once
            "-t", String.valueOf(TTL),
            "-b", "127.0.0.1/" + port,
            "-w", dir.toString()));
        command.addAll(zoneSpecs);
        Path log = dir.resolve("rbldnsd.log");
        Process p = new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        p.getOutputStream().close();
        InetSocketAddress address = new InetSocketAddress(loopback, port);
        if (awaitReady(p, address, probeZone)) {
          return new RbldnsdServer(p, dir, address, List.copyOf(zones.keySet()));
        }
        boolean exited = !p.isAlive();
        stop(p);
        lastLog = readLog(dir);
        if (!exited) {
          throw new IllegalStateException("rbldnsd did not answer on 127.0.0.1/" + port + " within "
              + startTimeout.toMillis() + " ms; its output: " + oneLine(lastLog));
        }
        if (!lastLog.contains("in use") && !lastLog.toLowerCase(Locale.ROOT).contains("bind")) {
          throw new IllegalStateException("rbldnsd exited at start (exit " + p.exitValue()
              + "); its output: " + oneLine(lastLog));
        }
        // Another process took the port between our probe and rbldnsd's bind: try another.
      }
      throw new IllegalStateException("rbldnsd could not bind a port on 127.0.0.1 in "
          + BIND_ATTEMPTS + " attempts; its output: " + oneLine(lastLog));
    }

    /** Polls with real queries until rbldnsd answers, it exits, or the start timeout passes. */
    private boolean awaitReady(Process p, InetSocketAddress address, String zone) throws IOException {
      SimpleResolver resolver = new SimpleResolver(address);
      resolver.setTimeout(POLL_TIMEOUT);
      Message query;
      try {
        query = Message.newQuery(Record.newRecord(Name.fromString(zone + "."), Type.SOA, DClass.IN));
      } catch (TextParseException e) {
        throw new IllegalStateException("zone names are checked when given", e);
      }
      long deadline = System.nanoTime() + startTimeout.toNanos();
      while (p.isAlive() && System.nanoTime() - deadline < 0) {
        try {
          resolver.send(query);
          return true; // any answer: rbldnsd has loaded its data and serves
        } catch (IOException e) {
          // Not listening yet (port unreachable) or not answering yet (timeout): ask again.
          // An unreachable port answers at once; wait for the process instead of spinning.
          try {
            if (p.waitFor(POLL_TIMEOUT.toMillis() / 4, TimeUnit.MILLISECONDS)) {
              return false;
            }
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return false;
          }
        }
      }
      return false;
    }

    private static String oneLine(String log) {
      String s = log.strip().replaceAll("\\s*\\R\\s*", " | ");
      return s.isEmpty() ? "(nothing)" : s;
    }

    private static Path findExecutable() {
      String property = System.getProperty(EXECUTABLE_PROPERTY);
      if (property != null && !property.isBlank()) {
        return Path.of(property);
      }
      List<Path> candidates = new ArrayList<>();
      String path = System.getenv("PATH");
      if (path != null) {
        for (String d : path.split(java.io.File.pathSeparator)) {
          if (!d.isEmpty()) {
            candidates.add(Path.of(d, "rbldnsd"));
          }
        }
      }
      candidates.add(Path.of("/usr/sbin/rbldnsd"));
      candidates.add(Path.of("/usr/local/sbin/rbldnsd"));
      for (Path c : candidates) {
        if (Files.isExecutable(c) && !Files.isDirectory(c)) {
          return c;
        }
      }
      throw new IllegalStateException(
          "rbldnsd is not installed: not on the PATH, in /usr/sbin or /usr/local/sbin"
              + " (Debian: apt-get install rbldnsd; or set -D" + EXECUTABLE_PROPERTY + "=/path/to/rbldnsd)");
    }

    private static void readableByAll(Path p, boolean directory) throws IOException {
      try {
        Files.setPosixFilePermissions(
            p, PosixFilePermissions.fromString(directory ? "rwxr-xr-x" : "rw-r--r--"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system: rbldnsd does not run there anyway.
      }
    }

    private static String zoneName(String zone) {
      requireNonNull(zone, "zone");
      String z = zone.strip().toLowerCase(Locale.ROOT);
      if (z.endsWith(".")) {
        z = z.substring(0, z.length() - 1);
      }
      if (!ZONE.matcher(z).matches() || z.length() > 200) {
        throw new IllegalArgumentException("not a zone name: \"" + zone + "\"");
      }
      return z;
    }

    private static InetAddress literal(String text, String what) {
      String t = text.strip();
      boolean v4 = IPV4.matcher(t).matches();
      boolean v6 = t.indexOf(':') >= 0 && t.matches("[0-9A-Fa-f:.]+");
      if (v4 || v6) {
        try {
          // dnsjava's parser takes literals only; it never looks a name up.
          return Address.getByAddress(t);
        } catch (UnknownHostException e) {
          // fall through
        }
      }
      throw new IllegalArgumentException(what + ": not an IP address: \"" + text + "\"");
    }

    private static boolean hostBitsZero(byte[] address, int prefix) {
      for (int bit = prefix; bit < address.length * 8; bit++) {
        if ((address[bit / 8] & (0x80 >> (bit % 8))) != 0) {
          return false;
        }
      }
      return true;
    }
  }
}
