package dev.smtptls.internal.dns;

import static java.util.Objects.requireNonNull;

import dev.smtptls.dns.DnsAnswer;
import dev.smtptls.dns.DnsStatus;
import dev.smtptls.dns.DnsType;
import dev.smtptls.dns.DnssecAnchors;
import dev.smtptls.dns.DnssecStatus;
import dev.smtptls.spi.DnsResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * A {@link DnsResolver} that validates DNSSEC itself with dnsjava's {@link ValidatingResolver}
 * over a {@link SimpleResolver} of its own (never dnsjava's global default), with the DO bit and
 * the checking-disabled bit on every upstream query, so the server's own validation does not hide
 * bogus data. Not API.
 *
 * <p>The verdict of dnsjava's validator is read from its response: the AD bit means {@link
 * DnssecStatus#SECURE}; SERVFAIL, with its reason as an Extended DNS Error (RFC 8914) and as a TXT
 * record of class {@value ValidatingResolver#VALIDATION_REASON_QCLASS} in the additional section,
 * means {@link DnssecStatus#BOGUS}; an answer passed on without the AD bit is one the validator
 * found {@link DnssecStatus#INSECURE} (provably unsigned, or under no trust anchor). dnsjava would
 * also call a SERVFAIL, REFUSED or malformed answer of the server itself bogus; this class records
 * the server's own response code and reports such failures as they are, {@link
 * DnssecStatus#INDETERMINATE}.
 *
 * <p>The validator makes several queries for one lookup (DS and DNSKEY records up to the anchor);
 * the timeout bounds the whole lookup, and each of those queries. Validated keys are cached for
 * their TTL in this instance. Note that dnsjava's validator also loads the anchors of the file named
 * by the system property {@code dnsjava.dnssec.trust_anchor_file} if it is set.
 *
 * <p>Thread-safe.
 */
public final class ValidatingDnsjavaResolver implements DnsResolver {

  private final ValidatingResolver validator;
  private final RecordingResolver head;
  private final InetSocketAddress server;
  private final Duration timeout;
  private final DnssecAnchors anchors;

  /**
   * Creates a validating resolver asking {@code server}.
   *
   * @param server a resolved address and port
   * @param timeout the longest one lookup may take, every query of the validator included
   * @param anchors the trust anchors
   */
  public ValidatingDnsjavaResolver(
      InetSocketAddress server, Duration timeout, DnssecAnchors anchors) {
    DnsjavaResolver.checkArguments(server, timeout);
    requireNonNull(anchors, "anchors");
    this.server = server;
    this.timeout = timeout;
    this.anchors = anchors;
    this.head = new RecordingResolver(DnsjavaResolver.simpleResolver(server, timeout));
    ValidatingResolver v = new ValidatingResolver(head);
    v.setEDNS(0, DnsjavaResolver.EDNS_PAYLOAD, 0, List.of());
    v.setTimeout(timeout);
    v.setAddReasonToAdditional(true);
    try {
      v.loadTrustAnchors(
          new ByteArrayInputStream(
              String.join("\n", anchors.records()).getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      // The anchors were parsed by DnssecAnchors already; reading them from memory cannot fail.
      throw new UncheckedIOException(e);
    }
    this.validator = v;
  }

  @Override
  public DnsAnswer query(String name, DnsType type) {
    requireNonNull(name, "name");
    requireNonNull(type, "type");
    String where = type + " " + name + " from " + DnsjavaResolver.describe(server);
    Name qname;
    try {
      qname = Name.fromString(name, Name.root);
    } catch (TextParseException e) {
      return DnsAnswer.empty(
          DnsStatus.FORMAT_ERROR, "\"" + name + "\" is not a valid domain name: " + e.getMessage());
    }
    Message query = Message.newQuery(Record.newRecord(qname, type.code(), DClass.IN));
    Upstream upstream = head.expect(query);
    Message response;
    try {
      response =
          validator
              .sendAsync(query)
              .toCompletableFuture()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return DnsAnswer.empty(DnsStatus.NETWORK_ERROR, where + ": interrupted");
    } catch (TimeoutException e) {
      return DnsAnswer.empty(
          DnsStatus.TIMEOUT,
          where + ": no validated answer within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      Throwable cause = unwrap(e);
      @Nullable Message own = upstream.response;
      if (own == null || DnsjavaResolver.isTimeout(cause) || cause instanceof IOException) {
        return DnsjavaResolver.failed(cause, where, timeout);
      }
      return DnsAnswer.empty(
          DnsStatus.SERVFAIL,
          where
              + ": the DNSSEC validator could not decide ("
              + DnsjavaResolver.words(cause)
              + ")");
    } catch (RuntimeException e) {
      return DnsAnswer.empty(DnsStatus.FORMAT_ERROR, where + ": " + DnsjavaResolver.words(e));
    } finally {
      head.forget(upstream);
    }
    @Nullable Message own = upstream.response;
    if (own != null && own.getRcode() != Rcode.NOERROR && own.getRcode() != Rcode.NXDOMAIN) {
      // The server failed on its own: not a DNSSEC verdict.
      return DnsAnswer.empty(
          DnsjavaResolver.status(own.getRcode()),
          where + ": " + Rcode.string(own.getRcode()) + " from the server, before validation");
    }
    @Nullable String reason = reason(response);
    String because = reason == null ? "" : ": " + reason;
    if (response.getHeader().getFlag(Flags.AD)) {
      return DnsjavaResolver.toAnswer(response, where, DnssecStatus.SECURE, ", DNSSEC secure");
    }
    int rcode = response.getRcode();
    if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) {
      return DnsjavaResolver.toAnswer(
          response, where, DnssecStatus.INSECURE, ", DNSSEC insecure" + because);
    }
    if (rcode == Rcode.SERVFAIL) {
      return new DnsAnswer(
          DnsStatus.SERVFAIL,
          List.of(),
          DnssecStatus.BOGUS,
          where + ": DNSSEC validation failed (bogus)" + because);
    }
    return DnsjavaResolver.toAnswer(response, where, DnssecStatus.INDETERMINATE, because);
  }

  /**
   * {@return the validator's reason: the TXT record of its reason class, else the text of an
   * Extended DNS Error; null when there is neither}
   */
  static @Nullable String reason(Message response) {
    for (Record r : response.getSection(Section.ADDITIONAL)) {
      if (r instanceof TXTRecord txt
          && r.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS) {
        return String.join("", txt.getStrings());
      }
    }
    OPTRecord opt = response.getOPT();
    if (opt != null) {
      for (EDNSOption o : opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR)) {
        if (o instanceof ExtendedErrorCodeOption ede) {
          String code = ExtendedErrorCodeOption.text(ede.getErrorCode());
          String text = ede.getText();
          return "Extended DNS Error " + ede.getErrorCode() + " (" + code + ")"
              + (text == null || text.isEmpty() ? "" : ": " + text);
        }
      }
    }
    return null;
  }

  private static Throwable unwrap(ExecutionException e) {
    Throwable t = e.getCause() == null ? e : e.getCause();
    while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  @Override
  public String toString() {
    return "ValidatingDnsjavaResolver["
        + DnsjavaResolver.describe(server)
        + ", timeout "
        + timeout
        + ", anchors "
        + anchors.describe()
        + "]";
  }

  /** The server's own response to one query of a caller, before the validator judged it. */
  static final class Upstream {
    final int id;
    final Name name;
    final int type;
    volatile @Nullable Message response;

    Upstream(int id, Name name, int type) {
      this.id = id;
      this.name = name;
      this.type = type;
    }

    boolean matches(Message m) {
      Record q = m.getQuestion();
      return q != null
          && m.getHeader().getID() == id
          && q.getType() == type
          && q.getName().equals(name);
    }
  }

  /**
   * The validator's head resolver: passes every query to the {@link SimpleResolver} and keeps the
   * response to each caller's own query (same ID and question), so that a failure of the server can
   * be told from a failed validation.
   */
  static final class RecordingResolver implements Resolver {
    private final SimpleResolver delegate;
    private final Map<Integer, List<Upstream>> expected = new ConcurrentHashMap<>();

    RecordingResolver(SimpleResolver delegate) {
      this.delegate = delegate;
    }

    Upstream expect(Message query) {
      Record q = query.getQuestion();
      Upstream u = new Upstream(query.getHeader().getID(), q.getName(), q.getType());
      expected.compute(
          u.id,
          (k, list) -> {
            List<Upstream> l = list == null ? new ArrayList<>() : new ArrayList<>(list);
            l.add(u);
            return List.copyOf(l);
          });
      return u;
    }

    void forget(Upstream u) {
      expected.computeIfPresent(
          u.id,
          (k, list) -> {
            List<Upstream> l = new ArrayList<>(list);
            l.remove(u);
            return l.isEmpty() ? null : List.copyOf(l);
          });
    }

    private void record(Message query, @Nullable Message response) {
      List<Upstream> waiting = expected.get(query.getHeader().getID());
      if (waiting == null || response == null) {
        return;
      }
      for (Upstream u : waiting) {
        if (u.matches(query) && u.response == null) {
          u.response = response;
          return;
        }
      }
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query) {
      return sendAsync(query, ForkJoinPool.commonPool());
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query, Executor executor) {
      CompletableFuture<Message> f = delegate.sendAsync(query, executor).toCompletableFuture();
      return f.whenComplete((response, error) -> record(query, response));
    }

    @Override
    public void setPort(int port) {
      delegate.setPort(port);
    }

    @Override
    public void setTCP(boolean flag) {
      delegate.setTCP(flag);
    }

    @Override
    public void setIgnoreTruncation(boolean flag) {
      delegate.setIgnoreTruncation(flag);
    }

    @Override
    public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {
      delegate.setEDNS(version, payloadSize, flags, options);
    }

    @Override
    public void setTSIGKey(TSIG key) {
      delegate.setTSIGKey(key);
    }

    @Override
    public void setTimeout(Duration t) {
      delegate.setTimeout(t);
    }

    @Override
    public Duration getTimeout() {
      return delegate.getTimeout();
    }
  }
}
