package dev.smtptls.realmta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.cert.CheckProfile;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.SmtpTarget;
import dev.smtptls.inspect.SmtpTlsInspector;
import dev.smtptls.inspect.StartTlsOutcome;
import dev.smtptls.smtp.Ehlo;
import dev.smtptls.smtp.Greeting;
import dev.smtptls.trust.TrustSources;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Probes a real Postfix, started by {@code bench/postfix/postfix-lab.sh} (which {@code .ci/run}
 * calls), through the public API only. The instance's directory comes in the system property
 * {@code smtptls.postfix.dir}; its {@code postfix-lab.properties} names the listeners and the
 * chain. These tests fail, never skip, when the property is missing or Postfix is not there: in
 * the {@code real-mta} profile a missing MTA is a broken build, not a reason to pass.
 *
 * <p>The target keeps the host name {@code myhostname} (sent as SNI) and connects to the literal
 * address from the properties, so no name is ever looked up.
 */
@Tag("real-mta")
class RealPostfixIT {

  private static final String DIR_PROPERTY = "smtptls.postfix.dir";
  private static final String PROPERTIES_FILE = "postfix-lab.properties";

  /** Findings that mean the probe did not get through a TLS-capable Postfix as it should. */
  private static final Set<FindingCode> PROTOCOL_ERRORS =
      EnumSet.of(
          FindingCode.CONNECT_FAILED,
          FindingCode.TIMEOUT,
          FindingCode.CONNECTION_CLOSED,
          FindingCode.PROTOCOL_VIOLATION,
          FindingCode.GREETING_REJECTED,
          FindingCode.EHLO_REJECTED,
          FindingCode.ESMTP_NOT_SUPPORTED,
          FindingCode.STARTTLS_NOT_OFFERED,
          FindingCode.STARTTLS_REFUSED,
          FindingCode.TLS_HANDSHAKE_FAILED,
          FindingCode.ESMTP_INSPECTION_SUSPECTED,
          FindingCode.TLS_PROTOCOL_WEAK);

  private static @Nullable Lab lab;

  /** What {@code postfix-lab.properties} says about the running instance. */
  private record Lab(
      String myhostname,
      InetAddress address,
      int tlsPort,
      int plainPort,
      int encryptPort,
      List<X509Certificate> chain,
      Path rootPem) {}

