package dev.smtptls.connector;

import static java.util.Objects.requireNonNull;

import dev.smtptls.dns.DnsblLookup;
import dev.smtptls.dns.DnsblReport;
import dev.smtptls.dns.IpAddresses;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.inspect.InspectionReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * From findings to what fixes them: one precise remediation per finding code, in the terms of
 * {@code seed/troubleshooting-tls-smtp-eop.txt} (the reasons STARTTLS goes missing, the
 * certificate rules of Exchange 2013 and Exchange Online) with the products' own commands.
 *
 * <p>The facts behind the commands come from {@code reference/exchange-postfix-tls.md} and the
 * documents it names: Microsoft's Exchange cmdlet reference ({@code Set-ReceiveConnector}, {@code
 * Set-SendConnector}, {@code Enable-ExchangeCertificate}, {@code New-ExchangeCertificate}), Postfix's
 * TLS_README and postconf(5), and for firewall inspection Cisco's ASA configuration guide ({@code
 * inspect esmtp} in the global policy). Where a value cannot be known from the finding it stays a
 * placeholder in angle brackets; {@link #remediations(InspectionReport)} fills in the probed host.
 *
 * <pre>{@code
 * for (Remediation r : Diagnosis.remediations(report)) {
 *   System.out.println(r.text());
 *   if (r.command() != null) System.out.println("  " + r.command());
 * }
 * }</pre>
 */
public final class Diagnosis {

  private static final String BIND_CERTIFICATE =
      "Enable-ExchangeCertificate -Thumbprint <SHA-1 thumbprint from Get-ExchangeCertificate> -Services SMTP";

  private static final String NEW_CERTIFICATE_REQUEST =
      "New-ExchangeCertificate -GenerateRequest -KeySize 2048 -SubjectName \"CN=<host>\" -DomainName <host>";

  private Diagnosis() {}

  /**
   * The remediations for every finding of a report, errors first, then warnings, then facts,
   * without duplicates. Placeholders for the probed host and port are filled in.
   *
   * @param report a probe's report
   * @return the remediations, possibly empty
   * @throws NullPointerException if {@code report} is null
   */
  public static List<Remediation> remediations(InspectionReport report) {
    requireNonNull(report, "report");
    return remediations(errorsFirst(report.findings()), report);
  }

  /**
   * The remediations for a probe, read together with what DNS block lists say about the sending
   * IP address. When the receiver withheld STARTTLS (not offered, or the dialogue was masked or
   * refused in the greeting) and the sender is listed, that is the likely cause — Exchange Online
   * withholds STARTTLS from senders on its block lists (seed document) — and it comes first, then
   * the remediations of {@link #remediations(InspectionReport)} and of each listing.
   *
   * <pre>{@code
   * DnsblReport sender = DnsblChecker.builder().resolver(dns).build().check(sendingIp);
   * Diagnosis.remediations(report, sender).forEach(r -> System.out.println(r.text()));
   * }</pre>
   *
   * @param report a probe of the receiving server
   * @param sender the block-list lookups of the address the probe (or the real sender) sends from
   * @return the remediations, the block-list cause first when it applies
   * @throws NullPointerException if an argument is null
   */
  public static List<Remediation> remediations(InspectionReport report, DnsblReport sender) {
    requireNonNull(report, "report");
    requireNonNull(sender, "sender");
    Set<Remediation> out = new LinkedHashSet<>();
    boolean withheld =
        report.findings().stream()
            .anyMatch(f -> f.code() == FindingCode.STARTTLS_NOT_OFFERED
                || f.code() == FindingCode.ESMTP_INSPECTION_SUSPECTED
                || f.code() == FindingCode.GREETING_REJECTED);
    List<DnsblLookup> listings =
        sender.lookups().stream().filter(l -> DnsblLookup.LISTED.equals(l.status())).toList();
    if (withheld && !listings.isEmpty()) {
      String zones =
          String.join(", ", listings.stream()
              .map(l -> l.zone() + (l.reason() == null ? "" : " (\"" + l.reason() + "\")"))
              .toList());
      out.add(Remediation.advice(
          "The receiver withheld STARTTLS and your sending IP " + IpAddresses.text(sender.address())
              + " is listed on " + zones + ". Receivers such as Exchange Online do not offer STARTTLS"
              + " to senders on their block lists, so the cause is the listing, not the receiver's TLS"
              + " configuration: find and stop what got the address listed (an infected host, an open"
              + " relay, a misused account), request delisting at the list's removal page, and probe"
              + " again."));
    }
    out.addAll(remediations(report));
    out.addAll(remediations(sender.findings(), null));
    return List.copyOf(out);
  }

  /**
   * The likely causes of what a probe found, most likely first, in the terms of the seed
   * write-up: STARTTLS not configured, the sending IP on a block list (so the receiver withholds
   * STARTTLS), a server that speaks only SMTP, a firewall's SMTP inspection, a certificate that
   * fails the sender's validation (untrusted CA, expired, self-signed, names that do not cover the
   * host or the announced FQDN, the wrong certificate bound to SMTP), a CRL the receiver cannot
   * fetch. Each cause comes with the checks that tell it from the others and its remediations (the
   * same catalogue {@link SmtpErrorExplainer} explains logged errors with); findings that no cause
   * of the catalogue covers become a cause of their own, named by the finding code. Findings of
   * severity {@code ERROR} are read first; a report without findings has no causes.
   *
   * @param report a probe's report
   * @return the causes, most likely first, without duplicates
   * @throws NullPointerException if {@code report} is null
   */
  public static List<ExplainedCause> causes(InspectionReport report) {
    requireNonNull(report, "report");
    String host = report.target().host();
    Set<String> seen = new LinkedHashSet<>();
    List<ExplainedCause> out = new ArrayList<>();
    List<Finding> ranked = new ArrayList<>(errorsFirst(report.findings()));
    // Within a severity, the findings that name their cause outright (masked dialogue, a refusal
    // in the greeting, a listing) come before those that only say STARTTLS is missing.
    ranked.sort(Comparator.comparing(Finding::severity).thenComparing(f -> SPECIFIC.contains(f.code()) ? 0 : 1));
    for (Finding f : ranked) {
      List<String> codes = causeCodes(f.code());
      if (codes.isEmpty()) {
        Remediation r = remedy(f);
        if (r != null && seen.add(f.code().name())) {
          out.add(new ExplainedCause(f.code().name(), f.code().summary(), List.of(), List.of(fill(r, report))));
        }
        continue;
      }
      for (String code : codes) {
        if (seen.add(code)) {
          out.add(SmtpErrorExplainer.cause(code, host));
        }
      }
    }
    return List.copyOf(out);
  }

  private static final Set<FindingCode> SPECIFIC = java.util.EnumSet.of(
      FindingCode.ESMTP_INSPECTION_SUSPECTED, FindingCode.GREETING_REJECTED, FindingCode.DNSBL_LISTED);

  /** The catalogue causes a finding points to, most likely first; the seed write-up's order. */
  private static List<String> causeCodes(FindingCode code) {
    return switch (code) {
      case STARTTLS_NOT_OFFERED -> List.of(SmtpErrorExplainer.RECEIVER_STARTTLS_NOT_CONFIGURED,
          SmtpErrorExplainer.SENDER_IP_BLOCKLISTED, SmtpErrorExplainer.FIREWALL_ESMTP_INSPECTION);
      case ESMTP_INSPECTION_SUSPECTED -> List.of(SmtpErrorExplainer.FIREWALL_ESMTP_INSPECTION);
      case ESMTP_NOT_SUPPORTED -> List.of(SmtpErrorExplainer.RECEIVER_SMTP_ONLY,
          SmtpErrorExplainer.FIREWALL_ESMTP_INSPECTION);
      case GREETING_REJECTED, DNSBL_LISTED -> List.of(SmtpErrorExplainer.SENDER_IP_BLOCKLISTED);
      case STARTTLS_REFUSED -> List.of(SmtpErrorExplainer.RECEIVER_TLS_LOCAL_PROBLEM);
      case TLS_HANDSHAKE_FAILED -> List.of(SmtpErrorExplainer.TLS_HANDSHAKE_FAILURE);
      case CONNECT_FAILED -> List.of(SmtpErrorExplainer.CONNECTION_REFUSED);
      case CERT_UNTRUSTED, CERT_SELF_SIGNED, CERT_EXPIRED, CERT_NOT_YET_VALID, CERT_CHAIN_INCOMPLETE,
          CERT_NAME_MISMATCH, CERT_EHLO_NAME_MISMATCH, CERT_REVOKED, CERT_WRONG_PURPOSE, CERT_WEAK_KEY,
          CERT_WEAK_SIGNATURE -> List.of(SmtpErrorExplainer.RECEIVER_CERT_NOT_TRUSTED);
      default -> List.of();
    };
  }

  /** Stable sort by severity as declared (errors, warnings, facts); the given order within each. */
  static List<Finding> errorsFirst(List<Finding> findings) {
    List<Finding> sorted = new ArrayList<>(findings);
    sorted.sort(Comparator.comparing(Finding::severity));
    return sorted;
  }

  /**
   * The remediation for one finding, from its code and evidence. Placeholders such as {@code
   * <host>} stay as they are.
   *
   * @param finding the finding
   * @return the remediation, or empty for a code this version does not know
   * @throws NullPointerException if {@code finding} is null
   */
  public static Optional<Remediation> forFinding(Finding finding) {
    requireNonNull(finding, "finding");
    return Optional.ofNullable(remedy(finding));
  }

  /** The remediations for findings in the given order, deduplicated, with the report's host filled in. */
  static List<Remediation> remediations(List<Finding> findings, @Nullable InspectionReport report) {
    Set<Remediation> out = new LinkedHashSet<>();
    for (Finding f : findings) {
      Remediation r = remedy(f);
      if (r != null) {
        out.add(report == null ? r : fill(r, report));
      }
    }
    return List.copyOf(out);
  }

  private static Remediation fill(Remediation r, InspectionReport report) {
    String host = report.target().host();
    String port = Integer.toString(report.target().port());
    String command = r.command();
    return new Remediation(
        r.text().replace("<host>", host).replace("<port>", port),
        command == null ? null : command.replace("<host>", host).replace("<port>", port));
  }

  private static String quoted(Finding f, String key) {
    return f.evidence(key).map(v -> " (\"" + v + "\")").orElse("");
  }

  /** A piece of evidence as text: a string as is, a list joined with commas. */
  private static Optional<String> text(Finding f, String key) {
    Object v = f.evidence().get(key);
    if (v instanceof List<?> list) {
      return list.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", list.stream().map(String::valueOf).toList()));
    }
    return f.evidence(key);
  }

  // Codes that core adds later have no remediation until they are added here; DiagnosisTest
  // fails for any code without one.
  @SuppressWarnings("UnnecessaryDefaultInEnumSwitch")
  private static @Nullable Remediation remedy(Finding f) {
    return switch (f.code()) {
      case CONNECT_FAILED -> new Remediation(
          "Nothing accepted the TCP connection to <host> port <port>" + quoted(f, "reason")
              + ". Check that the MX and address records point at the right server, that the SMTP"
              + " service is running and listening on that port, and that firewalls (and the ISP of the"
              + " sending network) let port 25 through.",
          "Test-NetConnection -ComputerName <host> -Port <port>");
      case TIMEOUT -> Remediation.advice(
          "The server did not answer in time" + f.evidence("step").map(s -> " during " + s).orElse("")
              + ". Check the server's load and connection limits, whether it delays its greeting on"
              + " purpose (a tarpit or greet pause), and whether a firewall or IPS holds the session;"
              + " senders give up after their own timeout and leave the mail queued.");
      case CONNECTION_CLOSED -> Remediation.advice(
          "The server closed the connection" + f.evidence("step").map(s -> " during " + s).orElse("")
              + ". Read the receiving server's log for that moment: it is often a connection or rate"
              + " limit, a refusal of the sending address, or a firewall's SMTP inspection dropping"
              + " a verb it does not allow.");
      case PROTOCOL_VIOLATION -> Remediation.advice(
          "The server's reply broke RFC 5321" + quoted(f, "reason")
              + ". A proxy or firewall that rewrites the SMTP dialogue is the usual cause: probe the"
              + " server from inside the network, bypassing the device, to tell the two apart.");
      case GREETING_REJECTED -> Remediation.advice(
          "Read the greeting" + f.evidence("code").map(c -> " (" + c + " " + f.evidence("text").orElse("") + ")")
              .orElse("")
              + ": a server that refuses the session at once usually names the block list or rate"
              + " limit that applies to the sending address. Clean up the cause and request delisting"
              + " at the list's removal page; Exchange Online also withholds STARTTLS from addresses"
              + " on its block lists (seed document). A 421 is temporary: reduce the sending rate and"
              + " retry.");
      case EHLO_REJECTED -> new Remediation(
          "The server refused EHLO" + quoted(f, "reply") + ". Receivers check the EHLO name: send a"
              + " fully qualified name that resolves to the sending address and matches its reverse"
              + " DNS. On Exchange set the Send connector's Fqdn; on Postfix set smtp_helo_name"
              + " (postconf -e 'smtp_helo_name = mail.example.com').",
          "Set-SendConnector -Identity \"<Send connector>\" -Fqdn <mail.example.com>");
      case ESMTP_NOT_SUPPORTED -> Remediation.advice(
          "The server answers only HELO" + quoted(f, "reply") + ", and STARTTLS is an ESMTP extension"
              + " (RFC 3207), so no sender can use TLS with it. Enable ESMTP on the server, or remove"
              + " what answers in its place: a firewall's SMTP inspection can refuse EHLO (seed"
              + " document: \"The receiving server is configured to only respond to SMTP (not ESMTP)"
              + " commands\").");
      case STARTTLS_NOT_OFFERED -> new Remediation(
          "Enable STARTTLS on the receiving server. Exchange: add Tls to the Receive connector's"
              + " AuthMechanism (-AuthMechanism replaces the list, so keep the mechanisms"
              + " Get-ReceiveConnector shows) and bind a certificate from a trusted CA to SMTP with"
              + " Enable-ExchangeCertificate -Thumbprint <SHA-1 thumbprint> -Services SMTP. Postfix:"
              + " in main.cf set smtpd_tls_security_level = may and smtpd_tls_chain_files ="
              + " /etc/postfix/smtpd-chain.pem (the private key, then the certificate and its"
              + " intermediates; Postfix 3.4 and later), then postfix reload. If the server is"
              + " configured for TLS already, check for a firewall filtering the STARTTLS verb and"
              + " whether the sending address is on a block list (seed document).",
          "Set-ReceiveConnector -Identity \"<Server>\\<Receive connector>\" -AuthMechanism Tls\n"
              + BIND_CERTIFICATE);
      case STARTTLS_REFUSED -> new Remediation(
          "The server advertises STARTTLS but refuses it" + quoted(f, "reply") + ": it has no usable"
              + " certificate or private key (Postfix answers 454 4.7.0 TLS not available due to local"
              + " problem when it cannot load them; its mail log names the file). Postfix: point"
              + " smtpd_tls_chain_files at a readable file holding the key and chain, then postfix"
              + " reload. Exchange: bind a valid certificate to SMTP.",
          BIND_CERTIFICATE);
      case TLS_HANDSHAKE_FAILED -> new Remediation(
          "The TLS handshake failed" + f.evidence("alert").map(a -> " (" + a + ")").orElse("")
              + ". Check the certificate and key the server uses for SMTP, and that it supports"
              + " TLS 1.2 or later with current cipher suites (a server limited to TLS 1.0 fails with"
              + " senders that disabled it); a firewall inspecting SMTP can also break the handshake."
              + " On Exchange, list the certificates and the services they are bound to, then bind a"
              + " valid one with Enable-ExchangeCertificate -Services SMTP.",
          "Get-ExchangeCertificate | Format-List FriendlyName,Subject,Thumbprint,Services,NotAfter");
      case ESMTP_INSPECTION_SUSPECTED -> new Remediation(
          "Turn off ESMTP (SMTP) inspection on the firewall in front of the server, or allow"
              + " STARTTLS through it: the inspection masks the banner with '*' and EHLO keywords with"
              + " 'X', and hides STARTTLS from senders (reference: Cisco PIX/ASA \"fixup smtp\"). On a"
              + " Cisco ASA remove it from the global policy:",
          "policy-map global_policy\n class inspection_default\n  no inspect esmtp");
      case TLS_REQUIRED_BY_SERVER -> new Remediation(
          "The server accepts mail only over TLS" + quoted(f, "reply") + ", so senders must use"
              + " STARTTLS. Exchange: configure the Send connector for TLS with a valid certificate"
              + " (seed document: the fix for \"451 5.7.3 Must issue a STARTTLS command first\" is"
              + " Enable-ExchangeCertificate for SMTP, using Get-ExchangeCertificate for the"
              + " thumbprint). Postfix: smtp_tls_security_level = may or encrypt.",
          BIND_CERTIFICATE);
      case PLAINTEXT_ACCEPTED -> new Remediation(
          "The server accepts mail in clear" + quoted(f, "reply") + ", so a sender whose STARTTLS"
              + " fails delivers without encryption. Where mail to this server must be encrypted,"
              + " require TLS on the connector that receives it (Exchange Receive connector"
              + " RequireTLS; Postfix smtpd_tls_security_level = encrypt, which RFC 3207 forbids for"
              + " a publicly referenced MX) or on the senders' connectors (forced TLS).",
          "Set-ReceiveConnector -Identity \"<Server>\\<Receive connector>\" -RequireTLS $true");
      case TLS_PROTOCOL_WEAK -> new Remediation(
          "The server negotiated " + f.evidence("protocol").orElse("an obsolete protocol")
              + " (RFC 8996 deprecates TLS 1.0 and 1.1). Enable TLS 1.2 or later on the server"
              + " (on Windows, in SCHANNEL; upgrade an old OpenSSL), then turn the old versions off;"
              + " Postfix 3.6 and later:",
          "postconf -e 'smtpd_tls_protocols = >=TLSv1.2' 'smtpd_tls_mandatory_protocols = >=TLSv1.2'");
      case CERT_UNTRUSTED, CERT_SELF_SIGNED -> new Remediation(
          "Use a certificate issued by a public CA the senders trust: Exchange 2013 and Exchange"
              + " Online no longer accept self-signed or privately issued certificates for TLS (seed"
              + " document). Request it with New-ExchangeCertificate -GenerateRequest, import the"
              + " issued certificate with Import-ExchangeCertificate, then bind it to SMTP (Postfix:"
              + " smtpd_tls_chain_files).",
          BIND_CERTIFICATE);
      case CERT_EXPIRED, CERT_EXPIRES_SOON -> new Remediation(
          "Renew the certificate" + f.evidence("notAfter").map(d -> " (valid until " + d + ")").orElse("")
              + " at its CA, import it, and bind the new one to SMTP; Exchange 2013 and Exchange"
              + " Online refuse an expired certificate (seed document). Postfix: replace the file"
              + " named in smtpd_tls_chain_files and postfix reload.",
          BIND_CERTIFICATE);
      case CERT_NOT_YET_VALID -> Remediation.advice(
          "The certificate's validity starts in the future: check the clocks of the server and of"
              + " the CA's issuing system, or keep the previous certificate bound until the new one"
              + " becomes valid.");
      case CERT_CHAIN_INCOMPLETE -> new Remediation(
          "The server must send its intermediate certificates with its own (RFC 8446 §4.4.2)."
              + " Windows/Exchange builds the chain from the local machine's Intermediate"
              + " Certification Authorities store: import the CA's intermediate there. Postfix: put"
              + " the intermediates after the server certificate in the file named by"
              + " smtpd_tls_chain_files.",
          "Import-Certificate -FilePath <intermediate.cer> -CertStoreLocation Cert:\\LocalMachine\\CA");
      case CERT_WRONG_PURPOSE -> Remediation.advice(
          "The certificate may not be used by a TLS server: request one whose extended key usage"
              + " includes serverAuth and whose key usage allows digitalSignature (and"
              + " keyEncipherment for RSA), RFC 5280 §4.2.1.3 and §4.2.1.12.");
      case CERT_WEAK_KEY -> new Remediation(
          "Re-issue the certificate with an RSA key of at least 2048 bits (or an ECDSA P-256 key)"
              + " and bind the new certificate to SMTP.",
          NEW_CERTIFICATE_REQUEST);
      case CERT_WEAK_SIGNATURE -> Remediation.advice(
          "Re-issue the certificate signed with SHA-256 or better: signatures with MD5 or SHA-1 are"
              + " refused by current TLS clients. Ask the CA for a re-issue on the same key, then"
              + " bind the new certificate to SMTP.");
      case CERT_NAME_MISMATCH -> new Remediation(
          "The certificate does not cover <host>" + text(f, "names").map(n -> " (it names " + n + ")").orElse("")
              + ". Request one whose subject alternative names include the MX host name senders"
              + " connect to (a wildcard covers one label, RFC 9525 §6.3), then bind it to SMTP.",
          NEW_CERTIFICATE_REQUEST);
      case CERT_EHLO_NAME_MISMATCH -> new Remediation(
          "The FQDN the server gives in its greeting and EHLO reply must be a subject or subject"
              + " alternative name of its certificate (seed document; a wildcard certificate covers"
              + " any name in its domain). Set the Receive connector's Fqdn to a name the certificate"
              + " covers, or get a certificate for the announced name. Postfix announces myhostname.",
          "Set-ReceiveConnector -Identity \"<Server>\\<Receive connector>\" -Fqdn <name on the certificate>");
      case CERT_MALFORMED -> Remediation.advice(
          "The certificate breaks X.509 (RFC 5280) and strict clients refuse it: have the CA"
              + " re-issue it and bind the new certificate to SMTP.");
      case CERT_CHAIN_ORDER -> Remediation.advice(
          "Send the chain in order: the server's certificate first, then each certificate that"
              + " certifies the one before it (RFC 8446 §4.4.2, RFC 5246 §7.4.2). Postfix: order the"
              + " file named by smtpd_tls_chain_files as key, server certificate, intermediates.");
      case CERT_CN_ONLY -> new Remediation(
          "The name is only in the subject CN" + f.evidence("cn").map(c -> " (" + c + ")").orElse("")
              + ", which RFC 9525 clients ignore: request a certificate with the name as a subject"
              + " alternative name (New-ExchangeCertificate -DomainName puts names there).",
          NEW_CERTIFICATE_REQUEST);
      case CERT_REVOKED, OCSP_REVOKED -> new Remediation(
          "The CA has revoked this certificate" + f.evidence("reason").map(r -> " (" + r + ")").orElse("")
              + ": every strict receiver refuses it. Request a new certificate, bind it to SMTP and"
              + " remove the revoked one.",
          NEW_CERTIFICATE_REQUEST);
      case CRL_UNAVAILABLE -> Remediation.advice(
          "The CRL" + f.evidence("url").map(u -> " at " + u).orElse("") + " cannot be fetched"
              + f.evidence("reason").map(r -> " (" + r + ")").orElse("")
              + ". Exchange and Exchange Online do not trust a certificate whose CRL they cannot read"
              + " (seed document): let the receivers reach the CA's CRL URL over HTTP (proxy,"
              + " firewall, DNS), or use a certificate from a CA whose CRL is published publicly.");
      case CRL_EXPIRED -> Remediation.advice(
          "The CRL" + f.evidence("url").map(u -> " at " + u).orElse("") + " is past its next update:"
              + " the CA (for your own CA: publish a fresh CRL, certutil -CRL on a Windows CA) must"
              + " publish a current one, and caches in between must not serve the old one.");
      case CRL_INVALID -> Remediation.advice(
          "The CRL" + f.evidence("url").map(u -> " at " + u).orElse("") + " is invalid"
              + f.evidence("reason").map(r -> " (" + r + ")").orElse("")
              + ": the CA must publish a CRL signed by the certificate's issuer at the URL the"
              + " certificate names.");
      case CERT_NO_REVOCATION_POINT -> Remediation.advice(
          "The certificate names no CRL distribution point and no OCSP responder, so a strict"
              + " receiver cannot check it: use a certificate from a CA that publishes revocation"
              + " information (for your own CA, add a CDP extension to the template and re-issue).");
      case OCSP_UNAVAILABLE -> Remediation.advice(
          "The OCSP responder" + f.evidence("url").map(u -> " at " + u).orElse("") + " gives no usable"
              + " answer" + f.evidence("reason").map(r -> " (" + r + ")").orElse("")
              + ": receivers then fall back to the CRL, if there is one. Ask the CA, or let the"
              + " receivers reach the responder.");
      case DNSBL_LISTED -> Remediation.advice(
          "The address" + f.evidence("address").map(a -> " " + a).orElse("") + " is listed on the"
              + " DNS block list" + f.evidence("zone").map(z -> " " + z).orElse("")
              + text(f, "codes").map(c -> " (" + c + ")").orElse("") + quoted(f, "reason")
              + ". Exchange Online withholds STARTTLS from senders on its block lists (seed"
              + " document), and other receivers refuse or defer their mail. Find and stop the cause"
              + " (an infected host, an open relay, a misused account), then request delisting at the"
              + " list's removal page, which the TXT reason names.");
      case MX_NONE -> Remediation.advice(
          "No mail host was found for" + f.evidence("domain").map(d -> " " + d).orElse(" the domain")
              + quoted(f, "reason") + ": publish an MX record naming a host with A and AAAA"
              + " records (RFC 5321 §5.1), or a null MX (\"0 .\", RFC 7505) if the domain takes no"
              + " mail. Senders otherwise queue and bounce.");
      case NULL_MX -> Remediation.advice(
          "The domain" + f.evidence("domain").map(d -> " " + d).orElse("") + " says it accepts no"
              + " mail (null MX, RFC 7505). If it should receive mail, replace the \"0 .\" MX"
              + " record with the real mail hosts.");
      case MX_ADDRESS_NOT_PUBLIC -> Remediation.advice(
          "The MX host" + f.evidence("host").map(h -> " " + h).orElse("") + " resolves to"
              + f.evidence("address").map(a -> " " + a).orElse(" an address") + ", which is not"
              + " reachable on the internet (loopback, private or documentation range): fine in a"
              + " lab, but publish the host's public address in DNS for real mail.");
      case DANE_TLSA_MISMATCH -> Remediation.advice(
          "No TLSA record at" + f.evidence("name").map(n -> " " + n).orElse(" _25._tcp.<mx host>")
              + " matches the certificate the server presents, so DANE senders (Postfix with"
              + " smtp_tls_security_level=dane, Exchange Online with SmtpDaneMode) defer mail."
              + " Publish a TLSA record for the new key before deploying it (\"3 1 1\" of the"
              + " leaf's public key, RFC 7671 §8.1), or put the previous certificate back.");
      case DANE_DNSSEC_BOGUS -> Remediation.advice(
          "DNSSEC validation of" + f.evidence("name").map(n -> " " + n).orElse(" the records")
              + " fails" + quoted(f, "reason") + ": validating senders treat the domain as"
              + " unreachable. Re-sign the zone (expired RRSIGs are the usual cause) and check the"
              + " DS record at the parent matches the zone's key-signing key.");
      case DANE_TLSA_LOOKUP_FAILED -> Remediation.advice(
          "The TLSA lookup of" + f.evidence("name").map(n -> " " + n).orElse(" _25._tcp.<mx host>")
              + " failed" + quoted(f, "reason") + ": the MX host's addresses are DNSSEC-signed, so"
              + " DANE senders may not fall back to unauthenticated TLS and defer mail (RFC 7672"
              + " §2.2). Make the zone's name servers answer TLSA queries (NXDOMAIN or NODATA with"
              + " a signed denial when there are no records): middleboxes and old servers that drop"
              + " or SERVFAIL unknown types are the usual cause.");
      case DANE_INSECURE -> Remediation.advice(
          "The records at" + f.evidence("name").map(n -> " " + n).orElse(" the MX host")
              + " are not DNSSEC-signed, so senders cannot use DANE there. To protect mail with"
              + " DANE, sign the zone, publish the DS at the parent and add TLSA records.");
      case DANE_TLSA_UNUSABLE -> Remediation.advice(
          "The TLSA records at" + f.evidence("name").map(n -> " " + n).orElse(" the MX host")
              + " are unusable for SMTP (RFC 7672 §3.1.3: only usages 2, DANE-TA, and 3, DANE-EE,"
              + " count, with selector 0 or 1 and matching type 0, 1 or 2). Publish \"3 1 1\" records"
              + " of the server's public key.");
      case MTA_STS_POLICY_UNAVAILABLE -> Remediation.advice(
          "The MTA-STS policy" + f.evidence("url").map(u -> " at " + u).orElse("") + " could not be"
              + " fetched" + quoted(f, "reason") + ". Serve it over HTTPS with a publicly trusted"
              + " certificate for mta-sts.<domain>, with status 200 and no redirect (RFC 8461 §3.3);"
              + " or remove the _mta-sts TXT record if the domain has no policy.");
      case MTA_STS_POLICY_INVALID -> Remediation.advice(
          "The MTA-STS record or policy" + f.evidence("url").map(u -> " at " + u).orElse("")
              + " is malformed" + quoted(f, "reason") + ". A record reads \"v=STSv1; id=<1-32"
              + " letters or digits>\"; a policy has version: STSv1, mode:"
              + " enforce|testing|none, one mx: line per pattern and max_age (RFC 8461 §3.2).");
      case MTA_STS_MX_MISMATCH -> Remediation.advice(
          "The MX host" + f.evidence("host").map(h -> " " + h).orElse("") + " matches none of the"
              + " policy's mx patterns" + text(f, "patterns").map(p -> " (" + p + ")").orElse("")
              + ": senders enforcing MTA-STS will not deliver to it. Add an mx: line for it to the"
              + " policy, change the policy's id in the _mta-sts record, and publish both.");
      case MTA_STS_CERT_INVALID -> Remediation.advice(
          "The certificate of" + f.evidence("host").map(h -> " " + h).orElse(" the MX host")
              + " is not valid for MTA-STS" + quoted(f, "reason") + " (RFC 8461 §4.2: it must"
              + " chain to a trusted CA, be current and name the MX host): install a certificate"
              + " from a public CA that covers the MX host name.");
      case TLSRPT_RECORD_INVALID -> Remediation.advice(
          "The TLS-RPT record" + quoted(f, "record") + " is malformed" + quoted(f, "reason")
              + ". It reads \"v=TLSRPTv1; rua=mailto:tlsrpt@example.com\" (RFC 8460 §3): the"
              + " version first, then one or more mailto: or https: addresses.");
      case CONNECTOR_CERTIFICATE_MISMATCH -> new Remediation(
          "The server presents the certificate" + f.evidence("subject").map(v -> " " + v).orElse("")
              + ", not the one its Receive connector names" + quoted(f, "expected")
              + ": the certificate bound to SMTP changed without the connector (or the other way"
              + " round). Bind the named certificate to SMTP, or name the presented one in"
              + " TlsCertificateName (\"<I>issuer<S>subject\").",
          "Enable-ExchangeCertificate -Thumbprint <SHA-1 of the right certificate> -Services SMTP");
      case CONNECTOR_FQDN_MISMATCH -> new Remediation(
          "The server announces" + f.evidence("announced").map(v -> " " + v).orElse(" another name")
              + " but its connector's Fqdn is" + f.evidence("expected").map(v -> " " + v).orElse(" different")
              + ": the probe reached another Receive connector or server (check the connector's"
              + " Bindings and RemoteIPRanges), or the setting is not what is believed. Set the Fqdn to"
              + " a name the certificate bound to SMTP covers.",
          "Set-ReceiveConnector -Identity \"<Server>\\<Receive connector>\" -Fqdn <name the certificate covers>");
      case SENDER_NO_STARTTLS -> new Remediation(
          "The sending server did not use STARTTLS although the receiver offered it. Exchange: bind a"
              + " certificate to SMTP (the Send connector then uses opportunistic TLS) or force it with"
              + " RequireTLS on the Send connector; Postfix: smtp_tls_security_level = may (or encrypt"
              + " for a partner that must get TLS). A firewall's SMTP inspection that strips STARTTLS"
              + " has the same effect: turn it off.",
          "Set-SendConnector -Identity \"<Send connector>\" -RequireTLS $true\n"
              + "postconf -e 'smtp_tls_security_level = may'");
      case SENDER_NO_CLIENT_CERT -> new Remediation(
          "The sending server presented no client certificate, so a receiver that identifies senders by"
              + " certificate (an Exchange Online inbound connector with TlsSenderCertificateName, Postfix"
              + " smtpd_tls_req_ccert) cannot recognise it. Exchange: name the certificate on the Send"
              + " connector with TlsCertificateName and bind it to SMTP; Postfix: set smtp_tls_cert_file"
              + " and smtp_tls_key_file (Postfix presents them when the receiver asks).",
          "Set-SendConnector -Identity \"<Send connector>\" -TlsCertificateName \"<I><issuer DN><S><subject DN>\"\n"
              + "Enable-ExchangeCertificate -Thumbprint <SHA-1 thumbprint from Get-ExchangeCertificate> -Services SMTP");
      case SENDER_EHLO_NOT_FQDN -> new Remediation(
          "The sending server announces" + f.evidence("helo").map(h -> " '" + h + "'").orElse(" a name")
              + " in HELO/EHLO, which is not a fully qualified domain name (RFC 5321 §4.1.1.1). Give the"
              + " Send connector an FQDN its certificate covers (Postfix: smtp_helo_name, by default"
              + " myhostname).",
          "Set-SendConnector -Identity \"<Send connector>\" -Fqdn <mail.contoso.com>\n"
              + "postconf -e 'smtp_helo_name = <mail.contoso.com>'");
      case SENDER_TLS_PROTOCOL_WEAK -> new Remediation(
          "The sending server negotiated " + f.evidence("protocol").orElse("an obsolete protocol")
              + " (RFC 8996 deprecates TLS 1.0 and 1.1). Enable TLS 1.2 or later for the client side"
              + " (Windows: SCHANNEL and the .NET strong-crypto settings), then turn the old versions"
              + " off; Postfix 3.6 and later:",
          "postconf -e 'smtp_tls_protocols = >=TLSv1.2' 'smtp_tls_mandatory_protocols = >=TLSv1.2'");
      case SENDER_PROTOCOL_VIOLATION -> Remediation.advice(
          "The sending side broke the SMTP dialogue" + f.evidence("step").map(s -> " during " + s).orElse("")
              + quoted(f, "reason") + ". Look for a device in the path that rewrites SMTP (a firewall's"
              + " ESMTP inspection, a proxy), for TLS settings the receiver cannot meet, or for software"
              + " that is not a mail server at all.");
      case SENDER_TIMEOUT -> Remediation.advice(
          "The sending side stalled" + f.evidence("step").map(s -> " during " + s).orElse("")
              + ". Check the path for a device that holds SMTP traffic (inspection, tarpits, an MTU"
              + " problem that stalls the TLS handshake) and the sending server's load.");
      case SENDER_TOO_MANY_CONNECTIONS -> Remediation.advice(
          "The sender opened more connections at once than the receiver serves" + f.evidence("limit")
              .map(l -> " (" + l + ")").orElse("") + ". Lower the sender's concurrency per destination"
              + " (Exchange: Set-TransportService -MaxPerDomainOutboundConnections; Postfix:"
              + " smtp_destination_concurrency_limit).");
      case SENDER_CERT_UNTRUSTED, SENDER_CERT_SELF_SIGNED, SENDER_CERT_CHAIN_INCOMPLETE -> new Remediation(
          "The sending server's client certificate must chain to a CA the receiver trusts, with its"
              + " intermediates sent along: Exchange Online accepts only certificates from public CAs."
              + " Get one from a public CA, name it on the Send connector and bind it to SMTP (Postfix:"
              + " smtp_tls_cert_file holding the certificate followed by its intermediates).",
          "Set-SendConnector -Identity \"<Send connector>\" -TlsCertificateName \"<I><issuer DN><S><subject DN>\"\n"
              + "Enable-ExchangeCertificate -Thumbprint <SHA-1 thumbprint from Get-ExchangeCertificate> -Services SMTP");
      case SENDER_CERT_EXPIRED, SENDER_CERT_EXPIRES_SOON, SENDER_CERT_NOT_YET_VALID -> new Remediation(
          "Renew the sending server's certificate" + f.evidence("notAfter").map(d -> " (valid until " + d + ")").orElse("")
              + ", then name the new one on the Send connector and bind it to SMTP (Postfix: replace"
              + " smtp_tls_cert_file and smtp_tls_key_file, postfix reload).",
          "Set-SendConnector -Identity \"<Send connector>\" -TlsCertificateName \"<I><issuer DN><S><subject DN>\"\n"
              + "Enable-ExchangeCertificate -Thumbprint <SHA-1 thumbprint from Get-ExchangeCertificate> -Services SMTP");
      case SENDER_CERT_WRONG_PURPOSE -> Remediation.advice(
          "The sending server's certificate may not be used as a TLS client certificate: request one"
              + " whose extended key usage includes clientAuth (public CAs issue serverAuth and"
              + " clientAuth together), RFC 5280 §4.2.1.12.");
      case SENDER_CERT_WEAK_KEY, SENDER_CERT_WEAK_SIGNATURE, SENDER_CERT_MALFORMED, SENDER_CERT_REVOKED,
          SENDER_CERT_CHAIN_ORDER, SENDER_CERT_NO_REVOCATION_POINT -> new Remediation(
          "Replace the sending server's certificate with a sound one from a public CA (RSA 2048 or"
              + " ECDSA P-256, SHA-256, revocation information, chain sent in order), then name it on"
              + " the Send connector and bind it to SMTP (Postfix: smtp_tls_cert_file and"
              + " smtp_tls_key_file).",
          "Set-SendConnector -Identity \"<Send connector>\" -TlsCertificateName \"<I><issuer DN><S><subject DN>\"\n"
              + "Enable-ExchangeCertificate -Thumbprint <SHA-1 thumbprint from Get-ExchangeCertificate> -Services SMTP");
      case SENDER_CERT_NAME_MISMATCH, SENDER_CERT_EHLO_NAME_MISMATCH, SENDER_CERT_CN_ONLY -> new Remediation(
          "The sending server's certificate must cover the FQDN it announces in EHLO"
              + text(f, "names").map(n -> " (it names " + n + ")").orElse("")
              + ": set the Send connector's Fqdn to a name in the certificate's subject alternative names"
              + " (Postfix: smtp_helo_name), or get a certificate for the announced name. Exchange"
              + " Online's inbound connector matches TlsSenderCertificateName against these names.",
          "Set-SendConnector -Identity \"<Send connector>\" -Fqdn <name on the certificate>\n"
              + "postconf -e 'smtp_helo_name = <name on the certificate>'");
      case SENDER_ADDRESS_NOT_ALLOWED -> new Remediation(
          "The sending server connects from" + f.evidence("address").map(a -> " " + a).orElse(" an address")
              + ", which the inbound connector's SenderIPAddresses" + quoted(f, "allowed") + " does not list:"
              + " add the sender's public address (IPv4, /24 to /32), or send from a listed one (check the"
              + " NAT in front of the sending server).",
          "Set-InboundConnector -Identity \"<Inbound connector>\" -SenderIPAddresses @{Add=\""
              + f.evidence("address").orElse("<sender IPv4 address>") + "\"}");
      case TLS_CIPHER_WEAK -> new Remediation(
          "The server accepts " + f.evidence("cipherSuite").orElse("a weak cipher suite")
              + f.evidence("reason").map(r -> " (" + r + ")").orElse("")
              + ", which BCP 195 (RFC 9325 §4.1, RFC 7465) forbids. Postfix: exclude the weak"
              + " suites from the mandatory and the opportunistic cipher lists (tls_high_cipherlist is"
              + " the base of smtpd_tls_mandatory_ciphers = high) and keep TLS 1.2 or later. Exchange:"
              + " disable TLS 1.0/1.1 and the RC4, DES and 3DES ciphers in SCHANNEL"
              + " (HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL), then restart.",
          "postconf -e 'smtpd_tls_mandatory_ciphers = high' 'smtpd_tls_ciphers = medium'"
              + " 'smtpd_tls_exclude_ciphers = aNULL, eNULL, EXPORT, DES, 3DES, RC4, MD5, IDEA'"
              + " 'smtpd_tls_protocols = >=TLSv1.2' 'smtpd_tls_mandatory_protocols = >=TLSv1.2'");
      default -> null;
    };
  }
}
