package dev.smtptls.examples.cli;

import dev.smtptls.cert.CertificateInfo;
import dev.smtptls.cert.CertificateReport;
import dev.smtptls.cert.TrustResult;
import dev.smtptls.connector.Diagnosis;
import dev.smtptls.connector.ExplainedCause;
import dev.smtptls.crl.CrlReachability;
import dev.smtptls.connector.Remediation;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.Severity;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.PlaintextCheck;
import dev.smtptls.inspect.StartTlsOutcome;
import dev.smtptls.inspect.Timings;
import dev.smtptls.inspect.TranscriptEntry;
import dev.smtptls.smtp.Ehlo;
import dev.smtptls.smtp.Greeting;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.security.auth.x500.X500Principal;
import org.jspecify.annotations.Nullable;

/**
 * Reports as a mail administrator reads them at a glance: one labelled line per fact, the
 * certificates one block each, every finding with its fix. Plain text without colours.
 */
public final class TextReports {

  private static final String LABEL = "%-13s %s%n";

  private TextReports() {}

  /**
   * A probe report as text.
   *
   * @param r the report
   * @param withTranscript also list the dialogue line by line
   * @return the text, ending in a line break
   */
  public static String probe(InspectionReport r, boolean withTranscript) {
    return probe(r, withTranscript, (Revocation.Outcome) null);
  }

  /**
   * A probe report as text.
   *
   * @param r the report
   * @param withTranscript also list the dialogue line by line
   * @param revocationChecked whether the checker checked revocation (said in the certificate section)
   * @return the text, ending in a line break
   */
  public static String probe(InspectionReport r, boolean withTranscript, boolean revocationChecked) {
    return probe(r, withTranscript, revocationChecked, null);
  }

  /**
   * A probe report as text, with what came of the revocation check: a line in the certificate
   * section, then the {@code Revocation} table (one row per CRL URL of the validated path).
   *
   * @param r the report
   * @param withTranscript also list the dialogue line by line
   * @param revocation what came of the revocation check, or null to say only "not checked"
   * @return the text, ending in a line break
   */
  public static String probe(InspectionReport r, boolean withTranscript, Revocation.@Nullable Outcome revocation) {
    return probe(r, withTranscript, false, revocation);
  }

  private static String probe(InspectionReport r, boolean withTranscript, boolean revocationChecked,
      Revocation.@Nullable Outcome revocation) {
    StringBuilder sb = new StringBuilder();
    InetAddress a = r.address() != null ? r.address().getAddress() : r.target().address();
    String host = r.target().host();
    line(sb, "Target", host + " port " + r.target().port()
        + (a == null || a.getHostAddress().equals(host) ? "" : " at " + a.getHostAddress()));
    Greeting g = r.greeting();
    line(sb, "Greeting", g == null ? "(none)" : g.reply().oneLine());
    Ehlo e = r.ehlo();
    if (e != null) {
      line(sb, "EHLO", ehloLine(e));
    } else if (r.helo() != null) {
      line(sb, "HELO", r.helo().oneLine() + " (EHLO refused)");
    } else {
      line(sb, "EHLO", "(none)");
    }
    PlaintextCheck p = r.plaintext();
    if (p != null) {
      line(sb, "MAIL in clear", p.reply().oneLine()
          + (p.mailFromAccepted() ? " (accepted without TLS)" : " (refused without TLS)"));
    }
    line(sb, "STARTTLS", startTls(r.startTls()));
    Ehlo after = r.ehloAfterTls();
    if (after != null) {
      line(sb, "EHLO (TLS)", ehloLine(after));
    }
    List<CertificateInfo> certs = r.certificates();
    if (!certs.isEmpty()) {
      sb.append(String.format("Certificates  %d, as presented (leaf first)%n", certs.size()));
      for (int i = 0; i < certs.size(); i++) {
        certificate(sb, i, certs.get(i));
      }
    }
    CertificateReport check = r.certificateCheck();
    if (check != null) {
      if (revocation != null) {
        certificateCheck(sb, check, revocation);
        revocationTable(sb, revocation);
      } else {
        certificateCheck(sb, check, revocationChecked);
      }
    }
    findings(sb, r.findings(), "");
    causes(sb, Diagnosis.causes(r));
    line(sb, "Timings", timings(r.timings()));
    if (r.aborted()) {
      line(sb, "Aborted", "the probe was interrupted before it finished");
    }
    if (withTranscript) {
      sb.append(String.format("Transcript%n"));
      for (TranscriptEntry t : r.transcript()) {
        sb.append("  ").append(t).append(System.lineSeparator());
      }
    }
    return sb.toString();
  }

