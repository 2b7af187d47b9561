package dev.smtptls.internal.cert;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Whether a server certificate covers the name a client expects, by the rules of RFC 9525 (which
 * obsoletes RFC 6125) as strict receivers apply them.
 *
 * <ul>
 *   <li>A DNS name is compared with the subjectAltName dNSName entries only; an IP literal with
 *       the iPAddress entries only, as bytes. The subject commonName is never used (RFC 9525
 *       section 6.3); {@link NameMatch#cnOnly()} reports when a legacy client would have used it.
 *   <li>Comparison is ASCII case-insensitive; one trailing dot on the expected name is ignored. An
 *       expected name with non-ASCII characters is converted to A-labels first (IDNA2008, see
 *       {@link NameIdna}); a presented name with non-ASCII octets is not a valid dNSName (RFC 5280
 *       section 4.2.1.6, RFC 9525 section 6.3) and never matches.
 *   <li>Names must be host names: letters, digits and hyphens, labels of 1 to 63 characters not
 *       starting or ending with a hyphen, at most 253 characters, a last label that is not all
 *       digits (so {@code 8.8.8.8} in a dNSName is not an address). A presented name with an
 *       underscore, an empty label or a trailing dot never matches; an expected name that is no
 *       host name (RFC 5321 section 4.1.2 leaves SMTP no other kind) matches nothing.
 *   <li>A wildcard matches only as the complete left-most label ({@code *.example.com}) and then
 *       exactly one label: never the parent ({@code example.com}), never two labels, never a
 *       partial label ({@code f*.example.com}, {@code xn--*-1b3c148a.example.com}), and never
 *       when what follows it is a public suffix ({@code *.com}, {@code *.co.uk}, {@code
 *       *.s3.amazonaws.com}) or the name it would cover is one ({@code *.kawasaki.jp} for {@code
 *       foo.kawasaki.jp}); Mozilla's list, both sections, see {@link PublicSuffixList}.
 * </ul>
 *
 * <p>Both methods are thread-safe, never throw for what a certificate contains, and compile no
 * pattern: a call reads the subjectAltName DER once and compares in place. The public suffix list
 * is loaded on the first wildcard that would otherwise match.
 */
public final class NameMatcher {

  private static final int MAX_NAME_LENGTH = 253;
  private static final int MAX_LABEL_LENGTH = 63;

  private NameMatcher() {}

  /**
   * Matches a DNS name or an IP literal against the certificate.
   *
   * <p>An IP literal is IPv4 dotted decimal ({@code 192.0.2.1}) or IPv6 in any RFC 4291 text form
   * ({@code 2001:DB8:0:0:0:0:0:1}, {@code 2001:db8::1}, {@code ::ffff:192.0.2.1}), optionally in
   * brackets, including SMTP address literals ({@code [192.0.2.1]}, {@code [IPv6:2001:db8::1]},
   * RFC 5321 section 4.1.3). Anything else is taken as a DNS name.
   *
   * @param cert the server's certificate
   * @param expectedName the name the client expects (MX host, TLS domain, EHLO name)
   * @return the verdict and the names the certificate presents
   * @throws NullPointerException if an argument is null
   */
  public static NameMatch match(X509Certificate cert, String expectedName) {
    Objects.requireNonNull(cert, "cert");
    Objects.requireNonNull(expectedName, "expectedName");
    NameExtractor.Names names = NameExtractor.read(cert);
    String matchedBy = null;
    boolean cnOnly = false;
    byte[] address = NameIpAddress.parseReference(expectedName);
    if (address != null) {
      for (int i = 0; i < names.ipBytes.size(); i++) {
        if (Arrays.equals(address, names.ipBytes.get(i))) {
          matchedBy = names.ipTexts.get(i);
          break;
        }
      }
      if (matchedBy == null && names.ipBytes.isEmpty() && names.commonName != null) {
        // Only a strictly written literal: 0xC0A80101 or 192.168.001.001 would not even
        // have matched a legacy client that compares text.
        cnOnly = Arrays.equals(address, NameIpAddress.parse(names.commonName));
      }
    } else {
      String reference = referenceName(expectedName);
      if (reference != null) {
        matchedBy = firstMatch(names.dnsNames, reference);
        if (matchedBy == null && names.dnsNames.isEmpty() && names.commonName != null) {
          cnOnly = presentedMatches(names.commonName, reference);
        }
      }
    }
    return new NameMatch(
        expectedName,
        matchedBy != null,
        matchedBy,
        names.dnsNames,
        names.ipTexts,
        names.commonName,
        cnOnly);
  }

  /**
   * True if {@code presented} (a dNSName, possibly a wildcard such as {@code *.contoso.com})
   * covers {@code reference} (a DNS name), by the rules in the class description. For policy
   * code that compares configured patterns, such as an Exchange connector's {@code TlsDomain}.
   *
   * @param presented the name as a certificate (or a configured pattern) gives it
   * @param reference the name the client expects
   * @return whether it is covered; false if either is not a valid name
   * @throws NullPointerException if an argument is null
   */
  public static boolean dnsNameMatches(String presented, String reference) {
    Objects.requireNonNull(presented, "presented");
    Objects.requireNonNull(reference, "reference");
    String normalized = referenceName(reference);
    return normalized != null && presentedMatches(presented, normalized);
  }

  private static @Nullable String firstMatch(List<String> presented, String reference) {
    for (int i = 0; i < presented.size(); i++) {
      String name = presented.get(i);
      if (presentedMatches(name, reference)) {
        return name;
      }
    }
    return null;
  }

  /**
   * The expected name as a lower-case, A-label host name without a trailing dot, or null if it
   * cannot be one.
   */
  static @Nullable String referenceName(String name) {
    String ascii = name;
    if (!NameIdna.isAscii(ascii)) {
      ascii = NameIdna.toAscii(ascii);
      if (ascii == null) {
        return null;
      }
    }
    if (ascii.length() > 1 && ascii.charAt(ascii.length() - 1) == '.') {
      ascii = ascii.substring(0, ascii.length() - 1);
    }
    if (!isHostName(ascii, false)) {
      return null;
    }
    for (int i = 0; i < ascii.length(); i++) {
      char c = ascii.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        return ascii.toLowerCase(Locale.ROOT);
      }
    }
    return ascii;
  }

  /** {@code reference} is already a valid, lower-case, A-label host name. */
  private static boolean presentedMatches(String presented, String reference) {
    if (!isHostName(presented, true)) {
      return false;
    }
    int length = presented.length();
    if (presented.charAt(0) != '*') {
      return length == reference.length() && reference.regionMatches(true, 0, presented, 0, length);
    }
    // "*." then at least one label, checked by isHostName; the wildcard stands for exactly
    // the reference's first label.
    int dot = reference.indexOf('.');
    int rest = length - 2;
    if (dot <= 0
        || reference.length() - dot - 1 != rest
        || !reference.regionMatches(true, dot + 1, presented, 2, rest)) {
      return false;
    }
    // Neither over a public suffix (*.co.uk) nor standing in for one: under the rule *.kawasaki.jp
    // every foo.kawasaki.jp is a public suffix, so *.kawasaki.jp must not cover it.
    PublicSuffixList suffixes = PublicSuffixList.shipped();
    return !suffixes.isPublicSuffix(reference.substring(dot + 1))
        && !suffixes.isPublicSuffix(reference);
  }

  /**
   * Host-name syntax (RFC 1123 section 2.1, RFC 5280 section 4.2.1.6's preferred name syntax).
   * With {@code wildcard}, the name may start with the label {@code *}.
   */
  private static boolean isHostName(String name, boolean wildcard) {
    int length = name.length();
    if (length == 0 || length > MAX_NAME_LENGTH) {
      return false;
    }
    int i = 0;
    if (wildcard && length >= 2 && name.charAt(0) == '*' && name.charAt(1) == '.') {
      i = 2;
    }
    int labelStart = i;
    boolean allDigits = true;
    for (; i <= length; i++) {
      char c = i == length ? '.' : name.charAt(i);
      if (c == '.') {
        int labelLength = i - labelStart;
        if (labelLength == 0
            || labelLength > MAX_LABEL_LENGTH
            || name.charAt(labelStart) == '-'
            || name.charAt(i - 1) == '-'
            || (i == length && allDigits)) {
          return false;
        }
        labelStart = i + 1;
        allDigits = true;
      } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-') {
        allDigits = false;
      } else if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
