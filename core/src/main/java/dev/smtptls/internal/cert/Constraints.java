package dev.smtptls.internal.cert;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.jspecify.annotations.Nullable;

/**
 * The name constraints of one CA certificate (RFC 5280 4.2.1.10) and how the names of a
 * certificate below it are checked against them. Each CA's constraints are checked on their own,
 * which is equivalent to intersecting the permitted and uniting the excluded subtrees.
 */
final class Constraints {

  /** Fails closed beyond this many name-against-subtree comparisons per path (as Go does). */
  static final int MAX_COMPARISONS = 250_000;

  final List<GeneralName> permitted;
  final List<GeneralName> excluded;
  /** The DNS and URI subtrees with a leading period (".example.com"): not RFC 5280 dNSName syntax. */
  final boolean leadingPeriodDns;
  final List<String> malformed;

  private Constraints(
      List<GeneralName> permitted,
      List<GeneralName> excluded,
      boolean leadingPeriodDns,
      List<String> malformed) {
    this.permitted = permitted;
    this.excluded = excluded;
    this.leadingPeriodDns = leadingPeriodDns;
    this.malformed = malformed;
  }

  static Constraints parse(ASN1Primitive value, CertView owner) {
    ASN1Sequence seq = ASN1Sequence.getInstance(value);
    List<GeneralName> permitted = new ArrayList<>();
    List<GeneralName> excluded = new ArrayList<>();
    List<String> malformed = new ArrayList<>();
    boolean leadingPeriod = false;
    boolean any = false;
    for (ASN1Encodable e : seq) {
      ASN1TaggedObject tagged = ASN1TaggedObject.getInstance(e);
      ASN1Sequence subtrees = ASN1Sequence.getInstance(tagged, false);
      if (subtrees.size() == 0) {
        malformed.add("nameConstraints has an empty list of subtrees");
      }
      List<GeneralName> target =
          switch (tagged.getTagNo()) {
            case 0 -> permitted;
            case 1 -> excluded;
            default -> throw new IllegalArgumentException("unknown tag in nameConstraints");
          };
      for (ASN1Encodable s : subtrees) {
        GeneralSubtree st = GeneralSubtree.getInstance(s);
        GeneralName base = st.getBase();
        String bad = malformedBase(base);
        if (bad != null) {
          malformed.add("nameConstraints has a malformed subtree: " + bad);
        }
        if ((base.getTagNo() == GeneralName.dNSName) && Names.text(base).startsWith(".")) {
          leadingPeriod = true;
        }
        target.add(base);
        any = true;
      }
    }
    if (!any && malformed.isEmpty()) {
      malformed.add("nameConstraints has neither permitted nor excluded subtrees");
    }
    owner.malformed.addAll(malformed);
    return new Constraints(
        Collections.unmodifiableList(permitted),
        Collections.unmodifiableList(excluded),
        leadingPeriod,
        malformed);
  }

  private static @Nullable String malformedBase(GeneralName base) {
    switch (base.getTagNo()) {
      case GeneralName.dNSName -> {
        String s = Names.text(base);
        if (s.isEmpty()) {
          return null;
        }
        String body = s.startsWith(".") ? s.substring(1) : s;
        return Names.validDnsName(body, false) ? null : "dNSName '" + s + "'";
      }
      case GeneralName.iPAddress -> {
        byte[] b = ASN1OctetString.getInstance(base.getName()).getOctets();
        if (b.length != 8 && b.length != 32) {
          return "iPAddress of " + b.length + " octets (address and mask expected)";
        }
        int half = b.length / 2;
        boolean zeroSeen = false;
        for (int i = half; i < b.length; i++) {
          for (int bit = 7; bit >= 0; bit--) {
            boolean one = ((b[i] >> bit) & 1) == 1;
            if (one && zeroSeen) {
              return "iPAddress with a non-contiguous mask";
            }
            zeroSeen |= !one;
          }
        }
        return null;
      }
      case GeneralName.rfc822Name, GeneralName.uniformResourceIdentifier -> {
        return Names.ascii(Names.text(base)) ? null : "non-ASCII name";
      }
      default -> {
        return null;
      }
    }
  }

  /** Counts comparisons across a path and says when to stop. */
  static final class Budget {
    int used;

    boolean spend(int n) {
      used += n;
      return used <= MAX_COMPARISONS;
    }
  }

