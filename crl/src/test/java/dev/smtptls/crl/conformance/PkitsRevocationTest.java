package dev.smtptls.crl.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.cert.CertificateReport;
import dev.smtptls.cert.PeerIdentity;
import dev.smtptls.cert.TrustResult;
import dev.smtptls.cert.ValidationRules;
import dev.smtptls.crl.CrlRevocationChecker;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import dev.smtptls.trust.TrustSources;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The revocation sections of NIST's PKITS (Public Key Interoperability Test Suite, certification
 * path validation): 4.4 basic certificate revocation, 4.14 distribution points, 4.15 delta CRLs.
 * The certificates and CRLs are in {@code ../shared/conformance/pkits/} (override with {@code
 * -Dsmtptls.conformance.dir=...}); which of them make up test 4.x.y comes from PKITS.pdf, as
 * Bouncy Castle's {@code NistCertPathTest2} lists them. The trust anchor is {@code
 * TrustAnchorRootCertificate} with {@code TrustAnchorRootCRL}; the validation time is
 * 2010-02-01, as Bouncy Castle uses (the data is valid 2001–2011; 4.4.11's CRL expired in
 * January 2010). A test is expected valid iff its end-entity file name starts with "Valid".
 *
 * <p>Each case runs through {@link CertificateChecker} ({@link ValidationRules#RFC_5280}, trust
 * anchor form not judged) with a {@link CrlRevocationChecker} holding the test's CRLs and its CA
 * certificates (as CRL signer candidates), fetching nothing. A path is refused when a finding is
 * an {@code ERROR} or a CRL finding says the status cannot be determined ({@code
 * CRL_UNAVAILABLE}, {@code CRL_EXPIRED}, {@code CRL_INVALID}): PKIX treats an undetermined status
 * as a failure. The PKITS data of 2001 is signed with SHA-1 and 1024-bit RSA, which the checker
 * reports as {@code CERT_WEAK_SIGNATURE} / {@code CERT_WEAK_KEY} errors and for which it does not
 * consult the revocation checker; those two findings are set aside here and the revocation
 * checker is run on the path the checker built.
 *
 * <p>Mismatches we knowingly have are listed with a reason in {@code pkits/known-failures.txt}; the
 * test fails on any other mismatch and on a listed case that passes.
 */
class PkitsRevocationTest {

  private static final Instant AT = Instant.parse("2010-02-01T00:00:00Z");

  private static final Set<FindingCode> UNDETERMINED =
      EnumSet.of(FindingCode.CRL_UNAVAILABLE, FindingCode.CRL_EXPIRED, FindingCode.CRL_INVALID);

  private static final Set<FindingCode> WEAK_ALGORITHMS =
      EnumSet.of(FindingCode.CERT_WEAK_SIGNATURE, FindingCode.CERT_WEAK_KEY);

  /** One PKITS test: its end entity, intermediate certificates and CRLs (file names without suffix). */
  record Case(String id, String endEntity, List<String> certs, List<String> crls) {}

  private static final List<Case> CASES = new ArrayList<>();

  private static void add(String id, String ee, String certs, String crls) {
    CASES.add(new Case(id, ee, split(certs), split(crls)));
  }

  private static List<String> split(String s) {
    return s.isBlank() ? List.of() : List.of(s.trim().split("\\s*,\\s*"));
  }

  static {
    // 4.4 Basic Certificate Revocation Tests
    add("4.4.1", "InvalidMissingCRLTest1EE", "NoCRLCACert", "");
    add("4.4.2", "InvalidRevokedCATest2EE", "RevokedsubCACert, GoodCACert", "RevokedsubCACRL, GoodCACRL");
    add("4.4.3", "InvalidRevokedEETest3EE", "GoodCACert", "GoodCACRL");
    add("4.4.4", "InvalidBadCRLSignatureTest4EE", "BadCRLSignatureCACert", "BadCRLSignatureCACRL");
    add("4.4.5", "InvalidBadCRLIssuerNameTest5EE", "BadCRLIssuerNameCACert", "BadCRLIssuerNameCACRL");
    add("4.4.6", "InvalidWrongCRLTest6EE", "WrongCRLCACert", "WrongCRLCACRL");
    add("4.4.7", "ValidTwoCRLsTest7EE", "TwoCRLsCACert", "TwoCRLsCABadCRL, TwoCRLsCAGoodCRL");
    add("4.4.8", "InvalidUnknownCRLEntryExtensionTest8EE", "UnknownCRLEntryExtensionCACert",
        "UnknownCRLEntryExtensionCACRL");
    add("4.4.9", "InvalidUnknownCRLExtensionTest9EE", "UnknownCRLExtensionCACert", "UnknownCRLExtensionCACRL");
    add("4.4.10", "InvalidUnknownCRLExtensionTest10EE", "UnknownCRLExtensionCACert", "UnknownCRLExtensionCACRL");
    add("4.4.11", "InvalidOldCRLnextUpdateTest11EE", "OldCRLnextUpdateCACert", "OldCRLnextUpdateCACRL");
    add("4.4.12", "Invalidpre2000CRLnextUpdateTest12EE", "pre2000CRLnextUpdateCACert",
        "pre2000CRLnextUpdateCACRL");
    add("4.4.13", "ValidGeneralizedTimeCRLnextUpdateTest13EE", "GeneralizedTimeCRLnextUpdateCACert",
        "GeneralizedTimeCRLnextUpdateCACRL");
    add("4.4.14", "ValidNegativeSerialNumberTest14EE", "NegativeSerialNumberCACert", "NegativeSerialNumberCACRL");
    add("4.4.15", "InvalidNegativeSerialNumberTest15EE", "NegativeSerialNumberCACert", "NegativeSerialNumberCACRL");
    add("4.4.16", "ValidLongSerialNumberTest16EE", "LongSerialNumberCACert", "LongSerialNumberCACRL");
    add("4.4.17", "ValidLongSerialNumberTest17EE", "LongSerialNumberCACert", "LongSerialNumberCACRL");
    add("4.4.18", "InvalidLongSerialNumberTest18EE", "LongSerialNumberCACert", "LongSerialNumberCACRL");
    add("4.4.19", "ValidSeparateCertificateandCRLKeysTest19EE",
        "SeparateCertificateandCRLKeysCRLSigningCert, SeparateCertificateandCRLKeysCertificateSigningCACert",
        "SeparateCertificateandCRLKeysCRL");
    add("4.4.20", "InvalidSeparateCertificateandCRLKeysTest20EE",
        "SeparateCertificateandCRLKeysCRLSigningCert, SeparateCertificateandCRLKeysCertificateSigningCACert",
        "SeparateCertificateandCRLKeysCRL");
    add("4.4.21", "InvalidSeparateCertificateandCRLKeysTest21EE",
        "SeparateCertificateandCRLKeysCA2CRLSigningCert, SeparateCertificateandCRLKeysCA2CertificateSigningCACert",
        "SeparateCertificateandCRLKeysCA2CRL");

    // 4.14 Distribution Points
    add("4.14.1", "ValiddistributionPointTest1EE", "distributionPoint1CACert", "distributionPoint1CACRL");
    add("4.14.2", "InvaliddistributionPointTest2EE", "distributionPoint1CACert", "distributionPoint1CACRL");
    add("4.14.3", "InvaliddistributionPointTest3EE", "distributionPoint1CACert", "distributionPoint1CACRL");
    add("4.14.4", "ValiddistributionPointTest4EE", "distributionPoint1CACert", "distributionPoint1CACRL");
    add("4.14.5", "ValiddistributionPointTest5EE", "distributionPoint2CACert", "distributionPoint2CACRL");
    add("4.14.6", "InvaliddistributionPointTest6EE", "distributionPoint2CACert", "distributionPoint2CACRL");
    add("4.14.7", "ValiddistributionPointTest7EE", "distributionPoint2CACert", "distributionPoint2CACRL");
    add("4.14.8", "InvaliddistributionPointTest8EE", "distributionPoint2CACert", "distributionPoint2CACRL");
    add("4.14.9", "InvaliddistributionPointTest9EE", "distributionPoint2CACert", "distributionPoint2CACRL");
    add("4.14.10", "ValidNoissuingDistributionPointTest10EE", "NoissuingDistributionPointCACert",
        "NoissuingDistributionPointCACRL");
    add("4.14.11", "InvalidonlyContainsUserCertsTest11EE", "onlyContainsUserCertsCACert",
        "onlyContainsUserCertsCACRL");
    add("4.14.12", "InvalidonlyContainsCACertsTest12EE", "onlyContainsCACertsCACert", "onlyContainsCACertsCACRL");
    add("4.14.13", "ValidonlyContainsCACertsTest13EE", "onlyContainsCACertsCACert", "onlyContainsCACertsCACRL");
    add("4.14.14", "InvalidonlyContainsAttributeCertsTest14EE", "onlyContainsAttributeCertsCACert",
        "onlyContainsAttributeCertsCACRL");
    add("4.14.15", "InvalidonlySomeReasonsTest15EE", "onlySomeReasonsCA1Cert",
        "onlySomeReasonsCA1otherreasonsCRL, onlySomeReasonsCA1compromiseCRL");
    add("4.14.16", "InvalidonlySomeReasonsTest16EE", "onlySomeReasonsCA1Cert",
        "onlySomeReasonsCA1otherreasonsCRL, onlySomeReasonsCA1compromiseCRL");
    add("4.14.17", "InvalidonlySomeReasonsTest17EE", "onlySomeReasonsCA2Cert",
        "onlySomeReasonsCA2CRL1, onlySomeReasonsCA2CRL2");
    add("4.14.18", "ValidonlySomeReasonsTest18EE", "onlySomeReasonsCA3Cert",
        "onlySomeReasonsCA3otherreasonsCRL, onlySomeReasonsCA3compromiseCRL");
    add("4.14.19", "ValidonlySomeReasonsTest19EE", "onlySomeReasonsCA4Cert",
        "onlySomeReasonsCA4otherreasonsCRL, onlySomeReasonsCA4compromiseCRL");
    add("4.14.20", "InvalidonlySomeReasonsTest20EE", "onlySomeReasonsCA4Cert",
        "onlySomeReasonsCA4otherreasonsCRL, onlySomeReasonsCA4compromiseCRL");
    add("4.14.21", "InvalidonlySomeReasonsTest21EE", "onlySomeReasonsCA4Cert",
        "onlySomeReasonsCA4otherreasonsCRL, onlySomeReasonsCA4compromiseCRL");
    add("4.14.22", "ValidIDPwithindirectCRLTest22EE", "indirectCRLCA1Cert", "indirectCRLCA1CRL");
    add("4.14.23", "InvalidIDPwithindirectCRLTest23EE", "indirectCRLCA1Cert", "indirectCRLCA1CRL");
    add("4.14.24", "ValidIDPwithindirectCRLTest24EE", "indirectCRLCA1Cert, indirectCRLCA2Cert", "indirectCRLCA1CRL");
    add("4.14.25", "ValidIDPwithindirectCRLTest25EE", "indirectCRLCA1Cert, indirectCRLCA2Cert", "indirectCRLCA1CRL");
    add("4.14.26", "InvalidIDPwithindirectCRLTest26EE", "indirectCRLCA1Cert, indirectCRLCA2Cert",
        "indirectCRLCA1CRL");
    add("4.14.27", "InvalidcRLIssuerTest27EE", "GoodCACert, indirectCRLCA2Cert", "GoodCACRL");
    add("4.14.28", "ValidcRLIssuerTest28EE", "indirectCRLCA3cRLIssuerCert, indirectCRLCA3Cert",
        "indirectCRLCA3cRLIssuerCRL, indirectCRLCA3CRL");
    add("4.14.29", "ValidcRLIssuerTest29EE", "indirectCRLCA3cRLIssuerCert, indirectCRLCA3Cert",
        "indirectCRLCA3cRLIssuerCRL, indirectCRLCA3CRL");
    add("4.14.30", "ValidcRLIssuerTest30EE", "indirectCRLCA4cRLIssuerCert, indirectCRLCA4Cert",
        "indirectCRLCA4cRLIssuerCRL");
    add("4.14.31", "InvalidcRLIssuerTest31EE", "indirectCRLCA6Cert, indirectCRLCA5Cert", "indirectCRLCA5CRL");
    add("4.14.32", "InvalidcRLIssuerTest32EE", "indirectCRLCA6Cert, indirectCRLCA5Cert", "indirectCRLCA5CRL");
    add("4.14.33", "ValidcRLIssuerTest33EE", "indirectCRLCA6Cert, indirectCRLCA5Cert", "indirectCRLCA5CRL");
    add("4.14.34", "InvalidcRLIssuerTest34EE", "indirectCRLCA5Cert", "indirectCRLCA5CRL");
    add("4.14.35", "InvalidcRLIssuerTest35EE", "indirectCRLCA5Cert", "indirectCRLCA5CRL");

    // 4.15 Delta-CRLs
    add("4.15.1", "InvaliddeltaCRLIndicatorNoBaseTest1EE", "deltaCRLIndicatorNoBaseCACert",
        "deltaCRLIndicatorNoBaseCACRL");
    add("4.15.2", "ValiddeltaCRLTest2EE", "deltaCRLCA1Cert", "deltaCRLCA1deltaCRL, deltaCRLCA1CRL");
    add("4.15.3", "InvaliddeltaCRLTest3EE", "deltaCRLCA1Cert", "deltaCRLCA1deltaCRL, deltaCRLCA1CRL");
    add("4.15.4", "InvaliddeltaCRLTest4EE", "deltaCRLCA1Cert", "deltaCRLCA1deltaCRL, deltaCRLCA1CRL");
    add("4.15.5", "ValiddeltaCRLTest5EE", "deltaCRLCA1Cert", "deltaCRLCA1deltaCRL, deltaCRLCA1CRL");
    add("4.15.6", "InvaliddeltaCRLTest6EE", "deltaCRLCA1Cert", "deltaCRLCA1deltaCRL, deltaCRLCA1CRL");
    add("4.15.7", "ValiddeltaCRLTest7EE", "deltaCRLCA1Cert", "deltaCRLCA1deltaCRL, deltaCRLCA1CRL");
    add("4.15.8", "ValiddeltaCRLTest8EE", "deltaCRLCA2Cert", "deltaCRLCA2deltaCRL, deltaCRLCA2CRL");
    add("4.15.9", "InvaliddeltaCRLTest9EE", "deltaCRLCA2Cert", "deltaCRLCA2deltaCRL, deltaCRLCA2CRL");
    add("4.15.10", "InvaliddeltaCRLTest10EE", "deltaCRLCA3Cert", "deltaCRLCA3deltaCRL, deltaCRLCA3CRL");
  }

  private static Path dir;
  private static Map<String, String> knownFailures;

  @BeforeAll
  static void locate() throws IOException {
    dir = Conformance.dir("pkits");
    if (!Files.isDirectory(dir.resolve("certs")) || !Files.isDirectory(dir.resolve("crls"))) {
      fail("PKITS data not found in " + dir + ": expected certs/ and crls/");
    }
    knownFailures = Conformance.knownFailures("/pkits/known-failures.txt");
  }

  private static X509Certificate cert(String name) throws Exception {
    Path p = dir.resolve("certs").resolve(name + ".crt");
    if (!Files.isRegularFile(p)) {
      fail("PKITS certificate missing: " + p);
    }
    try (InputStream in = Files.newInputStream(p)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static X509CRL crl(String name) throws Exception {
    Path p = dir.resolve("crls").resolve(name + ".crl");
    if (!Files.isRegularFile(p)) {
      fail("PKITS CRL missing: " + p);
    }
    try (InputStream in = Files.newInputStream(p)) {
      return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(in);
    }
  }

  /** The verdict on one case and, when refused, why. */
  record Verdict(boolean accepted, String why) {}

  static Verdict evaluate(Case c) throws Exception {
    X509Certificate anchor = cert("TrustAnchorRootCertificate");
    List<X509Certificate> cas = new ArrayList<>();
    for (String n : c.certs()) {
      cas.add(cert(n));
    }
    List<X509CRL> crls = new ArrayList<>();
    crls.add(crl("TrustAnchorRootCRL"));
    for (String n : c.crls()) {
      crls.add(crl(n));
    }
    CrlRevocationChecker revocation = CrlRevocationChecker.builder()
        .staticCrls(crls)
        .crlSigners(cas)
        .fetch(false)
        .build();
    List<X509Certificate> presented = new ArrayList<>();
    presented.add(cert(c.endEntity()));
    presented.addAll(cas);
    CertificateReport report = CertificateChecker.builder()
        .trustSource(TrustSources.anchors("PKITS", anchor))
        .rules(ValidationRules.RFC_5280)
        .checkTrustAnchorForm(false)
        .at(AT)
        .expiresSoonThreshold(Duration.ZERO)
        .revocationChecker(revocation)
        .build()
        .check(presented, PeerIdentity.none());
    List<Finding> findings = new ArrayList<>(report.findings());
    TrustResult trust = report.trust().get(0);
    if (!trust.trusted()) {
      List<Finding> blocking = findings.stream()
          .filter(f -> f.severity() == Severity.ERROR && !WEAK_ALGORITHMS.contains(f.code()))
          .toList();
      List<X509Certificate> path = trust.path();
      if (!blocking.isEmpty() || path.isEmpty() || !path.get(path.size() - 1).equals(anchor)) {
        Finding first = blocking.isEmpty() ? null : blocking.get(0);
        return new Verdict(false, first == null ? "no path to the trust anchor" : first.code() + ": " + first.message());
      }
      // Only the 2001-era algorithms stand in the way: check revocation on the path that was built.
      findings.addAll(revocation.check(path, AT));
    }
    for (Finding f : findings) {
      if (f.severity() == Severity.ERROR && !WEAK_ALGORITHMS.contains(f.code())) {
        return new Verdict(false, f.code() + ": " + f.message());
      }
      if (UNDETERMINED.contains(f.code())) {
        return new Verdict(false, f.code() + ": " + f.message());
      }
    }
    return new Verdict(true, "");
  }

  @Test
  void revocationSectionsMatchPkits() throws Exception {
    Map<String, int[]> sections = new TreeMap<>();
    List<String> unexpected = new ArrayList<>();
    List<String> nowPassing = new ArrayList<>();
    Map<String, String> lines = new LinkedHashMap<>();
    int passed = 0;
    for (Case c : CASES) {
      boolean expected = c.endEntity().startsWith("Valid");
      Verdict v = evaluate(c);
      boolean ok = v.accepted() == expected;
      String section = c.id().substring(0, c.id().lastIndexOf('.'));
      int[] s = sections.computeIfAbsent(section, k -> new int[2]);
      s[1]++;
      String line = String.format("  %-8s %-45s expected %-7s got %s", c.id(), c.endEntity(),
          expected ? "valid" : "invalid", v.accepted() ? "valid" : "invalid: " + v.why());
      lines.put(c.id(), (ok ? "  ok " : "  XX ") + line);
      if (ok) {
        s[0]++;
        passed++;
        if (knownFailures.containsKey(c.id())) {
          nowPassing.add(c.id());
        }
      } else if (!knownFailures.containsKey(c.id())) {
        unexpected.add(line);
      }
    }
    StringBuilder b = new StringBuilder();
    b.append(String.format("%n=== NIST PKITS revocation sections: %d/%d agree ===%n", passed, CASES.size()));
    for (Map.Entry<String, int[]> e : sections.entrySet()) {
      b.append(String.format("  %-6s %3d/%d%n", e.getKey(), e.getValue()[0], e.getValue()[1]));
    }
    lines.values().forEach(l -> b.append(l).append('\n'));
    System.out.print(b);
    assertThat(unexpected).as("PKITS mismatches not in pkits/known-failures.txt").isEmpty();
    assertThat(nowPassing).as("cases in pkits/known-failures.txt that now pass; remove them").isEmpty();
  }
}
