package dev.smtptls.dns;

import static java.util.Objects.requireNonNull;

import java.util.HexFormat;
import java.util.Locale;

/**
 * A DANE TLSA record (RFC 6698 §2.1): which certificate or key a TLS server must present.
 *
 * @param usage the certificate usage: 0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE (RFC 7218
 *     mnemonics); only 2 and 3 are for SMTP (RFC 7672 §3.1)
 * @param selector what is matched: 0 the full certificate (DER), 1 its SubjectPublicKeyInfo
 * @param matchingType how: 0 the exact bytes, 1 their SHA-256 digest, 2 their SHA-512 digest
 * @param data the certificate association data in lower-case hex, e.g. a SHA-256 digest of 64 hex
 *     digits
 */
public record TlsaRecord(int usage, int selector, int matchingType, String data) {

  /**
   * Checks the fields and makes the data lower case.
   *
   * @throws IllegalArgumentException if a number is outside 0 to 255 or the data is not an even
   *     number of hex digits (at least two)
   */
  public TlsaRecord {
    checkOctet("usage", usage);
    checkOctet("selector", selector);
    checkOctet("matchingType", matchingType);
    requireNonNull(data, "data");
    data = data.toLowerCase(Locale.ROOT);
    if (data.isEmpty() || data.length() % 2 != 0 || !data.chars().allMatch(TlsaRecord::isHex)) {
      throw new IllegalArgumentException(
          "TLSA data is not an even number of hex digits: \"" + data + "\"");
    }
  }

  /**
   * Parses the presentation form of the RDATA, as {@link DnsRecord#data()} holds it for TLSA:
   * {@code "3 1 1 8F3A..."}; the hex may be split by white space (RFC 6698 §2.2).
   *
   * @param presentationRdata the RDATA
   * @return the record
   * @throws IllegalArgumentException naming the text, if it is not of that form
   */
  public static TlsaRecord parse(String presentationRdata) {
    requireNonNull(presentationRdata, "presentationRdata");
    String[] parts = presentationRdata.trim().split("\\s+");
    if (parts.length < 4) {
      throw new IllegalArgumentException(
          "TLSA data is not \"usage selector matching-type hex\": \"" + presentationRdata + "\"");
    }
    int[] numbers = new int[3];
    for (int i = 0; i < 3; i++) {
      try {
        numbers[i] = Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "TLSA field " + (i + 1) + " is not a number: \"" + presentationRdata + "\"", e);
      }
    }
    StringBuilder hex = new StringBuilder();
    for (int i = 3; i < parts.length; i++) {
      hex.append(parts[i]);
    }
    try {
      return new TlsaRecord(numbers[0], numbers[1], numbers[2], hex.toString());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "not a TLSA record: \"" + presentationRdata + "\": " + e.getMessage(), e);
    }
  }

  /**
   * {@return whether an SMTP client may use this record} RFC 7672 §3.1: usage DANE-TA(2) or
   * DANE-EE(3) (PKIX-TA(0) and PKIX-EE(1) are unusable for SMTP), selector Cert(0) or SPKI(1),
   * matching type Full(0), SHA2-256(1) or SHA2-512(2); and, for the digests, data of the digest's
   * length (32 or 64 bytes), since other data can match nothing.
   */
  public boolean usableForSmtp() {
    if (usage != 2 && usage != 3) {
      return false;
    }
    if (selector != 0 && selector != 1) {
      return false;
    }
    return switch (matchingType) {
      case 0 -> true;
      case 1 -> data.length() == 64;
      case 2 -> data.length() == 128;
      default -> false;
    };
  }

  /** {@return the association data as bytes} */
  public byte[] dataBytes() {
    return HexFormat.of().parseHex(data);
  }

  /**
   * {@return the record in words with the RFC 7218 mnemonics, e.g. {@code "DANE-EE(3) SPKI(1)
   * SHA2-256(1) 8f3a5d..."}}
   */
  public String describe() {
    String usageName =
        switch (usage) {
          case 0 -> "PKIX-TA";
          case 1 -> "PKIX-EE";
          case 2 -> "DANE-TA";
          case 3 -> "DANE-EE";
          case 255 -> "PrivCert";
          default -> "unassigned usage";
        };
    String selectorName =
        switch (selector) {
          case 0 -> "Cert";
          case 1 -> "SPKI";
          case 255 -> "PrivSel";
          default -> "unassigned selector";
        };
    String matchingName =
        switch (matchingType) {
          case 0 -> "Full";
          case 1 -> "SHA2-256";
          case 2 -> "SHA2-512";
          case 255 -> "PrivMatch";
          default -> "unassigned matching type";
        };
    String shown = data.length() > 16 ? data.substring(0, 16) + "..." : data;
    return usageName
        + "("
        + usage
        + ") "
        + selectorName
        + "("
        + selector
        + ") "
        + matchingName
        + "("
        + matchingType
        + ") "
        + shown;
  }

  /** {@return the presentation form, e.g. {@code "3 1 1 8f3a..."}} */
  public String presentation() {
    return usage + " " + selector + " " + matchingType + " " + data;
  }

  private static void checkOctet(String what, int value) {
    if (value < 0 || value > 255) {
      throw new IllegalArgumentException(what + " out of range 0-255: " + value);
    }
  }

  private static boolean isHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }
}
