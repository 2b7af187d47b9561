package dev.smtptls.crl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import dev.smtptls.crl.internal.FetchResult.Failed;
import dev.smtptls.crl.internal.FetchResult.Failure;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CrlFetcherLdapTest {
  private final CrlFetcher fetcher =
      new CrlFetcher(Duration.ofSeconds(2), Duration.ofSeconds(2), 1 << 20, Clock.systemUTC());

  @Test
  void parsesTheServerEntryAndAttribute() {
    FetchLdapUrl url = FetchLdapUrl.parse(URI.create(
        "ldap://ldap.example.test:1389/CN=Example%20CA,O=Example,C=DE?certificateRevocationList;binary"));

    assertThat(url.host()).isEqualTo("ldap.example.test");
    assertThat(url.port()).isEqualTo(1389);
    assertThat(url.dn()).isEqualTo("CN=Example CA,O=Example,C=DE");
    assertThat(url.attribute()).isEqualTo("certificateRevocationList;binary");
    assertThat(url.attributeType()).isEqualTo("certificateRevocationList");
    assertThat(url.serverUrl()).isEqualTo("ldap://ldap.example.test:1389");
  }

  @Test
  void defaultsPortAndAttribute() {
    FetchLdapUrl url = FetchLdapUrl.parse(URI.create("ldap://127.0.0.1/cn=CA"));

    assertThat(url.port()).isEqualTo(389);
    assertThat(url.attribute()).isEqualTo("certificateRevocationList;binary");
  }

  @Test
  void readsActiveDirectoryStyleUrlsWithoutAServer() {
    URI uri = URI.create("ldap:///CN=Contoso%20Issuing%20CA,CN=CA01,CN=CDP,CN=Public%20Key%20Services,"
        + "CN=Services,CN=Configuration,DC=contoso,DC=com"
        + "?certificateRevocationList?base?objectClass=cRLDistributionPoint");
    FetchLdapUrl url = FetchLdapUrl.parse(uri);

    assertThat(url.host()).isNull();
    assertThat(url.dn()).startsWith("CN=Contoso Issuing CA,CN=CA01,CN=CDP");
    assertThat(url.attribute()).isEqualTo("certificateRevocationList");

    assertThat(fetcher.fetch(uri, null, null)).asInstanceOf(type(Failed.class)).satisfies(f -> {
      assertThat(f.failure()).isEqualTo(Failure.LDAP);
      assertThat(f.detail()).startsWith("the ldap: URL names no server");
    });
  }

  @Test
  void rejectsBrokenUrls() {
    assertThatThrownBy(() -> FetchLdapUrl.parse(URI.create("ldap://127.0.0.1/")))
        .hasMessageContaining("names no entry");
    assertThatThrownBy(() -> FetchLdapUrl.parse(URI.create("http://127.0.0.1/cn=CA")))
        .hasMessageContaining("not an ldap: URL");
    assertThatThrownBy(() -> FetchLdapUrl.parse(URI.create("ldap://127.0.0.1/cn=CA??base??!x-critical")))
        .hasMessageContaining("critical extension");
    assertThat(fetcher.fetch(URI.create("ldap://127.0.0.1/"), null, null))
        .asInstanceOf(type(Failed.class))
        .extracting(Failed::failure)
        .isEqualTo(Failure.LDAP);
  }

  @Test
  void closedPortIsAConnectFailure() throws Exception {
    URI uri = URI.create("ldap://127.0.0.1:" + CrlFetcherTest.closedPort()
        + "/CN=Test%20CA?certificateRevocationList;binary");

    FetchResult r = fetcher.fetch(uri, null, null);

    assertThat(r).asInstanceOf(type(Failed.class)).satisfies(f -> {
      assertThat(f.failure()).isEqualTo(Failure.CONNECT);
      assertThat(f.detail()).startsWith("connection refused (LDAP server 127.0.0.1 port ");
      assertThat(f.httpStatus()).isNull();
    });
  }

  @Test
  void ldapsIsNotFetched() {
    assertThat(fetcher.fetch(URI.create("ldaps://127.0.0.1/cn=CA"), null, null))
        .asInstanceOf(type(Failed.class))
        .extracting(Failed::failure)
        .isEqualTo(Failure.UNSUPPORTED_SCHEME);
  }
}
