package dev.smtptls.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The weak-suite rule, the version applicability of names, the findings and the builder's checks. */
class CipherSuitesTest {

  @Test
  void callsWeakWhatBcp195ForbidsAndAnonymousSuites() {
    assertThat(CipherSuites.weakness("TLS_RSA_WITH_NULL_SHA256")).hasValueSatisfying(r -> assertThat(r).contains("NULL"));
    assertThat(CipherSuites.weakness("SSL_RSA_WITH_RC4_128_MD5")).hasValueSatisfying(r -> assertThat(r).contains("RFC 7465"));
    assertThat(CipherSuites.weakness("SSL_RSA_EXPORT_WITH_DES40_CBC_SHA")).hasValueSatisfying(r -> assertThat(r).contains("export"));
    assertThat(CipherSuites.weakness("SSL_DHE_RSA_WITH_DES_CBC_SHA")).hasValueSatisfying(r -> assertThat(r).contains("DES"));
    assertThat(CipherSuites.weakness("TLS_RSA_WITH_3DES_EDE_CBC_SHA")).hasValueSatisfying(r -> assertThat(r).contains("3DES"));
    assertThat(CipherSuites.weakness("TLS_RSA_WITH_IDEA_CBC_SHA")).isPresent();
    assertThat(CipherSuites.weakness("TLS_DH_anon_WITH_AES_128_GCM_SHA256"))
        .hasValueSatisfying(r -> assertThat(r).contains("anonymous"));
  }

  @Test
  void doesNotCallCbcOrRsaKeyTransportWeak() {
    assertThat(CipherSuites.weakness("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA")).isEmpty();
    assertThat(CipherSuites.weakness("TLS_RSA_WITH_AES_256_GCM_SHA384")).isEmpty();
    assertThat(CipherSuites.weakness("TLS_AES_128_GCM_SHA256")).isEmpty();
    assertThat(CipherSuites.weakness("TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256")).isEmpty();
  }

  @Test
  void namesSuitesAsTheIanaRegistryDoes() {
    assertThat(CipherSuites.ianaName("SSL_RSA_WITH_3DES_EDE_CBC_SHA")).isEqualTo("TLS_RSA_WITH_3DES_EDE_CBC_SHA");
    assertThat(CipherSuites.ianaName("TLS_AES_128_GCM_SHA256")).isEqualTo("TLS_AES_128_GCM_SHA256");
  }

  @Test
  void placesSuitesUnderTheVersionsThatCanNegotiateThem() {
    assertThat(CipherSuites.appliesTo("TLS_AES_128_CCM_SHA256", TlsVersion.TLS_1_3)).isTrue();
    assertThat(CipherSuites.appliesTo("TLS_AES_128_CCM_SHA256", TlsVersion.TLS_1_2)).isFalse();
    assertThat(CipherSuites.appliesTo("TLS_RSA_WITH_AES_128_GCM_SHA256", TlsVersion.TLS_1_2)).isTrue();
    assertThat(CipherSuites.appliesTo("TLS_RSA_WITH_AES_128_GCM_SHA256", TlsVersion.TLS_1_1)).isFalse();
    assertThat(CipherSuites.appliesTo("TLS_RSA_WITH_AES_128_GCM_SHA256", TlsVersion.TLS_1_3)).isFalse();
    assertThat(CipherSuites.appliesTo("TLS_RSA_WITH_AES_128_CBC_SHA", TlsVersion.TLS_1_0)).isTrue();
    assertThat(CipherSuites.appliesTo("SSL_RSA_EXPORT_WITH_RC4_40_MD5", TlsVersion.TLS_1_0)).isTrue();
    assertThat(CipherSuites.appliesTo("SSL_RSA_EXPORT_WITH_RC4_40_MD5", TlsVersion.TLS_1_2)).isFalse();
  }

  @Test
  void theCatalogueHoldsEverySuiteThisJsseOffers() {
    assertThat(CipherSuites.JSSE).containsAll(new Jsse().supportedCipherSuites());
    assertThat(CipherSuites.NOT_IN_JSSE).doesNotContainAnyElementsOf(CipherSuites.JSSE);
  }

  @Test
  void findsDeprecatedVersionsAndWeakSuitesOncePerSuite() {
    String tripleDes = "TLS_RSA_WITH_3DES_EDE_CBC_SHA";
    List<ProtocolSupport> protocols = List.of(
        new ProtocolSupport(TlsVersion.TLS_1_0, Support.ACCEPTED, null,
            List.of("TLS_RSA_WITH_AES_128_CBC_SHA", tripleDes), CipherOrder.SERVER, List.of()),
        new ProtocolSupport(TlsVersion.TLS_1_1, Support.REJECTED, "handshake_failure", List.of(),
            CipherOrder.NOT_APPLICABLE, List.of()),
        new ProtocolSupport(TlsVersion.TLS_1_2, Support.ACCEPTED, null,
            List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", tripleDes), CipherOrder.SERVER, List.of()),
        new ProtocolSupport(TlsVersion.TLS_1_3, Support.NOT_TESTABLE, "no", List.of(),
            CipherOrder.NOT_APPLICABLE, List.of()));

    List<Finding> findings = Enumeration.findings(protocols);

    assertThat(findings).extracting(Finding::code)
        .containsExactly(FindingCode.TLS_PROTOCOL_WEAK, FindingCode.TLS_CIPHER_WEAK);
    assertThat(findings.get(0).evidence()).containsEntry("protocol", "TLSv1");
    Finding weak = findings.get(1);
    assertThat(weak.severity()).isEqualTo(Severity.WARNING);
    assertThat(weak.evidence()).containsEntry("cipherSuite", tripleDes)
        .containsEntry("protocols", List.of("TLSv1", "TLSv1.2"));
    assertThat(weak.evidence().get("reason")).asString().contains("3DES");
  }

  @Test
  void builderChecksItsArguments() {
    assertThatThrownBy(() -> TlsEnumerator.builder().concurrency(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("concurrency");
    assertThatThrownBy(() -> TlsEnumerator.builder().concurrency(2).concurrency(3))
        .isInstanceOf(IllegalStateException.class);
    assertThat(TlsEnumerator.builder().build().concurrency()).isEqualTo(TlsEnumerator.DEFAULT_CONCURRENCY);
  }
}
