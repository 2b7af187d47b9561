package dev.smtptls.crl.internal;

import dev.smtptls.crl.DistributionPoint;
import dev.smtptls.crl.Location;
import dev.smtptls.crl.RevocationPoints;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CRLReason;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.ReasonFlags;
import org.jspecify.annotations.Nullable;

/**
 * Reads the CRL Distribution Points (RFC 5280 §4.2.1.13), Freshest CRL (§5.2.6) and Authority
 * Information Access (§4.2.2.1) extensions with Bouncy Castle's ASN.1 classes, tolerantly: a
 * broken extension or entry becomes a problem sentence, never an exception.
 */
public final class RevocationExtensions {

  private static final ASN1ObjectIdentifier OCSP = AccessDescription.id_ad_ocsp;
  private static final ASN1ObjectIdentifier CA_ISSUERS = AccessDescription.id_ad_caIssuers;

  private RevocationExtensions() {}

  /**
   * Reads a certificate's revocation extensions.
   *
   * @param certificate the certificate
   * @return what it says, with problems recorded
   */
  public static RevocationPoints read(X509Certificate certificate) {
    List<String> problems = new ArrayList<>();
    X500Name issuer = issuerName(certificate, problems);
    List<DistributionPoint> crlDp =
        distributionPoints(certificate, Extension.cRLDistributionPoints, "cRLDistributionPoints", issuer, problems);
    List<DistributionPoint> freshest =
        distributionPoints(certificate, Extension.freshestCRL, "freshestCRL", issuer, problems);
    List<Location> ocsp = new ArrayList<>();
    List<Location> caIssuers = new ArrayList<>();
    authorityInfoAccess(certificate, ocsp, caIssuers, problems);
    return new RevocationPoints(crlDp, freshest, ocsp, caIssuers, problems);
  }

  private static @Nullable X500Name issuerName(X509Certificate certificate, List<String> problems) {
    try {
      return X500Name.getInstance(certificate.getIssuerX500Principal().getEncoded());
    } catch (RuntimeException e) {
      problems.add("the issuer name cannot be read, so relative distribution point names cannot be resolved: "
          + describe(e));
      return null;
    }
  }

  /** The extension's inner value, or null when absent; throws when the wrapping is broken. */
  private static @Nullable ASN1Primitive extensionValue(X509Certificate certificate, ASN1ObjectIdentifier oid)
      throws IOException {
    byte[] wrapped = certificate.getExtensionValue(oid.getId());
    if (wrapped == null) {
      return null;
    }
    byte[] inner = ASN1OctetString.getInstance(wrapped).getOctets();
    // fromByteArray rejects trailing bytes after the value.
    return ASN1Primitive.fromByteArray(inner);
  }

  private static List<DistributionPoint> distributionPoints(
      X509Certificate certificate,
      ASN1ObjectIdentifier oid,
      String name,
      @Nullable X500Name issuer,
      List<String> problems) {
    ASN1Sequence seq;
    try {
      ASN1Primitive value = extensionValue(certificate, oid);
      if (value == null) {
        return List.of();
      }
      seq = ASN1Sequence.getInstance(value);
    } catch (IOException | RuntimeException e) {
      problems.add(name + " (" + oid.getId() + ") is malformed and was ignored: " + describe(e));
      return List.of();
    }
    if (seq.size() == 0) {
      // RFC 5280 §4.2.1.13: CRLDistributionPoints ::= SEQUENCE SIZE (1..MAX) OF DistributionPoint
      problems.add(name + " (" + oid.getId() + ") is an empty sequence, which RFC 5280 does not allow");
      return List.of();
    }
    List<DistributionPoint> points = new ArrayList<>(seq.size());
    for (int i = 0; i < seq.size(); i++) {
      String where = name + " entry " + (i + 1);
      try {
        points.add(distributionPoint(
            org.bouncycastle.asn1.x509.DistributionPoint.getInstance(seq.getObjectAt(i)), where, issuer, problems));
      } catch (RuntimeException e) {
        problems.add(where + " is malformed and was ignored: " + describe(e));
      }
    }
    return points;
  }

  private static DistributionPoint distributionPoint(
      org.bouncycastle.asn1.x509.DistributionPoint dp,
      String where,
      @Nullable X500Name issuer,
      List<String> problems) {
    List<Location> crlIssuer = new ArrayList<>();
    X500Name crlIssuerDn = null;
    GeneralNames crlIssuerNames = dp.getCRLIssuer();
    if (crlIssuerNames != null) {
      for (GeneralName g : crlIssuerNames.getNames()) {
        crlIssuer.add(location(g, where + " cRLIssuer", problems));
        if (crlIssuerDn == null && g.getTagNo() == GeneralName.directoryName) {
          crlIssuerDn = X500Name.getInstance(g.getName());
        }
      }
    }
    List<Location> fullName = new ArrayList<>();
    String relative = null;
    DistributionPointName dpName = dp.getDistributionPoint();
    if (dpName != null) {
      if (dpName.getType() == DistributionPointName.FULL_NAME) {
        for (GeneralName g : GeneralNames.getInstance(dpName.getName()).getNames()) {
          fullName.add(location(g, where, problems));
        }
      } else {
        // §4.2.1.13: append the fragment to the cRLIssuer's DN if present, else to the issuer's.
        X500Name base = crlIssuerDn != null ? crlIssuerDn : issuer;
        if (base == null) {
          problems.add(where + " has a name relative to the CRL issuer, but no issuer name to resolve it against");
        } else {
          RDN fragment = RDN.getInstance(dpName.getName());
          RDN[] baseRdns = base.getRDNs();
          RDN[] all = new RDN[baseRdns.length + 1];
          System.arraycopy(baseRdns, 0, all, 0, baseRdns.length);
          all[baseRdns.length] = fragment;
          relative = rfc2253(new X500Name(all));
        }
      }
    }
    if (dpName == null && crlIssuerNames == null) {
      problems.add(where + " has neither a distributionPoint nor a cRLIssuer (RFC 5280 §4.2.1.13 requires one)");
    }
    Set<CRLReason> reasons = EnumSet.noneOf(CRLReason.class);
    ReasonFlags flags = dp.getReasons();
    if (flags != null) {
      byte[] octets = flags.getBytes();
      for (int bit = 0; bit < dev.smtptls.crl.internal.ReasonFlags.BITS.size(); bit++) {
        if (isSet(octets, bit)) {
          reasons.add(dev.smtptls.crl.internal.ReasonFlags.BITS.get(bit));
        }
      }
      if (reasons.isEmpty()) {
        problems.add(where + " has a reasons field with no reason set; it is read as covering all reasons");
      }
    }
    return new DistributionPoint(fullName, relative, crlIssuer, reasons);
  }

