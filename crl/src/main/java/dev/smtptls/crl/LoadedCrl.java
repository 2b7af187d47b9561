package dev.smtptls.crl;

import dev.smtptls.crl.internal.CrlFormatException;
import dev.smtptls.crl.internal.IssuingDistributionPoint;
import dev.smtptls.crl.internal.ParsedCrl;
import java.io.IOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CRLHolder;
import org.jspecify.annotations.Nullable;

/**
 * A parsed CRL as the checker keeps it: the streaming parse, the names of its issuing
 * distribution point in comparable form (URIs and distinguished names, the relative form
 * resolved against the CRL issuer), and the outcome of signature checks per key. The DER bytes
 * are not kept.
 */
final class LoadedCrl {

  private final ParsedCrl crl;
  private final Set<String> idpNames;
  private final ConcurrentHashMap<PublicKey, Boolean> verified = new ConcurrentHashMap<>();

  private LoadedCrl(ParsedCrl crl, Set<String> idpNames) {
    this.crl = crl;
    this.idpNames = idpNames;
  }

  /** Parses a DER or PEM CRL; the issuing distribution point's names are read with Bouncy Castle. */
  static LoadedCrl parse(byte[] derOrPem) throws CrlFormatException {
    ParsedCrl crl = ParsedCrl.parse(derOrPem);
    Set<String> names = Set.of();
    IssuingDistributionPoint idp = crl.issuingDistributionPoint();
    if (idp != null) {
      names = idpNames(derOrPem, crl, idp);
    }
    return new LoadedCrl(crl, names);
  }

  ParsedCrl crl() {
    return crl;
  }

  /** The IDP distributionPoint names in comparable form; empty when the IDP names none. */
  Set<String> idpNames() {
    return idpNames;
  }

  /** Whether the CRL's signature verifies with the key; remembered per key. */
  boolean verifiedBy(PublicKey key) {
    return verified.computeIfAbsent(key, crl::verify);
  }

  /** A URI in comparable form. */
  static String uriName(String uri) {
    return "uri:" + uri;
  }

  /** A distinguished name in comparable form (RFC 5280 §7.1 comparison, as the JDK canonicalises). */
  static String dnName(X500Principal dn) {
    return "dn:" + dn.getName(X500Principal.CANONICAL);
  }

  /** A distinguished name given in RFC 2253 text in comparable form; the text when it does not parse. */
  static String dnName(String rfc2253) {
    try {
      return dnName(new X500Principal(rfc2253));
    } catch (IllegalArgumentException e) {
      return "dn:" + rfc2253.toLowerCase(Locale.ROOT);
    }
  }

  private static Set<String> idpNames(byte[] derOrPem, ParsedCrl crl, IssuingDistributionPoint idp) {
    Set<String> names = new LinkedHashSet<>();
    for (String uri : idp.fullNameUris()) {
      names.add(uriName(uri));
    }
    // The parser keeps only URIs and the unresolved relative name; directory names and the
    // resolved relative name come from Bouncy Castle (the revoked list stays unparsed).
    try {
      byte[] der = der(derOrPem);
      X509CRLHolder holder = new X509CRLHolder(der);
      Extension ext = holder.getExtension(Extension.issuingDistributionPoint);
      if (ext != null) {
        org.bouncycastle.asn1.x509.IssuingDistributionPoint bc =
            org.bouncycastle.asn1.x509.IssuingDistributionPoint.getInstance(ext.getParsedValue());
        DistributionPointName dpn = bc.getDistributionPoint();
        if (dpn != null) {
          if (dpn.getType() == DistributionPointName.FULL_NAME) {
            for (GeneralName g : GeneralNames.getInstance(dpn.getName()).getNames()) {
              String n = generalName(g);
              if (n != null) {
                names.add(n);
              }
            }
          } else {
            X500Name issuer = X500Name.getInstance(crl.issuer().getEncoded());
            RDN[] base = issuer.getRDNs();
            RDN[] all = Arrays.copyOf(base, base.length + 1);
            all[base.length] = RDN.getInstance(dpn.getName());
            names.add(dnName(new X500Principal(new X500Name(all).getEncoded())));
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // Keep what the streaming parser gave.
    }
    return Set.copyOf(names);
  }

  private static @Nullable String generalName(GeneralName g) throws IOException {
    ASN1Encodable v = g.getName();
    if (g.getTagNo() == GeneralName.uniformResourceIdentifier) {
      return uriName(((ASN1String) v).getString());
    }
    if (g.getTagNo() == GeneralName.directoryName) {
      return dnName(new X500Principal(X500Name.getInstance(v).getEncoded()));
    }
    return null;
  }

  private static byte[] der(byte[] derOrPem) {
    if (derOrPem.length > 0 && derOrPem[0] == 0x30) {
      return derOrPem;
    }
    String text = new String(derOrPem, java.nio.charset.StandardCharsets.US_ASCII);
    int begin = text.indexOf("-----BEGIN X509 CRL-----");
    int end = text.indexOf("-----END X509 CRL-----");
    if (begin < 0 || end < begin) {
      return derOrPem;
    }
    String body = text.substring(begin + "-----BEGIN X509 CRL-----".length(), end);
    return java.util.Base64.getMimeDecoder().decode(body);
  }

  /** Names of a certificate's distribution point in comparable form (fullName and relative name). */
  static Set<String> pointNames(DistributionPoint dp) {
    Set<String> names = new LinkedHashSet<>();
    for (Location l : dp.fullName()) {
      if (l.isUri()) {
        names.add(uriName(l.value()));
      } else if (l.kind() == Location.Kind.DIRECTORY_NAME) {
        names.add(dnName(l.value()));
      }
    }
    String rel = dp.relativeName();
    if (rel != null) {
      names.add(dnName(rel));
    }
    return names;
  }

  /** The directory names among a point's cRLIssuer names. */
  static List<X500Principal> crlIssuers(DistributionPoint dp) {
    List<X500Principal> out = new ArrayList<>();
    for (Location l : dp.crlIssuer()) {
      if (l.kind() == Location.Kind.DIRECTORY_NAME) {
        try {
          out.add(new X500Principal(l.value()));
        } catch (IllegalArgumentException e) {
          // unusable name: no CRL can match it
        }
      }
    }
    return out;
  }
}