  /**
   * The certificate checker's verdict: valid or not, the validated path, each trust source's
   * verdict, the validation time and whether revocation was checked. The findings are printed
   * with the others, by {@link #findings}.
   *
   * @param sb where to write
   * @param c the certificate report
   * @param revocationChecked whether the checker checked revocation
   */
  public static void certificateCheck(StringBuilder sb, CertificateReport c, boolean revocationChecked) {
    certificateCheckLines(sb, c);
    sub(sb, "Revocation", revocationChecked ? "checked" : "not checked");
  }

  /**
   * The certificate checker's verdict, as {@link #certificateCheck(StringBuilder, CertificateReport,
   * boolean)} prints it, with what came of the revocation check in words: checked (CRLs, OCSP or
   * both), or what was not and why. {@link #revocationTable} prints the CRLs; OCSP answers are
   * findings ({@code OCSP_REVOKED}, {@code OCSP_UNAVAILABLE}), a good one none.
   *
   * @param sb where to write
   * @param c the certificate report
   * @param revocation what came of the revocation check
   */
  public static void certificateCheck(StringBuilder sb, CertificateReport c, Revocation.Outcome revocation) {
    certificateCheckLines(sb, c);
    String note = revocation.note();
    String line;
    if (revocation.checked() && revocation.mode() == RevocationMode.OCSP) {
      line = note != null ? note : "OCSP checked";
    } else if (revocation.checked()) {
      line = (note != null ? note : "checked") + " (the CRLs the path names: see Revocation below)";
    } else {
      line = note != null ? note : "not checked";
    }
    sub(sb, "Revocation", line);
  }

  /**
   * The table an administrator needs when Exchange says it cannot check revocation: one row per
   * certificate of the validated path and CRL URL it names, with the status, HTTP status, latency,
   * size, thisUpdate, nextUpdate and number of entries, then the certificate and the detail in
   * words. Nothing when revocation was not checked, or checked by OCSP only ({@code --revocation
   * ocsp} fetches no CRL).
   *
   * @param sb where to write
   * @param revocation what came of the revocation check
   */
  public static void revocationTable(StringBuilder sb, Revocation.Outcome revocation) {
    if (!revocation.checked() || revocation.mode() == RevocationMode.OCSP) {
      return;
    }
    List<CrlReachability> rows = revocation.crls();
    if (rows.isEmpty()) {
      line(sb, "Revocation", "no CRL: no certificate of the path names a CRL distribution point");
      return;
    }
    long bad = rows.stream().filter(x -> x.status() != CrlReachability.Status.OK).count();
    line(sb, "Revocation", rows.size() + (rows.size() == 1 ? " CRL URL" : " CRL URLs")
        + (bad == 0 ? ", every one OK" : ", " + bad + " not OK"));
    int urlWidth = Math.max(3, rows.stream().mapToInt(x -> x.url().toString().length()).max().orElse(3));
    String format = "  %-" + urlWidth + "s  %-11s  %4s  %8s  %9s  %-20s  %-20s  %7s%n";
    sb.append(String.format(format, "URL", "Status", "HTTP", "Latency", "Size", "thisUpdate", "nextUpdate",
        "Entries"));
    for (CrlReachability x : rows) {
      Integer http = x.httpStatus();
      Instant thisUpdate = x.thisUpdate();
      Instant nextUpdate = x.nextUpdate();
      boolean crl = thisUpdate != null;
      sb.append(String.format(format, x.url(), x.status(), http == null ? "-" : http.toString(),
          x.latency().toMillis() + " ms", crl ? size(x.bytes()) : "-",
          thisUpdate == null ? "-" : thisUpdate.toString(),
          nextUpdate == null ? (crl ? "none" : "-") : nextUpdate.toString(),
          crl ? Integer.toString(x.entries()) : "-"));
      sb.append(String.format("      for %s: %s%n", subject(x.certificate()), x.detail()));
    }
  }

