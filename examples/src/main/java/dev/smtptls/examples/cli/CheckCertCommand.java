package dev.smtptls.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.cert.CertificateFileException;
import dev.smtptls.cert.CertificateFiles;
import dev.smtptls.cert.CertificateInfo;
import dev.smtptls.cert.CertificateReport;
import dev.smtptls.cert.ParsedCertificates;
import dev.smtptls.cert.PeerIdentity;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code smtptls check-cert --chain FILE.pem}: validates a chain without a network probe, as a
 * strict receiver would, and prints every problem with its fix. Exit 0 when no finding is an
 * {@code ERROR} (a certificate that breaks X.509 is one: {@code CERT_MALFORMED}), 1 when one is,
 * 2 when the file holds no certificate at all (one line on stderr naming the file and line).
 */
@Command(
    name = "check-cert",
    mixinStandardHelpOptions = true,
    versionProvider = ToolVersion.class,
    description = {
      "Validates a certificate chain from a file, without a network probe: the path to a trusted"
          + " root (from what the file holds, in any order), validity, key usage, key and signature"
          + " strength, the names a strict receiver such as Exchange checks, and with --revocation crl,"
          + " ocsp or all whether a certificate is revoked (by its CRLs, its OCSP responder, or both),"
          + " with every CRL the path names: fetched or not, how fast, how big, current or not.",
    })
