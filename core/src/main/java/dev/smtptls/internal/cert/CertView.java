package dev.smtptls.internal.cert;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.jspecify.annotations.Nullable;

/**
 * What path validation needs to know about one certificate, read once with a strict ASN.1
 * parser. Parsing never throws: whatever breaks X.509 is collected in {@link #malformed}.
 */
final class CertView {

  static final String BASIC_CONSTRAINTS = "2.5.29.19";
  static final String KEY_USAGE = "2.5.29.15";
  static final String EXT_KEY_USAGE = "2.5.29.37";
  static final String SUBJECT_ALT_NAME = "2.5.29.17";
  static final String NAME_CONSTRAINTS = "2.5.29.30";
  static final String POLICY_CONSTRAINTS = "2.5.29.36";
  static final String CERTIFICATE_POLICIES = "2.5.29.32";
  static final String POLICY_MAPPINGS = "2.5.29.33";
  static final String INHIBIT_ANY_POLICY = "2.5.29.54";
  static final String AUTHORITY_KEY_ID = "2.5.29.35";
  static final String SUBJECT_KEY_ID = "2.5.29.14";
  static final String AUTHORITY_INFO_ACCESS = "1.3.6.1.5.5.7.1.1";
  static final String SUBJECT_INFO_ACCESS = "1.3.6.1.5.5.7.1.11";
  static final String CRL_DISTRIBUTION_POINTS = "2.5.29.31";
  static final String FRESHEST_CRL = "2.5.29.46";
  static final String ISSUER_ALT_NAME = "2.5.29.18";
  static final String SUBJECT_DIRECTORY_ATTRIBUTES = "2.5.29.9";
  static final String SCT_LIST = "1.3.6.1.4.1.11129.2.4.2";
  static final String TLS_FEATURE = "1.3.6.1.5.5.7.1.24";
  static final String ANY_EKU = "2.5.29.37.0";
  static final String CA_ISSUERS = "1.3.6.1.5.5.7.48.2";

  /** Extensions this validator processes or may safely ignore when critical. */
  static final List<String> KNOWN_EXTENSIONS =
      List.of(
          BASIC_CONSTRAINTS, KEY_USAGE, EXT_KEY_USAGE, SUBJECT_ALT_NAME, NAME_CONSTRAINTS,
          POLICY_CONSTRAINTS, CERTIFICATE_POLICIES, POLICY_MAPPINGS, INHIBIT_ANY_POLICY,
          AUTHORITY_KEY_ID, SUBJECT_KEY_ID, AUTHORITY_INFO_ACCESS, SUBJECT_INFO_ACCESS,
          CRL_DISTRIBUTION_POINTS, FRESHEST_CRL, ISSUER_ALT_NAME, SUBJECT_DIRECTORY_ATTRIBUTES,
          SCT_LIST, TLS_FEATURE);

  /** One extension as encoded. */
  record Ext(String oid, boolean critical) {}

  final int index;
  final X509Certificate cert;
  final byte[] encoded;
  final X500Principal subject;
  final X500Principal issuer;
  final String name;
  final boolean selfIssued;
  final PublicKey publicKey;
  final boolean anchor;

  /** Everything that breaks X.509 structurally, in words. */
  final List<String> malformed = new ArrayList<>();

  int version = 3;
  final Map<String, Ext> extensions = new LinkedHashMap<>();
  @Nullable SubjectPublicKeyInfo spki;
  @Nullable X500Name bcSubject;
  boolean subjectEmpty;
  boolean issuerEmpty;
  @Nullable BigInteger serial;
  int serialOctets;

  boolean hasBasicConstraints;
  boolean ca;
  @Nullable BigInteger pathLen;
  @Nullable KeyUsage keyUsage;
  @Nullable List<String> eku;
  @Nullable List<GeneralName> san;
  @Nullable Constraints nameConstraints;
  byte @Nullable [] ski;
  byte @Nullable [] akiKeyId;
  boolean akiHasIssuerOrSerial;
  final List<String> caIssuerUrls = new ArrayList<>();
  final List<String> commonNames = new ArrayList<>();
  final List<String> subjectEmails = new ArrayList<>();

