package dev.smtptls.internal.cert;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The pieces under {@link NameMatcher}: the public suffix list, IDNA, IP literals. */
class NameMatcherPartsTest {

  // ---- public suffix list -----------------------------------------------------------------

  @ParameterizedTest
  @CsvSource({
    "com, true",
    "uk, true",
    "co.uk, true",
    "example.co.uk, false",
    "example.com, false",
    "s3.amazonaws.com, true", // PRIVATE section
    "appspot.com, true",
    "example.appspot.com, false",
    "foo.ck, true", // *.ck
    "www.ck, false", // !www.ck
    "ck, true",
    "foo.kawasaki.jp, true", // *.kawasaki.jp
    "city.kawasaki.jp, false", // !city.kawasaki.jp
    "kawasaki.jp, false",
    "xn--55qx5d.cn, true", // 公司.cn, a U-label in the list
    "example.xn--55qx5d.cn, false",
    "unlisted-tld, true", // the implicit rule *
    "example.unlisted-tld, false",
  })
  void shippedListAnswersWhetherADomainIsAPublicSuffix(String domain, boolean publicSuffix) {
    assertThat(PublicSuffixList.shipped().isPublicSuffix(domain)).isEqualTo(publicSuffix);
  }

  @Test
  void shippedListIsLoadedWhole() {
    // Both sections: about 10,000 ICANN and PRIVATE rules.
    assertThat(PublicSuffixList.shipped().size()).isGreaterThan(9_000);
    assertThat(PublicSuffixList.shipped()).isSameAs(PublicSuffixList.shipped());
  }

  @Test
  void parsesTheListFormat() throws IOException {
    String text =
        """
        // comment

          example   trailing words are ignored
        *.wild.example
        !free.wild.example
        EXAMPLE-UPPER
        bücher
        """;

    PublicSuffixList list = PublicSuffixList.parse(new BufferedReader(new StringReader(text)));

    assertThat(list.size()).isEqualTo(5);
    assertThat(list.isPublicSuffix("example")).isTrue();
    assertThat(list.isPublicSuffix("x.wild.example")).isTrue();
    assertThat(list.isPublicSuffix("free.wild.example")).isFalse();
    assertThat(list.isPublicSuffix("wild.example")).isFalse();
    assertThat(list.isPublicSuffix("x.example-upper")).isFalse();
    assertThat(list.isPublicSuffix("xn--bcher-kva")).isTrue();
    assertThat(list.isPublicSuffix("a.xn--bcher-kva")).isFalse();
  }

  // ---- IDNA -------------------------------------------------------------------------------

  @ParameterizedTest
  @CsvSource({
    "bücher, bcher-kva",
    "münchen, mnchen-3ya",
    "😜, 628h",
    "test-測試, test--gs1lv54n", // not limbo's xn--test--wg5h0h, which decodes to something else
    "公司, 55qx5d",
    "straße, strae-oqa",
    // RFC 3492 7.1 (A) Arabic (Egyptian)
    "ليهمابتكلموشعربي؟, egbpdaj6bu4bxfgehfvwxn",
    // RFC 3492 7.1 (B) Chinese (simplified)
    "他们为什么不说中文, ihqwcrb4cv8a8dqg056pqjye",
  })
  void punycodeEncodesRfc3492Vectors(String label, String encoded) {
    assertThat(NameIdna.punycode(label)).isEqualTo(encoded);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bücher.example", "mx.münchen.de", "例え.テスト", "Ünïcödé.example"})
  void agreesWithJavaNetIdnWhereIdna2003AndIdna2008Agree(String name) {
    assertThat(NameIdna.toAscii(name)).isEqualTo(IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT));
  }

  @Test
  void refusesLabelsThatCannotBeHostNames() {
    assertThat(NameIdna.toAscii("😜.example.com")).isNull();
    assertThat(NameIdna.toAscii("a\u200db.example")).isNull(); // zero-width joiner
    // ASCII in a U-label is left to the LDH check of the whole name.
    assertThat(NameMatcher.referenceName("bü cher.example")).isNull();
  }