  @BeforeAll
  static void findPostfix() throws IOException, CertificateException {
    String dir = System.getProperty(DIR_PROPERTY);
    if (dir == null || dir.isBlank()) {
      fail(
          "system property "
              + DIR_PROPERTY
              + " is not set: the real-mta tests need the Postfix that"
              + " `bench/postfix/postfix-lab.sh start DIR` starts (.ci/run does this);"
              + " run with -Preal-mta -D"
              + DIR_PROPERTY
              + "=DIR");
    }
    Path file = Path.of(dir).resolve(PROPERTIES_FILE);
    if (!Files.isReadable(file)) {
      fail(file + " is missing: Postfix was not started by postfix-lab.sh in " + dir);
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    Lab l =
        new Lab(
            required(p, "myhostname", file),
            // An IP literal: parsed, never looked up.
            InetAddress.getByName(required(p, "address", file)),
            port(p, "tlsPort", file),
            port(p, "plainPort", file),
            port(p, "encryptPort", file),
            readChain(Path.of(required(p, "chainPem", file))),
            Path.of(required(p, "rootPem", file)));
    assertThat(l.chain()).as("chain in %s", p.getProperty("chainPem")).hasSize(2);
    for (int port : new int[] {l.tlsPort(), l.plainPort(), l.encryptPort()}) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(l.address(), port), 5_000);
      } catch (IOException e) {
        fail(
            "Postfix is not reachable on "
                + l.address().getHostAddress()
                + ":"
                + port
                + " ("
                + e
                + "); see `bench/postfix/postfix-lab.sh log "
                + dir
                + "`",
            e);
      }
    }
    lab = l;
  }

  @Test
  void tlsListenerUpgradesAndPresentsTheConfiguredChain() throws CertificateEncodingException {
    Lab l = lab();
    InspectionReport r = inspector(true, true).inspect(target(l.tlsPort()));

    assertNoProtocolErrors(r);
    assertThat(r.startTls().status()).as(describe(r)).isEqualTo(StartTlsOutcome.Status.UPGRADED);
    StartTlsOutcome.Upgraded up = (StartTlsOutcome.Upgraded) r.startTls();
    assertThat(up.protocol()).isIn("TLSv1.2", "TLSv1.3");
    assertThat(up.cipherSuite()).isNotBlank();
    assertThat(up.advertised()).isTrue();
    assertThat(up.reply().code()).isEqualTo(220);
    assertThat(der(r.peerChain())).as("captured chain, leaf first").isEqualTo(der(l.chain()));

    Greeting greeting = r.greeting();
    assertThat(greeting).as(describe(r)).isNotNull();
    if (greeting != null) {
      assertThat(greeting.code()).isEqualTo(220);
      assertThat(greeting.fqdn()).isEqualTo(l.myhostname());
    }
    Ehlo ehlo = r.ehlo();
    assertThat(ehlo).as(describe(r)).isNotNull();
    if (ehlo != null) {
      assertThat(ehlo.supports("STARTTLS")).isTrue();
      assertThat(ehlo.fqdn()).isEqualTo(l.myhostname());
    }
    Ehlo after = r.ehloAfterTls();
    assertThat(after).as("EHLO after TLS; " + describe(r)).isNotNull();
    if (after != null) {
      // RFC 3207 §4.2: STARTTLS is not offered again once TLS is on.
      assertThat(after.supports("STARTTLS")).isFalse();
      assertThat(after.fqdn()).isEqualTo(l.myhostname());
    }
    assertThat(r.announcedFqdn()).isEqualTo(l.myhostname());
    // The tls listener takes mail in clear (security level may).
    assertThat(r.has(FindingCode.PLAINTEXT_ACCEPTED)).as(describe(r)).isTrue();
    assertThat(r.has(FindingCode.TLS_REQUIRED_BY_SERVER)).isFalse();
    assertThat(r.aborted()).isFalse();
    assertThat(r.transcript()).isNotEmpty();
  }

  @Test
  void everyProbeCapturesTheChainEvenWhenPostfixOffersSessionTickets()
      throws CertificateEncodingException {
    // Postfix hands out TLS 1.3 session tickets; a resumed handshake carries no certificate.
    // One inspector probing again must still do a full handshake each time.
    Lab l = lab();
    SmtpTlsInspector inspector = inspector(false, true);
    for (int i = 0; i < 3; i++) {
      InspectionReport r = inspector.inspect(target(l.tlsPort()));
      assertNoProtocolErrors(r);
      assertThat(r.tlsUpgraded()).as("probe %d: %s", i, describe(r)).isTrue();
      assertThat(der(r.peerChain())).as("probe %d chain", i).isEqualTo(der(l.chain()));
    }
  }

  @Test
  void withoutEhloAfterTlsTheChainIsStillCaptured() throws CertificateEncodingException {
    Lab l = lab();
    InspectionReport r = inspector(false, false).inspect(target(l.tlsPort()));
    assertNoProtocolErrors(r);
    assertThat(r.tlsUpgraded()).as(describe(r)).isTrue();
    assertThat(der(r.peerChain())).isEqualTo(der(l.chain()));
    assertThat(r.ehloAfterTls()).isNull();
  }

  @Test
  void plainListenerGivesStartTlsNotOffered() {
    Lab l = lab();
    InspectionReport r = inspector(true, true).inspect(target(l.plainPort()));

    assertThat(r.has(FindingCode.STARTTLS_NOT_OFFERED)).as(describe(r)).isTrue();
    assertThat(r.startTls().status()).isEqualTo(StartTlsOutcome.Status.NOT_OFFERED);
    assertThat(r.peerChain()).isEmpty();
    assertThat(r.ehloAfterTls()).isNull();
    Greeting greeting = r.greeting();
    assertThat(greeting).isNotNull();
    if (greeting != null) {
      assertThat(greeting.fqdn()).isEqualTo(l.myhostname());
    }
    assertThat(r.has(FindingCode.CONNECT_FAILED)).isFalse();
    assertThat(r.has(FindingCode.TIMEOUT)).isFalse();
  }

  @Test
  void encryptListenerWithThePlaintextCheckGivesTlsRequiredByServer()
      throws CertificateEncodingException {
    Lab l = lab();
    InspectionReport r = inspector(true, true).inspect(target(l.encryptPort()));

    assertThat(r.has(FindingCode.TLS_REQUIRED_BY_SERVER)).as(describe(r)).isTrue();
    assertThat(r.has(FindingCode.PLAINTEXT_ACCEPTED)).isFalse();
    assertNoProtocolErrors(r);
    assertThat(r.startTls().status()).as(describe(r)).isEqualTo(StartTlsOutcome.Status.UPGRADED);
    assertThat(der(r.peerChain())).isEqualTo(der(l.chain()));
    assertThat(r.ehloAfterTls()).isNotNull();
  }

  @Test
  void certificateFromTheLabRootIsValidForTheNamePostfixAnnounces() {
    Lab l = lab();
    SmtpTlsInspector inspector = SmtpTlsInspector.builder()
        .timeout(Duration.ofSeconds(5))
        .certificateChecker(CertificateChecker.builder()
            .trustSource(TrustSources.pem("lab", l.rootPem()))
            .profile(CheckProfile.STRICT_RECEIVER)
            .revocationChecker(null)
            .build())
        .build();
    InspectionReport r = inspector.inspect(target(l.tlsPort()));
    assertThat(r.certificateCheck()).as(describe(r)).isNotNull();
    assertThat(r.certificateCheck().valid()).as(describe(r)).isTrue();
    assertThat(r.certificateCheck().path()).hasSize(3);
    assertThat(r.announcedFqdn()).isEqualTo(l.myhostname());
    // The lab's leaf lives a few days, so CERT_EXPIRES_SOON (a warning) is right; nothing else.
    assertThat(r.findings()).as(describe(r))
        .noneMatch(f -> f.code().name().startsWith("CERT_") && f.code() != FindingCode.CERT_EXPIRES_SOON);
  }

  @Test
  void certificateFromAPrivateRootIsUntrustedForTheSystemStore() {
    Lab l = lab();
    SmtpTlsInspector inspector = SmtpTlsInspector.builder()
        .timeout(Duration.ofSeconds(5))
        .certificateChecker(CertificateChecker.builder().trustSource(TrustSources.system()).revocationChecker(null).build())
        .build();
    InspectionReport r = inspector.inspect(target(l.tlsPort()));
    assertThat(r.findings()).extracting(Finding::code)
        .as(describe(r))
        .contains(FindingCode.CERT_UNTRUSTED)
        .doesNotContain(FindingCode.CERT_NAME_MISMATCH, FindingCode.CERT_EHLO_NAME_MISMATCH, FindingCode.CERT_EXPIRED);
  }

  @Test
  void wrongExpectedNameIsANameMismatch() {
    Lab l = lab();
    SmtpTlsInspector inspector = SmtpTlsInspector.builder()
        .timeout(Duration.ofSeconds(5))
        .certificateChecker(CertificateChecker.builder().trustSource(TrustSources.pem("lab", l.rootPem())).revocationChecker(null).build())
        .build();
    InspectionReport r = inspector.inspect(target(l.tlsPort()), List.of("mail.contoso.test"));
    assertThat(r.finding(FindingCode.CERT_NAME_MISMATCH).flatMap(f -> f.evidence("expected"))).contains("mail.contoso.test");
    assertThat(r.findings()).extracting(Finding::code).doesNotContain(FindingCode.CERT_EHLO_NAME_MISMATCH);
  }

  private static Lab lab() {
    Lab l = lab;
    if (l == null) {
      return fail("the Postfix lab was not found (see the @BeforeAll failure)");
    }
    return l;
  }

  private static SmtpTlsInspector inspector(boolean plaintextCheck, boolean ehloAfterTls) {
    return SmtpTlsInspector.builder()
        .ehloName("probe.smtptls.test")
        .timeout(Duration.ofSeconds(5))
        .deadline(Duration.ofSeconds(30))
        .plaintextCheck(plaintextCheck)
        .ehloAfterTls(ehloAfterTls)
        .build();
  }

  /** The host name is kept for SNI; the connection goes to the literal address. */
  private static SmtpTarget target(int port) {
    Lab l = lab();
    return new SmtpTarget(l.myhostname(), port, l.address());
  }

  private static void assertNoProtocolErrors(InspectionReport r) {
    List<FindingCode> codes = r.findings().stream().map(Finding::code).toList();
    assertThat(codes).as(describe(r)).doesNotContainAnyElementsOf(PROTOCOL_ERRORS);
  }

  private static String describe(InspectionReport r) {
    StringBuilder b = new StringBuilder();
    b.append(r.target()).append(": ").append(r.startTls());
    for (Finding f : r.findings()) {
      b.append("\n  ").append(f.code()).append(' ').append(f.message()).append(' ').append(f.evidence());
    }
    r.transcript().forEach(t -> b.append("\n  | ").append(t));
    return b.toString();
  }

  /** Each certificate as its subject and the SHA-256 of its DER: equal lists mean the same DER, same order. */
  private static List<String> der(List<X509Certificate> chain) throws CertificateEncodingException {
    List<String> out = new ArrayList<>();
    for (X509Certificate c : chain) {
      out.add(c.getSubjectX500Principal().getName() + " sha256=" + sha256(c.getEncoded()));
    }
    return out;
  }

  private static String sha256(byte[] der) {
    try {
      return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static List<X509Certificate> readChain(Path pem) throws IOException, CertificateException {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    List<X509Certificate> out = new ArrayList<>();
    try (InputStream in = Files.newInputStream(pem)) {
      for (Certificate c : cf.generateCertificates(in)) {
        out.add((X509Certificate) c);
      }
    }
    return List.copyOf(out);
  }

  private static String required(Properties p, String key, Path file) {
    String v = p.getProperty(key);
    if (v == null || v.isBlank()) {
      return fail("no '" + key + "' in " + file);
    }
    return v.strip();
  }

  private static int port(Properties p, String key, Path file) {
    String v = required(p, key, file);
    try {
      int port = Integer.parseInt(v);
      if (port < 1 || port > 65535) {
        return fail(key + "=" + v + " in " + file + " is not a port");
      }
      return port;
    } catch (NumberFormatException e) {
      return fail(key + "=" + v + " in " + file + " is not a port", e);
    }
  }
}