  /** The names of a certificate that constraints apply to. */
  record CertNames(
      List<String> dns,
      List<byte[]> ips,
      List<String> emails,
      List<X500Name> dirNames,
      List<String> uriHosts,
      List<Integer> otherTypes) {

    int size() {
      return dns.size() + ips.size() + emails.size() + dirNames.size() + uriHosts.size()
          + otherTypes.size();
    }

    static CertNames of(CertView c, boolean cnAsDns) {
      List<String> dns = new ArrayList<>();
      List<byte[]> ips = new ArrayList<>();
      List<String> emails = new ArrayList<>(c.subjectEmails);
      List<X500Name> dirs = new ArrayList<>();
      List<String> uris = new ArrayList<>();
      List<Integer> other = new ArrayList<>();
      X500Name subject = c.bcSubject;
      if (subject != null && !c.subjectEmpty) {
        dirs.add(subject);
      }
      List<GeneralName> san = c.san;
      if (san != null) {
        for (GeneralName g : san) {
          switch (g.getTagNo()) {
            case GeneralName.dNSName -> dns.add(Names.lower(Names.text(g)));
            case GeneralName.iPAddress -> ips.add(ASN1OctetString.getInstance(g.getName()).getOctets());
            case GeneralName.rfc822Name -> emails.add(Names.text(g));
            case GeneralName.directoryName -> dirs.add(X500Name.getInstance(g.getName()));
            case GeneralName.uniformResourceIdentifier -> uris.add(uriHost(Names.text(g)));
            default -> other.add(g.getTagNo());
          }
        }
      }
      // As browsers do: a CN counts as a host name only in a certificate without subjectAltName.
      if (cnAsDns && san == null) {
        for (String cn : c.commonNames) {
          if (Names.validDnsName(cn, true) && cn.indexOf('.') > 0 && !Names.looksLikeIp(cn)) {
            dns.add(Names.lower(cn));
          }
        }
      }
      return new CertNames(dns, ips, emails, dirs, uris, other);
    }

    private static String uriHost(String uri) {
      int scheme = uri.indexOf("://");
      if (scheme < 0) {
        return "";
      }
      String rest = uri.substring(scheme + 3);
      int end = rest.length();
      for (char stop : new char[] {'/', '?', '#'}) {
        int k = rest.indexOf(stop);
        if (k >= 0 && k < end) {
          end = k;
        }
      }
      String host = rest.substring(0, end);
      int at = host.lastIndexOf('@');
      if (at >= 0) {
        host = host.substring(at + 1);
      }
      if (host.startsWith("[")) {
        return host;
      }
      int colon = host.indexOf(':');
      return Names.lower(colon >= 0 ? host.substring(0, colon) : host);
    }
  }

  /**
   * Checks the names of a certificate below this CA.
   *
   * @return why the names break the constraints, or null when they keep them
   */
  @Nullable String check(CertNames names, Budget budget) {
    if (!budget.spend(names.size() * (permitted.size() + excluded.size()))) {
      return "checking its names against the name constraints takes more than "
          + MAX_COMPARISONS
          + " comparisons; the path is refused rather than risk a denial of service";
    }
    for (String d : names.dns()) {
      String why = checkOne(GeneralName.dNSName, d, (c) -> dnsPermits(d, c), (c) -> dnsExcludes(d, c));
      if (why != null) {
        return why;
      }
    }
    for (byte[] ip : names.ips()) {
      String why =
          checkOne(GeneralName.iPAddress, Names.ipText(ip), (c) -> ipWithin(ip, c), (c) -> ipWithin(ip, c));
      if (why != null) {
        return why;
      }
    }
    for (String e : names.emails()) {
      String why = checkOne(GeneralName.rfc822Name, e, (c) -> emailWithin(e, c), (c) -> emailWithin(e, c));
      if (why != null) {
        return why;
      }
    }
    for (X500Name dn : names.dirNames()) {
      String why =
          checkOne(GeneralName.directoryName, dn.toString(), (c) -> dnWithin(dn, c), (c) -> dnWithin(dn, c));
      if (why != null) {
        return why;
      }
    }
    for (String h : names.uriHosts()) {
      String why =
          checkOne(
              GeneralName.uniformResourceIdentifier, h, (c) -> uriWithin(h, c), (c) -> uriWithin(h, c));
      if (why != null) {
        return why;
      }
    }
    for (int type : names.otherTypes()) {
      if (hasType(permitted, type) || hasType(excluded, type)) {
        return "it has a name of type " + typeName(type)
            + " that a name constraint restricts and that this validator cannot check";
      }
    }
    return null;
  }

  private interface Test {
    boolean test(GeneralName constraint);
  }

  private @Nullable String checkOne(int type, String shown, Test permits, Test excludes) {
    boolean typeConstrained = false;
    boolean inside = false;
    for (GeneralName c : permitted) {
      if (c.getTagNo() == type) {
        typeConstrained = true;
        if (permits.test(c)) {
          inside = true;
          break;
        }
      }
    }
    if (typeConstrained && !inside) {
      return "its " + typeName(type) + " '" + shown + "' is outside the permitted name space";
    }
    for (GeneralName c : excluded) {
      if (c.getTagNo() == type && excludes.test(c)) {
        return "its " + typeName(type) + " '" + shown + "' is in an excluded name space ('"
            + constraintText(c) + "')";
      }
    }
    return null;
  }

