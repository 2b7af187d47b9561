package dev.smtptls.internal.dns;

import static java.util.Objects.requireNonNull;

import dev.smtptls.dns.DnsAnswer;
import dev.smtptls.dns.DnsRecord;
import dev.smtptls.dns.DnsStatus;
import dev.smtptls.dns.DnssecStatus;
import dev.smtptls.dns.DnsType;
import dev.smtptls.spi.DnsResolver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.WireParseException;

/**
 * A {@link DnsResolver} over dnsjava: one {@link SimpleResolver} per instance (never dnsjava's
 * global default), UDP with EDNS0 and a retry over TCP when the answer is truncated. Thread-safe:
 * the resolver is configured once and only sent queries afterwards. Not API.
 *
 * <p>It does not validate DNSSEC itself: an answer with the AD bit is {@link DnssecStatus#SECURE}
 * (RFC 6840 §5.7; Postfix trusts its local resolver's AD bit the same way), any other {@link
 * DnssecStatus#INDETERMINATE}. The AD bit is only worth trusting from a validating server on a
 * trusted path, such as a resolver on the same host.
 */
public final class DnsjavaResolver implements DnsResolver {

  /** The EDNS0 UDP payload size advertised (the DNS flag day 2020 value). */
  static final int EDNS_PAYLOAD = 1232;

  /** At most this many records of an answer are kept; the rest are counted in the detail. */
  static final int MAX_RECORDS = 512;

  private final SimpleResolver resolver;
  private final InetSocketAddress server;
  private final Duration timeout;

  /**
   * Creates a resolver asking {@code server}.
   *
   * @param server a resolved address and port
   * @param timeout the longest one query may take, including a TCP retry
   */
  public DnsjavaResolver(InetSocketAddress server, Duration timeout) {
    checkArguments(server, timeout);
    this.server = server;
    this.timeout = timeout;
    this.resolver = simpleResolver(server, timeout);
  }

  /** {@return a resolver of its own for {@code server}: UDP, EDNS0, TCP when truncated} */
  static SimpleResolver simpleResolver(InetSocketAddress server, Duration timeout) {
    SimpleResolver r = new SimpleResolver(server);
    r.setTimeout(timeout);
    r.setTCP(false);
    r.setIgnoreTruncation(false);
    r.setEDNS(0, EDNS_PAYLOAD, 0, List.of());
    return r;
  }

  /** Checks the arguments every resolver of this package takes. */
  static void checkArguments(InetSocketAddress server, Duration timeout) {
    requireNonNull(server, "server");
    requireNonNull(timeout, "timeout");
    if (server.isUnresolved()) {
      throw new IllegalArgumentException("server must be a resolved address: " + server);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
  }

  @Override
  public DnsAnswer query(String name, DnsType type) {
    requireNonNull(name, "name");
    requireNonNull(type, "type");
    String where = type + " " + name + " from " + describe(server);
    Name qname;
    try {
      qname = Name.fromString(name, Name.root);
    } catch (TextParseException e) {
      return DnsAnswer.empty(
          DnsStatus.FORMAT_ERROR, "\"" + name + "\" is not a valid domain name: " + e.getMessage());
    }
    Message query = Message.newQuery(Record.newRecord(qname, type.code(), DClass.IN));
    // RFC 6840 §5.7: ask a validating resolver to report its verdict in the AD bit.
    query.getHeader().setFlag(Flags.AD);
    Message response;
    try {
      response =
          resolver
              .sendAsync(query)
              .toCompletableFuture()
              .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return DnsAnswer.empty(DnsStatus.NETWORK_ERROR, where + ": interrupted");
    } catch (TimeoutException e) {
      return timedOut(where, timeout);
    } catch (ExecutionException e) {
      return failed(e.getCause() == null ? e : e.getCause(), where, timeout);
    } catch (RuntimeException e) {
      return DnsAnswer.empty(DnsStatus.FORMAT_ERROR, where + ": " + words(e));
    }
    boolean ad = response.getHeader().getFlag(Flags.AD);
    return toAnswer(
        response,
        where,
        ad ? DnssecStatus.SECURE : DnssecStatus.INDETERMINATE,
        ad ? ", authenticated (AD)" : "");
  }

  /** {@return the answer for a query that ended with {@code cause} instead of a response} */
  static DnsAnswer failed(Throwable cause, String where, Duration timeout) {
    if (isTimeout(cause)) {
      return timedOut(where, timeout);
    }
    if (cause instanceof IOException && !(cause instanceof WireParseException)) {
      return DnsAnswer.empty(DnsStatus.NETWORK_ERROR, where + ": " + words(cause));
    }
    return DnsAnswer.empty(DnsStatus.FORMAT_ERROR, where + ": " + words(cause));
  }

  static DnsAnswer timedOut(String where, Duration timeout) {
    return DnsAnswer.empty(
        DnsStatus.TIMEOUT, where + ": no answer within " + timeout.toMillis() + " ms");
  }

  /** {@return the status for a response code} */
  static DnsStatus status(int rcode) {
    return switch (rcode) {
      case Rcode.NOERROR -> DnsStatus.NOERROR;
      case Rcode.NXDOMAIN -> DnsStatus.NXDOMAIN;
      case Rcode.REFUSED -> DnsStatus.REFUSED;
      case Rcode.FORMERR -> DnsStatus.FORMAT_ERROR;
      default -> DnsStatus.SERVFAIL;
    };
  }

  /**
   * Converts a response: the records of its answer section that the library has a type for.
   *
   * @param dnssec the DNSSEC status to give the answer
   * @param note appended to the detail, e.g. {@code ", authenticated (AD)"}
   */
  static DnsAnswer toAnswer(Message response, String where, DnssecStatus dnssec, String note) {
    int rcode = response.getRcode();
    DnsStatus status = status(rcode);
    String rcodeName = Rcode.string(rcode);
    if (status != DnsStatus.NOERROR) {
      return new DnsAnswer(status, List.of(), dnssec, where + ": " + rcodeName + note);
    }
    List<DnsRecord> records = new ArrayList<>();
    int skipped = 0;
    for (Record rec : response.getSection(Section.ANSWER)) {
      @Nullable DnsType t = typeOf(rec.getType());
      if (t == null || rec.getDClass() != DClass.IN) {
        continue; // RRSIG, DNAME and the like: the CNAMEs synthesised for a DNAME are kept
      }
      if (records.size() >= MAX_RECORDS) {
        skipped++;
        continue;
      }
      try {
        records.add(new DnsRecord(rec.getName().toString(), t, rec.getTTL(), rec.rdataToString()));
      } catch (IllegalArgumentException e) {
        skipped++;
      }
    }
    String detail =
        where
            + ": NOERROR, "
            + (records.isEmpty() ? "no records (NODATA)" : records.size() + " record(s)")
            + (skipped > 0 ? ", " + skipped + " record(s) not kept" : "")
            + note;
    return new DnsAnswer(DnsStatus.NOERROR, records, dnssec, detail);
  }

  private static @Nullable DnsType typeOf(int code) {
    for (DnsType t : DnsType.values()) {
      if (t.code() == code) {
        return t;
      }
    }
    return null;
  }

  static boolean isTimeout(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SocketTimeoutException || c instanceof TimeoutException) {
        return true;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }

  static String words(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  static String describe(InetSocketAddress a) {
    String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  @Override
  public String toString() {
    return "DnsjavaResolver[" + describe(server) + ", timeout " + timeout + "]";
  }
}
