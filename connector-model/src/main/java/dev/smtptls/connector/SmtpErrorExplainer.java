package dev.smtptls.connector;

import static java.util.Objects.requireNonNull;

import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Explains an SMTP error or queue status line: the replies in it, outermost first, and the causes
 * known for them, most likely first, each with the checks that tell the causes apart and what
 * fixes them.
 *
 * <pre>{@code
 * Explanation e = SmtpErrorExplainer.explain(
 *     "451 4.4.0 Primary target IP address responded with: \"451 5.7.3 STARTTLS is required to send mail.\"");
 * e.replies();          // [451 4.4.0 "Primary target IP address responded with:", 451 5.7.3 "STARTTLS is required to send mail."]
 * e.causes().get(0);    // RECEIVER_STARTTLS_NOT_CONFIGURED, with its checks and remediations
 * }</pre>
 *
 * <h2>What it reads</h2>
 *
 * <ul>
 *   <li>Replies with a code (RFC 5321 §4.2) and an optional enhanced status code (RFC 3463), nested
 *       in quotes as Exchange writes them ({@code responded with: "451 5.7.3 ..."}, {@code
 *       returned '550 5.4.316 ...'}); a bare enhanced status code ({@code 4.4.316}).
 *   <li>Exchange's queue texts: the {@code LastError} of {@code Get-Queue} / {@code Get-Message},
 *       including the {@code [{LRT=...};{LED=...};{FQDN=...};{IP=...}]} form, where the reply is
 *       taken from {@code LED} and the host from {@code FQDN}.
 *   <li>Postfix's log and queue forms: {@code dsn=4.7.4, status=deferred (...)} (the status becomes
 *       the outer reply, the parenthesised text its text), {@code host X[IP] said: 550 5.7.1 ...},
 *       and the client's own texts without a code (Postfix {@code smtp_proto.c}: {@code TLS is
 *       required, but was not offered by host %s}, {@code TLS is required, but host %s refused to
 *       start TLS: %s}, {@code TLS is required, but our TLS engine is unavailable}, {@code Cannot
 *       start TLS: handshake failure}, {@code Server certificate not verified}).
 * </ul>
 *
 * <p>A bare three-digit number counts as a reply code only at the start of the line or after a
 * quote, a colon, {@code =}, or an opening bracket, so "port 465" is no reply; a code followed by an
 * enhanced status code counts anywhere.
 *
 * <h2>What it knows</h2>
 *
 * <p>The texts and their causes come from: the seed write-up {@code
 * troubleshooting-tls-smtp-eop.txt} ({@code 451 4.4.0 Primary target IP address responded with:
 * "451 5.7.3 STARTTLS is required to send mail."} when the receiver does not offer STARTTLS, with
 * its four reasons; {@code "451 5.7.3 Must issue a STARTTLS command first."} when the receiver
 * requires TLS and the sender has no certificate); Microsoft's "Email non-delivery reports in
 * Exchange Online" (4.4.316 {@code Connection refused}, 4.4.7 and 5.4.300 {@code Message expired},
 * 5.7.321 {@code starttls-not-supported}, 5.7.322 {@code certificate-expired}, 5.7.323 {@code
 * tlsa-invalid}, 5.7.324 {@code dnssec-invalid}, 5.7.506 {@code Access Denied, Bad HELO},
 * 5.7.606–649 {@code Access denied, banned sending IP}, 5.7.700–749 including 5.7.708 {@code Access
 * denied, traffic not accepted from this IP}, 5.7.64 {@code TenantAttribution; Relay Access
 * Denied}); Microsoft's "Mail flow intelligence in EOP" (450 4.4.316, 4.4.317 {@code Cannot connect
 * to remote server}, 4.4.318 {@code Connection was closed abruptly}, 4.7.320 {@code Certificate
 * validation failed}); Postfix's {@code smtp_proto.c} and TLS_README (the client texts above), and
 * {@code reference/exchange-postfix-tls.md} ({@code 530 5.7.0 Must issue a STARTTLS command first}
 * and {@code 454 4.7.0 TLS not available due to local problem} from Postfix's smtpd, {@code
 * SMTPSEND.SuspiciousRemoteServerError}, {@code 5.7.3 Cannot achieve Exchange Server
 * authentication}).
 *
 * <p>Cause codes are stable: {@value #RECEIVER_STARTTLS_NOT_CONFIGURED}, {@value
 * #SENDER_IP_BLOCKLISTED}, {@value #RECEIVER_SMTP_ONLY}, {@value #FIREWALL_ESMTP_INSPECTION},
 * {@value #SENDER_TLS_NOT_CONFIGURED}, {@value #SEND_CONNECTOR_FORCED_TLS}, {@value
 * #POSTFIX_TLS_POLICY_TOO_STRICT}, {@value #RECEIVER_TLS_LOCAL_PROBLEM}, {@value
 * #SENDER_TLS_ENGINE_UNAVAILABLE}, {@value #TLS_HANDSHAKE_FAILURE}, {@value
 * #RECEIVER_CERT_NOT_TRUSTED}, {@value #FIREWALL_BLOCKS_XEXPS}, {@value #CONNECTION_REFUSED},
 * {@value #MESSAGE_EXPIRED}, {@value #DANE_STARTTLS_NOT_SUPPORTED}, {@value #DANE_CERT_EXPIRED},
 * {@value #DANE_TLSA_INVALID}, {@value #DANE_DNSSEC_INVALID}, {@value #SENDING_IP_BANNED}, {@value
 * #TENANT_SENDING_BLOCKED}, {@value #INBOUND_CONNECTOR_MISMATCH}, {@value #BAD_HELO}, {@value
 * #NEXT_HOP_TEMPORARY_FAILURE}.
 *
 * <p>This class is stateless and thread-safe.
 */
public final class SmtpErrorExplainer {

  /** The receiving server does not offer STARTTLS because it is not configured for TLS. */
  public static final String RECEIVER_STARTTLS_NOT_CONFIGURED = "RECEIVER_STARTTLS_NOT_CONFIGURED";
  /** The sending address is on a block list, so the receiver (Exchange Online) withholds STARTTLS. */
  public static final String SENDER_IP_BLOCKLISTED = "SENDER_IP_BLOCKLISTED";
  /** The receiving server speaks only SMTP (HELO), and STARTTLS is an ESMTP extension. */
  public static final String RECEIVER_SMTP_ONLY = "RECEIVER_SMTP_ONLY";
  /** A firewall's SMTP inspection filters STARTTLS out of the dialogue. */
  public static final String FIREWALL_ESMTP_INSPECTION = "FIREWALL_ESMTP_INSPECTION";
  /** The receiver requires TLS and the sending server does not start it (no certificate for SMTP). */
  public static final String SENDER_TLS_NOT_CONFIGURED = "SENDER_TLS_NOT_CONFIGURED";
  /** The sending connector forces TLS where opportunistic TLS would deliver. */
  public static final String SEND_CONNECTOR_FORCED_TLS = "SEND_CONNECTOR_FORCED_TLS";
  /** Postfix's client requires TLS for a destination that does not offer it. */
  public static final String POSTFIX_TLS_POLICY_TOO_STRICT = "POSTFIX_TLS_POLICY_TOO_STRICT";
  /** The receiver advertises STARTTLS but cannot load its certificate or key. */
  public static final String RECEIVER_TLS_LOCAL_PROBLEM = "RECEIVER_TLS_LOCAL_PROBLEM";
  /** The sending Postfix cannot initialise its own TLS engine. */
  public static final String SENDER_TLS_ENGINE_UNAVAILABLE = "SENDER_TLS_ENGINE_UNAVAILABLE";
  /** The TLS handshake failed: protocol or cipher mismatch, a broken key, or a device in between. */
  public static final String TLS_HANDSHAKE_FAILURE = "TLS_HANDSHAKE_FAILURE";
  /** The receiver's certificate failed the sender's validation (chain, name, expiry, revocation). */
  public static final String RECEIVER_CERT_NOT_TRUSTED = "RECEIVER_CERT_NOT_TRUSTED";
  /** A firewall blocks Exchange's {@code X-EXPS} verb. */
  public static final String FIREWALL_BLOCKS_XEXPS = "FIREWALL_BLOCKS_XEXPS";
  /** Nothing accepted the TCP connection. */
  public static final String CONNECTION_REFUSED = "CONNECTION_REFUSED";
  /** The message expired in the queue; the cause is the last retry's error. */
  public static final String MESSAGE_EXPIRED = "MESSAGE_EXPIRED";
  /** DANE (Exchange Online): the destination with TLSA records does not do STARTTLS. */
  public static final String DANE_STARTTLS_NOT_SUPPORTED = "DANE_STARTTLS_NOT_SUPPORTED";
  /** DANE (Exchange Online): the destination's certificate has expired. */
  public static final String DANE_CERT_EXPIRED = "DANE_CERT_EXPIRED";
  /** DANE (Exchange Online): the certificate does not match the TLSA records. */
  public static final String DANE_TLSA_INVALID = "DANE_TLSA_INVALID";
  /** DANE (Exchange Online): the destination's DNSSEC does not validate. */
  public static final String DANE_DNSSEC_INVALID = "DANE_DNSSEC_INVALID";
  /** Exchange Online banned the sending IP address (5.7.606–649). */
  public static final String SENDING_IP_BANNED = "SENDING_IP_BANNED";
  /** Exchange Online blocked the tenant's or the IP's traffic (5.7.700–749, e.g. 5.7.708). */
  public static final String TENANT_SENDING_BLOCKED = "TENANT_SENDING_BLOCKED";
  /** Exchange Online's inbound connector no longer matches the on-premises sender (5.7.64). */
  public static final String INBOUND_CONNECTOR_MISMATCH = "INBOUND_CONNECTOR_MISMATCH";
  /** The sender introduced itself with a name that is not its own (5.7.506). */
  public static final String BAD_HELO = "BAD_HELO";
  /** Exchange queued the message after a temporary error from the next hop and retries it. */
  public static final String NEXT_HOP_TEMPORARY_FAILURE = "NEXT_HOP_TEMPORARY_FAILURE";

  private static final String ENH = "[245]\\.\\d{1,3}\\.\\d{1,3}";

  /** A code with its enhanced status, a bare code, or a bare enhanced status. */
  private static final Pattern REPLY = Pattern.compile(
      "(?<![\\w.])(?:([2-5]\\d\\d)(?:[ -]+(" + ENH + "))?(?=[\\s-]|$)|(" + ENH + "))(?!\\w|\\.\\d)");

  private static final Pattern POSTFIX_STATUS = Pattern.compile(
      "\\bdsn=(" + ENH + "),\\s*status=\\w+\\s*\\((.*)\\)\\s*$");

  private static final Pattern EXCHANGE_LED = Pattern.compile("\\{LED=([^}]*)\\}");

  private static final List<Pattern> HOSTS = List.of(
      Pattern.compile("\\bhost ([A-Za-z0-9][A-Za-z0-9.-]*)\\["),
      Pattern.compile("\\{FQDN=([A-Za-z0-9][A-Za-z0-9.-]*)\\}"),
      Pattern.compile("\\bServer at ([A-Za-z0-9][A-Za-z0-9.-]*)"));

  /** Texts that are errors without any code: Postfix's client (smtp_proto.c) and the write-up's. */
  private static final Pattern KNOWN_TEXT = Pattern.compile(
      "(?i)TLS is required, but|Cannot start TLS|Server certificate not verified|TLS failure:"
          + "|STARTTLS is required to send mail|Must issue a STARTTLS command first"
          + "|TLS not available due to local problem|SuspiciousRemoteServerError");

  private SmtpErrorExplainer() {}

  /**
   * Explains one logged line.
   *
   * @param line an SMTP error, NDR line, Exchange queue {@code LastError} or Postfix log line
   * @return the replies outermost first and the known causes, most likely first; no causes when
   *     no rule matches
   * @throws NullPointerException if {@code line} is null
   * @throws IllegalArgumentException if the line is blank or holds no reply code, no enhanced
   *     status code and no known error text
   */
  public static Explanation explain(String line) {
    List<ExplainedReply> replies = replies(line);
    String host = host(line);
    Set<String> codes = new LinkedHashSet<>();
    for (int i = replies.size() - 1; i >= 0; i--) {
      codes.addAll(causeCodes(replies.get(i)));
    }
    List<ExplainedCause> causes = new ArrayList<>();
    for (String c : codes) {
      causes.add(cause(c, host));
    }
    return new Explanation(replies, causes);
  }

  /**
   * The replies in a line, outermost first, without explaining them.
   *
   * @param line the line
   * @return the replies, never empty
   * @throws NullPointerException if {@code line} is null
   * @throws IllegalArgumentException as {@link #explain(String)}
   */
  public static List<ExplainedReply> replies(String line) {
    requireNonNull(line, "line");
    String text = line.strip();
    if (text.isEmpty()) {
      throw new IllegalArgumentException("the line is empty: give an SMTP reply or queue status text");
    }
    Matcher led = EXCHANGE_LED.matcher(text);
    if (led.find()) {
      text = led.group(1).strip();
    }
    List<ExplainedReply> out = new ArrayList<>();
    Matcher postfix = POSTFIX_STATUS.matcher(text);
    if (postfix.find()) {
      String body = postfix.group(2).strip();
      List<ExplainedReply> inner = scan(body);
      String outerText = inner.isEmpty() ? body : prefix(body);
      out.add(new ExplainedReply(null, postfix.group(1), clean(outerText)));
      out.addAll(inner);
      return out;
    }
    out.addAll(scan(text));
    if (out.isEmpty()) {
      if (KNOWN_TEXT.matcher(text).find()) {
        out.add(new ExplainedReply(null, null, clean(text)));
      } else {
        throw new IllegalArgumentException(
            "no SMTP reply code (e.g. 451), enhanced status code (e.g. 4.4.0) or known error text in '"
                + abbreviate(text) + "'");
      }
    }
    return out;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  /** The text before the first embedded reply (Postfix: {@code host X[IP] said:}). */
  private static String prefix(String body) {
    Matcher m = REPLY.matcher(body);
    while (m.find()) {
      if (accept(body, m)) {
        return body.substring(0, m.start());
      }
    }
    return body;
  }

  private static boolean accept(String s, Matcher m) {
    if (m.group(1) == null || m.group(2) != null) {
      return true;
    }
    int i = m.start() - 1;
    while (i >= 0 && Character.isWhitespace(s.charAt(i))) {
      i--;
    }
    return i < 0 || "\"'(:=;[<{".indexOf(s.charAt(i)) >= 0;
  }

  /** A reply's position in the text. */
  private record Hit(int start, int end, @Nullable Integer code, @Nullable String enhanced) {}

  private static List<ExplainedReply> scan(String s) {
    List<Hit> hits = new ArrayList<>();
    Matcher m = REPLY.matcher(s);
    while (m.find()) {
      if (accept(s, m)) {
        Integer code = m.group(1) == null ? null : Integer.valueOf(m.group(1));
        String enh = m.group(2) != null ? m.group(2) : m.group(3);
        hits.add(new Hit(m.start(), m.end(), code, enh));
      }
    }
    List<ExplainedReply> out = new ArrayList<>();
    for (int i = 0; i < hits.size(); i++) {
      Hit h = hits.get(i);
      int limit = i + 1 < hits.size() ? hits.get(i + 1).start() : s.length();
      int end = limit;
      char quote = quoteBefore(s, h.start());
      if (quote != 0) {
        // The last matching quote before the next reply: apostrophes inside ('server's') stay.
        int close = s.lastIndexOf(quote, limit - 1);
        if (close >= h.end()) {
          end = close;
        }
      }
      out.add(new ExplainedReply(h.code(), h.enhanced(), clean(s.substring(h.end(), end))));
    }
    return out;
  }

  private static char quoteBefore(String s, int start) {
    int i = start - 1;
    while (i >= 0 && Character.isWhitespace(s.charAt(i))) {
      i--;
    }
    if (i >= 0 && (s.charAt(i) == '"' || s.charAt(i) == '\'')) {
      return s.charAt(i);
    }
    return 0;
  }

  /** Strips the quotes, brackets and separators that belong to the surrounding text. */
  private static String clean(String s) {
    int b = 0;
    int e = s.length();
    while (b < e && (Character.isWhitespace(s.charAt(b)) || "\"'-".indexOf(s.charAt(b)) >= 0)) {
      b++;
    }
    while (e > b && (Character.isWhitespace(s.charAt(e - 1)) || "\"';,{[(".indexOf(s.charAt(e - 1)) >= 0)) {
      e--;
    }
    return s.substring(b, e);
  }

  private static @Nullable String host(String line) {
    for (Pattern p : HOSTS) {
      Matcher m = p.matcher(line);
      if (m.find()) {
        return m.group(1);
      }
    }
    return null;
  }

  /** The cause codes for one reply, most likely first. */
  static List<String> causeCodes(ExplainedReply r) {
    String t = r.text().toLowerCase(Locale.ROOT);
    String st = r.enhancedStatus() == null ? "" : r.enhancedStatus();
    String detail = st.isEmpty() ? "" : st.substring(2); // subject.detail, e.g. "7.3"
    int code = r.code() == null ? 0 : r.code();
    List<String> c = new ArrayList<>();
    if (t.contains("tls is required, but was not offered")) {
      c.addAll(List.of(RECEIVER_STARTTLS_NOT_CONFIGURED, SENDER_IP_BLOCKLISTED, RECEIVER_SMTP_ONLY,
          FIREWALL_ESMTP_INSPECTION, POSTFIX_TLS_POLICY_TOO_STRICT));
    }
    if (t.contains("tls is required, but host") && t.contains("refused to start tls")) {
      c.addAll(List.of(RECEIVER_TLS_LOCAL_PROBLEM, FIREWALL_ESMTP_INSPECTION));
    }
    if (t.contains("tls is required, but our tls engine is unavailable")
        || t.contains("tls is required, but not available")) {
      c.add(SENDER_TLS_ENGINE_UNAVAILABLE);
    }
    if (t.contains("cannot start tls")) {
      c.addAll(List.of(TLS_HANDSHAKE_FAILURE, FIREWALL_ESMTP_INSPECTION));
    }
    if (t.contains("server certificate not verified") || t.contains("cannot verify server")
        || detail.equals("7.320")) {
      c.add(RECEIVER_CERT_NOT_TRUSTED);
    }
    if (t.contains("starttls is required to send mail")) {
      c.addAll(List.of(RECEIVER_STARTTLS_NOT_CONFIGURED, SENDER_IP_BLOCKLISTED, RECEIVER_SMTP_ONLY,
          FIREWALL_ESMTP_INSPECTION, SENDER_TLS_NOT_CONFIGURED, SEND_CONNECTOR_FORCED_TLS));
    }
    if (t.contains("must issue a starttls command first")) {
      c.addAll(List.of(SENDER_TLS_NOT_CONFIGURED, FIREWALL_ESMTP_INSPECTION, SENDER_IP_BLOCKLISTED));
    }
    if (t.contains("tls not available due to local problem") || (code == 454 && st.equals("4.7.0"))) {
      c.add(RECEIVER_TLS_LOCAL_PROBLEM);
    }
    if (t.contains("cannot achieve exchange server authentication")) {
      c.add(FIREWALL_BLOCKS_XEXPS);
    }
    if (t.contains("suspiciousremoteservererror") || t.contains("disconnected abruptly")
        || detail.equals("4.318")) {
      c.addAll(List.of(FIREWALL_ESMTP_INSPECTION, TLS_HANDSHAKE_FAILURE));
    }
    if (detail.equals("4.317")) {
      c.addAll(List.of(RECEIVER_STARTTLS_NOT_CONFIGURED, FIREWALL_ESMTP_INSPECTION));
    }
    if (detail.equals("4.316") || t.contains("connection refused")) {
      c.add(CONNECTION_REFUSED);
    }
    if (st.equals("4.4.7") || detail.equals("4.300") || t.contains("queue.expired")
        || t.contains("message expired")) {
      c.add(MESSAGE_EXPIRED);
    }
    switch (detail) {
      case "7.321" -> c.add(DANE_STARTTLS_NOT_SUPPORTED);
      case "7.322" -> c.add(DANE_CERT_EXPIRED);
      case "7.323" -> c.add(DANE_TLSA_INVALID);
      case "7.324" -> c.add(DANE_DNSSEC_INVALID);
      case "7.64" -> c.add(INBOUND_CONNECTOR_MISMATCH);
      case "7.506" -> c.add(BAD_HELO);
      default -> {
        int n = detail.startsWith("7.") ? Integer.parseInt(detail.substring(2)) : -1;
        if (st.startsWith("5") && n >= 606 && n <= 649) {
          c.add(SENDING_IP_BANNED);
        } else if (st.startsWith("5") && n >= 700 && n <= 749) {
          c.add(TENANT_SENDING_BLOCKED);
        }
      }
    }
    if (st.equals("4.4.0") && c.isEmpty()) {
      c.add(NEXT_HOP_TEMPORARY_FAILURE);
    }
    return c;
  }

  private static List<Remediation> diagnosis(FindingCode code) {
    return Diagnosis.forFinding(Finding.of(code, code.name())).stream().toList();
  }

  private static List<Remediation> plus(List<Remediation> a, Remediation... more) {
    List<Remediation> out = new ArrayList<>(a);
    out.addAll(List.of(more));
    return out;
  }

  /** The catalogue: one cause per code, with {@code <host>} filled in when the line names it. */
  static ExplainedCause cause(String code, @Nullable String host) {
    ExplainedCause c = catalogue(code);
    if (host == null) {
      return c;
    }
    return new ExplainedCause(
        c.code(),
        c.summary(),
        c.checks().stream().map(s -> s.replace("<host>", host)).toList(),
        c.remediations().stream()
            .map(r -> new Remediation(r.text().replace("<host>", host),
                r.command() == null ? null : r.command().replace("<host>", host)))
            .toList());
  }

  @SuppressWarnings("MethodLength")
  private static ExplainedCause catalogue(String code) {
    return switch (code) {
      case RECEIVER_STARTTLS_NOT_CONFIGURED -> new ExplainedCause(code,
          "The receiving server does not offer STARTTLS (seed write-up: \"The receiving server is not"
              + " configured to Force TLS or use Opportunistic TLS\"); a sender that requires TLS"
              + " queues the mail until it expires.",
          List.of("smtptls probe <host> shows STARTTLS_NOT_OFFERED with an unmasked EHLO reply",
              "telnet <host> 25, then EHLO example.com: STARTTLS is missing from the keywords"),
          diagnosis(FindingCode.STARTTLS_NOT_OFFERED));
      case SENDER_IP_BLOCKLISTED -> new ExplainedCause(code,
          "The sending server's IP address is on a block list, and Exchange Online does not offer"
              + " STARTTLS to a sender it cannot trust (seed write-up).",
          List.of("smtptls dnsbl <sending IP> lists the address (DNSBL_LISTED)",
              "smtptls probe <host> run from another network shows STARTTLS offered (STARTTLS is"
                  + " withheld only from the listed address)",
              "A plaintext session from the sending server to Exchange Online names the block list in"
                  + " its reply"),
          diagnosis(FindingCode.DNSBL_LISTED));
      case RECEIVER_SMTP_ONLY -> new ExplainedCause(code,
          "The receiving server answers only HELO, not EHLO, and STARTTLS is an ESMTP extension"
              + " (RFC 3207).",
          List.of("smtptls probe <host> shows ESMTP_NOT_SUPPORTED"),
          diagnosis(FindingCode.ESMTP_NOT_SUPPORTED));
      case FIREWALL_ESMTP_INSPECTION -> new ExplainedCause(code,
          "A firewall in front of the receiving server inspects SMTP and filters STARTTLS (Cisco"
              + " PIX/ASA \"fixup smtp\" / ESMTP inspection), or drops the session when TLS starts.",
          List.of("smtptls probe <host> shows ESMTP_INSPECTION_SUSPECTED (a banner of '*', EHLO"
                  + " keywords such as 250-XXXXXXXA)",
              "A probe from inside the firewall shows STARTTLS offered where the outside probe does"
                  + " not"),
          diagnosis(FindingCode.ESMTP_INSPECTION_SUSPECTED));
      case SENDER_TLS_NOT_CONFIGURED -> new ExplainedCause(code,
          "The receiving server requires TLS, but the sending server does not start it: it has no"
              + " certificate bound to SMTP, or its connector ignores STARTTLS (seed write-up: \"the"
              + " sending server is not configured to use a TLS certificate\").",
          List.of("smtptls sink (with the sending server pointed at it) shows SENDER_NO_STARTTLS",
              "Get-ExchangeCertificate on the sending server shows no valid certificate with SMTP in"
                  + " Services",
              "Get-SendConnector | Format-List Name,IgnoreSTARTTLS,RequireTLS shows IgnoreSTARTTLS"
                  + " True"),
          List.of(
              new Remediation("Bind a valid certificate from a trusted CA to SMTP on the sending"
                  + " server; take its thumbprint from Get-ExchangeCertificate (seed write-up).",
                  "Enable-ExchangeCertificate -Thumbprint <SHA-1 thumbprint> -Services SMTP"),
              new Remediation("Let the Send connector use STARTTLS when the receiver offers it.",
                  "Set-SendConnector -Identity \"<Send connector>\" -IgnoreSTARTTLS $false"),
              new Remediation("Postfix as the sender: use TLS when offered.",
                  "postconf -e 'smtp_tls_security_level = may'")));
      case SEND_CONNECTOR_FORCED_TLS -> new ExplainedCause(code,
          "The sending connector requires TLS (Exchange RequireTLS $true, often set again by the"
              + " Hybrid Configuration Wizard) for a destination that cannot do it; with"
              + " opportunistic TLS the mail would go out in clear.",
          List.of("Get-SendConnector | Format-List Name,RequireTLS,TlsAuthLevel,TlsDomain shows"
                  + " RequireTLS True",
              "smtptls policy --connector exchange-send:RequireTLS=true --target <host> predicts"
                  + " QUEUED"),
          List.of(new Remediation("Fix TLS on the receiving side first. Only if mail to this"
                  + " destination may travel in clear, stop forcing TLS on the connector (the Hybrid"
                  + " Configuration Wizard restores RequireTLS on its own connectors when run again).",
              "Set-SendConnector -Identity \"<Send connector>\" -RequireTLS $false")));
      case POSTFIX_TLS_POLICY_TOO_STRICT -> new ExplainedCause(code,
          "The sending Postfix requires TLS for this destination (smtp_tls_security_level encrypt,"
              + " verify, secure or dane-only, or a smtp_tls_policy_maps entry), and the destination"
              + " does not offer STARTTLS; Postfix defers the mail (smtp_proto.c, dsn 4.7.4).",
          List.of("postconf smtp_tls_security_level smtp_tls_policy_maps shows a mandatory level",
              "smtptls policy --connector postfix:smtp_tls_security_level=may --target <host>"
                  + " predicts DELIVERED_PLAINTEXT"),
          List.of(new Remediation("Get the destination to offer STARTTLS. Only if mail to it may"
                  + " travel in clear, lower the level for that destination alone in the policy map"
                  + " (TLS_README, per-destination policy), then postmap and postfix reload.",
              "postconf -e 'smtp_tls_policy_maps = hash:/etc/postfix/tls_policy'\n"
                  + "echo '<recipient domain> may' >> /etc/postfix/tls_policy\n"
                  + "postmap /etc/postfix/tls_policy && postfix reload")));
      case RECEIVER_TLS_LOCAL_PROBLEM -> new ExplainedCause(code,
          "The receiving server advertises STARTTLS but cannot use it: it cannot load its"
              + " certificate or private key (Postfix's smtpd answers 454 4.7.0 TLS not available due"
              + " to local problem).",
          List.of("smtptls probe <host> shows STARTTLS_REFUSED with the 454 reply",
              "The receiving server's mail log names the unreadable file (Postfix: warning: TLS"
                  + " library problem)"),
          diagnosis(FindingCode.STARTTLS_REFUSED));
      case SENDER_TLS_ENGINE_UNAVAILABLE -> new ExplainedCause(code,
          "The sending Postfix could not initialise its own TLS engine, so it cannot meet its"
              + " mandatory TLS policy (smtp_proto.c).",
          List.of("postfix check, and the warnings of postfix/smtp in the mail log, name the"
              + " unreadable CA file or the library problem"),
          List.of(new Remediation("Fix the client TLS settings the log names (smtp_tls_CAfile,"
                  + " smtp_tls_CApath, smtp_tls_chain_files), then reload Postfix.",
              "postfix check && postfix reload")));
      case TLS_HANDSHAKE_FAILURE -> new ExplainedCause(code,
          "The TLS handshake failed: no common protocol version or cipher suite, a broken"
              + " certificate or key on the receiver, or a device in between that breaks TLS"
              + " (reference: SMTPSEND.SuspiciousRemoteServerError with TLS-version mismatches).",
          List.of("smtptls probe <host> shows TLS_HANDSHAKE_FAILED with the alert, or"
              + " TLS_PROTOCOL_WEAK"),
          diagnosis(FindingCode.TLS_HANDSHAKE_FAILED));
      case RECEIVER_CERT_NOT_TRUSTED -> new ExplainedCause(code,
          "The receiving server's certificate failed the sender's validation: not from a trusted"
              + " CA, self-signed, expired, revoked or CRL unreachable, or its names do not cover the"
              + " host (seed write-up: Exchange 2013 and Exchange Online rules).",
          List.of("smtptls probe <host> shows CERT_UNTRUSTED, CERT_SELF_SIGNED, CERT_EXPIRED,"
              + " CERT_NAME_MISMATCH, CERT_REVOKED or CRL_UNAVAILABLE"),
          plus(diagnosis(FindingCode.CERT_UNTRUSTED), diagnosis(FindingCode.CERT_NAME_MISMATCH)
              .toArray(Remediation[]::new)));
      case FIREWALL_BLOCKS_XEXPS -> new ExplainedCause(code,
          "A firewall between the Exchange servers blocks the X-EXPS verb Exchange uses to"
              + " authenticate to another Exchange server (reference: 5.7.3 Cannot achieve Exchange"
              + " Server authentication).",
          List.of("telnet <host> 25 then EHLO: X-EXPS (and X-ANONYMOUSTLS) missing from the keywords",
              "smtptls probe <host> shows ESMTP_INSPECTION_SUSPECTED"),
          diagnosis(FindingCode.ESMTP_INSPECTION_SUSPECTED));
      case CONNECTION_REFUSED -> new ExplainedCause(code,
          "Nothing accepted the TCP connection (NDR 4.4.316 Connection refused): a firewall blocks"
              + " the sender's addresses (for Exchange Online, the Microsoft 365 ranges) on port 25,"
              + " the server is down, or it was shut down after a migration (Mail flow"
              + " intelligence).",
          List.of("smtptls probe <host> shows CONNECT_FAILED",
              "Test-NetConnection -ComputerName <host> -Port 25 from the sending network fails"),
          plus(diagnosis(FindingCode.CONNECT_FAILED),
              Remediation.advice("If the on-premises servers are gone on purpose, disable the"
                  + " Exchange Online connector that delivers to them and make the accepted domain"
                  + " Authoritative (Mail flow intelligence, 450 4.4.316).")));
      case MESSAGE_EXPIRED -> new ExplainedCause(code,
          "The message sat in the queue until it expired (4.4.7 / 5.4.300 Message expired;"
              + " Exchange Online retries for 24 hours): the cause is the error of the last retry.",
          List.of("Get-Queue | Get-Message | Format-List Identity,LastError shows the last error;"
                  + " explain that line",
              "The NDR's diagnostic information lists every attempt with its reply"),
          List.of(new Remediation("Fix what the last error names, then retry the queue.",
              "Retry-Queue -Identity \"<Server>\\<Queue>\"")));
      case DANE_STARTTLS_NOT_SUPPORTED -> new ExplainedCause(code,
          "The destination publishes DNSSEC-signed TLSA records, yet its mail server does not"
              + " respond to STARTTLS or the handshake fails (NDR 5.7.321 starttls-not-supported).",
          List.of("smtptls domain <recipient domain> shows TLSA records and STARTTLS_NOT_OFFERED or"
              + " TLS_HANDSHAKE_FAILED for an MX"),
          plus(diagnosis(FindingCode.STARTTLS_NOT_OFFERED),
              Remediation.advice("If the MX cannot do TLS, withdraw its TLSA records: DANE makes"
                  + " TLS mandatory for every sender that validates them (RFC 7672).")));
      case DANE_CERT_EXPIRED -> new ExplainedCause(code,
          "The destination's MX presents an expired certificate under DANE (NDR 5.7.322"
              + " certificate-expired).",
          List.of("smtptls probe <host> shows CERT_EXPIRED"),
          diagnosis(FindingCode.CERT_EXPIRED));
      case DANE_TLSA_INVALID -> new ExplainedCause(code,
          "The MX's certificate does not match its DNSSEC-authentic TLSA records, the records are"
              + " wrong, or its validity starts in the future (NDR 5.7.323 tlsa-invalid).",
          List.of("smtptls domain <recipient domain> shows DANE_TLSA_MISMATCH or DANE_TLSA_UNUSABLE"),
          diagnosis(FindingCode.DANE_TLSA_MISMATCH));
      case DANE_DNSSEC_INVALID -> new ExplainedCause(code,
          "The destination's DNS claims DNSSEC but does not validate (NDR 5.7.324 dnssec-invalid).",
          List.of("smtptls domain <recipient domain> shows DANE_DNSSEC_BOGUS"),
          diagnosis(FindingCode.DANE_DNSSEC_BOGUS));
      case SENDING_IP_BANNED -> new ExplainedCause(code,
          "Exchange Online banned the sending IP address (NDR 5.7.606-649 Access denied, banned"
              + " sending IP); a listed address is also refused STARTTLS (seed write-up).",
          List.of("smtptls dnsbl <sending IP> lists the address",
              "The NDR names the banned address in brackets"),
          List.of(Remediation.advice("Fix what degraded the address's reputation (a compromised"
              + " account, an open relay), then request removal at Microsoft's delist portal"
              + " (https://sender.office.com).")));
      case TENANT_SENDING_BLOCKED -> new ExplainedCause(code,
          "Exchange Online does not accept traffic from the sending IP or tenant (NDR 5.7.700-749;"
              + " 5.7.708 Access denied, traffic not accepted from this IP): most of its traffic was"
              + " judged suspicious.",
          List.of("The message trace shows which tenant and IP were blocked"),
          List.of(Remediation.advice("Resolve compromises and open relays, add and validate every"
              + " sending domain, then contact Microsoft support through the regular channel (NDR"
              + " reference, 5.7.700-749).")));
      case INBOUND_CONNECTOR_MISMATCH -> new ExplainedCause(code,
          "Mail from on-premises no longer matches Exchange Online's inbound connector (NDR 5.7.64"
              + " TenantAttribution; Relay Access Denied): the sending IP address or the certificate"
              + " named in TlsSenderCertificateName changed.",
          List.of("Get-InboundConnector | Format-List Name,SenderIPAddresses,TlsSenderCertificateName,"
                  + "RestrictDomainsToCertificate,RestrictDomainsToIPAddresses",
              "smtptls sink --connector exo-inbound:... receiving from the on-premises server shows"
                  + " which rule refuses it",
              "The names of the certificate the on-premises Send connector presents (TlsCertificateName)"
                  + " cover TlsSenderCertificateName"),
          List.of(new Remediation("Make the inbound connector match what the on-premises server"
                  + " presents: the domain of its certificate, or its current public IP addresses"
                  + " (re-running the Hybrid Configuration Wizard rewrites the hybrid connectors).",
              "Set-InboundConnector -Identity \"<Inbound connector>\" -TlsSenderCertificateName"
                  + " <domain in the certificate>")));
      case BAD_HELO -> new ExplainedCause(code,
          "The sending server introduces itself (HELO/EHLO) with the receiver's name instead of its"
              + " own fully qualified name (NDR 5.7.506 Access Denied, Bad HELO).",
          List.of("smtptls sink shows the heloName the sending server uses"),
          diagnosis(FindingCode.EHLO_REJECTED));
      case NEXT_HOP_TEMPORARY_FAILURE -> new ExplainedCause(code,
          "The sending Exchange server queued the message after a temporary error from the next hop"
              + " and retries until the message expires (4.4.0).",
          List.of("Get-Queue | Format-List Identity,Status,LastError shows the retrying queue",
              "smtptls probe <host> shows what the next hop answers"),
          List.of(new Remediation("Fix what the quoted reply names, then retry the queue.",
              "Retry-Queue -Identity \"<Server>\\<Queue>\"")));
      default -> throw new IllegalArgumentException("unknown cause code " + code);
    };
  }
}
