package dev.smtptls.testkit.pki;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** PEM encoding (RFC 7468) with 64-character lines and {@code \n} line ends. */
final class Pem {
  private static final Base64.Encoder ENCODER =
      Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

  private Pem() {}

  static String encode(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n"
        + ENCODER.encodeToString(der)
        + "\n-----END " + label + "-----\n";
  }
}