public final class CheckCertCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--chain", paramLabel = "FILE.pem", required = true,
      description = "The chain as a server presents it: the leaf first, then any intermediates (PEM, or one DER certificate).")
  Path chain;

  @Option(names = "--trust", paramLabel = "system|FILE.pem", converter = TrustArgument.Converter.class,
      defaultValue = "system", showDefaultValue = Visibility.ALWAYS,
      description = "Trust anchors: the JDK's (system) or a PEM bundle. Repeatable: the first decides "
          + "the findings, the others are reported side by side.")
  List<TrustArgument> trust = new ArrayList<>();

  @Option(names = "--name", paramLabel = "NAME", converter = HostNameConverter.class,
      description = "A name the certificate must cover (the MX host, a connector's TLS domain); repeatable.")
  List<String> names = new ArrayList<>();

  @Option(names = "--ehlo-name", paramLabel = "FQDN", converter = HostNameConverter.class,
      description = "The FQDN the server gives in its greeting or EHLO reply; checked as Exchange does "
          + "(CERT_EHLO_NAME_MISMATCH when the certificate does not cover it).")
  @Nullable String ehloName;

  @Option(names = "--at", paramLabel = "INSTANT", converter = InstantConverter.class,
      description = "Validate as of this instant (2025-06-01T12:00:00Z). Default: now.")
  @Nullable Instant at;

  @Option(names = "--revocation", paramLabel = "none|crl|ocsp|all", converter = RevocationMode.Converter.class,
      defaultValue = "none", showDefaultValue = Visibility.ALWAYS,
      description = "How to check revocation: none; crl (fetch the CRL of every distribution point the "
          + "certificates of the validated path name; each fetch bounded by --timeout); ocsp (ask the OCSP "
          + "responder each certificate of the validated path names, bounded by --timeout; no CRL is "
          + "fetched); all (the CRLs, then OCSP).")
  RevocationMode revocation = RevocationMode.NONE;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      defaultValue = "10s", showDefaultValue = Visibility.ALWAYS,
      description = "With --revocation crl, ocsp or all: the longest wait to connect to a CRL server or an "
          + "OCSP responder, and to read a whole CRL or OCSP answer (500ms, 10s, 2m, PT10S). A CRL that "
          + "takes longer is CRL_UNAVAILABLE, an OCSP answer OCSP_UNAVAILABLE.")
  Duration timeout = Duration.ofSeconds(10);

  @Option(names = "--profile", paramLabel = "default|strict", converter = ProfileArgument.Converter.class,
      defaultValue = "default", showDefaultValue = Visibility.ALWAYS,
      description = "Check profile: default, or strict (as Exchange 2013+ and Exchange Online receive: "
          + "revocation warnings become errors).")
  ProfileArgument profile = ProfileArgument.DEFAULT;

  @Option(names = "--json", description = "Print one JSON object (CONTRACT.md) instead of text.")
  boolean json;

  @Option(names = "--debug", description = "Print the stack trace of an internal error.")
  boolean debug;

  /** Creates the command; picocli fills its fields. */
  public CheckCertCommand() {}

  /**
   * The outcome: what the file held and what the checker made of it.
   *
   * @param parsed the certificates and a {@code CERT_MALFORMED} finding per broken one
   * @param report the checker's report, or null when there was no usable leaf to check
   * @param findings the malformed findings, then the checker's
   */
  record Outcome(ParsedCertificates parsed, @Nullable CertificateReport report, List<Finding> findings) {
    boolean valid() {
      return findings.stream().noneMatch(f -> f.severity() == Severity.ERROR);
    }
  }

  @Override
  public Integer call() {
    ParsedCertificates parsed = read(chain);
    Revocation revocationCheck = Revocation.of(revocation, timeout);
    CertificateChecker checker = Checkers.build(trust, at, profile, revocationCheck);
    PeerIdentity identity = new PeerIdentity(names, ehloName);
    CertificateReport report = null;
    List<Finding> findings = new ArrayList<>(parsed.findings());
    if (!parsed.certificates().isEmpty() && !leafMalformed(chain, parsed)) {
      report = checker.check(parsed.certificates(), identity);
      findings.addAll(report.findings());
    }
    Outcome o = new Outcome(parsed, report, List.copyOf(findings));
    // The CRL table comes from the CRL checker's cache: what the check fetched is not fetched again.
    Revocation.Outcome revocationOutcome = revocationCheck.outcome(report);
    // Rendered whole before anything is printed: an error while rendering leaves stdout empty.
    String rendered = json
        ? JsonReports.pretty(json(o, revocationOutcome)) + System.lineSeparator()
        : text(o, revocationOutcome);
    PrintWriter out = spec.commandLine().getOut();
    out.print(rendered);
    out.flush();
    return o.valid() ? SmtpTlsCommand.EXIT_OK : SmtpTlsCommand.EXIT_FINDINGS;
  }

  /** Reads the chain; anything that is not a certificate file is a usage error naming file and line. */
  private static ParsedCertificates read(Path file) {
    try {
      if (Files.isDirectory(file)) {
        throw new UsageException("--chain: " + file + " is a directory, not a certificate file");
      }
      return CertificateFiles.read(file);
    } catch (CertificateFileException e) {
      // "file:line: problem", as CertificateFiles words it.
      throw new UsageException(String.valueOf(e.getMessage()));
    } catch (NoSuchFileException e) {
      throw new UsageException("--chain: no such file: " + file);
    } catch (AccessDeniedException e) {
      throw new UsageException("--chain: cannot read " + file + ": permission denied");
    } catch (IOException e) {
      throw new UsageException("--chain: cannot read " + file + ": " + java.util.Objects.requireNonNullElse(e.getMessage(), "I/O error"));
    }
  }

  /**
   * Whether the first certificate of the file is the broken one: then what parsed after it is not
   * the leaf, and checking it as one would report names and purposes of an intermediate.
   */
  private static boolean leafMalformed(Path file, ParsedCertificates parsed) {
    if (parsed.findings().isEmpty()) {
      return false;
    }
    int firstBlock = 0;
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
      for (int i = 0; i < lines.size(); i++) {
        String l = lines.get(i).strip();
        if (l.startsWith("-----BEGIN ") && l.contains("CERTIFICATE-----")) {
          firstBlock = i + 1;
          break;
        }
      }
    } catch (IOException e) {
      return true; // it was readable a moment ago; rather check nothing than the wrong leaf
    }
    String leafSource = file + (firstBlock > 0 ? ":" + firstBlock : "");
    return parsed.findings().stream()
        .filter(f -> f.code() == FindingCode.CERT_MALFORMED)
        .anyMatch(f -> leafSource.equals(f.evidence().get("source")));
  }

  private ObjectNode json(Outcome o, Revocation.Outcome revocationOutcome) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    ObjectNode root = nodes.objectNode();
    root.set("tool", JsonReports.tool());
    root.put("valid", o.valid());
    CertificateReport r = o.report();
    root.put("checkedAt", r == null ? null : JsonReports.instant(r.checkedAt()));
    ArrayNode certs = root.putArray("certificates");
    o.parsed().certificates().forEach(c -> certs.add(JsonReports.certificate(CertificateInfo.of(c))));
    root.set("path", r == null ? nodes.nullNode() : JsonReports.path(r));
    root.set("trust", r == null ? nodes.arrayNode() : JsonReports.trust(r));
    root.put("revocationChecked", revocationOutcome.checked());
    root.set("revocation", JsonReports.revocation(revocationOutcome));
    root.set("findings", JsonReports.findings(o.findings()));
    return root;
  }

  private String text(Outcome o, Revocation.Outcome revocationOutcome) {
    StringBuilder sb = new StringBuilder();
    List<CertificateInfo> certs = o.parsed().certificates().stream().map(CertificateInfo::of).toList();
    sb.append(String.format("%-13s %s%n", "Chain", chain + ": " + certs.size()
        + (certs.size() == 1 ? " certificate" : " certificates") + " (leaf first)"
        + (o.parsed().findings().isEmpty() ? "" : ", " + o.parsed().findings().size() + " malformed")));
    if (!certs.isEmpty()) {
      sb.append(String.format("Certificates  %d, as in the file%n", certs.size()));
      for (int i = 0; i < certs.size(); i++) {
        TextReports.certificateBlock(sb, i, certs.get(i));
      }
    }
    CertificateReport r = o.report();
    if (r != null) {
      TextReports.certificateCheck(sb, r, revocationOutcome);
      TextReports.revocationTable(sb, revocationOutcome);
    } else {
      sb.append(String.format("Certificate check%n"));
      sb.append(String.format("  %-11s %s%n", "Verdict", "NOT valid: the leaf breaks X.509, nothing else was checked"));
    }
    TextReports.findings(sb, o.findings(), "");
    return sb.toString();
  }
}
