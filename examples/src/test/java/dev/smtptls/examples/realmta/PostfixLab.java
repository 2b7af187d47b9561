package dev.smtptls.examples.realmta;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What {@code bench/postfix/postfix-lab.sh start DIR} wrote to {@code DIR/postfix-lab.properties}
 * about the running Postfix: the listeners, the certificates and keys of its PKI, and the port
 * its certificates name for their CRLs. DIR comes in the system property {@code
 * smtptls.postfix.dir}; without it, or without a running lab, {@link #load()} fails the test: in
 * the {@code real-mta} profile a missing MTA is a broken build, not a reason to skip.
 *
 * @param dir the lab's directory
 * @param myhostname the name in the greeting and in both leaves' SAN
 * @param address the literal address the listeners are bound to (never looked up)
 * @param tlsPort the listener presenting the good leaf
 * @param revokedPort the listener presenting the second leaf, the one tests revoke
 * @param leafSerial the good leaf's serial
 * @param revokedSerial the second leaf's serial
 * @param rootPem the lab's root (the trust anchor)
 * @param intermediateCertPem the intermediate, which issues both leaves and their CRL
 * @param intermediateKeyPem the intermediate's private key
 * @param rootKeyPem the root's private key
 * @param crlPort the port the certificates' CRL distribution points name; nothing listens there
 *     until a test does
 * @param crlBaseUrl {@code http://address:crlPort}
 */
record PostfixLab(
    Path dir,
    String myhostname,
    InetAddress address,
    int tlsPort,
    int revokedPort,
    BigInteger leafSerial,
    BigInteger revokedSerial,
    Path rootPem,
    Path intermediateCertPem,
    Path intermediateKeyPem,
    Path rootKeyPem,
    int crlPort,
    URI crlBaseUrl) {

  static final String DIR_PROPERTY = "smtptls.postfix.dir";
  private static final String PROPERTIES_FILE = "postfix-lab.properties";

  /** {@return the URL of a path under {@link #crlBaseUrl()}, as the certificates name it} */
  URI crlUrl(String path) {
    return URI.create(crlBaseUrl + path);
  }

  /**
   * Reads the properties of the lab in {@code -Dsmtptls.postfix.dir} and checks that its
   * listeners accept connections; fails the test otherwise.
   *
   * @return the lab
   */
  static PostfixLab load() {
    String dir = System.getProperty(DIR_PROPERTY);
    if (dir == null || dir.isBlank()) {
      return fail("system property " + DIR_PROPERTY + " is not set: the real-mta tests need the Postfix that"
          + " `bench/postfix/postfix-lab.sh start DIR` starts (.ci/run does this); run with -Preal-mta -D"
          + DIR_PROPERTY + "=DIR");
    }
    Path file = Path.of(dir).resolve(PROPERTIES_FILE);
    if (!Files.isReadable(file)) {
      return fail(file + " is missing: Postfix was not started by postfix-lab.sh in " + dir);
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PostfixLab lab;
    try {
      lab = new PostfixLab(
          Path.of(dir),
          required(p, "myhostname", file),
          InetAddress.getByName(required(p, "address", file)), // a literal: parsed, never looked up
          port(p, "tlsPort", file),
          port(p, "revokedPort", file),
          new BigInteger(required(p, "leafSerial", file), 16),
          new BigInteger(required(p, "revokedSerial", file), 16),
          readable(p, "rootPem", file),
          readable(p, "intermediateCertPem", file),
          readable(p, "intermediateKeyPem", file),
          readable(p, "rootKeyPem", file),
          port(p, "crlPort", file),
          URI.create(required(p, "crlBaseUrl", file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (int port : new int[] {lab.tlsPort(), lab.revokedPort()}) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(lab.address(), port), 5_000);
      } catch (IOException e) {
        return fail("Postfix is not reachable on " + lab.address().getHostAddress() + ":" + port + " (" + e
            + "); see `bench/postfix/postfix-lab.sh log " + dir + "`", e);
      }
    }
    return lab;
  }

  private static String required(Properties p, String key, Path file) {
    String v = p.getProperty(key);
    if (v == null || v.isBlank()) {
      return fail(key + " is missing in " + file + ": restart the lab with the current bench/postfix/postfix-lab.sh");
    }
    return v.trim();
  }

  private static int port(Properties p, String key, Path file) {
    String v = required(p, key, file);
    try {
      int port = Integer.parseInt(v);
      if (port > 0 && port < 65536) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    return fail(key + "=" + v + " in " + file + " is not a port");
  }

  private static Path readable(Properties p, String key, Path file) {
    Path path = Path.of(required(p, key, file));
    if (!Files.isReadable(path)) {
      return fail(key + "=" + path + " in " + file + " is not readable");
    }
    return path;
  }
}
