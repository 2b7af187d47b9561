package dev.smtptls.sink;

import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** How the sink words what it saw of a sender as findings. */
final class SenderFindings {

  private static final Set<String> WEAK_PROTOCOLS = Set.of("SSLv2Hello", "SSLv3", "TLSv1", "TLSv1.1");

  private SenderFindings() {}

  /**
   * Whether a HELO/EHLO argument is a fully qualified domain name (RFC 5321 §2.3.5, §4.1.1.1):
   * at least two LDH labels, the last not all digits; an address literal is not one.
   *
   * @param name the argument
   * @return true for an FQDN
   */
  static boolean isFqdn(String name) {
    String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    if (n.isEmpty() || n.length() > 253 || n.startsWith("[")) {
      return false;
    }
    String[] labels = n.split("\\.", -1);
    if (labels.length < 2) {
      return false;
    }
    for (String l : labels) {
      if (l.isEmpty() || l.length() > 63 || l.startsWith("-") || l.endsWith("-")) {
        return false;
      }
      for (int i = 0; i < l.length(); i++) {
        char c = l.charAt(i);
        boolean ldh = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
        if (!ldh) {
          return false;
        }
      }
    }
    return !labels[labels.length - 1].chars().allMatch(Character::isDigit);
  }

  /** {@return whether the negotiated protocol is obsolete (RFC 8996)} */
  static boolean isWeakProtocol(@Nullable String protocol) {
    return protocol != null && WEAK_PROTOCOLS.contains(protocol);
  }

  /**
   * A certificate finding about the client chain as a sender finding: {@code CERT_x} becomes
   * {@code SENDER_CERT_x}; a code without a sender twin (revocation availability) keeps its code.
   * Either way the evidence says {@code side=sender}.
   *
   * @param f the checker's finding
   * @return the sender finding
   */
  static Finding forSender(Finding f) {
    FindingCode mapped = senderCode(f.code());
    Map<String, Object> evidence = new LinkedHashMap<>(f.evidence());
    evidence.put("side", "sender");
    // The checker words its messages for a server's chain; here the chain is the sender's.
    String message = "Client certificate: " + f.message().replace("by the server", "by the sender")
        .replace("The server sends", "The sender sends").replace("the server sends", "the sender sends");
    return new Finding(mapped == null ? f.code() : mapped, f.severity(), message, evidence);
  }

  /**
   * The sender twin of a certificate code.
   *
   * @param code a code
   * @return {@code SENDER_CERT_x} for {@code CERT_x}, or null when there is none
   */
  static @Nullable FindingCode senderCode(FindingCode code) {
    if (!code.name().startsWith("CERT_")) {
      return null;
    }
    try {
      return FindingCode.valueOf("SENDER_" + code.name());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static Finding noStartTls(@Nullable String helo, boolean esmtp) {
    String message = esmtp
        ? "The sender did not issue STARTTLS although it was offered: its mail travels in clear, and a receiver that requires TLS refuses it."
        : "The sender greeted with HELO, not EHLO, so it cannot see or use STARTTLS: its mail travels in clear.";
    return Finding.of(FindingCode.SENDER_NO_STARTTLS, message, "helo", helo == null ? "" : helo,
        "greeting", esmtp ? "EHLO" : "HELO");
  }

  static Finding noClientCertificate(@Nullable String helo) {
    return Finding.of(FindingCode.SENDER_NO_CLIENT_CERT,
        "The sender used TLS but presented no client certificate: a receive connector that identifies"
            + " senders by certificate (Exchange Online TlsSenderCertificateName, Postfix smtpd_tls_req_ccert)"
            + " cannot recognise it.",
        "helo", helo == null ? "" : helo);
  }

  static Finding notFqdn(String helo) {
    return Finding.of(FindingCode.SENDER_EHLO_NOT_FQDN,
        "The sender calls itself '" + helo + "' in HELO/EHLO, which is not a fully qualified domain name"
            + " (RFC 5321 §4.1.1.1); receivers may refuse or distrust it, and no certificate can cover it.",
        "helo", helo);
  }

  static Finding weakProtocol(String protocol) {
    return Finding.of(FindingCode.SENDER_TLS_PROTOCOL_WEAK,
        "The sender negotiated " + protocol + ", which RFC 8996 deprecates.", "protocol", protocol);
  }

  static Finding violation(String step, String reason) {
    return Finding.of(FindingCode.SENDER_PROTOCOL_VIOLATION,
        "The sender broke the protocol (" + step + "): " + reason + ".", "step", step, "reason", reason);
  }

  static Finding timeout(String step, String bound) {
    return Finding.of(FindingCode.SENDER_TIMEOUT,
        "The sender did not complete the " + step.toLowerCase(Locale.ROOT) + " step within " + bound + ".",
        "step", step, "bound", bound);
  }

  static Finding tooManyConnections(int limit) {
    return Finding.of(FindingCode.SENDER_TOO_MANY_CONNECTIONS,
        "The sender opened more than " + limit + " connections at once; this one was answered 421 4.3.2.",
        "limit", Integer.toString(limit));
  }
}
