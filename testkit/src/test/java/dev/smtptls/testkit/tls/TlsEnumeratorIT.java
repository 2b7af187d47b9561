package dev.smtptls.testkit.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.inspect.SmtpTlsInspector;
import dev.smtptls.inspect.StartTlsOutcome;
import dev.smtptls.testkit.smtp.MockSmtpServer;
import dev.smtptls.testkit.smtp.SmtpBehaviour;
import dev.smtptls.tls.CipherOrder;
import dev.smtptls.tls.CipherSuiteSupport;
import dev.smtptls.tls.ProtocolSupport;
import dev.smtptls.tls.Support;
import dev.smtptls.tls.TlsCapabilities;
import dev.smtptls.tls.TlsEnumerator;
import dev.smtptls.tls.TlsVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link TlsEnumerator} against MockSmtpServers on 127.0.0.1 whose TLS accepts only some versions
 * and suites, in the server's or the client's order. The servers' certificates are EC P-256
 * (TestPki's default), so only ECDSA suites can be negotiated with them.
 */
@Timeout(60)
class TlsEnumeratorIT {

  private static final String GCM_256 = "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
  private static final String CBC_128 = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256";

  private final List<MockSmtpServer> servers = new ArrayList<>();

  private final TlsEnumerator enumerator = TlsEnumerator.builder()
      .inspector(SmtpTlsInspector.builder().timeout(Duration.ofSeconds(5)).deadline(Duration.ofSeconds(15)).build())
      .concurrency(4)
      .build();

  @AfterEach
  void stop() {
    servers.forEach(MockSmtpServer::close);
  }

  private MockSmtpServer server(SmtpBehaviour b) {
    MockSmtpServer s = MockSmtpServer.builder().behaviour(b).build().start();
    servers.add(s);
    return s;
  }

  private static List<String> names(ProtocolSupport p, Support support) {
    return p.cipherSuites().stream().filter(c -> c.support() == support).map(CipherSuiteSupport::name).toList();
  }

  @Test
  void learnsTheServersOrderOfTwoTls12Suites() {
    // The server prefers the CBC suite, the JSSE client the GCM one: only the server's order
    // puts CBC first.
    MockSmtpServer s = server(SmtpBehaviour.builder()
        .tlsProtocols("TLSv1.2")
        .cipherSuites(CBC_128, GCM_256)
        .build());

    TlsCapabilities caps = enumerator.enumerate(s.target());

    assertThat(caps.startTls()).isInstanceOf(StartTlsOutcome.Upgraded.class);
    assertThat(caps.acceptedProtocols()).containsExactly(TlsVersion.TLS_1_2);
    ProtocolSupport tls12 = caps.protocol(TlsVersion.TLS_1_2);
    assertThat(tls12.cipherOrder()).isEqualTo(CipherOrder.SERVER);
    assertThat(tls12.acceptedCipherSuites()).containsExactly(CBC_128, GCM_256);
    assertThat(names(tls12, Support.ACCEPTED)).containsExactlyInAnyOrder(CBC_128, GCM_256);
    assertThat(names(tls12, Support.REJECTED))
        .contains("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")
        .doesNotContain(CBC_128, GCM_256);
    assertThat(caps.protocol(TlsVersion.TLS_1_3).support()).isEqualTo(Support.REJECTED);
    assertThat(caps.protocol(TlsVersion.TLS_1_3).detail()).isNotBlank();
    assertThat(caps.findings()).isEmpty();
    assertThat(caps.hasErrors()).isFalse();
  }

  @Test
  void recognisesAServerThatHonoursTheClientsOrder() {
    MockSmtpServer s = server(SmtpBehaviour.builder()
        .tlsProtocols("TLSv1.2")
        .cipherSuites(CBC_128, GCM_256)
        .honourClientCipherOrder(true)
        .build());

    ProtocolSupport tls12 = enumerator.enumerate(s.target()).protocol(TlsVersion.TLS_1_2);

    assertThat(tls12.cipherOrder()).isEqualTo(CipherOrder.CLIENT);
    // In the order offered, which is the JSSE's: GCM before CBC.
    assertThat(tls12.acceptedCipherSuites()).containsExactly(GCM_256, CBC_128);
  }

  @Test
  void enumeratesATls13OnlyServerAndSaysWhatTheJsseCannotOffer() {
    MockSmtpServer s = server(SmtpBehaviour.builder()
        .tlsProtocols("TLSv1.3")
        .cipherSuites("TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256")
        .build());

    TlsCapabilities caps = enumerator.enumerate(s.target());

    assertThat(caps.acceptedProtocols()).containsExactly(TlsVersion.TLS_1_3);
    assertThat(caps.protocol(TlsVersion.TLS_1_2).support()).isEqualTo(Support.REJECTED);
    ProtocolSupport tls13 = caps.protocol(TlsVersion.TLS_1_3);
    assertThat(tls13.cipherOrder()).isEqualTo(CipherOrder.SERVER);
    assertThat(tls13.acceptedCipherSuites())
        .containsExactly("TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256");
    assertThat(names(tls13, Support.REJECTED)).containsExactly("TLS_AES_256_GCM_SHA384");
    // The two CCM suites of RFC 8446 §B.4: no JSSE implements them.
    assertThat(tls13.cipherSuites()).filteredOn(c -> c.support() == Support.NOT_TESTABLE)
        .extracting(CipherSuiteSupport::name)
        .containsExactlyInAnyOrder("TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_8_SHA256");
    assertThat(tls13.cipherSuites()).filteredOn(c -> c.name().equals("TLS_AES_128_CCM_SHA256"))
        .singleElement().satisfies(c -> assertThat(c.detail()).contains("does not implement"));
  }

  @Test
  void listsWhatThisJvmCannotTestInsteadOfGuessing() {
    MockSmtpServer s = server(SmtpBehaviour.healthy());

    TlsCapabilities caps = enumerator.enumerate(s.target());

    assertThat(caps.legacyAlgorithms()).isFalse();
    for (TlsVersion old : List.of(TlsVersion.TLS_1_0, TlsVersion.TLS_1_1)) {
      assertThat(caps.protocol(old).support()).isEqualTo(Support.NOT_TESTABLE);
      assertThat(caps.protocol(old).detail()).contains("jdk.tls.disabledAlgorithms");
    }
    ProtocolSupport tls12 = caps.protocol(TlsVersion.TLS_1_2);
    assertThat(tls12.cipherSuites()).filteredOn(c -> c.name().equals("TLS_RSA_WITH_3DES_EDE_CBC_SHA"))
        .singleElement().satisfies(c -> {
          assertThat(c.support()).isEqualTo(Support.NOT_TESTABLE);
          assertThat(c.detail()).contains("jdk.tls.disabledAlgorithms");
          assertThat(c.weakness()).contains("3DES");
        });
    assertThat(tls12.cipherSuites()).filteredOn(c -> c.name().equals("TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256"))
        .singleElement().satisfies(c -> assertThat(c.support()).isEqualTo(Support.NOT_TESTABLE));
    if (Runtime.version().feature() < 20) {
      assertThat(caps.groups().support()).isEqualTo(Support.NOT_TESTABLE);
      assertThat(caps.groups().detail()).contains("setNamedGroups").contains("jdk.tls.namedGroups");
      assertThat(caps.groups().groups()).isEmpty();
    }
    assertThat(caps.acceptedProtocols()).contains(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3);
    assertThat(caps.connections()).isGreaterThan(10);
  }

  @Test
  void stopsAfterTheFirstProbeWhenStartTlsIsNotOffered() {
    MockSmtpServer s = server(SmtpBehaviour.startTlsNotAdvertised());

    TlsCapabilities caps = enumerator.enumerate(s.target());

    assertThat(caps.connections()).isEqualTo(1);
    assertThat(s.connectionCount()).isEqualTo(1);
    assertThat(caps.protocols()).allSatisfy(p -> assertThat(p.support()).isEqualTo(Support.INCONCLUSIVE));
    assertThat(caps.findings()).extracting(Finding::code).contains(FindingCode.STARTTLS_NOT_OFFERED);
    assertThat(caps.hasErrors()).isTrue();
  }

  @Test
  void countsEveryConnectionItOpened() {
    MockSmtpServer s = server(SmtpBehaviour.builder().tlsProtocols("TLSv1.2").cipherSuites(CBC_128, GCM_256).build());

    TlsCapabilities caps = enumerator.enumerate(s.target());

    assertThat(s.connectionCount()).isEqualTo(caps.connections());
  }
}
