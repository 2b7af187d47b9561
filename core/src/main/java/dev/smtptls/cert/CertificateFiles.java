package dev.smtptls.cert;

import static java.util.Objects.requireNonNull;

import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Reads certificates from PEM (any number of {@code CERTIFICATE} blocks, text between them
 * ignored, as {@code openssl} writes bundles) or from one DER certificate. Strict about what is
 * not a certificate at all and precise about where: a private key, an empty file, broken base64
 * or a file that is neither PEM nor DER is a {@link CertificateFileException} naming the line. A
 * certificate that is DER but breaks X.509 (duplicate extensions, bad encodings inside) is not
 * an error of the file but a fact about the certificate: a {@code CERT_MALFORMED} finding.
 */
public final class CertificateFiles {

  /** The largest file read: certificate bundles are far smaller. */
  public static final int MAX_BYTES = 16 * 1024 * 1024;

  private static final String BEGIN = "-----BEGIN ";
  private static final String END = "-----END ";

  private CertificateFiles() {}

  /**
   * Reads a PEM or DER file.
   *
   * @param file the file
   * @return the certificates and a finding per malformed one
   * @throws CertificateFileException if the file holds no certificate or is not PEM/DER
   * @throws IOException if the file cannot be read
   */
  public static ParsedCertificates read(Path file) throws IOException {
    requireNonNull(file, "file");
    long size = Files.size(file);
    if (size > MAX_BYTES) {
      throw new CertificateFileException(file.toString(), 0, "larger than " + MAX_BYTES + " bytes: not a certificate file");
    }
    return parse(Files.readAllBytes(file), file.toString());
  }

  /**
   * Parses PEM or DER content.
   *
   * @param content the bytes
   * @param source a name for messages, e.g. the file name
   * @return the certificates and a finding per malformed one
   * @throws CertificateFileException if the content holds no certificate or is not PEM/DER
   */
  public static ParsedCertificates parse(byte[] content, String source) throws CertificateFileException {
    requireNonNull(content, "content");
    requireNonNull(source, "source");
    if (content.length == 0) {
      throw new CertificateFileException(source, 0, "empty: expected a PEM or DER certificate");
    }
    if ((content[0] & 0xff) == 0x30) {
      List<X509Certificate> certs = new ArrayList<>();
      List<Finding> findings = new ArrayList<>();
      decode(content, source, 0, certs, findings);
      return new ParsedCertificates(certs, findings);
    }
    return parsePem(new String(content, StandardCharsets.ISO_8859_1), source);
  }

  private static ParsedCertificates parsePem(String text, String source) throws CertificateFileException {
    List<X509Certificate> certs = new ArrayList<>();
    List<Finding> findings = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    String openLabel = null;
    int openLine = 0;
    StringBuilder b64 = new StringBuilder();
    List<String> otherLabels = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.startsWith(BEGIN) && line.endsWith("-----")) {
        if (openLabel != null) {
          throw new CertificateFileException(source, i + 1, "BEGIN " + openLabel + " at line " + openLine + " has no END");
        }
        openLabel = line.substring(BEGIN.length(), line.length() - 5);
        openLine = i + 1;
        b64.setLength(0);
      } else if (line.startsWith(END) && line.endsWith("-----")) {
        String label = line.substring(END.length(), line.length() - 5);
        if (openLabel == null || !openLabel.equals(label)) {
          throw new CertificateFileException(source, i + 1, "END " + label + " without a matching BEGIN");
        }
        if (label.equals("CERTIFICATE") || label.equals("X509 CERTIFICATE") || label.equals("TRUSTED CERTIFICATE")) {
          byte[] der;
          try {
            der = Base64.getMimeDecoder().decode(b64.toString());
          } catch (IllegalArgumentException e) {
            throw new CertificateFileException(source, openLine, "broken base64 in the certificate block: " + e.getMessage());
          }
          if (der.length == 0 || (der[0] & 0xff) != 0x30) {
            throw new CertificateFileException(source, openLine, "the certificate block does not hold DER");
          }
          decode(der, source, openLine, certs, findings);
        } else {
          otherLabels.add(label);
        }
        openLabel = null;
      } else if (openLabel != null) {
        if (line.contains(":")) {
          continue; // RFC 1421 headers such as Proc-Type
        }
        b64.append(line);
      }
    }
    if (openLabel != null) {
      throw new CertificateFileException(source, openLine, "BEGIN " + openLabel + " has no END");
    }
    if (certs.isEmpty() && findings.isEmpty()) {
      String what = otherLabels.isEmpty()
          ? "no PEM certificate block and not DER"
          : "holds " + String.join(", ", otherLabels).toLowerCase(Locale.ROOT) + " but no certificate";
      throw new CertificateFileException(source, 0, what);
    }
    return new ParsedCertificates(certs, findings);
  }

  private static void decode(byte[] der, String source, int line, List<X509Certificate> certs, List<Finding> findings)
      throws CertificateFileException {
    if (!looksLikeCertificate(der)) {
      throw new CertificateFileException(source, line,
          "DER that is not shaped like a certificate (SEQUENCE of tbsCertificate, signatureAlgorithm, signature)");
    }
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
    } catch (CertificateException | RuntimeException e) {
      String where = source + (line > 0 ? ":" + line : "");
      String sha1 = sha1(der);
      findings.add(Finding.of(FindingCode.CERT_MALFORMED,
          "The certificate at " + where + " breaks X.509 and cannot be used: " + e.getMessage(),
          "sha1", sha1, "source", where, "reason", String.valueOf(e.getMessage())));
    }
  }

  /**
   * RFC 5280 §4.1: {@code Certificate ::= SEQUENCE { tbsCertificate SEQUENCE, signatureAlgorithm
   * SEQUENCE, signatureValue BIT STRING }}. Only the outer shape is checked: what is inside is
   * the certificate's problem, not the file's.
   */
  static boolean looksLikeCertificate(byte[] der) {
    int[] pos = {0};
    int outerEnd = enter(der, pos, 0x30);
    if (outerEnd < 0) {
      return false;
    }
    int[] tags = {0x30, 0x30, 0x03};
    for (int tag : tags) {
      int end = enter(der, pos, tag);
      if (end < 0 || end > outerEnd) {
        return false;
      }
      pos[0] = end;
    }
    return pos[0] == outerEnd;
  }

  /** Reads a tag and definite length at pos; leaves pos at the content; returns the content end or -1. */
  private static int enter(byte[] der, int[] pos, int expectedTag) {
    int p = pos[0];
    if (p + 2 > der.length || (der[p] & 0xff) != expectedTag) {
      return -1;
    }
    p++;
    int len = der[p++] & 0xff;
    if (len >= 0x80) {
      int n = len & 0x7f;
      if (n == 0 || n > 4 || p + n > der.length) {
        return -1;
      }
      len = 0;
      for (int i = 0; i < n; i++) {
        len = (len << 8) | (der[p++] & 0xff);
      }
      if (len < 0) {
        return -1;
      }
    }
    if (p + len > der.length) {
      return -1;
    }
    pos[0] = p;
    return p + len;
  }

  private static String sha1(byte[] der) {
    try {
      return HexFormat.of().withUpperCase().formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(der));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every JDK", e);
    }
  }
}
