package dev.smtptls.testkit.dns;

import static java.util.Objects.requireNonNull;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A real, authoritative DNS server on {@code 127.0.0.1}, port 0, answering over UDP and TCP on the
 * same port from records written in code, for DNS tests: yours and ours. Point a resolver at
 * {@link #address()}; never at the system's.
 *
 * <pre>{@code
 * try (MockDnsServer dns = MockDnsServer.builder()
 *     .mx("example.com", 10, "mx1.example.com")
 *     .a("mx1.example.com", "192.0.2.1")
 *     .aaaa("mx1.example.com", "2001:db8::1")
 *     .tlsa("_25._tcp.mx1.example.com", 3, 1, 1, sha256OfKey)
 *     .rcode("broken.example", Rcode.SERVFAIL)
 *     .drop("slow.example")
 *     .start()) {
 *   // ... resolve against dns.address(); then
 *   assertThat(dns.queries()).contains("example.com. MX");
 * }
 * }</pre>
 *
 * <p>Answers are those of an authoritative server (AA set, no recursion, no DNSSEC): the records of
 * the asked type with {@code NOERROR}; {@code NOERROR} with no answer and the SOA in the authority
 * section (NODATA) when the name exists with other types only, or is an empty non-terminal (an
 * ancestor of a name that has records); {@code NXDOMAIN} with the SOA otherwise. A name with a
 * CNAME is answered with the CNAME (which takes precedence over any other record there) followed by
 * the target's records when the target is served here, chains included (up to 8 links); nothing
 * outside is followed. Every name is in the one zone this server is authoritative for, the root:
 * the SOA is owned by {@code .}. {@code ANY} returns every record at the name. Wildcards are not
 * supported. Names are case-insensitive; a name given without a trailing dot is taken as absolute.
 *
 * <p>Faults: {@link Builder#rcode} answers a name with an error code whatever it holds; {@link
 * Builder#drop} never answers a name (over UDP or TCP), so a client times out; {@link
 * Builder#truncateOverUdp} answers every UDP query with TC=1 and an empty answer, so a client must
 * retry over TCP.
 *
 * <p>Bounds: UDP answers fit 512 octets, or the client's EDNS payload size up to {@value
 * #MAX_UDP_PAYLOAD} (anything longer is truncated with TC=1); a TCP query longer than {@value
 * #MAX_TCP_QUERY} octets ends the connection; a TCP connection idle for {@value
 * #TCP_READ_TIMEOUT_MILLIS} ms, or after {@value #MAX_QUERIES_PER_CONNECTION} queries, is closed;
 * at most {@value #TCP_THREADS} TCP connections are served at once (more wait, up to {@value
 * #TCP_BACKLOG}; beyond that they are closed); {@link #queries()} keeps the first {@value
 * #MAX_RECORDED_QUERIES} queries (the counters go on). Thread-safe; served on daemon threads;
 * {@link #close()} ends every connection and releases the port promptly.
 */
public final class MockDnsServer implements AutoCloseable {

  /** The largest UDP answer sent, whatever the client's EDNS payload size: {@value}. */
  public static final int MAX_UDP_PAYLOAD = 1232;

  /** The largest TCP query read, in octets: {@value}. */
  public static final int MAX_TCP_QUERY = 4096;

  /** How long a TCP connection may stay idle, in milliseconds: {@value}. */
  public static final int TCP_READ_TIMEOUT_MILLIS = 5000;

  /** The most queries answered on one TCP connection: {@value}. */
  public static final int MAX_QUERIES_PER_CONNECTION = 100;

  /** The most TCP connections served at once: {@value}. */
  public static final int TCP_THREADS = 4;

  /** The most TCP connections waiting to be served: {@value}. */
  public static final int TCP_BACKLOG = 16;

  /** The most queries {@link #queries()} keeps: {@value}. */
  public static final int MAX_RECORDED_QUERIES = 10_000;

  /** The TTL of every record served: {@value} s. */
  public static final long TTL = 300;

  private static final int PLAIN_UDP_PAYLOAD = 512;
  private static final int MAX_TCP_ANSWER = 65_535;
  private static final int MAX_CNAME_LINKS = 8;
  private static final int BIND_ATTEMPTS = 20;

  private final Map<String, List<Record>> zone;
  private final Map<String, Rcode> rcodes;
  private final Set<String> dropped;
  private final boolean truncateOverUdp;
  private final SOARecord soa;

  private final ServerSocket tcpSocket;
  private final DatagramSocket udpSocket;
  private final InetSocketAddress address;
  private final ThreadPoolExecutor tcpPool;
  private final Thread udpThread;
  private final Thread acceptThread;
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
  private final AtomicInteger udpQueries = new AtomicInteger();
  private final AtomicInteger tcpQueries = new AtomicInteger();
  private final List<String> queries = new ArrayList<>();
  private volatile boolean closed;

  private MockDnsServer(Builder builder) throws IOException {
    Map<String, List<Record>> copy = new HashMap<>();
    builder.zone.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    this.zone = Map.copyOf(copy);
    this.rcodes = Map.copyOf(builder.rcodes);
    this.dropped = Set.copyOf(builder.dropped);
    this.truncateOverUdp = builder.truncateOverUdp;
    this.soa =
        new SOARecord(
            Name.root,
            DClass.IN,
            TTL,
            name("ns.mock-dns.invalid"),
            name("hostmaster.mock-dns.invalid"),
            1,
            3600,
            600,
            86400,
            TTL);

    InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    ServerSocket tcp = null;
    DatagramSocket udp = null;
    for (int attempt = 0; udp == null; attempt++) {
      tcp = new ServerSocket(0, TCP_BACKLOG, loopback);
      try {
        udp = new DatagramSocket(new InetSocketAddress(loopback, tcp.getLocalPort()));
      } catch (BindException e) {
        tcp.close();
        if (attempt + 1 >= BIND_ATTEMPTS) {
          throw e;
        }
      }
    }
    this.tcpSocket = requireNonNull(tcp);
    this.udpSocket = udp;
    this.address = new InetSocketAddress(loopback, tcpSocket.getLocalPort());
    this.tcpPool =
        new ThreadPoolExecutor(
            TCP_THREADS,
            TCP_THREADS,
            1,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(TCP_BACKLOG),
            r -> daemon(r, "mock-dns-tcp"));
    this.tcpPool.allowCoreThreadTimeOut(true);
    this.udpThread = daemon(this::serveUdp, "mock-dns-udp");
    this.acceptThread = daemon(this::acceptTcp, "mock-dns-accept");
  }

  /**
   * A new builder of an empty zone.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Where this server listens, for UDP and TCP alike.
   *
   * @return {@code 127.0.0.1} and {@link #port()}
   */
  public InetSocketAddress address() {
    return address;
  }

  /**
   * The port this server listens on, for UDP and TCP alike.
   *
   * @return the port
   */
  public int port() {
    return address.getPort();
  }

  /**
   * How many queries have been received over UDP and TCP, answered or not.
   *
   * @return the number of queries
   */
  public int queryCount() {
    return udpQueries.get() + tcpQueries.get();
  }

  /**
   * How many queries have been received over UDP, answered or not.
   *
   * @return the number of UDP queries
   */
  public int udpQueryCount() {
    return udpQueries.get();
  }

  /**
   * How many queries have been received over TCP, answered or not.
   *
   * @return the number of TCP queries
   */
  public int tcpQueryCount() {
    return tcpQueries.get();
  }

  /**
   * The queries received so far, in order, over both transports: each the name as asked (absolute,
   * with its trailing dot, in the client's case) and the type's mnemonic, as in {@code
   * "example.com. MX"} or {@code "_25._tcp.mx1.example.com. TLSA"}.
   *
   * @return an immutable snapshot of at most {@value #MAX_RECORDED_QUERIES} queries
   */
  public List<String> queries() {
    synchronized (queries) {
      return List.copyOf(queries);
    }
  }

  /** Stops serving: closes both sockets and every connection, and releases the port. Idempotent. */
  @Override
  public void close() {
    closed = true;
    udpSocket.close();
    try {
      tcpSocket.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Socket s : connections) {
      closeQuietly(s);
    }
    tcpPool.shutdownNow();
    try {
      udpThread.join(1000);
      acceptThread.join(1000);
      tcpPool.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void serveUdp() {
    byte[] buffer = new byte[MAX_UDP_PAYLOAD];
    while (!closed) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        udpSocket.receive(packet);
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      byte[] query = Arrays.copyOf(packet.getData(), packet.getLength());
      byte[] answer = answer(query, true);
      if (answer != null) {
        try {
          udpSocket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
        } catch (IOException e) {
          // the client went away; nothing to do
        }
      }
    }
  }

  private void acceptTcp() {
    while (!closed) {
      Socket socket;
      try {
        socket = tcpSocket.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      connections.add(socket);
      try {
        tcpPool.execute(() -> serveTcp(socket));
      } catch (RejectedExecutionException e) {
        connections.remove(socket);
        closeQuietly(socket);
      }
    }
  }

  private void serveTcp(Socket socket) {
    try (socket) {
      if (closed) {
        return;
      }
      socket.setSoTimeout(TCP_READ_TIMEOUT_MILLIS);
      DataInputStream in = new DataInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      for (int n = 0; n < MAX_QUERIES_PER_CONNECTION && !closed; n++) {
        int length = in.readUnsignedShort();
        if (length == 0 || length > MAX_TCP_QUERY) {
          return;
        }
        byte[] query = readFully(in, length);
        byte[] answer = answer(query, false);
        if (answer != null) {
          byte[] framed = new byte[answer.length + 2];
          framed[0] = (byte) (answer.length >>> 8);
          framed[1] = (byte) answer.length;
          System.arraycopy(answer, 0, framed, 2, answer.length);
          out.write(framed);
          out.flush();
        }
      }
    } catch (IOException e) {
      // idle, closed by the client or by close(): the connection ends
    } finally {
      connections.remove(socket);
    }
  }

  private static byte[] readFully(InputStream in, int length) throws IOException {
    byte[] bytes = in.readNBytes(length);
    if (bytes.length != length) {
      throw new EOFException();
    }
    return bytes;
  }

  /** The answer to a query in wire format, or null for none (dropped or unparseable). */
  private byte @Nullable [] answer(byte[] wire, boolean udp) {
    Message query;
    try {
      query = new Message(wire);
    } catch (IOException e) {
      return null;
    }
    Header queryHeader = query.getHeader();
    if (queryHeader.getFlag(Flags.QR)) {
      return null;
    }
    Record question = query.getQuestion();
    if (question != null) {
      record(question, udp);
    } else {
      (udp ? udpQueries : tcpQueries).incrementAndGet();
    }
    if (question != null && dropped.contains(key(question.getName()))) {
      return null;
    }

    Message response = new Message(queryHeader.getID());
    Header header = response.getHeader();
    header.setFlag(Flags.QR);
    header.setOpcode(queryHeader.getOpcode());
    if (queryHeader.getFlag(Flags.RD)) {
      header.setFlag(Flags.RD);
    }
    OPTRecord opt = query.getOPT();
    if (opt != null) {
      response.addRecord(new OPTRecord(MAX_UDP_PAYLOAD, 0, 0), Section.ADDITIONAL);
    }
    int maxLength = MAX_TCP_ANSWER;
    if (udp) {
      maxLength =
          opt == null
              ? PLAIN_UDP_PAYLOAD
              : Math.min(Math.max(opt.getPayloadSize(), PLAIN_UDP_PAYLOAD), MAX_UDP_PAYLOAD);
    }

    if (queryHeader.getOpcode() != Opcode.QUERY) {
      header.setRcode(org.xbill.DNS.Rcode.NOTIMP);
      return response.toWire(maxLength);
    }
    if (question == null || queryHeader.getCount(Section.QUESTION) != 1) {
      header.setRcode(org.xbill.DNS.Rcode.FORMERR);
      return response.toWire(maxLength);
    }
    response.addRecord(question, Section.QUESTION);
    if (udp && truncateOverUdp) {
      header.setFlag(Flags.AA);
      header.setFlag(Flags.TC);
      return response.toWire(maxLength);
    }
    resolve(question, response);
    return response.toWire(maxLength);
  }

  private void resolve(Record question, Message response) {
    Header header = response.getHeader();
    Name qname = question.getName();
    int qtype = question.getType();
    Rcode forced = rcodes.get(key(qname));
    if (forced != null) {
      header.setRcode(forced.code());
      if (forced == Rcode.NXDOMAIN) {
        header.setFlag(Flags.AA);
        response.addRecord(soa, Section.AUTHORITY);
      }
      return;
    }
    header.setFlag(Flags.AA);
    if (question.getDClass() != DClass.IN && question.getDClass() != DClass.ANY) {
      header.setRcode(org.xbill.DNS.Rcode.REFUSED);
      header.unsetFlag(Flags.AA);
      return;
    }
    Name current = qname;
    Set<String> seen = new HashSet<>();
    boolean answered = false;
    for (int link = 0; link <= MAX_CNAME_LINKS && seen.add(key(current)); link++) {
      List<Record> records = zone.getOrDefault(key(current), List.of());
      if (records.isEmpty()) {
        if (!exists(current)) {
          header.setRcode(org.xbill.DNS.Rcode.NXDOMAIN);
        }
        break;
      }
      Record cname = null;
      for (Record r : records) {
        if (r.getType() == Type.CNAME) {
          cname = r;
        }
      }
      if (cname != null && qtype != Type.CNAME && qtype != Type.ANY) {
        response.addRecord(cname, Section.ANSWER);
        answered = true;
        current = ((CNAMERecord) cname).getTarget();
        continue;
      }
      for (Record r : records) {
        if (qtype == Type.ANY || r.getType() == qtype) {
          response.addRecord(r, Section.ANSWER);
          answered = true;
        }
      }
      break;
    }
    if (!answered || header.getRcode() == org.xbill.DNS.Rcode.NXDOMAIN) {
      response.addRecord(soa, Section.AUTHORITY);
    }
  }

  /** Whether a name has records or is an ancestor of one that has (an empty non-terminal). */
  private boolean exists(Name name) {
    for (List<Record> records : zone.values()) {
      if (!records.isEmpty() && records.get(0).getName().subdomain(name)) {
        return true;
      }
    }
    return false;
  }

  private void record(Record question, boolean udp) {
    (udp ? udpQueries : tcpQueries).incrementAndGet();
    synchronized (queries) {
      if (queries.size() < MAX_RECORDED_QUERIES) {
        queries.add(question.getName() + " " + Type.string(question.getType()));
      }
    }
  }

  private static String key(Name name) {
    return name.toString().toLowerCase(Locale.ROOT);
  }

  private static Name name(String name) {
    requireNonNull(name, "name");
    try {
      return Name.fromString(name, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("not a DNS name: " + name, e);
    }
  }

  private static Thread daemon(Runnable r, String threadName) {
    Thread t = new Thread(r, threadName);
    t.setDaemon(true);
    return t;
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  private void startThreads() {
    udpThread.start();
    acceptThread.start();
  }

  /**
   * Collects records and faults, then {@linkplain #start() starts} a server with a snapshot of
   * them. Not thread-safe; may start any number of servers. Names are absolute whether or not they
   * end with a dot, and case-insensitive.
   */
  public static final class Builder {
    private final Map<String, List<Record>> zone = new LinkedHashMap<>();
    private final Map<String, Rcode> rcodes = new HashMap<>();
    private final Set<String> dropped = new HashSet<>();
    private boolean truncateOverUdp;

    private Builder() {}

    private Builder add(Record record) {
      zone.computeIfAbsent(key(record.getName()), k -> new ArrayList<>()).add(record);
      return this;
    }

    /**
     * Adds an MX record; {@code mx(name, 0, ".")} is a null MX (RFC 7505).
     *
     * @param name the owner, a mail domain
     * @param preference the preference, 0 to 65535
     * @param host the exchange's host name, or {@code "."}
     * @return this builder
     */
    public Builder mx(String name, int preference, String host) {
      checkUnsigned16(preference, "preference");
      return add(new MXRecord(name(name), DClass.IN, TTL, preference, name(host)));
    }

    /**
     * Adds an A record.
     *
     * @param name the owner
     * @param ipv4 an IPv4 address literal such as {@code "192.0.2.1"}
     * @return this builder
     * @throws IllegalArgumentException if {@code ipv4} is not an IPv4 literal
     */
    public Builder a(String name, String ipv4) {
      return add(new ARecord(name(name), DClass.IN, TTL, literal(ipv4, Address.IPv4)));
    }

    /**
     * Adds an AAAA record.
     *
     * @param name the owner
     * @param ipv6 an IPv6 address literal such as {@code "2001:db8::1"}
     * @return this builder
     * @throws IllegalArgumentException if {@code ipv6} is not an IPv6 literal
     */
    public Builder aaaa(String name, String ipv6) {
      return add(new AAAARecord(name(name), DClass.IN, TTL, literal(ipv6, Address.IPv6)));
    }

    /**
     * Adds a TXT record of one or more character strings (each at most 255 octets), such as {@code
     * txt("_mta-sts.example.com", "v=STSv1; id=20240101")}.
     *
     * @param name the owner
     * @param strings the character strings, at least one
     * @return this builder
     */
    public Builder txt(String name, String... strings) {
      if (strings.length == 0) {
        throw new IllegalArgumentException("a TXT record needs at least one string");
      }
      return add(new TXTRecord(name(name), DClass.IN, TTL, List.of(strings)));
    }

    /**
     * Adds a CNAME record. Queries for other types at {@code name} are answered with it (and the
     * target's records when the target is served here).
     *
     * @param name the alias
     * @param target the canonical name
     * @return this builder
     */
    public Builder cname(String name, String target) {
      return add(new CNAMERecord(name(name), DClass.IN, TTL, name(target)));
    }

    /**
     * Adds a TLSA record (RFC 6698), such as at {@code "_25._tcp.mx1.example.com"}.
     *
     * @param name the owner
     * @param usage the certificate usage, 0 to 255
     * @param selector the selector, 0 to 255
     * @param matchingType the matching type, 0 to 255
     * @param data the certificate association data (copied)
     * @return this builder
     */
    public Builder tlsa(String name, int usage, int selector, int matchingType, byte[] data) {
      checkUnsigned8(usage, "usage");
      checkUnsigned8(selector, "selector");
      checkUnsigned8(matchingType, "matchingType");
      return add(
          new TLSARecord(
              name(name), DClass.IN, TTL, usage, selector, matchingType, data.clone()));
    }

    /**
     * Answers every query for {@code name} (of any type) with {@code rcode} and no records, whatever
     * the name holds; {@link Rcode#NXDOMAIN} comes with the SOA, as an authoritative server's.
     *
     * @param name the name
     * @param rcode the response code
     * @return this builder
     */
    public Builder rcode(String name, Rcode rcode) {
      rcodes.put(key(name(name)), requireNonNull(rcode, "rcode"));
      return this;
    }

    /**
     * Never answers a query for {@code name}, over UDP or TCP: a client must time out. The query is
     * still counted and recorded.
     *
     * @param name the name
     * @return this builder
     */
    public Builder drop(String name) {
      dropped.add(key(name(name)));
      return this;
    }

    /**
     * Whether every UDP query is answered with TC=1 and an empty answer section, so that a client
     * must retry over TCP (answered normally). Off by default.
     *
     * @param truncate true to truncate every UDP answer
     * @return this builder
     */
    public Builder truncateOverUdp(boolean truncate) {
      this.truncateOverUdp = truncate;
      return this;
    }

    /**
     * Starts a server on {@code 127.0.0.1}, on one free port for UDP and TCP, serving what this
     * builder holds now.
     *
     * @return the running server; close it
     * @throws UncheckedIOException if no port could be bound
     */
    public MockDnsServer start() {
      MockDnsServer server;
      try {
        server = new MockDnsServer(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the mock DNS server", e);
      }
      server.startThreads();
      return server;
    }

    private static InetAddress literal(String address, int family) {
      requireNonNull(address, "address");
      if (!Address.isDottedQuad(address) && family == Address.IPv4) {
        throw new IllegalArgumentException("not an IPv4 address: " + address);
      }
      try {
        return Address.getByAddress(address, family);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(
            "not an IPv" + (family == Address.IPv4 ? 4 : 6) + " address: " + address, e);
      }
    }

    private static void checkUnsigned8(int value, String what) {
      if (value < 0 || value > 255) {
        throw new IllegalArgumentException(what + " out of range 0..255: " + value);
      }
    }

    private static void checkUnsigned16(int value, String what) {
      if (value < 0 || value > 65_535) {
        throw new IllegalArgumentException(what + " out of range 0..65535: " + value);
      }
    }
  }
}
