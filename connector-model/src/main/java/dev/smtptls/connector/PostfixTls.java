package dev.smtptls.connector;

import dev.smtptls.cert.CertificateInfo;
import dev.smtptls.connector.PolicyVerdict.Outcome;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.StartTlsOutcome;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the Postfix, MTA-STS and DANE policies share: Postfix's own deferral texts, its protocol
 * lists, certificate trust and name matching as the Postfix SMTP client (OpenSSL) does them.
 */
final class PostfixTls {

  /**
   * Postfix smtp(8) when the level requires TLS and the EHLO reply has no STARTTLS; {@code %s} is
   * the server's {@code name[address]}. Text from Postfix's {@code src/smtp/smtp_proto.c}
   * ({@code smtp_site_fail(state, 450, "TLS is required, but was not offered by host %s", ...)}),
   * logged as {@code status=deferred (TLS is required, but was not offered by host
   * mx.example.org[192.0.2.1])} with {@code dsn=4.7.4}.
   */
  static final String NOT_OFFERED = "TLS is required, but was not offered by host %s";

  /** smtp_proto.c: STARTTLS advertised but answered with an error; then the reply. */
  static final String REFUSED = "TLS is required, but host %s refused to start TLS: %s";

  /** smtp_proto.c, and logs ({@code dsn=4.7.5, status=deferred (Cannot start TLS: handshake failure)}). */
  static final String HANDSHAKE_FAILURE = "Cannot start TLS: handshake failure";

  /**
   * smtp_proto.c for a level that must trust the certificate (fingerprint, verify, secure, dane)
   * when the chain (or the fingerprint, or the TLSA records) does not establish trust; logged with
   * {@code dsn=4.7.5}.
   */
  static final String NOT_TRUSTED = "Server certificate not trusted";

  /**
   * smtp_proto.c for a level that must match a name (verify, secure) when the trusted
   * certificate's names match none of the match list; logged as {@code dsn=4.7.5,
   * status=deferred (Server certificate not verified)}.
   */
  static final String NOT_VERIFIED = "Server certificate not verified";

