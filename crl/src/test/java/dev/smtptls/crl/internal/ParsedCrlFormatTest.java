package dev.smtptls.crl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.CRLReason;
import java.util.Arrays;
import java.util.Date;
import java.util.Random;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.junit.jupiter.api.Test;

/** Malformed input gives {@link CrlFormatException} naming the offset, never another exception. */
class ParsedCrlFormatTest {

  private static byte[] small() {
    X509v2CRLBuilder b = ParsedCrlTest.builder();
    b.addCRLEntry(BigInteger.valueOf(1000), Date.from(ParsedCrlTest.NOW), CRLReason.KEY_COMPROMISE.ordinal());
    b.addCRLEntry(BigInteger.valueOf(-5), Date.from(ParsedCrlTest.NOW), CRLReason.SUPERSEDED.ordinal());
    return ParsedCrlTest.sign(b);
  }

  @Test
  void everyTruncationIsAFormatErrorWithAnOffset() {
    byte[] der = small();
    for (int len = 0; len < der.length; len++) {
      byte[] cut = Arrays.copyOf(der, len);
      assertThatThrownBy(() -> ParsedCrl.parse(cut)).as("truncated to %d", len)
          .isInstanceOf(CrlFormatException.class)
          .hasMessageContaining(len == 0 ? "" : "at byte offset");
    }
  }

  @Test
  void trailingGarbageIsRejectedAtItsOffset() {
    byte[] der = small();
    byte[] longer = Arrays.copyOf(der, der.length + 2);
    assertThatThrownBy(() -> ParsedCrl.parse(longer))
        .isInstanceOf(CrlFormatException.class)
        .hasMessageContaining("trailing")
        .hasMessageContaining("at byte offset " + der.length)
        .satisfies(e -> assertThat(((CrlFormatException) e).offset()).isEqualTo(der.length));
  }

  @Test
  void indefiniteAndNonMinimalLengthsAreRejected() {
    byte[] indefinite = {0x30, (byte) 0x80, 0x02, 0x01, 0x01, 0x00, 0x00};
    assertThatThrownBy(() -> ParsedCrl.parse(indefinite))
        .isInstanceOf(CrlFormatException.class).hasMessageContaining("indefinite").hasMessageContaining("offset 1");
    byte[] nonMinimal = {0x30, (byte) 0x81, 0x03, 0x02, 0x01, 0x01};
    assertThatThrownBy(() -> ParsedCrl.parse(nonMinimal))
        .isInstanceOf(CrlFormatException.class).hasMessageContaining("not DER");
    byte[] pastEnd = {0x30, 0x05, 0x02, 0x01};
    assertThatThrownBy(() -> ParsedCrl.parse(pastEnd))
        .isInstanceOf(CrlFormatException.class).hasMessageContaining("past the end").hasMessageContaining("offset 0");
  }

  @Test
  void garbageAndEveryFlippedByteGiveAFormatErrorOrAParse() {
    Random rnd = new Random(1);
    for (int i = 0; i < 200; i++) {
      byte[] junk = new byte[rnd.nextInt(300)];
      rnd.nextBytes(junk);
      if (junk.length > 0 && rnd.nextBoolean()) {
        junk[0] = 0x30;
      }
      assertThatThrownBy(() -> ParsedCrl.parse(junk)).isInstanceOf(CrlFormatException.class);
    }
    byte[] der = small();
    for (int pos = 0; pos < der.length; pos++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] flipped = der.clone();
        flipped[pos] ^= (byte) (1 << bit);
        try {
          ParsedCrl crl = ParsedCrl.parse(flipped);
          crl.verify(ParsedCrlTest.EC.getPublic());
          crl.lookup(BigInteger.valueOf(1000), crl.issuer());
        } catch (CrlFormatException expected) {
          assertThat(expected.offset()).isBetween(-1, der.length);
        }
      }
    }
  }

  @Test
  void pemWithoutACrlBlockIsAFormatError() {
    assertThatThrownBy(() -> ParsedCrl.parse("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
        .getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(CrlFormatException.class).hasMessageContaining("PEM");
    assertThatThrownBy(() -> ParsedCrl.parse("-----BEGIN X509 CRL-----\nAAAA\n"
        .getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(CrlFormatException.class).hasMessageContaining("END");
  }

  @Test
  void badTimesAreRejected() {
    byte[] der = small();
    // thisUpdate is the first UTCTime: 13 ASCII bytes "260301120000Z"
    int at = ParsedCrlTest.indexOf(der, "260301120000Z".getBytes(StandardCharsets.US_ASCII));
    byte[] month13 = der.clone();
    month13[at + 2] = '1';
    month13[at + 3] = '3';
    assertThatThrownBy(() -> ParsedCrl.parse(month13))
        .isInstanceOf(CrlFormatException.class).hasMessageContaining("thisUpdate").hasMessageContaining("offset");
    byte[] notZ = der.clone();
    notZ[at + 12] = '0';
    assertThatThrownBy(() -> ParsedCrl.parse(notZ)).isInstanceOf(CrlFormatException.class);
  }
}