  CertView(int index, X509Certificate cert, boolean anchor) {
    this.index = index;
    this.cert = cert;
    this.anchor = anchor;
    this.subject = cert.getSubjectX500Principal();
    this.issuer = cert.getIssuerX500Principal();
    this.name = displayName(subject);
    this.selfIssued = subject.equals(issuer);
    this.publicKey = cert.getPublicKey();
    byte[] der;
    try {
      der = cert.getEncoded();
    } catch (CertificateEncodingException e) {
      der = new byte[0];
      malformed.add("the certificate cannot be encoded");
    }
    this.encoded = der;
    try {
      parse();
    } catch (IOException | RuntimeException e) {
      malformed.add("the certificate's structure breaks X.509 (" + e.getMessage() + ")");
    }
  }

  /**
   * The same parsed certificate in another role: {@code cert} is the caller's object (equal DER),
   * the parsed fields are shared. They are never changed after construction, so sharing them
   * between searches and threads is safe.
   */
  private CertView(CertView parsed, int index, X509Certificate cert, boolean anchor) {
    this.index = index;
    this.cert = cert;
    this.anchor = anchor;
    this.encoded = parsed.encoded;
    this.subject = parsed.subject;
    this.issuer = parsed.issuer;
    this.name = parsed.name;
    this.selfIssued = parsed.selfIssued;
    this.publicKey = parsed.publicKey;
    this.malformed.addAll(parsed.malformed);
    this.version = parsed.version;
    this.extensions.putAll(parsed.extensions);
    this.spki = parsed.spki;
    this.bcSubject = parsed.bcSubject;
    this.subjectEmpty = parsed.subjectEmpty;
    this.issuerEmpty = parsed.issuerEmpty;
    this.serial = parsed.serial;
    this.serialOctets = parsed.serialOctets;
    this.hasBasicConstraints = parsed.hasBasicConstraints;
    this.ca = parsed.ca;
    this.pathLen = parsed.pathLen;
    this.keyUsage = parsed.keyUsage;
    this.eku = parsed.eku;
    this.san = parsed.san;
    this.nameConstraints = parsed.nameConstraints;
    this.ski = parsed.ski;
    this.akiKeyId = parsed.akiKeyId;
    this.akiHasIssuerOrSerial = parsed.akiHasIssuerOrSerial;
    this.caIssuerUrls.addAll(parsed.caIssuerUrls);
    this.commonNames.addAll(parsed.commonNames);
    this.subjectEmails.addAll(parsed.subjectEmails);
  }

  /** Parsed certificates by DER: intermediates recur across servers, and parsing is most of a check. */
  private static final int PARSED_CACHE_SIZE = 1024;

