package dev.smtptls.internal.cert;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads the names a certificate presents straight from its DER: the subjectAltName dNSName and
 * iPAddress entries (RFC 5280 section 4.2.1.6) and the last subject commonName.
 *
 * <p>Reading the bytes ourselves rather than through {@link
 * X509Certificate#getSubjectAlternativeNames()} keeps what the JDK would hide: the JDK decodes a
 * dNSName with non-ASCII octets into replacement characters and throws away every entry when one
 * fails its syntax check. Here a malformed extension yields no entries at all (a name match
 * must never rest on half-parsed data), while a syntactically odd but well-encoded entry is kept
 * and simply never matches.
 */
final class NameExtractor {

  private static final String SUBJECT_ALT_NAME = "2.5.29.17";
  private static final int TAG_SEQUENCE = 0x30;
  private static final int TAG_SET = 0x31;
  private static final int TAG_OCTET_STRING = 0x04;
  private static final int TAG_OID = 0x06;
  private static final int TAG_DNS_NAME = 0x82; // [2] IMPLICIT IA5String
  private static final int TAG_IP_ADDRESS = 0x87; // [7] IMPLICIT OCTET STRING
  private static final byte[] OID_COMMON_NAME = {0x55, 0x04, 0x03};
  private static final Charset UTF_32BE = Charset.forName("UTF-32BE");

  /** The names found; {@code ipBytes} and {@code ipTexts} are parallel. */
  static final class Names {
    final List<String> dnsNames;
    final List<byte[]> ipBytes;
    final List<String> ipTexts;
    final @Nullable String commonName;

    Names(
        List<String> dnsNames,
        List<byte[]> ipBytes,
        List<String> ipTexts,
        @Nullable String commonName) {
      this.dnsNames = dnsNames;
      this.ipBytes = ipBytes;
      this.ipTexts = ipTexts;
      this.commonName = commonName;
    }
  }

  private NameExtractor() {}

  static Names read(X509Certificate cert) {
    List<String> dnsNames = new ArrayList<>(4);
    List<byte[]> ipBytes = new ArrayList<>(2);
    List<String> ipTexts = new ArrayList<>(2);
    byte[] san = extensionValue(cert);
    if (san != null && !readSubjectAltName(san, dnsNames, ipBytes, ipTexts)) {
      dnsNames.clear();
      ipBytes.clear();
      ipTexts.clear();
    }
    return new Names(dnsNames, ipBytes, ipTexts, commonName(cert));
  }

  private static byte @Nullable [] extensionValue(X509Certificate cert) {
    try {
      return cert.getExtensionValue(SUBJECT_ALT_NAME);
    } catch (RuntimeException e) {
      // A provider's certificate class may fail on content it could not parse.
      return null;
    }
  }

  /** False if the extension is not well-formed DER of the expected shape. */
  private static boolean readSubjectAltName(
      byte[] der, List<String> dnsNames, List<byte[]> ipBytes, List<String> ipTexts) {
    Der outer = new Der(der, 0, der.length);
    if (outer.next() != Der.OK || outer.tag != TAG_OCTET_STRING || outer.next() != Der.END) {
      return false;
    }
    Der sequence = new Der(der, outer.start, outer.start + outer.length);
    if (sequence.next() != Der.OK || sequence.tag != TAG_SEQUENCE || sequence.next() != Der.END) {
      return false;
    }
    Der names = new Der(der, sequence.start, sequence.start + sequence.length);
    int state;
    while ((state = names.next()) == Der.OK) {
      if ((names.tag & 0xc0) != 0x80) {
        return false; // every GeneralName is context-specific
      }
      if (names.tag == TAG_DNS_NAME) {
        dnsNames.add(ia5(der, names.start, names.length));
      } else if (names.tag == TAG_IP_ADDRESS && (names.length == 4 || names.length == 16)) {
        // Other lengths (8 and 32 are name-constraint ranges) are not addresses: never a match.
        byte[] address = new byte[names.length];
        System.arraycopy(der, names.start, address, 0, names.length);
        ipBytes.add(address);
        ipTexts.add(NameIpAddress.text(address));
      }
    }
    return state == Der.END;
  }

  /**
   * The IA5String as text. ASCII stays as it is; other octets are shown as UTF-8 (what such
   * certificates mean, e.g. a raw U-label), so the text has non-ASCII characters and never
   * matches.
   */
  private static String ia5(byte[] der, int start, int length) {
    for (int i = start; i < start + length; i++) {
      if (der[i] < 0) {
        return new String(der, start, length, StandardCharsets.UTF_8);
      }
    }
    return new String(der, start, length, StandardCharsets.ISO_8859_1);
  }

  private static @Nullable String commonName(X509Certificate cert) {
    byte[] der;
    try {
      der = cert.getSubjectX500Principal().getEncoded();
    } catch (RuntimeException e) {
      return null;
    }
    Der name = new Der(der, 0, der.length);
    if (name.next() != Der.OK || name.tag != TAG_SEQUENCE) {
      return null;
    }
    String found = null;
    Der rdns = new Der(der, name.start, name.start + name.length);
    while (rdns.next() == Der.OK) {
      if (rdns.tag != TAG_SET) {
        return null;
      }
      Der attributes = new Der(der, rdns.start, rdns.start + rdns.length);
      while (attributes.next() == Der.OK) {
        if (attributes.tag != TAG_SEQUENCE) {
          return null;
        }
        Der attribute = new Der(der, attributes.start, attributes.start + attributes.length);
        if (attribute.next() != Der.OK || attribute.tag != TAG_OID) {
          return null;
        }
        if (!isCommonNameOid(der, attribute.start, attribute.length)) {
          continue;
        }
        if (attribute.next() != Der.OK) {
          return null;
        }
        String value = directoryString(der, attribute.tag, attribute.start, attribute.length);
        if (value != null) {
          found = value; // the last (most specific) CN, as legacy clients take it
        }
      }
    }
    return found;
  }

  private static boolean isCommonNameOid(byte[] der, int start, int length) {
    if (length != OID_COMMON_NAME.length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (der[start + i] != OID_COMMON_NAME[i]) {
        return false;
      }
    }
    return true;
  }

  private static @Nullable String directoryString(byte[] der, int tag, int start, int length) {
    return switch (tag) {
      case 0x0c -> new String(der, start, length, StandardCharsets.UTF_8); // UTF8String
      // NumericString, PrintableString, IA5String, VisibleString
      case 0x12, 0x13, 0x16, 0x1a -> ia5(der, start, length);
      // TeletexString: in practice Latin-1, as the JDK reads it
      case 0x14 -> new String(der, start, length, StandardCharsets.ISO_8859_1);
      case 0x1e -> new String(der, start, length, StandardCharsets.UTF_16BE); // BMPString
      case 0x1c -> new String(der, start, length, UTF_32BE); // UniversalString
      default -> null;
    };
  }

  /** A cursor over the DER elements between two offsets, allocation-free per element. */
  private static final class Der {
    static final int OK = 1;
    static final int END = 0;
    static final int MALFORMED = -1;

    private final byte[] buf;
    private final int end;
    private int pos;
    int tag;
    int start;
    int length;

    Der(byte[] buf, int from, int to) {
      this.buf = buf;
      this.pos = from;
      this.end = to;
    }

    /** Steps to the next element: {@link #OK}, {@link #END} or {@link #MALFORMED}. */
    int next() {
      if (pos == end) {
        return END;
      }
      if (pos > end || end - pos < 2) {
        return MALFORMED;
      }
      int t = buf[pos++] & 0xff;
      if ((t & 0x1f) == 0x1f) {
        return MALFORMED; // high tag numbers do not occur in these structures
      }
      int l = buf[pos++] & 0xff;
      if (l > 0x80) {
        int octets = l & 0x7f;
        if (octets > 3 || end - pos < octets) {
          return MALFORMED;
        }
        l = 0;
        for (int i = 0; i < octets; i++) {
          l = (l << 8) | (buf[pos++] & 0xff);
        }
      } else if (l == 0x80) {
        return MALFORMED; // indefinite length is BER, not DER
      }
      if (l > end - pos) {
        return MALFORMED;
      }
      tag = t;
      start = pos;
      length = l;
      pos += l;
      return OK;
    }
  }
}