  /** {@return "64 MiB", "1.5 MiB", "12.0 KiB", "200 B"} */
  private static String size(long bytes) {
    if (bytes >= 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
    if (bytes >= 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    return bytes + " B";
  }

  private static void certificateCheckLines(StringBuilder sb, CertificateReport c) {
    sb.append(String.format("Certificate check%n"));
    long errors = c.findings().stream().filter(f -> f.severity() == Severity.ERROR).count();
    sub(sb, "Verdict", c.valid()
        ? "valid: a strict receiver would accept this chain"
        : "NOT valid: " + errors + (errors == 1 ? " error" : " errors") + " (see Findings)");
    List<X509Certificate> path = c.path();
    if (!path.isEmpty()) {
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < path.size(); i++) {
        lines.add(subject(path.get(i)) + (i == path.size() - 1 ? "  (trust anchor)" : ""));
      }
      sub(sb, "Path", String.join(String.format("%n%14s", ""), lines));
    } else if (!c.trust().isEmpty()) {
      TrustResult first = c.trust().get(0);
      List<X509Certificate> partial = first.path();
      sub(sb, "Path", "none to a trust anchor of " + first.trustSource()
          + (partial.isEmpty() ? "" : "; it stops at " + subject(partial.get(partial.size() - 1))));
    }
    List<String> verdicts = new ArrayList<>();
    for (TrustResult t : c.trust()) {
      String codes = t.findings().stream().map(f -> f.code().name()).distinct().collect(Collectors.joining(", "));
      verdicts.add(t.trustSource() + ": " + (t.trusted() ? "trusted" : "NOT trusted")
          + (codes.isEmpty() ? "" : " (" + codes + ")"));
    }
    if (!verdicts.isEmpty()) {
      sub(sb, "Trust", String.join(String.format("%n%14s", ""), verdicts));
    }
    sub(sb, "Checked at", c.checkedAt().toString());
  }

  private static String subject(X509Certificate c) {
    return c.getSubjectX500Principal().getName(X500Principal.RFC2253);
  }

  private static void sub(StringBuilder sb, String label, String value) {
    sb.append(String.format("  %-11s %s%n", label, value));
  }

  /**
   * The likely causes, most likely first, with the checks that tell them apart ({@link
   * Diagnosis#causes}); nothing when there is none.
   *
   * @param sb where to write
   * @param causes the causes
   */
  static void causes(StringBuilder sb, List<ExplainedCause> causes) {
    if (causes.isEmpty()) {
      return;
    }
    sb.append(String.format("Likely causes %d, most likely first%n", causes.size()));
    int i = 0;
    for (ExplainedCause c : causes) {
      sb.append(String.format("  %d. %s: %s%n", ++i, c.code(), c.summary()));
      for (String check : c.checks()) {
        sb.append(String.format("       check: %s%n", check));
      }
    }
  }

  /**
   * Findings, errors first, with severity, code, message and, where one is known, the fix and the
   * command that applies it; {@code Findings none} when there are none.
   *
   * @param sb where to write
   * @param findings the findings
   * @param indent prefix for every line
   */
  public static void findings(StringBuilder sb, List<Finding> findings, String indent) {
    if (findings.isEmpty()) {
      sb.append(String.format(indent + LABEL, "Findings", "none"));
      return;
    }
    sb.append(String.format("%sFindings      %d%n", indent, findings.size()));
    // Errors first; within a severity, the order in which the probe made them.
    List<Finding> sorted = findings.stream().sorted(Comparator.comparing(Finding::severity)).toList();
    for (Finding f : sorted) {
      sb.append(String.format("%s  %-7s %s  %s%n", indent, f.severity(), f.code(), f.message()));
      Optional<Remediation> fix = Diagnosis.forFinding(f);
      if (fix.isPresent()) {
        sb.append(String.format("%s          fix: %s%n", indent, fix.get().text()));
        String command = fix.get().command();
        if (command != null) {
          // A command of several lines is run in order: keep them aligned under the first.
          String lines = String.join(
              String.format("%n%s               ", indent), command.strip().lines().toList());
          sb.append(String.format("%s          run: %s%n", indent, lines));
        }
      }
    }
  }

  /**
   * One certificate as a block: subject, issuer, validity, SHA-1 thumbprint, DNS names.
   *
   * @param sb where to write
   * @param index its position, from 0
   * @param c the certificate
   */
  public static void certificateBlock(StringBuilder sb, int index, CertificateInfo c) {
    certificate(sb, index, c);
  }

  private static void certificate(StringBuilder sb, int index, CertificateInfo c) {
    sb.append(String.format("  [%d] %s%n", index, c.subject()));
    sb.append(String.format("      issuer   %s%n", c.issuer()));
    sb.append(String.format("      valid    %s to %s%n", c.notBefore(), c.notAfter()));
    sb.append(String.format("      SHA-1    %s%n", c.sha1()));
    sb.append(String.format("      names    %s%n",
        c.dnsNames().isEmpty() ? "(no DNS names in the SAN)" : String.join(", ", c.dnsNames())));
    if (c.selfSigned()) {
      sb.append(String.format("      self-signed%n"));
    }
  }

  private static String ehloLine(Ehlo e) {
    String fqdn = e.fqdn();
    String keywords = e.keywords().isEmpty() ? "(no extensions)" : String.join(", ", e.keywords());
    return (fqdn == null ? "" : fqdn + ": ") + keywords;
  }

  private static String startTls(StartTlsOutcome outcome) {
    if (outcome instanceof StartTlsOutcome.Upgraded u) {
      return "upgraded, " + u.protocol() + ", " + u.cipherSuite()
          + (u.advertised() ? "" : " (accepted although the EHLO reply did not offer it)")
          + (u.resumed() ? ", resumed session (the certificates are from its full handshake)" : "");
    }
    if (outcome instanceof StartTlsOutcome.NotOffered n) {
      return n.attemptReply() == null
          ? "not offered"
          : "not offered (sent anyway: " + n.attemptReply().oneLine() + ")";
    }
    if (outcome instanceof StartTlsOutcome.Refused r) {
      return "refused: " + r.reply().oneLine();
    }
    if (outcome instanceof StartTlsOutcome.HandshakeFailed f) {
      return "handshake failed: " + f.alert();
    }
    if (outcome instanceof StartTlsOutcome.NotAttempted n) {
      return "not attempted: " + n.reason();
    }
    throw new IllegalStateException("unknown STARTTLS outcome " + outcome);
  }

  private static String timings(Timings t) {
    List<String> parts = new ArrayList<>();
    part(parts, "connect", t.connect());
    part(parts, "greeting", t.greeting());
    part(parts, "EHLO", t.ehlo());
    part(parts, "STARTTLS", t.startTls());
    part(parts, "handshake", t.handshake());
    part(parts, "total", t.total());
    return String.join(", ", parts);
  }

  private static void part(List<String> parts, String name, @Nullable Duration d) {
    if (d != null) {
      parts.add(name + " " + d.toMillis() + " ms");
    }
  }

  private static void line(StringBuilder sb, String label, String value) {
    sb.append(String.format(LABEL, label, value));
  }
}