  private static final Map<DerKey, CertView> PARSED =
      new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<DerKey, CertView> eldest) {
          return size() > PARSED_CACHE_SIZE;
        }
      };

  private record DerKey(byte[] der, int hash) {
    static DerKey of(byte[] der) {
      return new DerKey(der, Arrays.hashCode(der));
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof DerKey k && k.hash == hash && Arrays.equals(k.der, der);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /**
   * A view of {@code cert} in a role, parsing it only if an equal certificate was not parsed
   * recently.
   *
   * @param index its index in the search
   * @param cert the certificate
   * @param anchor whether it is a trust anchor
   * @return the view
   */
  static CertView of(int index, X509Certificate cert, boolean anchor) {
    byte[] der;
    try {
      der = cert.getEncoded();
    } catch (CertificateEncodingException e) {
      return new CertView(index, cert, anchor);
    }
    DerKey key = DerKey.of(der);
    CertView parsed;
    synchronized (PARSED) {
      parsed = PARSED.get(key);
    }
    if (parsed == null) {
      parsed = new CertView(-1, cert, false);
      synchronized (PARSED) {
        PARSED.put(key, parsed);
      }
    }
    return new CertView(parsed, index, cert, anchor);
  }

  static String displayName(X500Principal p) {
    String n = p.getName(X500Principal.RFC2253);
    return n.isEmpty() ? "(empty name)" : n;
  }

  boolean sameCertificate(CertView other) {
    return Arrays.equals(encoded, other.encoded);
  }

  boolean sameSubjectAndKey(CertView other) {
    return subject.equals(other.subject)
        && Arrays.equals(publicKey.getEncoded(), other.publicKey.getEncoded());
  }

  private void parse() throws IOException {
    ASN1Sequence certSeq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(encoded));
    if (certSeq.size() != 3) {
      throw new IOException("a certificate has three parts");
    }
    ASN1Sequence tbs = ASN1Sequence.getInstance(certSeq.getObjectAt(0));
    AlgorithmIdentifier outerAlg = AlgorithmIdentifier.getInstance(certSeq.getObjectAt(1));
    int i = 0;
    if (tbs.getObjectAt(0) instanceof ASN1TaggedObject tagged && tagged.getTagNo() == 0) {
      version = ASN1Integer.getInstance(tagged.getExplicitBaseObject()).intValueExact() + 1;
      i = 1;
    } else {
      version = 1;
    }
    ASN1Integer serialInt = ASN1Integer.getInstance(tbs.getObjectAt(i));
    serial = serialInt.getValue();
    serialOctets = serialInt.getValue().toByteArray().length;
    AlgorithmIdentifier innerAlg = AlgorithmIdentifier.getInstance(tbs.getObjectAt(i + 1));
    if (!Arrays.equals(outerAlg.getEncoded("DER"), innerAlg.getEncoded("DER"))) {
      malformed.add(
          "the signature algorithm inside the certificate differs from the one outside it");
    }
    X500Name bcIssuer = X500Name.getInstance(tbs.getObjectAt(i + 2));
    issuerEmpty = bcIssuer.getRDNs().length == 0;
    X500Name subj = X500Name.getInstance(tbs.getObjectAt(i + 4));
    bcSubject = subj;
    subjectEmpty = subj.getRDNs().length == 0;
    for (RDN rdn : subj.getRDNs()) {
      for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
        if (atv.getType().equals(BCStyle.CN) || atv.getType().equals(BCStyle.EmailAddress)) {
          String v =
              atv.getValue() instanceof ASN1String s ? s.getString() : atv.getValue().toString();
          (atv.getType().equals(BCStyle.CN) ? commonNames : subjectEmails).add(v);
        }
      }
    }
    spki = SubjectPublicKeyInfo.getInstance(tbs.getObjectAt(i + 5));
    for (int k = i + 6; k < tbs.size(); k++) {
      if (tbs.getObjectAt(k) instanceof ASN1TaggedObject tagged && tagged.getTagNo() == 3) {
        readExtensions(ASN1Sequence.getInstance(tagged.getExplicitBaseObject()));
      }
    }
  }

  private void readExtensions(ASN1Sequence seq) {
    if (seq.size() == 0) {
      malformed.add("the extensions field is present but empty");
    }
    for (ASN1Encodable e : seq) {
      ASN1Sequence ext = ASN1Sequence.getInstance(e);
      String oid = ASN1ObjectIdentifier.getInstance(ext.getObjectAt(0)).getId();
      boolean critical = ext.size() == 3 && ASN1Boolean.getInstance(ext.getObjectAt(1)).isTrue();
      byte[] value = ASN1OctetString.getInstance(ext.getObjectAt(ext.size() - 1)).getOctets();
      if (extensions.containsKey(oid)) {
        malformed.add("the extension " + oid + " appears more than once (RFC 5280 4.2)");
        continue;
      }
      extensions.put(oid, new Ext(oid, critical));
      try {
        readExtension(oid, value);
      } catch (IOException | RuntimeException ex) {
        malformed.add("the extension " + extensionName(oid) + " cannot be parsed");
      }
    }
  }

  private void readExtension(String oid, byte[] value) throws IOException {
    ASN1Primitive p = ASN1Primitive.fromByteArray(value);
    switch (oid) {
      case BASIC_CONSTRAINTS -> {
        BasicConstraints bc = BasicConstraints.getInstance(p);
        hasBasicConstraints = true;
        ca = bc.isCA();
        pathLen = bc.getPathLenConstraint();
        if (pathLen != null && pathLen.signum() < 0) {
          malformed.add("basicConstraints has a negative path length");
        }
      }
      case KEY_USAGE -> keyUsage = KeyUsage.getInstance(ASN1BitString.getInstance(p));
      case EXT_KEY_USAGE -> {
        ASN1Sequence s = ASN1Sequence.getInstance(p);
        List<String> usages = new ArrayList<>();
        for (ASN1Encodable u : s) {
          usages.add(ASN1ObjectIdentifier.getInstance(u).getId());
        }
        if (usages.isEmpty()) {
          malformed.add("extKeyUsage lists no purpose (RFC 5280 4.2.1.12)");
        }
        eku = usages;
      }
      case SUBJECT_ALT_NAME -> {
        ASN1Sequence s = ASN1Sequence.getInstance(p);
        List<GeneralName> names = new ArrayList<>();
        for (ASN1Encodable g : s) {
          names.add(GeneralName.getInstance(g));
        }
        if (names.isEmpty()) {
          malformed.add("subjectAltName is present but empty");
        }
        for (GeneralName g : names) {
          String bad = Names.malformedSan(g);
          if (bad != null) {
            malformed.add("subjectAltName has a malformed entry: " + bad);
          }
        }
        san = names;
      }
      case NAME_CONSTRAINTS -> nameConstraints = Constraints.parse(p, this);
      case SUBJECT_KEY_ID -> ski = ASN1OctetString.getInstance(p).getOctets();
      case AUTHORITY_KEY_ID -> {
        AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.getInstance(p);
        ASN1OctetString keyId = aki.getKeyIdentifierObject();
        akiKeyId = keyId == null ? null : keyId.getOctets();
        akiHasIssuerOrSerial =
            aki.getAuthorityCertIssuer() != null || aki.getAuthorityCertSerialNumber() != null;
      }
      case AUTHORITY_INFO_ACCESS -> {
        ASN1Sequence s = ASN1Sequence.getInstance(p);
        if (s.size() == 0) {
          malformed.add("authorityInfoAccess lists no access description");
        }
        for (ASN1Encodable a : s) {
          AccessDescription ad = AccessDescription.getInstance(a);
          if (ad.getAccessMethod().getId().equals(CA_ISSUERS)
              && ad.getAccessLocation().getTagNo() == GeneralName.uniformResourceIdentifier) {
            caIssuerUrls.add(ad.getAccessLocation().getName().toString());
          }
        }
      }
      default -> {
        // Other extensions are only checked for criticality.
      }
    }
  }

  boolean hasExtension(String oid) {
    return extensions.containsKey(oid);
  }

  boolean isCritical(String oid) {
    Ext e = extensions.get(oid);
    return e != null && e.critical();
  }

  boolean hasKeyUsage(int bit) {
    KeyUsage ku = keyUsage;
    return ku != null && ku.hasUsages(bit);
  }

  static String extensionName(String oid) {
    return switch (oid) {
      case BASIC_CONSTRAINTS -> "basicConstraints";
      case KEY_USAGE -> "keyUsage";
      case EXT_KEY_USAGE -> "extKeyUsage";
      case SUBJECT_ALT_NAME -> "subjectAltName";
      case NAME_CONSTRAINTS -> "nameConstraints";
      case POLICY_CONSTRAINTS -> "policyConstraints";
      case AUTHORITY_KEY_ID -> "authorityKeyIdentifier";
      case SUBJECT_KEY_ID -> "subjectKeyIdentifier";
      case AUTHORITY_INFO_ACCESS -> "authorityInfoAccess";
      default -> oid;
    };
  }

  /** The name of the public-key algorithm, for reasons. */
  String keyAlgorithm() {
    return publicKey.getAlgorithm().toUpperCase(Locale.ROOT);
  }
}
