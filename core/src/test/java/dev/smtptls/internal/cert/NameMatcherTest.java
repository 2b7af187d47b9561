package dev.smtptls.internal.cert;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NameMatcherTest {

  // ---- DNS names --------------------------------------------------------------------------

  @Test
  void matchesExactDnsNameCaseInsensitivelyAndReportsTheEntry() {
    X509Certificate cert = cert().dns("other.example.net", "MX1.Example.COM").build();

    NameMatch match = NameMatcher.match(cert, "mx1.EXAMPLE.com");

    assertThat(match.matched()).isTrue();
    assertThat(match.matchedBy()).isEqualTo("MX1.Example.COM");
    assertThat(match.expected()).isEqualTo("mx1.EXAMPLE.com");
    assertThat(match.dnsNames()).containsExactly("other.example.net", "MX1.Example.COM");
    assertThat(match.cnOnly()).isFalse();
  }

  @Test
  void ignoresOneTrailingDotOnTheExpectedName() {
    X509Certificate cert = cert().dns("mx1.example.com").build();

    assertThat(NameMatcher.match(cert, "mx1.example.com.").matched()).isTrue();
    assertThat(NameMatcher.match(cert, "mx1.example.com..").matched()).isFalse();
  }

  @Test
  void neverMatchesAPresentedNameWithATrailingDot() {
    // RFC 5280's preferred name syntax has no trailing dot; webpki refuses it too.
    X509Certificate cert = cert().dns("mx1.example.com.").build();

    assertThat(NameMatcher.match(cert, "mx1.example.com").matched()).isFalse();
  }

  @Test
  void wildcardCoversExactlyOneLeftMostLabel() {
    X509Certificate cert = cert().dns("*.example.com").build();

    assertThat(NameMatcher.match(cert, "mx1.example.com").matchedBy()).isEqualTo("*.example.com");
    assertThat(NameMatcher.match(cert, "xn--bcher-kva.example.com").matched()).isTrue();
    assertThat(NameMatcher.match(cert, "example.com").matched()).isFalse();
    assertThat(NameMatcher.match(cert, "a.mx1.example.com").matched()).isFalse();
    assertThat(NameMatcher.match(cert, "mx1.example.org").matched()).isFalse();
    assertThat(NameMatcher.match(cert, "mx1example.com").matched()).isFalse();
  }

  @Test
  void subjectCommonNameIsNeverUsedButCnOnlyIsReported() {
    X509Certificate cert = cert().cn("mx1.example.com").build();

    NameMatch match = NameMatcher.match(cert, "mx1.example.com");

    assertThat(match.matched()).isFalse();
    assertThat(match.matchedBy()).isNull();
    assertThat(match.commonName()).isEqualTo("mx1.example.com");
    assertThat(match.cnOnly()).isTrue();
    assertThat(match.dnsNames()).isEmpty();
  }

  @Test
  void cnOnlyFollowsTheSameRulesAsSubjectAltNames() {
    assertThat(NameMatcher.match(cert().cn("*.example.com").build(), "mx1.example.com").cnOnly())
        .isTrue();
    assertThat(NameMatcher.match(cert().cn("*.com").build(), "example.com").cnOnly()).isFalse();
    assertThat(NameMatcher.match(cert().cn("other.example.com").build(), "mx1.example.com").cnOnly())
        .isFalse();
    assertThat(NameMatcher.match(cert().cn("bücher.example").build(), "bücher.example").cnOnly())
        .isFalse();
  }

  @Test
  void cnIsNotEvenALegacyFallbackWhenTheCertificateHasADnsName() {
    // RFC 6125 6.4.4: a client that sees any DNS-ID must not look at the CN at all.
    X509Certificate cert = cert().cn("mx1.example.com").dns("other.example.com").build();

    NameMatch match = NameMatcher.match(cert, "mx1.example.com");

    assertThat(match.matched()).isFalse();
    assertThat(match.cnOnly()).isFalse();
  }

  @Test
  void cnOnlyIsReportedWhenTheSubjectAltNamesHoldOnlyAddresses() {
    X509Certificate cert = cert().cn("mx1.example.com").ip(192, 0, 2, 1).build();

    NameMatch match = NameMatcher.match(cert, "mx1.example.com");

    assertThat(match.matched()).isFalse();
    assertThat(match.cnOnly()).isTrue();
  }

  @Test
  void dnsReferenceIgnoresAddressEntries() {
    X509Certificate cert = cert().ip(192, 0, 2, 1).build();

    assertThat(NameMatcher.match(cert, "mx1.example.com").matched()).isFalse();
  }

  @Test
  void internationalisedExpectedNameIsComparedAsALabels() {
    X509Certificate cert =
        cert().dns("xn--bcher-kva.example", "xn--strae-oqa.de", "*.xn--mnchen-3ya.de").build();

    assertThat(NameMatcher.match(cert, "bücher.example").matchedBy())
        .isEqualTo("xn--bcher-kva.example");
    assertThat(NameMatcher.match(cert, "BÜCHER.example.").matched()).isTrue();
    // IDNA2008: ß stays ß (java.net.IDN's IDNA2003 would have made it "strasse.de").
    assertThat(NameMatcher.match(cert, "straße.de").matched()).isTrue();
    assertThat(NameMatcher.match(cert, "mx.münchen.de").matched()).isTrue();
    // Ideographic full stop separates labels as a dot does.
    assertThat(NameMatcher.match(cert, "bücher\u3002example").matched()).isTrue();
  }

  @Test
  void presentedNameWithNonAsciiOctetsNeverMatches() {
    X509Certificate emoji = cert().rawDns("😜.example.com".getBytes(UTF_8)).build();
    X509Certificate uLabel = cert().rawDns("bücher.example".getBytes(UTF_8)).build();

    NameMatch match = NameMatcher.match(emoji, "xn--628h.example.com");
    assertThat(match.matched()).isFalse();
    assertThat(match.dnsNames()).containsExactly("😜.example.com");
    assertThat(NameMatcher.match(emoji, "😜.example.com").matched()).isFalse();
    assertThat(NameMatcher.match(uLabel, "bücher.example").matched()).isFalse();
    assertThat(NameMatcher.match(uLabel, "xn--bcher-kva.example").matched()).isFalse();
  }

  @Test
  void embeddedNulOrControlCharactersNeverMatch() {
    X509Certificate cert = cert().rawDns("mx1.example.com\0.evil.example".getBytes(UTF_8)).build();

    assertThat(NameMatcher.match(cert, "mx1.example.com").matched()).isFalse();
    assertThat(NameMatcher.match(cert, "mx1.example.com.evil.example").matched()).isFalse();
  }

  @Test
  void kelvinSignInAPresentedNameIsNotTheLetterK() {
    // String.equalsIgnoreCase would fold U+212A to 'k'.
    X509Certificate cert = cert().rawDns("\u212Aey.example.com".getBytes(UTF_8)).build();

    assertThat(NameMatcher.match(cert, "key.example.com").matched()).isFalse();
  }

  @Test
  void malformedSubjectAltNameExtensionYieldsNoNamesAndNoException() {
    X509Certificate cert =
        cert().cn("mx1.example.com").rawSubjectAltName("mx1.example.com".getBytes(UTF_8)).build();

    NameMatch match = NameMatcher.match(cert, "mx1.example.com");

    assertThat(match.matched()).isFalse();
    assertThat(match.dnsNames()).isEmpty();
    assertThat(match.ipAddresses()).isEmpty();
  }

  @Test
  void truncatedSubjectAltNameYieldsNoNamesEvenIfAnEntryBeforeTheDamageWasGood() {
    byte[] good = new byte[] {(byte) 0x82, 3, 'a', '.', 'b'};
    byte[] truncated = new byte[] {0x30, 10, good[0], good[1], good[2], good[3], good[4], (byte) 0x82, 9};
    X509Certificate cert = cert().cn("x").rawSubjectAltName(truncated).build();

    NameMatch match = NameMatcher.match(cert, "a.b");

    assertThat(match.matched()).isFalse();
    assertThat(match.dnsNames()).isEmpty();
  }

  @Test
  void reportsEveryNameTheCertificatePresents() {
    X509Certificate cert =
        cert()
            .cn("mx1.example.com")
            .dns("mx1.example.com", "*.example.net")
            .ip(192, 0, 2, 25)
            .ip(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x19)
            .uri("https://example.com/")
            .build();

    NameMatch match = NameMatcher.match(cert, "mx2.example.org");

    assertThat(match.matched()).isFalse();
    assertThat(match.dnsNames()).containsExactly("mx1.example.com", "*.example.net");
    assertThat(match.ipAddresses()).containsExactly("192.0.2.25", "2001:db8::19");
    assertThat(match.commonName()).isEqualTo("mx1.example.com");
  }

  @Test
  void readsTheLastCommonNameInAnyDirectoryStringType() {
    X509Certificate bmp = cert().subject(cnAttribute(new DERBMPString("mx1.example.com"))).build();
    X509Certificate two =
        cert()
            .subject(cnAttribute(new DERUTF8String("first.example.com")),
                cnAttribute(new DERUTF8String("last.example.com")))
            .build();

    assertThat(NameMatcher.match(bmp, "x.example").commonName()).isEqualTo("mx1.example.com");
    assertThat(NameMatcher.match(two, "x.example").commonName()).isEqualTo("last.example.com");
    assertThat(NameMatcher.match(cert().build(), "x.example").commonName()).isNull();
  }

  @ParameterizedTest
  @CsvSource({
    // presented, a reference it would cover if the presented name were allowed
    "f*.example.com, foo.example.com",
    "*oo.example.com, foo.example.com",
    "ba*.example.com, baz.example.com",
    "xn--*-1b3c148a.example.com, xn--bliss-1b3c148a.example.com",
    "foo.*.example.com, foo.bar.example.com",
    "*.*.example.com, foo.bar.example.com",
    "**.example.com, foo.example.com",
    "*, example.com",
    "*, com",
    "*., example.com",
    "*.com, example.com",
    "*.co.uk, example.co.uk",
    "*.s3.amazonaws.com, example.s3.amazonaws.com",
    "*.appspot.com, example.appspot.com",
    "*.foo.ck, example.foo.ck",
    "*.example.com., foo.example.com",
    ".example.com, example.com",
    "mx1..example.com, mx1.example.com",
    "mx1_a.example.com, mx1_a.example.com",
    "-mx1.example.com, -mx1.example.com",
    "mx1-.example.com, mx1-.example.com",
    "mx1.example.123, mx1.example.123",
  })
  void neverMatchesAMalformedOrOverbroadPresentedName(String presented, String reference) {
    X509Certificate cert = cert().dns(presented).build();

    NameMatch match = NameMatcher.match(cert, reference);

    assertThat(match.matched()).isFalse();
    assertThat(match.dnsNames()).containsExactly(presented);
  }

  @ParameterizedTest
  @CsvSource({
    // presented, reference, matches
    "example.com, example.com, true",
    "EXAMPLE.com, example.COM, true",
    "example.com, example.com., true",
    "*.example.com, foo.example.com, true",
    "*.EXAMPLE.com, Foo.example.com, true",
    "*.example.com, example.com, false",
    "*.example.com, foo.bar.example.com, false",
    "*.example.com, .example.com, false",
    "*.com, example.com, false",
    "*.co.uk, example.co.uk, false",
    "*.example.co.uk, mx.example.co.uk, true",
    "*.s3.amazonaws.com, bucket.s3.amazonaws.com, false",
    "*.r.appspot.com, x.y.r.appspot.com, false",
    "*.foo.ck, x.foo.ck, false",
    "*.www.ck, mx.www.ck, true",
    "*.foo.kawasaki.jp, mx.foo.kawasaki.jp, false",
    "*.city.kawasaki.jp, mx.city.kawasaki.jp, true",
    "*.kawasaki.jp, foo.kawasaki.jp, false", // foo.kawasaki.jp is itself a public suffix
    "*.kawasaki.jp, city.kawasaki.jp, true", // ... but !city.kawasaki.jp is an exception
    "*.xn--55qx5d.cn, x.xn--55qx5d.cn, false",
    "*.example.xn--55qx5d.cn, x.example.xn--55qx5d.cn, true",
    "*.internal, mx.internal, false",
    "*.corp.internal, mx.corp.internal, true",
    "localhost, localhost, true",
    "example.com, example.org, false",
    "abc.example.com, def.example.com, false",
    "example.com, abc.example.com, false",
    "abc.example.com, example.com, false",
    "foo_bar.example.com, foo_bar.example.com, false",
    "*.example.com, foo_bar.example.com, false",
    "8.8.8.8, 8.8.8.8, false",
    "example.com, *.example.com, false",
    "*.example.com, *.example.com, false",
  })
  void dnsNameMatchesFollowsRfc9525(String presented, String reference, boolean matches) {
    assertThat(NameMatcher.dnsNameMatches(presented, reference)).isEqualTo(matches);
  }

  @Test
  void dnsNameMatchesRefusesNamesTooLongForDns() {
    String label = "a".repeat(63);
    String longest = label + "." + label + "." + label + "." + "a".repeat(57) + ".com";
    assertThat(longest).hasSize(253);

    assertThat(NameMatcher.dnsNameMatches(longest, longest)).isTrue();
    assertThat(NameMatcher.dnsNameMatches("a" + longest, "a" + longest)).isFalse();
    assertThat(NameMatcher.dnsNameMatches("a".repeat(64) + ".com", "a".repeat(64) + ".com"))
        .isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "..", "a..b", "-a.com", "a-.com", "a b.com", "[example.com]",
      "example.com:25", "😜.example.com", "192.168.001.001", "0xC0A80101", "1.2.3"})
  void anInvalidExpectedNameMatchesNothingAndThrowsNothing(String expected) {
    X509Certificate cert =
        cert().cn(expected.isEmpty() ? "x" : expected).dns("*.example.com", "example.com").build();

    NameMatch match = NameMatcher.match(cert, expected);

    assertThat(match.matched()).isFalse();
    assertThat(match.cnOnly()).isFalse();
  }

  @Test
  void nullArgumentsAreMisuse() {
    X509Certificate cert = cert().dns("example.com").build();

    assertThatThrownBy(() -> NameMatcher.match(cert, null)).isInstanceOf(NullPointerException.class)
        .hasMessage("expectedName");
    assertThatThrownBy(() -> NameMatcher.dnsNameMatches(null, "a.com"))
        .isInstanceOf(NullPointerException.class);
  }

  // ---- IP literals ------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"192.0.2.1", "[192.0.2.1]"})
  void ipv4ReferenceMatchesTheIpAddressEntry(String expected) {
    X509Certificate cert = cert().dns("192.0.2.1").ip(192, 0, 2, 1).build();

    NameMatch match = NameMatcher.match(cert, expected);

    assertThat(match.matched()).isTrue();
    assertThat(match.matchedBy()).isEqualTo("192.0.2.1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2001:db8::1",
        "2001:DB8::1",
        "2001:0db8:0000:0000:0000:0000:0000:0001",
        "2001:db8:0:0:0:0:0:1",
        "[2001:db8::1]",
        "[IPv6:2001:db8::1]",
        "[ipv6:2001:DB8::0:1]",
      })
  void ipv6ReferenceInAnyTextFormMatchesAsBytes(String expected) {
    X509Certificate cert = cert().ip(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1).build();

    NameMatch match = NameMatcher.match(cert, expected);

    assertThat(match.matched()).isTrue();
    assertThat(match.matchedBy()).isEqualTo("2001:db8::1");
  }

  @Test
  void ipReferenceNeverMatchesADnsNameWithTheSameText() {
    X509Certificate cert = cert().cn("192.0.2.1").dns("192.0.2.1").build();

    NameMatch match = NameMatcher.match(cert, "192.0.2.1");

    assertThat(match.matched()).isFalse();
    assertThat(match.dnsNames()).containsExactly("192.0.2.1");
  }

  @Test
  void ipv4AndIpv4MappedIpv6AreDifferentAddresses() {
    X509Certificate v4 = cert().ip(192, 0, 2, 1).build();
    X509Certificate mapped =
        cert().ip(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1).build();

    assertThat(NameMatcher.match(v4, "::ffff:192.0.2.1").matched()).isFalse();
    assertThat(NameMatcher.match(mapped, "192.0.2.1").matched()).isFalse();
    assertThat(NameMatcher.match(mapped, "::ffff:c000:201").matchedBy()).isEqualTo("::ffff:192.0.2.1");
  }

  @Test
  void addressInTheCommonNameNeverMatchesAndOnlyAStrictLiteralCountsAsCnOnly() {
    assertThat(NameMatcher.match(cert().cn("192.0.2.1").build(), "192.0.2.1"))
        .satisfies(m -> assertThat(m.matched()).isFalse())
        .satisfies(m -> assertThat(m.cnOnly()).isTrue());
    for (String cn : List.of("0xC0000201", "192.000.002.001", "3221225985", "192.0.2.1.")) {
      NameMatch match = NameMatcher.match(cert().cn(cn).build(), "192.0.2.1");
      assertThat(match.matched()).as(cn).isFalse();
      assertThat(match.cnOnly()).as(cn).isFalse();
    }
  }

  @Test
  void addressRangesFromNameConstraintsAreNotAddresses() {
    // An 8-octet iPAddress (address and mask) is a name-constraint form, invalid in a SAN.
    X509Certificate cert = cert().ip(192, 0, 2, 0, 255, 255, 255, 0).build();

    NameMatch match = NameMatcher.match(cert, "192.0.2.0");

    assertThat(match.matched()).isFalse();
    assertThat(match.ipAddresses()).isEmpty();
  }

  // ---- NameMatch --------------------------------------------------------------------------

  @Test
  void nameMatchKeepsItsInvariants() {
    assertThatThrownBy(() -> new NameMatch("a", true, null, List.of(), List.of(), null, false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new NameMatch("a", true, "a", List.of(), List.of(), null, true))
        .isInstanceOf(IllegalArgumentException.class);
    List<String> names = new ArrayList<>(List.of("a"));
    NameMatch match = new NameMatch("a", true, "a", names, List.of(), null, false);
    names.add("b");
    assertThat(match.dnsNames()).containsExactly("a");
  }

  // ---- certificates made for the test -----------------------------------------------------

  private static final KeyPair KEY = ecKey();
  private static final AtomicLong SERIAL = new AtomicLong(1);

  private static KeyPair ecKey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(256);
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static CertBuilder cert() {
    return new CertBuilder();
  }

  private static ASN1Encodable cnAttribute(ASN1Encodable value) {
    return new DERSet(new DERSequence(new ASN1Encodable[] {new ASN1ObjectIdentifier("2.5.4.3"), value}));
  }

  /** Builds a leaf with exactly the names a test needs, including malformed ones. */
  static final class CertBuilder {
    private final List<ASN1Encodable> subject = new ArrayList<>();
    private final ASN1EncodableVector san = new ASN1EncodableVector();
    private byte[] rawSan;

    CertBuilder cn(String cn) {
      subject.add(cnAttribute(new DERUTF8String(cn)));
      return this;
    }

    CertBuilder subject(ASN1Encodable... rdns) {
      subject.addAll(List.of(rdns));
      return this;
    }

    CertBuilder dns(String... names) {
      for (String name : names) {
        rawDns(name.getBytes(UTF_8));
      }
      return this;
    }

    /** A dNSName with exactly these octets (the DER says IA5String; the octets need not be). */
    CertBuilder rawDns(byte[] octets) {
      san.add(new DERTaggedObject(false, 2, new DEROctetString(octets)));
      return this;
    }

    CertBuilder ip(int... octets) {
      byte[] bytes = new byte[octets.length];
      for (int i = 0; i < octets.length; i++) {
        bytes[i] = (byte) octets[i];
      }
      san.add(new DERTaggedObject(false, 7, new DEROctetString(bytes)));
      return this;
    }

    CertBuilder uri(String uri) {
      san.add(new DERTaggedObject(false, 6, new DEROctetString(uri.getBytes(UTF_8))));
      return this;
    }

    /** The subjectAltName extension's value (inside its OCTET STRING), as given. */
    CertBuilder rawSubjectAltName(byte[] value) {
      rawSan = value;
      return this;
    }

    X509Certificate build() {
      try {
        X500Name name = X500Name.getInstance(new DERSequence(subject.toArray(new ASN1Encodable[0])));
        Instant now = Instant.now();
        X509v3CertificateBuilder builder =
            new JcaX509v3CertificateBuilder(
                new X500Name("CN=Test CA"),
                BigInteger.valueOf(SERIAL.getAndIncrement()),
                Date.from(now.minus(1, ChronoUnit.DAYS)),
                Date.from(now.plus(1, ChronoUnit.DAYS)),
                name,
                KEY.getPublic());
        if (rawSan != null) {
          builder.addExtension(Extension.subjectAlternativeName, false, rawSan);
        } else if (san.size() > 0) {
          builder.addExtension(Extension.subjectAlternativeName, subject.isEmpty(), new DERSequence(san));
        }
        return new JcaX509CertificateConverter()
            .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(KEY.getPrivate())));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  }
}
