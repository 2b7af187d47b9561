package dev.smtptls.internal.cert;

import dev.smtptls.finding.FindingCode;
import dev.smtptls.internal.cert.PathValidator.Profile;
import dev.smtptls.internal.cert.PathValidator.Settings;
import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * Checks one candidate path (RFC 5280 6.1 and, in the web PKI profile, the CA/Browser Forum
 * rules that x509-limbo's webpki cases test) and collects every problem, not only the first.
 */
final class PathChecker {

  private final Settings settings;
  private final Instant time;
  private final List<CertView> path;
  private final boolean anchored;
  private final Set<PathProblem> problems = new LinkedHashSet<>();

  private PathChecker(Settings settings, List<CertView> path, boolean anchored) {
    this.settings = settings;
    // Certificates carry whole seconds: compare at that granularity (floor), RFC 5280 4.1.2.5.
    this.time = settings.time().truncatedTo(ChronoUnit.SECONDS);
    this.path = path;
    this.anchored = anchored;
  }

  /**
   * All problems of a path, leaf first.
   *
   * @param anchored whether the last certificate is a trust anchor
   */
  static List<PathProblem> check(Settings settings, List<CertView> path, boolean anchored) {
    PathChecker c = new PathChecker(settings, path, anchored);
    c.run();
    return new ArrayList<>(c.problems);
  }

  private void add(FindingCode code, CertView c, String reason) {
    if (code == FindingCode.CERT_MALFORMED && !settings.judgeAnchorForm() && isAnchor(c)) {
      return;
    }
    problems.add(new PathProblem(code, c.cert, reason));
  }

  private boolean isAnchor(CertView c) {
    return anchored && c == path.get(path.size() - 1);
  }

  private boolean webPki() {
    return settings.profile() == Profile.WEB_PKI;
  }

  private void run() {
    int n = path.size();
    for (int i = 0; i < n; i++) {
      CertView c = path.get(i);
      boolean isAnchor = anchored && i == n - 1;
      boolean isLeaf = i == 0;
      common(c, isAnchor);
      if (!isAnchor || isLeaf) {
        issuance(c);
      }
      if (!isAnchor) {
        notAnchor(c);
      } else {
        anchor(c);
      }
      if (isLeaf) {
        leaf(c);
      } else {
        issuer(c, isAnchor);
      }
    }
    pathLength();
    nameConstraints();
  }

  private void common(CertView c, boolean isAnchor) {
    for (String m : c.malformed) {
      add(FindingCode.CERT_MALFORMED, c, "'" + c.name + "' is malformed: " + m);
    }
    if (c.issuerEmpty) {
      add(FindingCode.CERT_MALFORMED, c, "'" + c.name + "' has an empty issuer name (RFC 5280 4.1.2.4)");
    }
    Instant notBefore = c.cert.getNotBefore().toInstant();
    Instant notAfter = c.cert.getNotAfter().toInstant();
    if (time.isBefore(notBefore)) {
      add(FindingCode.CERT_NOT_YET_VALID, c, "'" + c.name + "' is valid only from " + notBefore);
    }
    if (time.isAfter(notAfter)) {
      add(FindingCode.CERT_EXPIRED, c, "'" + c.name + "' expired on " + notAfter);
    }
    String weakKey = Algorithms.weakKey(c);
    if (weakKey != null) {
      add(FindingCode.CERT_WEAK_KEY, c, "'" + c.name + "': " + weakKey);
    }
    for (CertView.Ext e : c.extensions.values()) {
      if (e.critical() && !CertView.KNOWN_EXTENSIONS.contains(e.oid())) {
        add(
            FindingCode.CERT_UNTRUSTED,
            c,
            "'" + c.name + "' has the critical extension " + e.oid()
                + ", which no validator understands, so it must be refused");
      }
    }
    criticality(c, CertView.AUTHORITY_KEY_ID, false);
    criticality(c, CertView.SUBJECT_KEY_ID, false);
    criticality(c, CertView.AUTHORITY_INFO_ACCESS, false);
    if (c.hasExtension(CertView.POLICY_CONSTRAINTS) && !c.isCritical(CertView.POLICY_CONSTRAINTS)) {
      add(FindingCode.CERT_MALFORMED, c,
          "'" + c.name + "' has a non-critical policyConstraints extension (RFC 5280 4.2.1.11)");
    }
    if (c.hasExtension(CertView.SUBJECT_ALT_NAME)) {
      boolean critical = c.isCritical(CertView.SUBJECT_ALT_NAME);
      if (c.subjectEmpty && !critical) {
        add(FindingCode.CERT_MALFORMED, c,
            "'" + c.name + "' has an empty subject and a non-critical subjectAltName (RFC 5280 4.2.1.6)");
      }
      if (!c.subjectEmpty && critical && webPki() && !isAnchor) {
        add(FindingCode.CERT_MALFORMED, c,
            "'" + c.name + "' marks subjectAltName critical although its subject is not empty (CA/B BR 7.1.2.7.12)");
      }
    } else if (c.subjectEmpty) {
      add(FindingCode.CERT_MALFORMED, c, "'" + c.name + "' has neither a subject nor a subjectAltName");
    }
    if (c.hasExtension(CertView.NAME_CONSTRAINTS) && !c.ca) {
      add(FindingCode.CERT_MALFORMED, c,
          "'" + c.name + "' has nameConstraints but is not a CA (RFC 5280 4.2.1.10)");
    }
  }

  private void criticality(CertView c, String oid, boolean mustBeCritical) {
    if (c.hasExtension(oid) && c.isCritical(oid) != mustBeCritical) {
      add(FindingCode.CERT_MALFORMED, c,
          "'" + c.name + "' marks " + CertView.extensionName(oid) + " "
              + (mustBeCritical ? "non-critical" : "critical") + " (RFC 5280 4.2.1)");
    }
  }

  private void notAnchor(CertView c) {
    String weakSig = Algorithms.weakSignature(c);
    if (weakSig != null) {
      add(FindingCode.CERT_WEAK_SIGNATURE, c, "'" + c.name + "': " + weakSig);
    }
    akiRequired(c);
  }

  /** Issuance rules a CA had to follow; a trust anchor's own form is the store's business. */
  private void issuance(CertView c) {
    if (c.version != 3 && webPki()) {
      add(FindingCode.CERT_MALFORMED, c,
          "'" + c.name + "' is an X.509 version " + c.version + " certificate; version 3 is required");
    }
    BigInteger serial = c.serial;
    if (serial != null && serial.signum() <= 0) {
      add(FindingCode.CERT_MALFORMED, c,
          "'" + c.name + "' has a " + (serial.signum() == 0 ? "zero" : "negative")
              + " serial number (RFC 5280 4.1.2.2)");
    }
    if (c.serialOctets > 20) {
      add(FindingCode.CERT_MALFORMED, c,
          "'" + c.name + "' has a serial number of " + c.serialOctets + " octets; at most 20 are allowed");
    }
  }

  private void akiRequired(CertView c) {
    if (!c.selfIssued && c.akiKeyId == null) {
      add(FindingCode.CERT_MALFORMED, c,
          "'" + c.name + "' lacks the authorityKeyIdentifier key identifier (RFC 5280 4.2.1.1)");
    }
  }

  private void anchor(CertView c) {
    if (!c.selfIssued && !webPki()) {
      // RFC 5280: a cross-signed certificate used as anchor still needs its key identifier.
      akiRequired(c);
    }
    if (webPki()) {
      if (c.hasExtension(CertView.AUTHORITY_KEY_ID)) {
        byte[] keyId = c.akiKeyId;
        if (keyId == null) {
          add(FindingCode.CERT_MALFORMED, c,
              "root '" + c.name + "' has an authorityKeyIdentifier without a key identifier (CA/B BR 7.1.2.1.3)");
        } else if (c.selfIssued && c.ski != null && !Arrays.equals(keyId, c.ski)) {
          add(FindingCode.CERT_MALFORMED, c,
              "root '" + c.name + "' has an authority key identifier that differs from its subject key identifier");
        }
        if (c.akiHasIssuerOrSerial) {
          add(FindingCode.CERT_MALFORMED, c,
              "root '" + c.name + "' names an issuer or serial number in its authorityKeyIdentifier (CA/B BR 7.1.2.1.3)");
        }
      }
      if (c.eku != null && c.selfIssued && settings.judgeAnchorForm()) {
        add(FindingCode.CERT_WRONG_PURPOSE, c,
            "root '" + c.name + "' has an extKeyUsage extension, which roots must not have (CA/B BR 7.1.2.1.2)");
      }
    }
  }

  private void issuer(CertView c, boolean isAnchor) {
    String role = isAnchor ? "trust anchor" : "intermediate";
    if (!c.hasBasicConstraints || !c.ca) {
      add(FindingCode.CERT_UNTRUSTED, c,
          role + " '" + c.name + "' is not a CA certificate (basicConstraints cA is "
              + (c.hasBasicConstraints ? "false" : "missing") + "), so it may not issue certificates");
    } else if (!c.isCritical(CertView.BASIC_CONSTRAINTS)) {
      add(FindingCode.CERT_MALFORMED, c,
          role + " '" + c.name + "' does not mark basicConstraints critical (RFC 5280 4.2.1.9)");
    }
    if (c.keyUsage != null && !c.hasKeyUsage(KeyUsage.keyCertSign)) {
      add(FindingCode.CERT_UNTRUSTED, c,
          role + " '" + c.name + "' has a keyUsage without keyCertSign, so it may not sign certificates");
    }
    if (c.subjectEmpty) {
      add(FindingCode.CERT_MALFORMED, c, role + " '" + c.name + "' is a CA with an empty subject");
    }
    if (c.ski == null) {
      add(FindingCode.CERT_MALFORMED, c,
          role + " '" + c.name + "' lacks a subjectKeyIdentifier (RFC 5280 4.2.1.2)");
    }
    List<String> eku = c.eku;
    String required = settings.requiredEku();
    if (eku != null && required != null && !isAnchor
        && !eku.contains(required) && !eku.contains(CertView.ANY_EKU)) {
      add(FindingCode.CERT_WRONG_PURPOSE, c,
          role + " '" + c.name + "' limits its extKeyUsage to purposes that exclude " + ekuName(required));
    }
  }

  private void leaf(CertView c) {
    List<String> eku = c.eku;
    String required = settings.requiredEku();
    if (eku == null) {
      if (webPki() && required != null) {
        add(FindingCode.CERT_WRONG_PURPOSE, c,
            "'" + c.name + "' has no extKeyUsage extension; " + ekuName(required) + " is required (CA/B BR 7.1.2.7.10)");
      }
    } else {
      if (required != null && !eku.contains(required)
          && (webPki() || !eku.contains(CertView.ANY_EKU))) {
        add(FindingCode.CERT_WRONG_PURPOSE, c,
            "'" + c.name + "' is not issued for " + ekuName(required) + " (extKeyUsage lacks it)");
      }
      if (webPki() && eku.contains(CertView.ANY_EKU)) {
        add(FindingCode.CERT_WRONG_PURPOSE, c,
            "'" + c.name + "' allows any extended key usage, which CA/B BR 7.1.2.7.10 forbids");
      }
      if (webPki() && c.isCritical(CertView.EXT_KEY_USAGE)) {
        add(FindingCode.CERT_WRONG_PURPOSE, c,
            "'" + c.name + "' marks extKeyUsage critical, which CA/B BR 7.1.2.7.6 forbids");
      }
    }
    if (webPki() && c.ca) {
      add(FindingCode.CERT_WRONG_PURPOSE, c,
          "'" + c.name + "' is a CA certificate (basicConstraints cA is true) used as a server certificate");
    }
    if (c.hasKeyUsage(KeyUsage.keyCertSign) && (webPki() || !c.ca)) {
      add(FindingCode.CERT_WRONG_PURPOSE, c,
          "'" + c.name + "' asserts keyCertSign although it is "
              + (c.ca ? "a server certificate" : "not a CA (RFC 5280 4.2.1.9)"));
    }
    if (webPki()) {
      commonNameInSan(c);
    }
  }

  /**
   * CA/B BR 7.1.4.3: a subject CN must repeat one of the SAN entries character for character.
   * Enforced where a CN is a near miss of the SAN, the kind of difference that lets clients which
   * still read the CN disagree with those that read the SAN: the same host or address in another
   * spelling (case, U-label, IP text), or another host of the same domain as a SAN entry. A CN
   * unrelated to every SAN entry (a device label, a legacy name) is left alone.
   */
  private void commonNameInSan(CertView c) {
    List<GeneralName> san = c.san;
    if (san == null) {
      return;
    }
    for (String cn : c.commonNames) {
      String why = CommonNames.nearMiss(cn, san);
      if (why != null) {
        add(FindingCode.CERT_MALFORMED, c,
            "'" + c.name + "' has the common name '" + cn + "', which is not one of its subjectAltName"
                + " entries but " + why + " (CA/B BR 7.1.4.3)");
      }
    }
  }

  private void pathLength() {
    int n = path.size();
    int top = anchored ? n - 1 : n;
    long remaining = Long.MAX_VALUE;
    if (anchored && n > 1) {
      BigInteger pl = path.get(n - 1).pathLen;
      if (pl != null) {
        remaining = pl.min(BigInteger.valueOf(Integer.MAX_VALUE)).longValue();
      }
    }
    int intermediates = 0;
    for (int i = top - 1; i >= 1; i--) {
      CertView c = path.get(i);
      if (!c.selfIssued) {
        intermediates++;
        if (remaining <= 0) {
          add(FindingCode.CERT_UNTRUSTED, c,
              "'" + c.name + "' is one CA too many below a CA whose basicConstraints path length forbids it");
        } else {
          remaining--;
        }
      }
      BigInteger pl = c.pathLen;
      if (pl != null && pl.signum() >= 0 && pl.compareTo(BigInteger.valueOf(remaining)) < 0) {
        remaining = pl.longValue();
      }
    }
    int max = settings.maxChainDepth();
    if (max >= 0 && intermediates > max) {
      add(FindingCode.CERT_UNTRUSTED, path.get(0),
          "the path needs " + intermediates + " intermediate certificates; at most " + max + " are allowed");
    }
  }

  private void nameConstraints() {
    Constraints.Budget budget = new Constraints.Budget();
    int n = path.size();
    for (int j = n - 1; j >= 1; j--) {
      CertView ca = path.get(j);
      Constraints nc = ca.nameConstraints;
      if (nc == null) {
        continue;
      }
      if (!ca.isCritical(CertView.NAME_CONSTRAINTS) && !webPki()) {
        add(FindingCode.CERT_MALFORMED, ca,
            "'" + ca.name + "' does not mark nameConstraints critical (RFC 5280 4.2.1.10)");
      }
      if (nc.leadingPeriodDns && !webPki()) {
        add(FindingCode.CERT_MALFORMED, ca,
            "'" + ca.name + "' has a dNSName name constraint with a leading period, which RFC 5280 4.2.1.10 does not allow");
      }
      if (!nc.malformed.isEmpty()) {
        add(FindingCode.CERT_UNTRUSTED, ca,
            "'" + ca.name + "' has malformed name constraints, so nothing it issued can be trusted");
        continue;
      }
      for (int i = j - 1; i >= 0; i--) {
        CertView sub = path.get(i);
        if (i > 0 && sub.selfIssued) {
          continue;
        }
        String why = nc.check(Constraints.CertNames.of(sub, true), budget);
        if (why != null) {
          add(FindingCode.CERT_UNTRUSTED, sub,
              "'" + sub.name + "' breaks the name constraints of '" + ca.name + "': " + why);
        }
      }
    }
  }

  static String ekuName(String oid) {
    return switch (oid) {
      case "1.3.6.1.5.5.7.3.1" -> "TLS server authentication (serverAuth)";
      case "1.3.6.1.5.5.7.3.2" -> "TLS client authentication (clientAuth)";
      default -> "the purpose " + oid;
    };
  }
}
