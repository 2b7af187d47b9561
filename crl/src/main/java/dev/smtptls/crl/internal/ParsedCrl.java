package dev.smtptls.crl.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.CRLReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.jspecify.annotations.Nullable;

/**
 * A CRL (RFC 5280 §5) read in one pass over its DER encoding with a strict, minimal DER reader,
 * built for CRLs of real public CAs with a million entries: no JDK {@code X509CRL}, no object
 * per revoked entry. The entries are kept sorted in flat arrays and found by binary search;
 * the {@code tbsCertList} is hashed while parsing so that the DER encoding is not retained.
 *
 * <p>Immutable and thread-safe.
 */
public final class ParsedCrl {

  private static final byte[] PEM_BEGIN = "-----BEGIN X509 CRL-----".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PEM_END = "-----END X509 CRL-----".getBytes(StandardCharsets.US_ASCII);

  // id-ce (2.5.29.x) last arcs
  private static final int CRL_NUMBER = 20;
  private static final int REASON_CODE = 21;
  private static final int INVALIDITY_DATE = 24;
  private static final int DELTA_CRL_INDICATOR = 27;
  private static final int ISSUING_DISTRIBUTION_POINT = 28;
  private static final int CERTIFICATE_ISSUER = 29;
  private static final int AUTHORITY_KEY_IDENTIFIER = 35;
  private static final int FRESHEST_CRL = 46;

  private final X500Principal issuer;
  private final Instant thisUpdate;
  private final @Nullable Instant nextUpdate;
  private final @Nullable BigInteger crlNumber;
  private final boolean crlNumberCritical;
  private final @Nullable BigInteger deltaCrlIndicator;
  private final byte @Nullable [] authorityKeyIdentifier;
  private final @Nullable IssuingDistributionPoint issuingDistributionPoint;
  private final List<String> unknownCriticalExtensions;
  private final boolean unknownCriticalEntryExtensions;
  private final boolean signatureAlgorithmsMatch;
  private final CrlSignature signature;
  private final CrlIndex index;
  private final Map<X500Principal, Integer> issuerIndex;
  private final int encodedLength;

  private ParsedCrl(Parser p, CrlSignature signature, CrlIndex index) {
    this.issuer = Objects.requireNonNull(p.issuer);
    this.thisUpdate = Objects.requireNonNull(p.thisUpdate);
    this.nextUpdate = p.nextUpdate;
    this.crlNumber = p.crlNumber;
    this.crlNumberCritical = p.crlNumberCritical;
    this.deltaCrlIndicator = p.deltaCrlIndicator;
    this.authorityKeyIdentifier = p.authorityKeyIdentifier;
    this.issuingDistributionPoint = p.idp;
    this.unknownCriticalExtensions = List.copyOf(p.unknownCritical);
    this.unknownCriticalEntryExtensions = p.unknownCriticalEntry;
    this.signatureAlgorithmsMatch = p.algorithmsMatch;
    this.signature = signature;
    this.index = index;
    this.issuerIndex = Map.copyOf(p.issuerIndex);
    this.encodedLength = p.r.buf.length;
  }

  /**
   * Parses a CRL.
   *
   * @param derOrPem the DER encoding, or a PEM {@code X509 CRL} block (text before the block is
   *     ignored); not modified and not retained
   * @return the parsed CRL
   * @throws CrlFormatException when it is not a well-formed DER CRL; the message names the byte
   *     offset in the DER encoding
   */
  public static ParsedCrl parse(byte[] derOrPem) throws CrlFormatException {
    Objects.requireNonNull(derOrPem, "derOrPem");
    byte[] der = derOrPem.length > 0 && derOrPem[0] == 0x30 ? derOrPem : pemToDer(derOrPem);
    Parser p = new Parser(der);
    p.parse();
    CrlSignature sig = new CrlSignature(
        p.outerAlgOid, p.outerAlgParams, der, p.tbsStart, p.tbsEnd - p.tbsStart, Objects.requireNonNull(p.sigValue));
    X500Principal[] table = p.issuers.toArray(new X500Principal[0]);
    CrlIndex index = p.entries.build(table);
    return new ParsedCrl(p, sig, index);
  }

