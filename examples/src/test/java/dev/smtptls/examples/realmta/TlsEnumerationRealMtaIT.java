package dev.smtptls.examples.realmta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.inspect.SmtpTarget;
import dev.smtptls.inspect.SmtpTlsInspector;
import dev.smtptls.tls.CipherOrder;
import dev.smtptls.tls.CipherSuiteSupport;
import dev.smtptls.tls.ProtocolSupport;
import dev.smtptls.tls.Support;
import dev.smtptls.tls.TlsCapabilities;
import dev.smtptls.tls.TlsEnumerator;
import dev.smtptls.tls.TlsVersion;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The capability enumeration against the real Postfix of {@code bench/postfix/postfix-lab.sh}
 * (RSA leaf, Postfix's default cipher lists and {@code tls_preempt_cipherlist = no}), checked
 * suite by suite against OpenSSL's own client, {@code openssl s_client -starttls smtp -tls1_2
 * -cipher X}: what smtptls calls accepted, OpenSSL negotiates, and what it calls rejected, Postfix
 * refuses to OpenSSL too. Fails, never skips, without the lab ({@code -Dsmtptls.postfix.dir}).
 */
@Tag("real-mta")
class TlsEnumerationRealMtaIT {

  private static final Pattern CIPHER = Pattern.compile("New, (\\S+), Cipher is (\\S+)");

  private static PostfixLab lab;
  private static TlsCapabilities caps;

  @BeforeAll
  static void enumerate() {
    lab = PostfixLab.load();
    caps = TlsEnumerator.builder()
        .inspector(SmtpTlsInspector.builder().timeout(Duration.ofSeconds(10)).build())
        .build()
        .enumerate(SmtpTarget.of(lab.address().getHostAddress(), lab.tlsPort()));
  }

  /** {@return the cipher OpenSSL negotiated, or null when the handshake failed} */
  private static String openssl(String versionFlag, String cipherFlag, String cipher) throws Exception {
    Processes.Result r = Processes.run("", Processes.program("openssl", "openssl"), "s_client", "-starttls", "smtp",
        "-connect", lab.address().getHostAddress() + ":" + lab.tlsPort(), versionFlag, cipherFlag, cipher);
    Matcher m = CIPHER.matcher(r.output());
    assertThat(m.find()).as("openssl s_client output: %s", r.output()).isTrue();
    return m.group(2).equals("(NONE)") ? null : m.group(2);
  }

  private static Support ours(TlsVersion v, String iana) {
    return caps.protocol(v).cipherSuites().stream()
        .filter(c -> c.name().equals(iana))
        .map(CipherSuiteSupport::support)
        .findFirst()
        .orElseThrow(() -> new AssertionError(iana + " not enumerated under " + v));
  }

  private static void agrees(TlsVersion v, String iana, String opensslName) throws Exception {
    boolean tls13 = v == TlsVersion.TLS_1_3;
    String negotiated = openssl(tls13 ? "-tls1_3" : "-tls1_2", tls13 ? "-ciphersuites" : "-cipher", opensslName);
    Support expected = negotiated == null ? Support.REJECTED : Support.ACCEPTED;
    assertThat(ours(v, iana)).as("%s %s (openssl negotiated %s)", v, iana, negotiated).isEqualTo(expected);
  }

  @Test
  void acceptsTls12And13AsPostfixDoes() {
    assertThat(caps.protocol(TlsVersion.TLS_1_2).support()).isEqualTo(Support.ACCEPTED);
    assertThat(caps.protocol(TlsVersion.TLS_1_3).support()).isEqualTo(Support.ACCEPTED);
  }

  @Test
  void agreesWithOpensslSuiteBySuite() throws Exception {
    agrees(TlsVersion.TLS_1_2, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256");
    agrees(TlsVersion.TLS_1_2, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305");
    agrees(TlsVersion.TLS_1_2, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", "DHE-RSA-AES256-SHA");
    agrees(TlsVersion.TLS_1_2, "TLS_RSA_WITH_AES_128_CBC_SHA", "AES128-SHA");
    // An ECDSA suite with Postfix's RSA leaf: refused by both.
    agrees(TlsVersion.TLS_1_2, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256");
    agrees(TlsVersion.TLS_1_2, "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256", "DHE-DSS-AES128-GCM-SHA256");
    agrees(TlsVersion.TLS_1_3, "TLS_CHACHA20_POLY1305_SHA256", "TLS_CHACHA20_POLY1305_SHA256");
    agrees(TlsVersion.TLS_1_3, "TLS_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384");
  }

  @Test
  void reportsTheClientsOrderAsOpensslSeesIt() throws Exception {
    ProtocolSupport tls12 = caps.protocol(TlsVersion.TLS_1_2);
    // Postfix leaves tls_preempt_cipherlist at no: the client's first acceptable suite wins.
    String negotiated = openssl("-tls1_2", "-cipher", "AES128-SHA:ECDHE-RSA-AES256-GCM-SHA384");
    assertThat(negotiated).isEqualTo("AES128-SHA");
    assertThat(tls12.cipherOrder()).isEqualTo(CipherOrder.CLIENT);
  }

  @Test
  void namesWhatTheJsseCannotTestThatPostfixMayAccept() {
    // OpenSSL 3 offers CAMELLIA and ARIA in Postfix's default lists; no JSSE implements them.
    assertThat(caps.protocol(TlsVersion.TLS_1_2).cipherSuites())
        .filteredOn(c -> c.name().equals("TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256"))
        .singleElement()
        .satisfies(c -> assertThat(c.support()).isEqualTo(Support.NOT_TESTABLE));
  }
}