  /** DER BIT STRING order (X.690 §8.6.2): bit 0 is the most significant bit of the first octet. */
  private static boolean isSet(byte[] bytes, int bit) {
    int octet = bit / 8;
    if (octet >= bytes.length) {
      return false;
    }
    return (bytes[octet] & (0x80 >>> (bit % 8))) != 0;
  }

  private static void authorityInfoAccess(
      X509Certificate certificate, List<Location> ocsp, List<Location> caIssuers, List<String> problems) {
    String name = "authorityInfoAccess (" + Extension.authorityInfoAccess.getId() + ")";
    ASN1Sequence seq;
    try {
      ASN1Primitive value = extensionValue(certificate, Extension.authorityInfoAccess);
      if (value == null) {
        return;
      }
      seq = ASN1Sequence.getInstance(value);
    } catch (IOException | RuntimeException e) {
      problems.add(name + " is malformed and was ignored: " + describe(e));
      return;
    }
    for (int i = 0; i < seq.size(); i++) {
      String where = "authorityInfoAccess entry " + (i + 1);
      try {
        AccessDescription ad = AccessDescription.getInstance(seq.getObjectAt(i));
        ASN1ObjectIdentifier method = ad.getAccessMethod();
        if (OCSP.equals(method)) {
          ocsp.add(location(ad.getAccessLocation(), where, problems));
        } else if (CA_ISSUERS.equals(method)) {
          caIssuers.add(location(ad.getAccessLocation(), where, problems));
        }
        // Other access methods (e.g. id-ad-caRepository) say nothing about revocation.
      } catch (RuntimeException e) {
        problems.add(where + " is malformed and was ignored: " + describe(e));
      }
    }
  }

  private static Location location(GeneralName g, String where, List<String> problems) {
    ASN1Encodable v = g.getName();
    switch (g.getTagNo()) {
      case GeneralName.uniformResourceIdentifier -> {
        String uri = ((ASN1String) v).getString();
        if (uri.isEmpty()) {
          problems.add(where + " has an empty URI");
          return new Location(Location.Kind.OTHER_NAME, "uniformResourceIdentifier:");
        }
        Location l = Location.ofUri(uri);
        if (l.uri().isEmpty()) {
          problems.add(where + " has a URI that does not parse (RFC 3986): " + uri);
        }
        return l;
      }
      case GeneralName.directoryName -> {
        return new Location(Location.Kind.DIRECTORY_NAME, rfc2253(X500Name.getInstance(v)));
      }
      case GeneralName.dNSName -> {
        return other("dNSName", ((ASN1String) v).getString());
      }
      case GeneralName.rfc822Name -> {
        return other("rfc822Name", ((ASN1String) v).getString());
      }
      case GeneralName.iPAddress -> {
        byte[] octets = ASN1OctetString.getInstance(v).getOctets();
        return other("iPAddress", ipAddress(octets));
      }
      case GeneralName.registeredID -> {
        return other("registeredID", ASN1ObjectIdentifier.getInstance(v).getId());
      }
      case GeneralName.otherName -> {
        return other("otherName", "(not decoded)");
      }
      case GeneralName.x400Address -> {
        return other("x400Address", "(not decoded)");
      }
      default -> {
        return other("ediPartyName", "(not decoded)");
      }
    }
  }

  private static Location other(String choice, String value) {
    return new Location(Location.Kind.OTHER_NAME, choice + ":" + value);
  }

  private static String ipAddress(byte[] octets) {
    if (octets.length == 4 || octets.length == 16) {
      try {
        return InetAddress.getByAddress(octets).getHostAddress();
      } catch (UnknownHostException e) {
        // cannot happen for 4 or 16 octets; fall through to hex
      }
    }
    return HexFormat.of().formatHex(octets);
  }

  private static String rfc2253(X500Name name) {
    try {
      return new X500Principal(name.getEncoded()).getName(X500Principal.RFC2253);
    } catch (IOException | RuntimeException e) {
      // The JDK refuses some encodings Bouncy Castle accepts; BC's own rendering still names it.
      return name.toString();
    }
  }

  private static String describe(Exception e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }
}
