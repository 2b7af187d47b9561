package dev.smtptls.dns;

import static java.util.Objects.requireNonNull;

import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.cert.CertificateReport;
import dev.smtptls.cert.PeerIdentity;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import dev.smtptls.internal.https.HttpsGet;
import dev.smtptls.spi.DnsResolver;
import dev.smtptls.spi.TrustSource;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Checks a mail domain's MTA-STS (RFC 8461): the {@code _mta-sts} TXT record, then the policy at
 * {@code https://mta-sts.<domain>/.well-known/mta-sts.txt}.
 *
 * <pre>{@code
 * MtaStsChecker checker = MtaStsChecker.builder()
 *     .resolver(DnsResolvers.dnsjava(server, Duration.ofSeconds(5)))
 *     .trust(TrustSources.system())
 *     .build();
 * MtaStsResult sts = checker.check("example.com");
 * MtaStsHostCheck mx1 = sts.evaluateHost("mx1.example.com", certificateReport.valid(), null);
 * }</pre>
 *
 * <p>What it does, in order:
 *
 * <ol>
 *   <li>Asks the resolver for TXT at {@code _mta-sts.<domain>} and keeps the records starting
 *       with {@code v=STSv1} (the others are ignored, §3.1). None: status {@link
 *       MtaStsStatus#NONE}, no finding. More than one, or one that does not parse: {@link
 *       MtaStsStatus#INVALID} with {@code MTA_STS_POLICY_INVALID}; the policy is then not fetched,
 *       as senders do not fetch it either. A failed lookup (SERVFAIL, timeout): {@link
 *       MtaStsStatus#UNAVAILABLE} with {@code MTA_STS_POLICY_UNAVAILABLE}, since whether the
 *       domain requires TLS cannot be told.
 *   <li>Resolves {@code mta-sts.<domain>} through the same resolver (A, then AAAA; the system
 *       resolver is never asked) and connects to each address in turn until one accepts.
 *   <li>TLS with SNI {@code mta-sts.<domain>}; the chain is checked with the configured {@link
 *       CertificateChecker} for that name (§3.3: a valid certificate for the host, chaining to a
 *       trusted root, in date). A chain with an ERROR finding ends the fetch as {@link
 *       MtaStsFetchStatus#TLS_FAILED} before the request is sent.
 *   <li>{@code GET /.well-known/mta-sts.txt} over HTTP/1.1; redirects are not followed ({@link
 *       MtaStsFetchStatus#REDIRECT}), only 200 is OK, the body is capped at {@value
 *       #MAX_POLICY_BYTES} bytes ({@link MtaStsFetchStatus#TOO_LARGE}).
 *   <li>The media type must be {@code text/plain} (parameters such as a charset allowed). RFC
 *       8461 §3.3 says senders SHOULD check it, and those that do ignore a policy served as
 *       anything else, so another or a missing Content-Type makes the result {@link
 *       MtaStsStatus#INVALID} (the policy is still parsed and reported).
 *   <li>The body, decoded as UTF-8, is parsed with {@link MtaStsPolicy#parse(String)}.
 * </ol>
 *
 * <p>A fetch that does not end {@link MtaStsFetchStatus#OK} is {@code MTA_STS_POLICY_UNAVAILABLE}
 * with evidence {@code url}, {@code httpStatus} (when a response arrived), {@code reason} and
 * {@code fetchStatus}. Immutable and thread-safe when its resolver is.
 */
public final class MtaStsChecker {

  /** The body cap of a policy: {@value} bytes (64 KiB). */
  public static final int MAX_POLICY_BYTES = 64 * 1024;

  /** The path of the policy (RFC 8461 §3.3). */
  public static final String POLICY_PATH = "/.well-known/mta-sts.txt";

  private final DnsResolver resolver;
  private final CertificateChecker certificates;
  private final int port;
  private final Duration timeout;
  private final Duration deadline;

  private MtaStsChecker(DnsResolver resolver, CertificateChecker certificates, int port, Duration timeout,
      Duration deadline) {
    this.resolver = resolver;
    this.certificates = certificates;
    this.port = port;
    this.timeout = timeout;
    this.deadline = deadline;
  }

  /** {@return a new builder} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The URL of a domain's policy.
   *
   * @param domain the mail domain
   * @param port the HTTPS port; 443 is left out of the URL
   * @return {@code https://mta-sts.<domain>[:port]/.well-known/mta-sts.txt}
   */
  public static String policyUrl(String domain, int port) {
    return "https://mta-sts." + MtaStsText.canonical(domain) + (port == 443 ? "" : ":" + port) + POLICY_PATH;
  }

  /**
   * Checks a domain's MTA-STS. Never throws for what DNS or the policy server do.
   *
   * @param domain the mail domain; a trailing dot is allowed
   * @return the result
   * @throws IllegalArgumentException if {@code domain} is not a domain name
   */
  public MtaStsResult check(String domain) {
    requireNonNull(domain, "domain");
    String d = MtaStsText.domain(domain, "domain");
    long deadlineNanos = System.nanoTime() + deadline.toNanos();
    String url = policyUrl(d, port);
    String recordName = "_mta-sts." + d;
    DnsAnswer txt = resolver.query(recordName, DnsType.TXT);
    if (!txt.isNoError() && txt.status() != DnsStatus.NXDOMAIN) {
      String reason = "the TXT lookup of " + recordName + " failed: " + txt.detail();
      return new MtaStsResult(d, null, url, null, null, MtaStsStatus.UNAVAILABLE,
          List.of(unavailable("Whether " + d + " uses MTA-STS cannot be told: " + reason + ".", url, null, reason,
              "DNS")));
    }
    List<String> records = txt.isNoError()
        ? MtaStsText.txtStartingWith(txt.records(DnsType.TXT), MtaStsRecord.VERSION_FIELD)
        : List.of();
    if (records.isEmpty()) {
      return new MtaStsResult(d, null, url, null, null, MtaStsStatus.NONE, List.of());
    }
    if (records.size() > 1) {
      String reason = records.size() + " TXT records at " + recordName + " start with v=STSv1 ("
          + records.stream().map(r -> "\"" + r + "\"").collect(Collectors.joining(", "))
          + "); RFC 8461 §3.1 requires exactly one, else senders ignore MTA-STS";
      return invalid(d, null, url, null, null, "The MTA-STS record of " + d + " is ambiguous: " + reason + ".",
          reason, records.get(0));
    }
    MtaStsRecord record;
    try {
      record = MtaStsRecord.parse(records.get(0));
    } catch (IllegalArgumentException e) {
      String reason = "the TXT record at " + recordName + " is malformed: " + e.getMessage();
      return invalid(d, null, url, null, null,
          "The MTA-STS record of " + d + " is malformed (" + e.getMessage() + "): senders ignore MTA-STS.",
          reason, records.get(0));
    }

    String host = "mta-sts." + d;
    List<InetAddress> addresses = new ArrayList<>();
    List<String> dnsProblems = new ArrayList<>();
    for (DnsType type : List.of(DnsType.A, DnsType.AAAA)) {
      DnsAnswer a = resolver.query(host, type);
      if (a.isNoError()) {
        a.records(type).forEach(r -> addresses.add(r.address()));
      } else {
        dnsProblems.add(type + ": " + a.detail());
      }
    }
    HttpsGet.Response response;
    if (addresses.isEmpty()) {
      response = new HttpsGet.Response(MtaStsFetchStatus.NO_ADDRESS, null, 0,
          host + " has no A or AAAA record" + (dnsProblems.isEmpty() ? "" : " (" + String.join("; ", dnsProblems) + ")"),
          null, null);
    } else {
      response = HttpsGet.get(host, port, POLICY_PATH, addresses, chain -> certificateProblem(chain, host),
          timeout, deadlineNanos, MAX_POLICY_BYTES);
    }
    MtaStsFetch fetch = new MtaStsFetch(response.status(), response.httpStatus(), response.bytes(), response.detail());
    byte[] body = response.body();
    if (response.status() != MtaStsFetchStatus.OK || body == null) {
      String reason = describe(response.status()) + ": " + response.detail();
      return new MtaStsResult(d, record, url, fetch, null, MtaStsStatus.UNAVAILABLE,
          List.of(unavailable("The MTA-STS policy of " + d + " cannot be fetched from " + url + " ("
              + describe(response.status()) + "): senders without a cached copy deliver without MTA-STS.",
              url, response.httpStatus(), reason, response.status().name())));
    }
    MtaStsPolicy policy;
    try {
      policy = MtaStsPolicy.parse(new String(body, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return invalid(d, record, url, fetch, null,
          "The MTA-STS policy at " + url + " is malformed (" + e.getMessage() + "): senders ignore it.",
          "the policy is malformed: " + e.getMessage(), null);
    }
    String contentType = response.contentType();
    if (!isTextPlain(contentType)) {
      String served = contentType == null ? "without a Content-Type" : "as " + contentType;
      return invalid(d, record, url, fetch, policy,
          "The MTA-STS policy at " + url + " is served " + served
              + ", not text/plain: senders that check the media type (RFC 8461 §3.3) ignore it.",
          "the policy is served " + served + ", not text/plain", null);
    }
    return new MtaStsResult(d, record, url, fetch, policy, MtaStsStatus.VALID, List.of());
  }

  private @Nullable String certificateProblem(List<java.security.cert.X509Certificate> chain, String host) {
    if (chain.isEmpty()) {
      return "the server sent no certificate";
    }
    CertificateReport report = certificates.check(chain, PeerIdentity.of(host));
    if (report.valid()) {
      return null;
    }
    return report.findings().stream()
        .filter(f -> f.severity() == Severity.ERROR)
        .map(f -> f.code() + " " + f.message())
        .collect(Collectors.joining("; "));
  }

  static boolean isTextPlain(@Nullable String contentType) {
    if (contentType == null) {
      return false;
    }
    int semi = contentType.indexOf(';');
    String type = (semi >= 0 ? contentType.substring(0, semi) : contentType).strip();
    return type.toLowerCase(Locale.ROOT).equals("text/plain");
  }

  private static String describe(MtaStsFetchStatus s) {
    return switch (s) {
      case OK -> "fetched";
      case HTTP_ERROR -> "the server did not answer 200";
      case REDIRECT -> "the server redirects, which MTA-STS forbids";
      case TLS_FAILED -> "TLS or its certificate failed";
      case TOO_LARGE -> "the policy exceeds " + MAX_POLICY_BYTES + " bytes";
      case TIMEOUT -> "timed out";
      case CONNECT_FAILED -> "no connection";
      case NO_ADDRESS -> "the policy host has no address";
    };
  }

  private static Finding unavailable(String message, String url, @Nullable Integer httpStatus, String reason,
      String fetchStatus) {
    List<Object> ev = new ArrayList<>(List.of("url", url));
    if (httpStatus != null) {
      ev.add("httpStatus");
      ev.add(httpStatus.toString());
    }
    ev.addAll(List.of("reason", reason, "fetchStatus", fetchStatus));
    return Finding.of(FindingCode.MTA_STS_POLICY_UNAVAILABLE, message, ev.toArray());
  }

  private static MtaStsResult invalid(String domain, @Nullable MtaStsRecord record, String url,
      @Nullable MtaStsFetch fetch, @Nullable MtaStsPolicy policy, String message, String reason,
      @Nullable String rawRecord) {
    List<Object> ev = new ArrayList<>(List.of("url", url, "reason", reason));
    if (rawRecord != null) {
      ev.add("record");
      ev.add(rawRecord);
    }
    return new MtaStsResult(domain, record, url, fetch, policy, MtaStsStatus.INVALID,
        List.of(Finding.of(FindingCode.MTA_STS_POLICY_INVALID, message, ev.toArray())));
  }

  /** Builds an {@link MtaStsChecker}. Single-valued settings may be set once. Not thread-safe. */
  public static final class Builder {
    private @Nullable DnsResolver resolver;
    private final List<TrustSource> trust = new ArrayList<>();
    private @Nullable CertificateChecker certificateChecker;
    private @Nullable Integer port;
    private @Nullable Duration timeout;
    private @Nullable Duration deadline;
    private @Nullable Clock clock;

    private Builder() {}

    /**
     * The resolver for the TXT record and the policy host's addresses. Required.
     *
     * @param resolver the resolver
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder resolver(DnsResolver resolver) {
      requireNonNull(resolver, "resolver");
      checkUnset(this.resolver, "resolver");
      this.resolver = resolver;
      return this;
    }

    /**
     * Adds a trust source for the policy host's certificate (the CLI's {@code --trust}); the first
     * decides. Default: {@link dev.smtptls.trust.TrustSources#system()}. Not with {@link
     * #certificateChecker}.
     *
     * @param source the trust source
     * @return this builder
     */
    public Builder trust(TrustSource source) {
      trust.add(requireNonNull(source, "source"));
      return this;
    }

    /**
     * The checker for the policy host's certificate, instead of one made from {@link #trust} and
     * {@link #clock}. Its ERROR findings for the name {@code mta-sts.<domain>} fail the fetch.
     *
     * @param checker the checker
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder certificateChecker(CertificateChecker checker) {
      requireNonNull(checker, "checker");
      checkUnset(certificateChecker, "certificateChecker");
      this.certificateChecker = checker;
      return this;
    }

    /**
     * The HTTPS port of the policy host. Default 443; another only for tests and labs (RFC 8461
     * fixes 443).
     *
     * @param port 1 to 65535
     * @return this builder
     * @throws IllegalArgumentException if out of range
     * @throws IllegalStateException if already set
     */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be 1 to 65535: " + port);
      }
      checkUnset(this.port, "port");
      this.port = port;
      return this;
    }

    /**
     * The bound of each connect and read of the fetch. Default 10 s.
     *
     * @param timeout positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     * @throws IllegalStateException if already set
     */
    public Builder timeout(Duration timeout) {
      this.timeout = positive(timeout, this.timeout, "timeout");
      return this;
    }

    /**
     * The bound of the whole check: DNS, connection, handshake and body. Default 30 s.
     *
     * @param deadline positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     * @throws IllegalStateException if already set
     */
    public Builder deadline(Duration deadline) {
      this.deadline = positive(deadline, this.deadline, "deadline");
      return this;
    }

    /**
     * The clock whose instant is the validation time of the policy host's certificate. Default the
     * system UTC clock. Not with {@link #certificateChecker}, which has its own.
     *
     * @param clock the clock
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder clock(Clock clock) {
      requireNonNull(clock, "clock");
      checkUnset(this.clock, "clock");
      this.clock = clock;
      return this;
    }

    /**
     * Builds the checker. Made from {@link #trust} and {@link #clock}, the certificate checker
     * checks no revocation (MTA-STS asks for none); pass a {@link #certificateChecker} for more.
     *
     * @return an immutable, thread-safe checker
     * @throws IllegalStateException if no resolver was set, or a certificate checker together with
     *     trust sources or a clock
     */
    public MtaStsChecker build() {
      if (resolver == null) {
        throw new IllegalStateException("a resolver is required");
      }
      CertificateChecker checker = certificateChecker;
      if (checker != null && (!trust.isEmpty() || clock != null)) {
        throw new IllegalStateException("certificateChecker excludes trust and clock: set them on the checker");
      }
      if (checker == null) {
        CertificateChecker.Builder b = CertificateChecker.builder().revocationChecker(null);
        trust.forEach(b::trustSource);
        if (clock != null) {
          b.clock(clock);
        }
        checker = b.build();
      }
      return new MtaStsChecker(resolver, checker, port == null ? 443 : port,
          timeout == null ? Duration.ofSeconds(10) : timeout,
          deadline == null ? Duration.ofSeconds(30) : deadline);
    }

    private static Duration positive(Duration d, @Nullable Duration current, String name) {
      requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
      checkUnset(current, name);
      return d;
    }

    private static void checkUnset(@Nullable Object current, String name) {
      if (current != null) {
        throw new IllegalStateException(name + " was already set");
      }
    }
  }
}