  private static String constraintText(GeneralName c) {
    if (c.getTagNo() == GeneralName.iPAddress) {
      byte[] b = ASN1OctetString.getInstance(c.getName()).getOctets();
      int half = b.length / 2;
      byte[] addr = new byte[half];
      System.arraycopy(b, 0, addr, 0, half);
      int bits = 0;
      for (int i = half; i < b.length; i++) {
        bits += Integer.bitCount(b[i] & 0xff);
      }
      return Names.ipText(addr) + "/" + bits;
    }
    return c.getTagNo() == GeneralName.directoryName ? X500Name.getInstance(c.getName()).toString() : Names.text(c);
  }

  private static boolean hasType(List<GeneralName> list, int type) {
    for (GeneralName g : list) {
      if (g.getTagNo() == type) {
        return true;
      }
    }
    return false;
  }

  static String typeName(int type) {
    return switch (type) {
      case GeneralName.otherName -> "otherName";
      case GeneralName.rfc822Name -> "e-mail address";
      case GeneralName.dNSName -> "DNS name";
      case GeneralName.x400Address -> "x400Address";
      case GeneralName.directoryName -> "directory name";
      case GeneralName.ediPartyName -> "ediPartyName";
      case GeneralName.uniformResourceIdentifier -> "URI";
      case GeneralName.iPAddress -> "IP address";
      case GeneralName.registeredID -> "registeredID";
      default -> "name type " + type;
    };
  }

  /** Whether DNS name {@code name} (lower case) lies in the subtree {@code c}. */
  static boolean dnsWithin(String name, String constraint) {
    String c = Names.lower(constraint);
    if (c.isEmpty()) {
      return true;
    }
    if (c.startsWith(".")) {
      return name.endsWith(c) && name.length() > c.length();
    }
    return name.equals(c) || name.endsWith("." + c);
  }

  private static boolean dnsPermits(String name, GeneralName c) {
    String constraint = Names.text(c);
    if (name.startsWith("*.")) {
      // Every name the wildcard can match must be permitted: its base must lie in the subtree.
      String base = name.substring(2);
      String cc = constraint.startsWith(".") ? constraint.substring(1) : constraint;
      return dnsWithin(base, cc);
    }
    return dnsWithin(name, constraint);
  }

  private static boolean dnsExcludes(String name, GeneralName c) {
    String constraint = Names.text(c);
    if (name.startsWith("*.")) {
      // Refuse when any name the wildcard can match is excluded (CVE-2025-61727).
      String base = name.substring(2);
      String cc = Names.lower(constraint.startsWith(".") ? constraint.substring(1) : constraint);
      if (dnsWithin(base, cc)) {
        return true;
      }
      if (cc.endsWith("." + base)) {
        String first = cc.substring(0, cc.length() - base.length() - 1);
        return first.indexOf('.') < 0;
      }
      return false;
    }
    return dnsWithin(name, constraint);
  }

  private static boolean ipWithin(byte[] ip, GeneralName c) {
    byte[] b = ASN1OctetString.getInstance(c.getName()).getOctets();
    if (b.length != ip.length * 2) {
      return false;
    }
    for (int i = 0; i < ip.length; i++) {
      byte mask = b[ip.length + i];
      if ((ip[i] & mask) != (b[i] & mask)) {
        return false;
      }
    }
    return true;
  }

  private static boolean emailWithin(String email, GeneralName c) {
    String constraint = Names.text(c);
    int at = email.lastIndexOf('@');
    String domain = Names.lower(at >= 0 ? email.substring(at + 1) : email);
    if (constraint.indexOf('@') >= 0) {
      int cat = constraint.lastIndexOf('@');
      return at >= 0
          && email.substring(0, at).equals(constraint.substring(0, cat))
          && domain.equals(Names.lower(constraint.substring(cat + 1)));
    }
    if (constraint.startsWith(".")) {
      return domain.endsWith(Names.lower(constraint));
    }
    return domain.equals(Names.lower(constraint));
  }

  private static boolean uriWithin(String host, GeneralName c) {
    String constraint = Names.lower(Names.text(c));
    if (host.isEmpty()) {
      return false;
    }
    if (constraint.startsWith(".")) {
      return host.endsWith(constraint);
    }
    return host.equals(constraint);
  }

  private static boolean dnWithin(X500Name name, GeneralName c) {
    RDN[] base = X500Name.getInstance(c.getName()).getRDNs();
    RDN[] rdns = name.getRDNs();
    if (base.length > rdns.length) {
      return false;
    }
    for (int i = 0; i < base.length; i++) {
      if (!IETFUtils.rDNAreEqual(base[i], rdns[i])) {
        return false;
      }
    }
    return true;
  }
}
