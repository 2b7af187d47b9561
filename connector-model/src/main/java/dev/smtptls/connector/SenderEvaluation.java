package dev.smtptls.connector;

import dev.smtptls.cert.CertificateInfo;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import dev.smtptls.sink.SenderReport;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.jspecify.annotations.Nullable;

/**
 * What the receive-side policies ({@link SenderPolicy}) share when they judge a {@link
 * SenderReport}: the findings they give as reasons and the remediations on the sending side.
 */
final class SenderEvaluation {

  /**
   * The client-certificate findings that make a chain unusable to a receiver that validates it.
   * Not {@code SENDER_CERT_WRONG_PURPOSE}: Exchange Online validates the sender's chain with the
   * SSL policy and {@code SECURITY_FLAG_IGNORE_WRONG_USAGE} (Microsoft, KB 3212877 "550 5.7.64
   * TenantAttribution when sending emails through Exchange Online Protection", its CAPI2 event).
   * Not the name findings either: they concern the EHLO name, which these receivers do not match.
   */
  static final Set<FindingCode> CHAIN_ERRORS = Set.of(FindingCode.SENDER_CERT_UNTRUSTED,
      FindingCode.SENDER_CERT_SELF_SIGNED, FindingCode.SENDER_CERT_EXPIRED, FindingCode.SENDER_CERT_NOT_YET_VALID,
      FindingCode.SENDER_CERT_CHAIN_INCOMPLETE, FindingCode.SENDER_CERT_REVOKED, FindingCode.SENDER_CERT_MALFORMED);

  /** The placeholder of a Send connector's identity in commands. */
  static final String SEND_CONNECTOR = "Set-SendConnector -Identity \"<Send connector>\"";

  static final Remediation POSTFIX_MAY = new Remediation(
      "Postfix as the sender: use STARTTLS whenever the receiver offers it (Exchange uses it on its own once a"
          + " certificate is bound to SMTP; a firewall's SMTP inspection that strips STARTTLS must be turned off):",
      "postconf -e 'smtp_tls_security_level = may'");

  private SenderEvaluation() {}

  /** The report's own {@code SENDER_NO_STARTTLS}, or one made for a sender that never greeted. */
  static Finding noStartTls(SenderReport r) {
    return r.finding(FindingCode.SENDER_NO_STARTTLS).orElseGet(() -> Finding.of(FindingCode.SENDER_NO_STARTTLS,
        "The sender did not use STARTTLS.", "helo", r.heloName() == null ? "" : r.heloName()));
  }

  /** The report's findings that make its client chain unusable, as ERRORs. */
  static List<Finding> chainErrors(SenderReport r) {
    return r.findings().stream().filter(f -> CHAIN_ERRORS.contains(f.code())).toList();
  }

  /**
   * A client-certificate finding raised to ERROR because this receiver needs the certificate.
   *
   * @param code the code
   * @param message why
   * @param evidence pairs
   */
  static Finding error(FindingCode code, String message, Object... evidence) {
    Finding f = Finding.of(code, message, evidence);
    return new Finding(f.code(), Severity.ERROR, f.message(), f.evidence());
  }

  /**
   * A verdict: the remediations given first, then those of the reasons (Diagnosis), deduplicated.
   */
  static PolicyVerdict verdict(PolicyVerdict.Outcome outcome, @Nullable String response, List<Finding> reasons,
      List<Remediation> remediations) {
    Set<Remediation> all = new LinkedHashSet<>(remediations);
    all.addAll(Diagnosis.remediations(reasons, null));
    return new PolicyVerdict(outcome, response, Diagnosis.errorsFirst(reasons), List.copyOf(all));
  }

  /** The outcome for mail the receiver takes: over TLS or not; with SENDER_NO_STARTTLS as the reason for clear text. */
  static PolicyVerdict delivered(SenderReport r, List<Finding> extra) {
    List<Finding> reasons = new ArrayList<>(extra);
    if (r.startTls().used()) {
      return verdict(PolicyVerdict.Outcome.DELIVERED_TLS, null, reasons, List.of());
    }
    reasons.add(0, noStartTls(r));
    return verdict(PolicyVerdict.Outcome.DELIVERED_PLAINTEXT, null, reasons, List.of(POSTFIX_MAY));
  }

