package dev.smtptls.testkit.dns;

import static java.util.Objects.requireNonNull;

import dev.smtptls.dns.DnsType;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real Knot DNS server ({@code knotd}, Debian package {@code knot}) on {@code 127.0.0.1},
 * serving zones written as zone-file text, optionally DNSSEC-signed, with chosen signatures
 * corrupted: for tests of DNSSEC validation and DANE against a real authoritative server.
 *
 * <pre>{@code
 * try (KnotDnsServer knot = KnotDnsServer.builder()
 *     .zone(KnotDnsServer.Zone.of("dane.test", """
 *         mx               A     127.0.0.1
 *         _25._tcp.mx      TLSA  3 1 1 8f3a...
 *         _25._tcp.broken  TLSA  3 1 1 8f3a...
 *         """).signed(true).bogus("_25._tcp.broken.dane.test", DnsType.TLSA))
 *     .zone(KnotDnsServer.Zone.of("plain.test", "mx A 127.0.0.1"))
 *     .start()) {
 *   DnsResolver dns = DnsResolvers.validating(knot.address(), Duration.ofSeconds(5),
 *       DnssecAnchors.parse(knot.anchors()));
 * }
 * }</pre>
 *
 * <p>Signed zones are signed offline before the server starts, with one ECDSA P-256 key
 * (algorithm 13, flags 257) made by {@code ldns-keygen} and signatures by {@code ldns-signzone}
 * (Debian package {@code ldnsutils}), NSEC for denial, valid from a day before now to 30 days after;
 * {@code knotd} serves the signed text as it is (no signing of its own). {@link #anchors()} gives
 * the DS records of every signed zone. A zone without an SOA record gets one, and an NS record, at
 * its apex.
 *
 * <p>{@code knotd} runs in the foreground from a temporary directory that holds its configuration,
 * zone files, run directory and databases; it listens on UDP and TCP on a port the OS chose (a
 * bind failure is retried on another port), and is ready when it answers the SOA query of every
 * zone. {@link #close()} stops it and deletes the directory. Starting fails with an {@link
 * IllegalStateException} naming the Debian package when {@code knotd} or the signer is not
 * installed.
 */
public final class KnotDnsServer implements AutoCloseable {

  /** The most attempts to find a free port that {@code knotd} can bind. */
  static final int BIND_ATTEMPTS = 5;

  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);
  private static final DateTimeFormatter SIGNATURE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final Path dir;
  private final Process process;
  private final InetSocketAddress address;
  private final String anchors;
  private final List<String> log;
  private final Thread shutdownHook;
  private boolean closed;

  private KnotDnsServer(
      Path dir, Process process, InetSocketAddress address, String anchors, List<String> log) {
    this.dir = dir;
    this.process = process;
    this.address = address;
    this.anchors = anchors;
    this.log = log;
    this.shutdownHook = new Thread(process::destroyForcibly, "knotd-shutdown-" + address.getPort());
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** {@return a builder with no zone} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return where the server listens: 127.0.0.1 and its port, UDP and TCP} */
  public InetSocketAddress address() {
    return address;
  }

  /**
   * {@return the DS records of every signed zone in presentation format, one per line, for {@code
   * DnssecAnchors.parse}} Empty when no zone is signed.
   */
  public String anchors() {
    return anchors;
  }

  /** {@return what {@code knotd} logged so far, for a failing test's message} */
  public List<String> log() {
    return List.copyOf(log);
  }

  /** Stops {@code knotd} and deletes its directory. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop(process);
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down; the hook will run
    }
    deleteTree(dir);
  }

  @Override
  public String toString() {
    return "KnotDnsServer[" + address.getAddress().getHostAddress() + ":" + address.getPort() + "]";
  }

  private static void stop(Process p) {
    p.destroy();
    try {
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + root, e);
    }
  }

  /**
   * One zone: its origin, its records as zone-file text, whether it is signed, and which
   * signatures to corrupt. Immutable.
   */
  public static final class Zone {
    private final String origin;
    private final String records;
    private final boolean signed;
    private final List<String[]> bogus;

    private Zone(String origin, String records, boolean signed, List<String[]> bogus) {
      this.origin = origin;
      this.records = records;
      this.signed = signed;
      this.bogus = List.copyOf(bogus);
    }

    /**
     * A zone of records in zone-file presentation format, relative to {@code origin} unless
     * written with a trailing dot; {@code $TTL} defaults to 300.
     *
     * @param origin the zone's apex, e.g. {@code "dane.test"}; a trailing dot is allowed
     * @param records the records, e.g. {@code "mx A 127.0.0.1\n_25._tcp.mx TLSA 3 1 1 8f3a..."}
     * @return an unsigned zone
     * @throws IllegalArgumentException if the origin is not a domain name or a record does not
     *     parse (the message names the zone)
     */
    public static Zone of(String origin, String records) {
      requireNonNull(origin, "origin");
      requireNonNull(records, "records");
      String o = absolute(origin);
      try {
        Name.fromString(o);
      } catch (IOException e) {
        throw new IllegalArgumentException("not a domain name: \"" + origin + "\"", e);
      }
      parse(o, records); // fail early, naming the zone
      return new Zone(o, records, false, List.of());
    }

    /**
     * {@return this zone, DNSSEC-signed or not}
     *
     * @param signed whether to sign the zone
     */
    public Zone signed(boolean signed) {
      return new Zone(origin, records, signed, bogus);
    }

    /**
     * {@return this zone, signed, with the signature over the records of {@code type} at {@code
     * ownerName} corrupted} A validating resolver finds answers for that name and type bogus.
     *
     * @param ownerName the records' owner, absolute, e.g. {@code "_25._tcp.broken.dane.test"}
     * @param type their type
     */
    public Zone bogus(String ownerName, DnsType type) {
      requireNonNull(ownerName, "ownerName");
      requireNonNull(type, "type");
      List<String[]> b = new ArrayList<>(bogus);
      b.add(new String[] {absolute(ownerName).toLowerCase(Locale.ROOT), type.name()});
      return new Zone(origin, records, true, b);
    }

    /** {@return the zone's apex, absolute, e.g. {@code "dane.test."}} */
    public String origin() {
      return origin;
    }

    /** {@return whether the zone is signed} */
    public boolean isSigned() {
      return signed;
    }

    private String text() {
      StringBuilder t = new StringBuilder();
      t.append("$ORIGIN ").append(origin).append('\n').append("$TTL 300\n");
      boolean hasSoa = parse(origin, records).stream().anyMatch(r -> r.getType() == Type.SOA);
      if (!hasSoa) {
        t.append("@ IN SOA ns.")
            .append(origin)
            .append(" hostmaster.")
            .append(origin)
            .append(" 1 3600 600 86400 300\n")
            .append("@ IN NS ns.")
            .append(origin)
            .append('\n');
      }
      t.append(records).append('\n');
      return t.toString();
    }

    private static List<Record> parse(String origin, String records) {
      List<Record> out = new ArrayList<>();
      String text = "$ORIGIN " + origin + "\n$TTL 300\n" + records + "\n";
      try (Master m =
          new Master(
              new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
              Name.fromString(origin))) {
        Record r;
        while ((r = m.nextRecord()) != null) {
          out.add(r);
        }
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException(
            "zone " + origin + ": the records do not parse: " + e.getMessage(), e);
      }
      return out;
    }
  }

  /** Builds and starts a {@link KnotDnsServer}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, Zone> zones = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Adds a zone.
     *
     * @param zone the zone
     * @return this builder
     * @throws IllegalArgumentException if a zone with that origin was added already
     */
    public Builder zone(Zone zone) {
      requireNonNull(zone, "zone");
      if (zones.putIfAbsent(zone.origin.toLowerCase(Locale.ROOT), zone) != null) {
        throw new IllegalArgumentException("zone " + zone.origin + " added twice");
      }
      return this;
    }

    /**
     * Signs what must be signed and starts {@code knotd}; returns once it answers for every zone.
     *
     * @return the running server
     * @throws IllegalStateException if no zone was given, {@code knotd} (package {@code knot}) or,
     *     for a signed zone, {@code ldns-keygen}/{@code ldns-signzone} (package {@code ldnsutils})
     *     is not installed, a signature to corrupt does not exist, or the server does not start
     */
    public KnotDnsServer start() {
      if (zones.isEmpty()) {
        throw new IllegalStateException("a KnotDnsServer needs at least one zone");
      }
      Path knotd = tool("knotd", "knot");
      boolean anySigned = zones.values().stream().anyMatch(z -> z.signed);
      @Nullable Path keygen = anySigned ? tool("ldns-keygen", "ldnsutils") : null;
      @Nullable Path signer = anySigned ? tool("ldns-signzone", "ldnsutils") : null;
      Path dir;
      try {
        dir = Files.createTempDirectory("smtptls-knotd-");
      } catch (IOException e) {
        throw new UncheckedIOException("could not create a temporary directory", e);
      }
      try {
        return start(dir, knotd, keygen, signer);
      } catch (RuntimeException | Error e) {
        deleteTree(dir);
        throw e;
      }
    }

    private KnotDnsServer start(
        Path dir, Path knotd, @Nullable Path keygen, @Nullable Path signer) {
      try {
        Path zoneDir = Files.createDirectories(dir.resolve("zones"));
        Files.createDirectories(dir.resolve("run"));
        Files.createDirectories(dir.resolve("db"));
        StringBuilder ds = new StringBuilder();
        Map<String, String> files = new LinkedHashMap<>();
        for (Zone z : zones.values()) {
          String base = fileName(z.origin);
          Path plain = zoneDir.resolve(base + ".zone");
          Files.writeString(plain, z.text(), StandardCharsets.UTF_8);
          if (!z.signed) {
            files.put(z.origin, plain.getFileName().toString());
            continue;
          }
          String key =
              run(
                      zoneDir,
                      List.of(
                          requireNonNull(keygen).toString(),
                          "-a",
                          "ECDSAP256SHA256",
                          "-k",
                          z.origin))
                  .strip();
          Path signed = zoneDir.resolve(base + ".signed");
          Instant now = Instant.now();
          run(
              zoneDir,
              List.of(
                  requireNonNull(signer).toString(),
                  "-i",
                  SIGNATURE_TIME.format(now.minus(Duration.ofDays(1))),
                  "-e",
                  SIGNATURE_TIME.format(now.plus(Duration.ofDays(30))),
                  "-f",
                  signed.toString(),
                  plain.toString(),
                  key));
          corrupt(signed, z);
          ds.append(Files.readString(zoneDir.resolve(key + ".ds"), StandardCharsets.UTF_8).strip())
              .append('\n');
          files.put(z.origin, signed.getFileName().toString());
        }
        return launch(dir, knotd, files, ds.toString());
      } catch (IOException e) {
        throw new UncheckedIOException("could not prepare knotd's directory " + dir, e);
      }
    }

    private KnotDnsServer launch(Path dir, Path knotd, Map<String, String> files, String ds)
        throws IOException {
      List<String> failures = new ArrayList<>();
      for (int attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
        int port = freePort();
        Path conf = dir.resolve("knot.conf");
        Files.writeString(conf, config(dir, port, files), StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder(knotd.toString(), "-c", conf.toString());
        pb.directory(dir.toFile());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        List<String> log = new CopyOnWriteArrayList<>();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> pump(p, log, lines), "knotd-log-" + port);
        reader.setDaemon(true);
        reader.start();
        InetSocketAddress address = new InetSocketAddress(loopback(), port);
        @Nullable String problem = awaitReady(p, address, files.keySet(), lines);
        if (problem == null) {
          return new KnotDnsServer(dir, p, address, ds, log);
        }
        stop(p);
        failures.add("port " + port + ": " + problem + "; knotd said: " + String.join(" | ", log));
        if (!problem.startsWith("bind")) {
          break;
        }
      }
      throw new IllegalStateException("knotd did not start: " + String.join("; ", failures));
    }

    /** {@return null once knotd answers every zone's SOA, else why it will not} */
    private static @Nullable String awaitReady(
        Process p, InetSocketAddress address, Iterable<String> origins, BlockingQueue<String> lines) {
      List<String> waiting = new ArrayList<>();
      origins.forEach(waiting::add);
      SimpleResolver probe = new SimpleResolver(address);
      probe.setTimeout(Duration.ofMillis(300));
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        String line;
        try {
          // Woken by knotd's next log line ("loaded", "started"), or after a short while.
          line = lines.poll(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return "interrupted";
        }
        if (line != null && (line.contains("cannot bind") || line.contains("address in use"))) {
          return "bind failed";
        }
        if (!p.isAlive()) {
          return "knotd exited with status " + p.exitValue();
        }
        waiting.removeIf(origin -> answersSoa(probe, origin));
        if (waiting.isEmpty()) {
          return null;
        }
      }
      return "no SOA answer for " + waiting + " within " + START_TIMEOUT.toSeconds() + " s";
    }

    private static boolean answersSoa(SimpleResolver probe, String origin) {
      try {
        Message q = Message.newQuery(Record.newRecord(Name.fromString(origin), Type.SOA, DClass.IN));
        Message r = probe.send(q);
        return r.getRcode() == Rcode.NOERROR
            && r.getHeader().getFlag(Flags.AA)
            && !r.getSection(Section.ANSWER).isEmpty();
      } catch (IOException e) {
        return false;
      }
    }

    private static void pump(Process p, List<String> log, BlockingQueue<String> lines) {
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          log.add(line);
          lines.add(line);
        }
      } catch (IOException e) {
        // knotd exited and its output closed
      }
    }

    private static String config(Path dir, int port, Map<String, String> files) {
      StringBuilder c = new StringBuilder();
      c.append("server:\n")
          .append("    rundir: \"").append(dir.resolve("run")).append("\"\n")
          .append("    listen: 127.0.0.1@").append(port).append('\n')
          .append("    udp-workers: 1\n")
          .append("    tcp-workers: 1\n")
          .append("    background-workers: 1\n")
          .append("log:\n")
          .append("  - target: stdout\n")
          .append("    any: info\n")
          .append("database:\n")
          .append("    storage: \"").append(dir.resolve("db")).append("\"\n")
          .append("    kasp-db: \"").append(dir.resolve("db/keys")).append("\"\n")
          .append("template:\n")
          .append("  - id: default\n")
          .append("    storage: \"").append(dir.resolve("zones")).append("\"\n")
          .append("    zonefile-sync: -1\n")
          .append("    journal-content: none\n")
          .append("zone:\n");
      for (Map.Entry<String, String> e : files.entrySet()) {
        c.append("  - domain: \"").append(e.getKey()).append("\"\n")
            .append("    file: \"").append(e.getValue()).append("\"\n");
      }
      return c.toString();
    }

    /** Corrupts the RRSIG over each chosen owner and type: one byte of its signature flipped. */
    private static void corrupt(Path signed, Zone z) throws IOException {
      if (z.bogus.isEmpty()) {
        return;
      }
      List<String> lines = new ArrayList<>(Files.readAllLines(signed, StandardCharsets.UTF_8));
      for (String[] target : z.bogus) {
        boolean found = false;
        for (int i = 0; i < lines.size(); i++) {
          String[] f = lines.get(i).trim().split("\\s+");
          // owner TTL class RRSIG covered alg labels ttl expiration inception tag signer sig...
          if (f.length >= 13
              && f[3].equals("RRSIG")
              && f[0].toLowerCase(Locale.ROOT).equals(target[0])
              && f[4].equalsIgnoreCase(target[1])) {
            lines.set(i, flipSignature(f));
            found = true;
          }
        }
        if (!found) {
          throw new IllegalStateException(
              "zone " + z.origin + " has no RRSIG over " + target[1] + " at " + target[0]
                  + " to corrupt: does the name have records of that type?");
        }
      }
      Files.write(signed, lines, StandardCharsets.UTF_8);
    }

    private static String flipSignature(String[] fields) {
      StringBuilder sig = new StringBuilder();
      for (int i = 12; i < fields.length; i++) {
        sig.append(fields[i]);
      }
      byte[] bytes = Base64.getDecoder().decode(sig.toString());
      bytes[bytes.length / 2] ^= 0x55;
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < 12; i++) {
        out.append(fields[i]).append('\t');
      }
      return out.append(Base64.getEncoder().encodeToString(bytes)).toString();
    }

    private static String run(Path dir, List<String> command) throws IOException {
      ProcessBuilder pb = new ProcessBuilder(command);
      pb.directory(dir.toFile());
      pb.redirectErrorStream(true);
      Process p = pb.start();
      byte[] out;
      try {
        out = p.getInputStream().readAllBytes();
        if (!p.waitFor(TOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException(command.get(0) + " did not finish within " + TOOL_TIMEOUT);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while running " + command, e);
      }
      String text = new String(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " failed with status " + p.exitValue() + ": " + text);
      }
      return text;
    }

    private static int freePort() throws IOException {
      // A port free for both TCP and UDP now; knotd binds it a moment later (retried if taken).
      try (ServerSocket tcp = new ServerSocket(0, 1, loopback());
          DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback(), tcp.getLocalPort()))) {
        return udp.getLocalPort();
      } catch (java.net.BindException e) {
        try (ServerSocket tcp = new ServerSocket(0, 1, loopback())) {
          return tcp.getLocalPort();
        }
      }
    }

    private static String fileName(String origin) {
      String n = origin.substring(0, origin.length() - 1).toLowerCase(Locale.ROOT);
      return n.replaceAll("[^a-z0-9.-]", "_");
    }
  }

  /**
   * {@return the installed program, from {@code PATH}, {@code /usr/sbin} or {@code /usr/bin}}
   *
   * @throws IllegalStateException naming the Debian package when it is not installed
   */
  static Path tool(String program, String debianPackage) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(java.io.File.pathSeparator)));
    }
    dirs.addAll(List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin", "/sbin"));
    for (String d : dirs) {
      if (d.isEmpty()) {
        continue;
      }
      Path p = Path.of(d, program);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    throw new IllegalStateException(
        program
            + " is not installed (Debian package "
            + debianPackage
            + ": apt-get install "
            + debianPackage
            + "); KnotDnsServer needs it");
  }

  private static String absolute(String name) {
    String n = name.trim();
    return n.endsWith(".") ? n : n + ".";
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