  @Test
  void referenceNamesAreNormalisedToLowerCaseALabels() {
    assertThat(NameMatcher.referenceName("MX1.Example.COM.")).isEqualTo("mx1.example.com");
    assertThat(NameMatcher.referenceName("mx1.example.com")).isSameAs("mx1.example.com".intern());
    assertThat(NameMatcher.referenceName("ＢÜCHER．example")).isEqualTo("xn--bcher-kva.example");
    assertThat(NameMatcher.referenceName("straße.de")).isEqualTo("xn--strae-oqa.de");
    assertThat(NameMatcher.referenceName("foo_bar.example.com")).isNull();
    assertThat(NameMatcher.referenceName("*.example.com")).isNull();
  }

  // ---- IP literals ------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0.0.0.0",
        "192.0.2.1",
        "255.255.255.255",
        "::",
        "::1",
        "1::",
        "2001:db8::1",
        "2001:DB8:0:0:8:800:200C:417A",
        "ff01::101",
        "::ffff:192.0.2.1",
        "::192.0.2.1",
        "1:2:3:4:5:6:1.2.3.4",
        "1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7::",
        "::2:3:4:5:6:7:8",
      })
  void parsesIpLiteralsAsTheJdkDoes(String literal) throws UnknownHostException {
    byte[] jdk = InetAddress.getByName(literal).getAddress();
    byte[] ours = NameIpAddress.parse(literal);

    if (jdk.length == 4 && literal.contains(":")) {
      // The JDK turns ::ffff:a.b.c.d into an Inet4Address; certificates keep 16 octets.
      assertThat(ours).hasSize(16).endsWith(jdk);
    } else {
      assertThat(ours).isEqualTo(jdk);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "1",
        "1.2.3",
        "1.2.3.4.5",
        "256.1.1.1",
        "01.2.3.4",
        "192.168.001.001",
        "0xC0A80101",
        "3221225985",
        "1.2.3.4.",
        " 1.2.3.4",
        "١.٢.٣.٤", // Arabic-Indic digits
        ":",
        ":::",
        "1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7:8::",
        "1::2::3",
        "12345::1",
        "1:",
        ":1",
        "g::1",
        "::1%eth0",
        "1:2:3:4:5:6:7:1.2.3.4",
        "::1.2.3",
        "::ffff:1.2.3.04",
        "２００１:db8::1", // full-width digits
      })
  void refusesWhatIsNotAStrictIpLiteral(String text) {
    assertThat(NameIpAddress.parse(text)).isNull();
  }

  @ParameterizedTest
  @CsvSource({
    "[192.0.2.1], 192.0.2.1",
    "[2001:db8::1], 2001:db8::1",
    "[IPv6:2001:db8::1], 2001:db8::1",
    "[ipv6:::1], ::1",
  })
  void parsesBracketsAndSmtpAddressLiterals(String reference, String canonical) {
    assertThat(NameIpAddress.text(NameIpAddress.parseReference(reference))).isEqualTo(canonical);
  }

  @Test
  void refusesAnIpv4AddressTaggedAsIpv6() {
    assertThat(NameIpAddress.parseReference("[IPv6:192.0.2.1]")).isNull();
    assertThat(NameIpAddress.parseReference("[]")).isNull();
    assertThat(NameIpAddress.parseReference("[example.com]")).isNull();
  }

  @ParameterizedTest
  @CsvSource({
    "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
    "2001:DB8:0:0:8:800:200C:417A, 2001:db8::8:800:200c:417a",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1", // the first of two equal runs
    "2001:db8:0:1:0:0:0:1, 2001:db8:0:1::1", // the longest run, not the first
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1", // one zero group is not compressed
    "0:0:0:0:0:0:0:0, ::",
    "0:0:0:0:0:0:0:1, ::1",
    "1:0:0:0:0:0:0:0, 1::",
    "::ffff:c000:0201, ::ffff:192.0.2.1",
    "192.0.2.1, 192.0.2.1",
  })
  void writesCanonicalText(String literal, String canonical) {
    assertThat(NameIpAddress.text(NameIpAddress.parse(literal))).isEqualTo(canonical);
  }
}