  /**
   * The name a certificate for this sender should carry to satisfy {@code pattern}: the sender's
   * EHLO name when the pattern covers it, else {@code mail.} under a wildcard's parent, else the
   * pattern itself.
   */
  static String suggestedName(SenderReport r, String pattern) {
    String helo = r.heloName();
    if (helo != null) {
      String h = helo.toLowerCase(Locale.ROOT);
      h = h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
      if (pattern.startsWith("*.")) {
        String parent = pattern.substring(2);
        if (h.endsWith("." + parent) && !h.substring(0, h.length() - parent.length() - 1).contains(".")) {
          return h;
        }
      } else if (h.equals(pattern)) {
        return h;
      }
    }
    return pattern.startsWith("*.") ? "mail." + pattern.substring(2) : pattern;
  }

  /**
   * The sending-side remediations for a sender that must present a certificate for {@code name}:
   * Exchange names it on the Send connector and binds it to SMTP, Postfix presents it with {@code
   * smtp_tls_cert_file}.
   *
   * @param issuer the issuer of the certificate to use when known (the presented one's CA), else null
   * @param thumbprint its SHA-1 when it is the presented one, else null
   */
  static List<Remediation> presentCertificate(String name, @Nullable X500Principal issuer, @Nullable String thumbprint) {
    String i = issuer == null ? "<issuer DN>" : issuer.getName(X500Principal.RFC1779);
    String t = thumbprint == null ? "<SHA-1 thumbprint of the certificate for " + name + ">" : thumbprint;
    return List.of(
        new Remediation("Exchange as the sender: present a certificate for " + name + " from a CA the receiver trusts:"
            + " bind it to SMTP and name it on the Send connector (TlsCertificateName \"<I>issuer<S>subject\","
            + " as Get-ExchangeCertificate shows them).",
            "Enable-ExchangeCertificate -Thumbprint " + t + " -Services SMTP\n"
                + SEND_CONNECTOR + " -TlsCertificateName \"<I>" + i + "<S>CN=" + name + "\""),
        new Remediation("Postfix as the sender: present the certificate for " + name + " (followed by its"
            + " intermediates) and its key; Postfix sends them when the receiver asks.",
            "postconf -e 'smtp_tls_cert_file = /etc/postfix/" + name + "-chain.pem' 'smtp_tls_key_file = /etc/postfix/"
                + name + ".key'"));
  }

  /** The presented leaf's SHA-1 as Get-ExchangeCertificate shows it. */
  static String sha1(X509Certificate leaf) {
    return CertificateInfo.thumbprint(leaf, "SHA-1");
  }

  /**
   * Whether an address is in {@code SenderIPAddresses}: IPv4 addresses, ranges {@code a-b}, CIDR
   * blocks (validated by {@link ExchangeParameters#senderAddress}). An IPv6 sender matches none
   * (the parameter takes IPv4 only).
   */
  static boolean listed(InetAddress address, List<String> entries) {
    if (!(address instanceof Inet4Address)) {
      return false;
    }
    long a = value(address);
    for (String e : entries) {
      int slash = e.indexOf('/');
      int dash = e.indexOf('-');
      if (slash > 0) {
        int bits = Integer.parseInt(e.substring(slash + 1));
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        if ((a & mask) == (value(literal(e.substring(0, slash))) & mask)) {
          return true;
        }
      } else if (dash > 0) {
        long lo = value(literal(e.substring(0, dash)));
        long hi = value(literal(e.substring(dash + 1)));
        if (a >= Math.min(lo, hi) && a <= Math.max(lo, hi)) {
          return true;
        }
      } else if (a == value(literal(e))) {
        return true;
      }
    }
    return false;
  }

  private static InetAddress literal(String ipv4) {
    if (!ExchangeParameters.isIpv4(ipv4.trim())) {
      throw new IllegalArgumentException("not an IPv4 address: " + ipv4);
    }
    try {
      return InetAddress.getByName(ipv4.trim()); // a validated literal: never a lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IPv4 address: " + ipv4, e);
    }
  }

  private static long value(InetAddress a) {
    long v = 0;
    for (byte b : a.getAddress()) {
      v = (v << 8) | (b & 0xFF);
    }
    return v;
  }
}