  private static byte[] pemToDer(byte[] in) throws CrlFormatException {
    int b = indexOf(in, PEM_BEGIN, 0);
    if (b < 0) {
      throw new CrlFormatException("neither DER (a SEQUENCE) nor a PEM \"X509 CRL\" block", 0);
    }
    int from = b + PEM_BEGIN.length;
    int e = indexOf(in, PEM_END, from);
    if (e < 0) {
      throw new CrlFormatException("PEM \"X509 CRL\" block has no END line", -1);
    }
    byte[] body = Arrays.copyOfRange(in, from, e);
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(body);
    } catch (IllegalArgumentException ex) {
      throw new CrlFormatException("PEM \"X509 CRL\" block is not base64: " + ex.getMessage(), -1);
    }
    if (der.length == 0 || der[0] != 0x30) {
      throw new CrlFormatException("PEM \"X509 CRL\" block does not hold a DER SEQUENCE", 0);
    }
    return der;
  }

  private static int indexOf(byte[] in, byte[] what, int from) {
    outer:
    for (int i = from; i <= in.length - what.length; i++) {
      for (int j = 0; j < what.length; j++) {
        if (in[i + j] != what[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** One parse; holds the state until the immutable {@link ParsedCrl} is built. */
  private static final class Parser {
    final DerReader r;
    final byte[] buf;
    int tbsStart;
    int tbsEnd;
    @Nullable X500Principal issuer;
    @Nullable Instant thisUpdate;
    @Nullable Instant nextUpdate;
    @Nullable BigInteger crlNumber;
    boolean crlNumberCritical;
    @Nullable BigInteger deltaCrlIndicator;
    byte @Nullable [] authorityKeyIdentifier;
    @Nullable IssuingDistributionPoint idp;
    final List<String> unknownCritical = new ArrayList<>();
    boolean unknownCriticalEntry;
    boolean algorithmsMatch;
    String outerAlgOid = "";
    byte @Nullable [] outerAlgParams;
    byte @Nullable [] sigValue;
    final List<X500Principal> issuers = new ArrayList<>();
    final Map<X500Principal, Integer> issuerIndex = new HashMap<>();
    CrlIndex.Builder entries;

    Parser(byte[] der) {
      this.buf = der;
      this.r = new DerReader(der);
      this.entries = new CrlIndex.Builder(der, 16);
    }

    void parse() throws CrlFormatException {
      int total = buf.length;
      int outerEnd = r.expect(DerReader.SEQUENCE, 0, total, "CertificateList");
      if (outerEnd != total) {
        throw new CrlFormatException((total - outerEnd) + " bytes of trailing data after the CRL", outerEnd);
      }
      int outerOff = r.off;
      tbsStart = outerOff;
      tbsEnd = r.expect(DerReader.SEQUENCE, tbsStart, outerEnd, "tbsCertList");
      int p = r.off;
      int lim = tbsEnd;
      if (r.peek(p, lim, DerReader.INTEGER)) {
        p = r.next(p, lim);
        BigInteger v = r.bigInteger("version");
        if (!BigInteger.ONE.equals(v)) {
          throw new CrlFormatException("version must be v2 (1) when present, found " + v, r.start);
        }
      }
      int innerAlgStart = p;
      p = r.expect(DerReader.SEQUENCE, p, lim, "signature (AlgorithmIdentifier)");
      int innerAlgEnd = p;
      int issuerStart = p;
      p = r.expect(DerReader.SEQUENCE, p, lim, "issuer (Name)");
      issuer = principal(issuerStart, "issuer");
      issuers.add(issuer);
      issuerIndex.put(issuer, 0);
      p = r.next(p, lim);
      thisUpdate = Instant.ofEpochMilli(CrlTime.millis(r, "thisUpdate"));
      if (r.peek(p, lim, DerReader.UTC_TIME) || r.peek(p, lim, DerReader.GENERALIZED_TIME)) {
        p = r.next(p, lim);
        nextUpdate = Instant.ofEpochMilli(CrlTime.millis(r, "nextUpdate"));
      }
      if (r.peek(p, lim, DerReader.SEQUENCE)) {
        p = r.next(p, lim);
        revoked(r.off, r.end);
      }
      if (r.peek(p, lim, 0xa0)) {
        p = r.next(p, lim);
        int extsEnd = r.end;
        int q = r.expect(DerReader.SEQUENCE, r.off, extsEnd, "crlExtensions");
        if (q != extsEnd) {
          throw new CrlFormatException("unexpected data after crlExtensions", q);
        }
        crlExtensions(r.off, r.end);
      }
      if (p != lim) {
        throw new CrlFormatException("unexpected element (tag 0x" + Integer.toHexString(buf[p] & 0xff)
            + ") in tbsCertList", p);
      }
      int outerAlgStart = p;
      p = r.expect(DerReader.SEQUENCE, p, outerEnd, "signatureAlgorithm");
      int outerAlgEnd = p;
      algorithm();
      algorithmsMatch = Arrays.equals(buf, innerAlgStart, innerAlgEnd, buf, outerAlgStart, outerAlgEnd);
      p = r.expect(DerReader.BIT_STRING, p, outerEnd, "signatureValue");
      if (r.length() < 1 || buf[r.off] != 0) {
        throw new CrlFormatException("signatureValue BIT STRING must have 0 unused bits", r.start);
      }
      sigValue = Arrays.copyOfRange(buf, r.off + 1, r.end);
      if (p != outerEnd) {
        throw new CrlFormatException("unexpected element after signatureValue", p);
      }
    }

    /** The Name at {@code start} (the reader's last element) as a principal. */
    X500Principal principal(int start, String what) throws CrlFormatException {
      try {
        return new X500Principal(Arrays.copyOfRange(buf, start, r.end));
      } catch (IllegalArgumentException e) {
        throw new CrlFormatException(what + " is not a valid Name: " + e.getMessage(), start);
      }
    }

    void algorithm() throws CrlFormatException {
      int end = r.end;
      int p = r.expect(DerReader.OID, r.off, end, "algorithm");
      outerAlgOid = r.oid();
      if (p < end) {
        int q = r.next(p, end);
        outerAlgParams = r.encoding();
        if (q != end) {
          throw new CrlFormatException("unexpected data in AlgorithmIdentifier", q);
        }
      }
    }

    void revoked(int from, int lim) throws CrlFormatException {
      entries = new CrlIndex.Builder(buf, (lim - from) / 40 + 16);
      int currentIssuer = 0;
      int q = from;
      while (q < lim) {
        int entryEnd = r.expect(DerReader.SEQUENCE, q, lim, "revokedCertificates entry");
        int e = r.expect(DerReader.INTEGER, r.off, entryEnd, "userCertificate");
        r.checkInteger("userCertificate");
        int serialOff = r.off;
        int serialLen = r.length();
        if (serialLen > CrlIndex.MAX_SERIAL_OCTETS) {
          throw new CrlFormatException("serial number of " + serialLen + " octets is longer than the "
              + CrlIndex.MAX_SERIAL_OCTETS + " accepted (RFC 5280 allows 20)", r.start);
        }
        e = r.next(e, entryEnd);
        long millis = CrlTime.millis(r, "revocationDate");
        int reason = -1;
        if (e < entryEnd) {
          e = r.expect(DerReader.SEQUENCE, e, entryEnd, "crlEntryExtensions");
          int extEnd = r.end;
          int x = r.off;
          int seen = 0;
          while (x < extEnd) {
            int oneEnd = r.expect(DerReader.SEQUENCE, x, extEnd, "crlEntryExtensions Extension");
            int y = r.expect(DerReader.OID, r.off, oneEnd, "extnID");
            int oidStart = r.start;
            int id = -1;
            if (r.isIdCe(REASON_CODE)) {
              id = REASON_CODE;
            } else if (r.isIdCe(INVALIDITY_DATE)) {
              id = INVALIDITY_DATE;
            } else if (r.isIdCe(CERTIFICATE_ISSUER)) {
              id = CERTIFICATE_ISSUER;
            }
            boolean critical = false;
            if (r.peek(y, oneEnd, DerReader.BOOLEAN)) {
              y = r.next(y, oneEnd);
              critical = r.bool("critical");
            }
            y = r.expect(DerReader.OCTET_STRING, y, oneEnd, "extnValue");
            if (y != oneEnd) {
              throw new CrlFormatException("unexpected data in Extension", y);
            }
            int vOff = r.off;
            int vEnd = r.end;
            if (id >= 0) {
              int bit = 1 << (id - 20);
              if ((seen & bit) != 0) {
                throw new CrlFormatException("entry extension appears twice", oidStart);
              }
              seen |= bit;
            }
            if (id == REASON_CODE) {
              int z = r.expect(DerReader.ENUMERATED, vOff, vEnd, "reasonCode");
              if (z != vEnd || r.length() < 1 || r.length() > 4) {
                throw new CrlFormatException("reasonCode is not one ENUMERATED", vOff);
              }
              int code = r.bigInteger("reasonCode").intValue();
              reason = code < 0 || code > 10 ? 0 : code;
            } else if (id == CERTIFICATE_ISSUER) {
              currentIssuer = certificateIssuer(vOff, vEnd);
            } else if (id != INVALIDITY_DATE && critical) {
              unknownCriticalEntry = true;
            }
            x = oneEnd;
          }
          if (e != entryEnd) {
            throw new CrlFormatException("unexpected element after crlEntryExtensions", e);
          }
        } else if (e != entryEnd) {
          throw new CrlFormatException("unexpected element in revokedCertificates entry", e);
        }
        entries.add(serialOff, serialLen, millis, reason, currentIssuer);
        q = entryEnd;
      }
    }

    int certificateIssuer(int vOff, int vEnd) throws CrlFormatException {
      int z = r.expect(DerReader.SEQUENCE, vOff, vEnd, "certificateIssuer GeneralNames");
      if (z != vEnd) {
        throw new CrlFormatException("unexpected data after certificateIssuer", z);
      }
      int end = r.end;
      int g = r.off;
      while (g < end) {
        int next = r.next(g, end);
        if (r.tag == 0xa4) {
          int nameStart = r.off;
          r.expect(DerReader.SEQUENCE, nameStart, r.end, "certificateIssuer directoryName");
          X500Principal p = principal(nameStart, "certificateIssuer");
          Integer idx = issuerIndex.get(p);
          if (idx == null) {
            idx = issuers.size();
            issuers.add(p);
            issuerIndex.put(p, idx);
          }
          return idx;
        }
        g = next;
      }
      throw new CrlFormatException("certificateIssuer has no directoryName", vOff);
    }

    void crlExtensions(int from, int lim) throws CrlFormatException {
      Set<String> seen = new HashSet<>();
      int x = from;
      while (x < lim) {
        int oneEnd = r.expect(DerReader.SEQUENCE, x, lim, "crlExtensions Extension");
        int y = r.expect(DerReader.OID, r.off, oneEnd, "extnID");
        int oidStart = r.start;
        String oid = r.oid();
        if (!seen.add(oid)) {
          throw new CrlFormatException("CRL extension " + oid + " appears twice", oidStart);
        }
        int id = -1;
        for (int c : new int[] {
          AUTHORITY_KEY_IDENTIFIER, CRL_NUMBER, DELTA_CRL_INDICATOR, ISSUING_DISTRIBUTION_POINT, FRESHEST_CRL
        }) {
          if (r.isIdCe(c)) {
            id = c;
          }
        }
        boolean critical = false;
        if (r.peek(y, oneEnd, DerReader.BOOLEAN)) {
          y = r.next(y, oneEnd);
          critical = r.bool("critical");
        }
        y = r.expect(DerReader.OCTET_STRING, y, oneEnd, "extnValue");
        if (y != oneEnd) {
          throw new CrlFormatException("unexpected data in Extension", y);
        }
        int vOff = r.off;
        int vEnd = r.end;
        switch (id) {
          case AUTHORITY_KEY_IDENTIFIER:
            authorityKeyIdentifier(vOff, vEnd);
            break;
          case CRL_NUMBER:
            crlNumber = integerValue(vOff, vEnd, "cRLNumber");
            crlNumberCritical = critical;
            break;
          case DELTA_CRL_INDICATOR:
            deltaCrlIndicator = integerValue(vOff, vEnd, "deltaCRLIndicator");
            break;
          case ISSUING_DISTRIBUTION_POINT:
            idp = issuingDistributionPoint(vOff, vEnd);
            break;
          case FRESHEST_CRL:
            if (critical) {
              unknownCritical.add(oid);
            }
            break;
          default:
            if (critical) {
              unknownCritical.add(oid);
            }
            break;
        }
        x = oneEnd;
      }
    }

    BigInteger integerValue(int vOff, int vEnd, String what) throws CrlFormatException {
      int z = r.expect(DerReader.INTEGER, vOff, vEnd, what);
      if (z != vEnd) {
        throw new CrlFormatException("unexpected data after " + what, z);
      }
      return r.bigInteger(what);
    }

    void authorityKeyIdentifier(int vOff, int vEnd) throws CrlFormatException {
      int z = r.expect(DerReader.SEQUENCE, vOff, vEnd, "authorityKeyIdentifier");
      if (z != vEnd) {
        throw new CrlFormatException("unexpected data after authorityKeyIdentifier", z);
      }
      int end = r.end;
      int g = r.off;
      while (g < end) {
        g = r.next(g, end);
        if (r.tag == 0x80) {
          authorityKeyIdentifier = r.value();
        }
      }
    }

    IssuingDistributionPoint issuingDistributionPoint(int vOff, int vEnd) throws CrlFormatException {
      int z = r.expect(DerReader.SEQUENCE, vOff, vEnd, "issuingDistributionPoint");
      if (z != vEnd) {
        throw new CrlFormatException("unexpected data after issuingDistributionPoint", z);
      }
      List<String> uris = new ArrayList<>();
      String relative = null;
      boolean user = false;
      boolean ca = false;
      boolean attr = false;
      boolean indirect = false;
      Set<CRLReason> reasons = EnumSet.noneOf(CRLReason.class);
      int end = r.end;
      int g = r.off;
      int lastTag = 0;
      while (g < end) {
        g = r.next(g, end);
        int tag = r.tag;
        if ((tag & 0x1f) <= (lastTag & 0x1f) && lastTag != 0) {
          throw new CrlFormatException("issuingDistributionPoint fields out of order or repeated", r.start);
        }
        lastTag = tag;
        switch (tag) {
          case 0xa0: {
            int dpEnd = r.end;
            int n = r.next(r.off, dpEnd);
            if (n != dpEnd) {
              throw new CrlFormatException("unexpected data after distributionPoint name", n);
            }
            if (r.tag == 0xa0) {
              int nEnd = r.end;
              int h = r.off;
              while (h < nEnd) {
                h = r.next(h, nEnd);
                if (r.tag == 0x86) {
                  uris.add(new String(buf, r.off, r.length(), StandardCharsets.ISO_8859_1));
                }
              }
            } else if (r.tag == 0xa1) {
              relative = relativeName();
            } else {
              throw new CrlFormatException("distributionPoint name is neither fullName nor nameRelativeToCRLIssuer",
                  r.start);
            }
            break;
          }
          case 0x81:
            user = r.bool("onlyContainsUserCerts");
            break;
          case 0x82:
            ca = r.bool("onlyContainsCACerts");
            break;
          case 0x83: {
            int len = r.length();
            if (len < 1 || (buf[r.off] & 0xff) > 7) {
              throw new CrlFormatException("onlySomeReasons is not a valid BIT STRING", r.start);
            }
            for (int bit = 0; bit < ReasonFlags.BITS.size() && 1 + bit / 8 < len; bit++) {
              if ((buf[r.off + 1 + bit / 8] & (0x80 >> (bit % 8))) != 0) {
                reasons.add(ReasonFlags.BITS.get(bit));
              }
            }
            break;
          }
          case 0x84:
            indirect = r.bool("indirectCRL");
            break;
          case 0x85:
            attr = r.bool("onlyContainsAttributeCerts");
            break;
          default:
            throw new CrlFormatException(
                "unexpected field (tag 0x" + Integer.toHexString(tag) + ") in issuingDistributionPoint", r.start);
        }
      }
      return new IssuingDistributionPoint(uris, relative, user, ca, attr, indirect, reasons);
    }

    /** The last element, a [1] IMPLICIT RelativeDistinguishedName, in RFC 2253 form. */
    String relativeName() throws CrlFormatException {
      int len = r.length();
      byte[] set = new byte[r.end - r.start];
      System.arraycopy(buf, r.start, set, 0, set.length);
      set[0] = DerReader.SET;
      byte[] lenOctets = lengthOctets(set.length);
      byte[] name = new byte[1 + lenOctets.length + set.length];
      name[0] = DerReader.SEQUENCE;
      System.arraycopy(lenOctets, 0, name, 1, lenOctets.length);
      System.arraycopy(set, 0, name, 1 + lenOctets.length, set.length);
      try {
        return new X500Principal(name).getName();
      } catch (IllegalArgumentException e) {
        throw new CrlFormatException("nameRelativeToCRLIssuer is not a valid RDN of " + len + " bytes", r.start);
      }
    }

    private static byte[] lengthOctets(int len) {
      if (len < 0x80) {
        return new byte[] {(byte) len};
      }
      int n = (32 - Integer.numberOfLeadingZeros(len) + 7) / 8;
      byte[] out = new byte[1 + n];
      out[0] = (byte) (0x80 | n);
      for (int i = 0; i < n; i++) {
        out[n - i] = (byte) (len >>> (8 * i));
      }
      return out;
    }
  }

  /**
   * The CRL issuer.
   *
   * @return the issuer name
   */
  public X500Principal issuer() {
    return issuer;
  }

  /**
   * The {@code thisUpdate} time.
   *
   * @return when the CRL was issued
   */
  public Instant thisUpdate() {
    return thisUpdate;
  }

  /**
   * The {@code nextUpdate} time.
   *
   * @return when the next CRL is due, or null when absent
   */
  public @Nullable Instant nextUpdate() {
    return nextUpdate;
  }

  /**
   * The CRL number extension (RFC 5280 §5.2.3).
   *
   * @return the number, or null when absent
   */
  public @Nullable BigInteger crlNumber() {
    return crlNumber;
  }

  /**
   * The delta CRL indicator extension (RFC 5280 §5.2.4): present on delta CRLs only.
   *
   * @return the number of the base CRL, or null for a complete CRL
   */
  public @Nullable BigInteger deltaCrlIndicator() {
    return deltaCrlIndicator;
  }

  /**
   * The {@code keyIdentifier} of the authority key identifier extension (RFC 5280 §5.2.1).
   *
   * @return a copy of the key identifier, or null when absent
   */
  public byte @Nullable [] authorityKeyIdentifier() {
    byte[] aki = authorityKeyIdentifier;
    return aki == null ? null : aki.clone();
  }

  /**
   * The issuing distribution point extension (RFC 5280 §5.2.5).
   *
   * @return the extension, or null when absent
   */
  public @Nullable IssuingDistributionPoint issuingDistributionPoint() {
    return issuingDistributionPoint;
  }

  /**
   * The OIDs of critical CRL extensions that this parser does not process (it processes the
   * authority key identifier, CRL number, delta CRL indicator, issuing distribution point, and a
   * non-critical freshest CRL). A CRL that lists any must not be used (RFC 5280 §5.2).
   *
   * @return the dotted OIDs, in order; empty when none
   */
  public List<String> unknownCriticalExtensions() {
    return unknownCriticalExtensions;
  }

  /**
   * Whether the CRL number extension is marked critical, which RFC 5280 §5.2.3 forbids.
   *
   * @return true when it is present and critical
   */
  public boolean crlNumberCritical() {
    return crlNumberCritical;
  }

  /**
   * The signature algorithm.
   *
   * @return its JCA name such as {@code SHA256withRSA}, or the dotted OID when unknown
   */
  public String signatureAlgorithm() {
    return signature.jcaName();
  }

  /**
   * Whether the outer {@code signatureAlgorithm} equals {@code tbsCertList.signature} byte for
   * byte, as RFC 5280 §5.1.1.2 requires.
   *
   * @return true when they match
   */
  public boolean signatureAlgorithmsMatch() {
    return signatureAlgorithmsMatch;
  }

  /**
   * Checks the CRL's signature over its {@code tbsCertList}.
   *
   * @param issuerKey the public key of the CRL issuer
   * @return true when the signature is valid; false when it is not, the key does not fit the
   *     algorithm, or the algorithm is not supported. Never throws for those.
   */
  public boolean verify(PublicKey issuerKey) {
    Objects.requireNonNull(issuerKey, "issuerKey");
    return signature.verify(issuerKey);
  }

  /**
   * The number of revoked entries.
   *
   * @return the size of {@code revokedCertificates}, 0 when absent
   */
  public int size() {
    return index.size();
  }

  /**
   * Looks a certificate up.
   *
   * @param serial the certificate's serial number
   * @param certificateIssuer the certificate's issuer: the CRL issuer for a direct CRL, or for an
   *     indirect CRL the issuer that the entry's {@code certificateIssuer} extension names
   * @return the entry, or empty when the certificate is not on this CRL
   */
  public Optional<RevokedEntry> lookup(BigInteger serial, X500Principal certificateIssuer) {
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(certificateIssuer, "certificateIssuer");
    Integer idx = issuerIndex.get(certificateIssuer);
    if (idx == null) {
      return Optional.empty();
    }
    return index.lookup(serial, idx);
  }

  /**
   * Whether any entry has a critical entry extension other than reason code, invalidity date and
   * certificate issuer (RFC 5280 §5.3).
   *
   * @return true when such an extension occurs
   */
  public boolean unknownCriticalEntryExtensions() {
    return unknownCriticalEntryExtensions;
  }

  /**
   * The size of the DER encoding.
   *
   * @return its length in bytes
   */
  public int encodedLength() {
    return encodedLength;
  }

  /**
   * An estimate of the heap the revoked-entry index holds, for benchmarks and size reports.
   *
   * @return bytes held by the index's arrays
   */
  public long indexBytes() {
    return index.retainedBytes();
  }

  @Override
  public String toString() {
    return "ParsedCrl[issuer=" + issuer + ", thisUpdate=" + thisUpdate + ", nextUpdate=" + nextUpdate
        + ", crlNumber=" + crlNumber + ", entries=" + index.size() + ", " + signature.jcaName() + "]";
  }
}