  /** Protocols in order as Postfix and JSSE name them. */
  static final List<String> PROTOCOLS = List.of("SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

  /**
   * Findings that mean OpenSSL would not trust the chain. Postfix checks no revocation (no CRL,
   * no OCSP), so the revocation findings are not among them; nor are the name findings, which the
   * match lists decide.
   */
  static final Set<FindingCode> TRUST_FAILURES = EnumSet.of(
      FindingCode.CERT_UNTRUSTED,
      FindingCode.CERT_SELF_SIGNED,
      FindingCode.CERT_EXPIRED,
      FindingCode.CERT_NOT_YET_VALID,
      FindingCode.CERT_CHAIN_INCOMPLETE,
      FindingCode.CERT_WRONG_PURPOSE,
      FindingCode.CERT_MALFORMED);

  private PostfixTls() {}

  /** {@code name[address]} as Postfix logs a server ({@code session->namaddr}). */
  static String namaddr(InspectionReport report) {
    InetSocketAddress a = report.address();
    String host = report.target().host();
    return a == null ? host : host + "[" + a.getAddress().getHostAddress() + "]";
  }

  /** Whether the session reached STARTTLS and the EHLO reply advertised it, and it upgraded. */
  static boolean upgradedAsAdvertised(InspectionReport report) {
    return report.startTls() instanceof StartTlsOutcome.Upgraded u && u.advertised();
  }

  /** Postfix's text for a session that reached EHLO but did not get TLS. */
  static String noTlsText(InspectionReport report) {
    StartTlsOutcome s = report.startTls();
    if (s instanceof StartTlsOutcome.Refused r) {
      return String.format(Locale.ROOT, REFUSED, namaddr(report), r.reply().oneLine());
    }
    if (s instanceof StartTlsOutcome.HandshakeFailed) {
      return HANDSHAKE_FAILURE;
    }
    return String.format(Locale.ROOT, NOT_OFFERED, namaddr(report));
  }

  /**
   * Parses a Postfix protocol list (postconf(5), {@code smtp_tls_mandatory_protocols}): {@code
   * >=TLSv1.2}, {@code <=TLSv1.3}, exclusions such as {@code !SSLv2, !SSLv3}, or protocols to
   * include; separated by white space, commas or colons. Empty: every protocol.
   *
   * @return the protocols allowed, in order
   * @throws IllegalArgumentException naming {@code parameter} for an unknown protocol
   */
  static List<String> allowedProtocols(String parameter, String value) {
    Set<String> included = new LinkedHashSet<>();
    Set<String> excluded = new LinkedHashSet<>();
    int min = 0;
    int max = PROTOCOLS.size() - 1;
    for (String token : value.trim().split("[\\s,:]+")) {
      if (token.isEmpty()) {
        continue;
      }
      String name = token;
      int bound = 0;
      if (token.startsWith(">=")) {
        name = token.substring(2);
        bound = 1;
      } else if (token.startsWith("<=")) {
        name = token.substring(2);
        bound = -1;
      } else if (token.startsWith("!")) {
        name = token.substring(1);
        bound = 2;
      }
      int rank = rank(name);
      if (rank < 0) {
        throw new IllegalArgumentException(parameter + ": unknown protocol \"" + token + "\" in \"" + value
            + "\" (known: " + String.join(", ", PROTOCOLS) + ", with >=, <= or !)");
      }
      switch (bound) {
        case 1 -> min = Math.max(min, rank);
        case -1 -> max = Math.min(max, rank);
        case 2 -> excluded.add(PROTOCOLS.get(rank));
        default -> included.add(PROTOCOLS.get(rank));
      }
    }
    List<String> allowed = new ArrayList<>();
    for (int i = min; i <= max; i++) {
      String p = PROTOCOLS.get(i);
      if (!excluded.contains(p) && (included.isEmpty() || included.contains(p))) {
        allowed.add(p);
      }
    }
    if (allowed.isEmpty()) {
      throw new IllegalArgumentException(parameter + " = " + value + " leaves no protocol enabled");
    }
    return List.copyOf(allowed);
  }

  private static int rank(String name) {
    for (int i = 0; i < PROTOCOLS.size(); i++) {
      if (PROTOCOLS.get(i).equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The findings that say why Postfix would not trust the presented chain; a synthetic {@code
   * CERT_UNTRUSTED} when the probe ran no certificate checker, since nothing then says the chain
   * is trusted. Empty when trusted.
   */
  static List<Finding> trustProblems(InspectionReport report) {
    if (report.certificateCheck() == null) {
      return List.of(Finding.of(FindingCode.CERT_UNTRUSTED,
          "The probe did not validate the certificate chain (no certificate checker), so a sender that"
              + " requires a trusted certificate cannot be predicted to trust it."));
    }
    return report.findings().stream()
        .filter(f -> TRUST_FAILURES.contains(f.code()) && f.severity() == Severity.ERROR)
        .toList();
  }

  /** The DNS names of the leaf certificate, lower case; its CN when it has no dNSName. */
  static List<String> leafNames(InspectionReport report) {
    List<X509Certificate> chain = report.peerChain();
    if (chain.isEmpty()) {
      return List.of();
    }
    List<String> names = CertificateInfo.dnsNames(chain.get(0)).stream()
        .map(n -> n.toLowerCase(Locale.ROOT)).toList();
    if (!names.isEmpty()) {
      return names;
    }
    String dn = chain.get(0).getSubjectX500Principal().getName();
    for (String rdn : dn.split(",")) {
      if (rdn.startsWith("CN=")) {
        return List.of(rdn.substring(3).toLowerCase(Locale.ROOT));
      }
    }
    return List.of();
  }

  /**
   * Whether a certificate name covers a host name: equal, or a wildcard {@code *.d} in the
   * certificate covering one label left of {@code d} (RFC 6125 §6.4.3, as OpenSSL checks).
   */
  static boolean covers(String certName, String host) {
    String c = canonical(certName);
    String h = canonical(host);
    if (c.startsWith("*.")) {
      String suffix = c.substring(1);
      return h.length() > suffix.length() && h.endsWith(suffix)
          && h.substring(0, h.length() - suffix.length()).indexOf('.') < 0;
    }
    return c.equals(h);
  }

  /**
   * Postfix's certificate name matching (TLS_README "Mandatory server certificate verification"
   * and postconf(5) {@code smtp_tls_verify_cert_match}, {@code smtp_tls_secure_cert_match}): each
   * strategy of the list is {@code hostname} (the MX host name), {@code nexthop} (the next-hop
   * domain), {@code dot-nexthop} (any subdomain of it), a name starting with a dot (any subdomain
   * of that name), or a name to match as it is.
   *
   * @return the first certificate name that matches, or null
   */
  static @Nullable String matchingName(List<String> certNames, List<String> strategies, String mxHost, String nexthop) {
    for (String strategy : strategies) {
      String s = strategy.toLowerCase(Locale.ROOT);
      for (String name : certNames) {
        boolean ok = switch (s) {
          case "hostname" -> covers(name, mxHost);
          case "nexthop" -> covers(name, nexthop);
          case "dot-nexthop" -> canonical(name).endsWith("." + canonical(nexthop));
          default -> s.startsWith(".") ? canonical(name).endsWith(canonical(s)) : covers(name, s);
        };
        if (ok) {
          return name;
        }
      }
    }
    return null;
  }

  static String canonical(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  /** Upper-case hex with colons, as Postfix prints fingerprints ({@code AB:CD:...}). */
  static String fingerprint(byte[] data, String digest) {
    String algorithm = switch (digest) {
      case "md5" -> "MD5";
      case "sha1" -> "SHA-1";
      case "sha256" -> "SHA-256";
      case "sha512" -> "SHA-512";
      default -> throw new IllegalArgumentException("unknown digest " + digest);
    };
    try {
      byte[] d = MessageDigest.getInstance(algorithm).digest(data);
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required of every Java platform", e);
    }
  }

  /** The certificate's and its public key's fingerprints (Postfix matches either). */
  static List<String> fingerprints(X509Certificate cert, String digest) {
    try {
      return List.of(fingerprint(cert.getEncoded(), digest), fingerprint(cert.getPublicKey().getEncoded(), digest));
    } catch (CertificateEncodingException e) {
      return List.of();
    }
  }

  /** The hex SHA-256 of the leaf's SubjectPublicKeyInfo: the data of a "3 1 1" TLSA record. */
  static String spkiSha256(X509Certificate cert) {
    return fingerprint(cert.getPublicKey().getEncoded(), "sha256").replace(":", "").toLowerCase(Locale.ROOT);
  }

  /** A verdict whose remediations are the findings' own (host filled in) followed by {@code extra}. */
  static PolicyVerdict verdict(
      InspectionReport report, Outcome outcome, @Nullable String smtpResponse, List<Finding> reasons,
      List<Remediation> extra) {
    List<Finding> sorted = Diagnosis.errorsFirst(reasons);
    Set<Remediation> remediations = new LinkedHashSet<>(extra);
    remediations.addAll(Diagnosis.remediations(sorted, report));
    return new PolicyVerdict(outcome, smtpResponse, sorted, List.copyOf(remediations));
  }

  /** The same verdict with other reasons, response or extra remediations. */
  static List<Finding> plus(List<Finding> a, List<Finding> b) {
    List<Finding> out = new ArrayList<>(a);
    for (Finding f : b) {
      if (!out.contains(f)) {
        out.add(f);
      }
    }
    return out;
  }
}
