package dev.smtptls.examples.realmta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.smtptls.cert.CertificateInfo;
import dev.smtptls.connector.ConnectorPolicies;
import dev.smtptls.connector.PolicyVerdict;
import dev.smtptls.connector.SenderPolicy;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.inspect.TranscriptEntry;
import dev.smtptls.sink.RunningSink;
import dev.smtptls.sink.SenderReport;
import dev.smtptls.sink.SmtpTlsSink;
import dev.smtptls.trust.TrustSources;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The real Postfix that {@code bench/postfix/postfix-lab.sh} starts, as a sender: a message
 * injected with Postfix's own {@code sendmail -C <lab config dir>} is delivered by Postfix's SMTP
 * client to an {@link SmtpTlsSink} on the lab's {@code sinkPort}, by recipient domain under one
 * TLS setting each ({@code none}, {@code may}, {@code encrypt}, {@code encrypt} with {@code
 * smtp_tls_cert_file}). The tests assert what the sink saw: Postfix's EHLO name, STARTTLS, the
 * client certificate. No mail leaves loopback; anything Postfix still queues is deleted after each
 * test. Fails, never skips, without the lab.
 */
@Tag("real-mta")
class SinkPostfixRealMtaIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private static @Nullable PostfixLab lab;
  private static @Nullable Path configDir;
  private static int sinkPort;
  private static @Nullable X509Certificate clientLeaf;
  private static @Nullable X509Certificate root;

  @BeforeAll
  static void findLab() throws IOException, GeneralSecurityException {
    PostfixLab l = PostfixLab.load();
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(l.dir().resolve("postfix-lab.properties"), StandardCharsets.UTF_8)) {
      p.load(r);
    }
    String dir = p.getProperty("configDir");
    String port = p.getProperty("sinkPort");
    String chain = p.getProperty("clientChainPem");
    if (dir == null || port == null || chain == null) {
      fail("configDir, sinkPort or clientChainPem missing in " + l.dir()
          + "/postfix-lab.properties: restart the lab with the current bench/postfix/postfix-lab.sh");
    }
    configDir = Path.of(dir);
    sinkPort = Integer.parseInt(port.trim());
    clientLeaf = firstCertificate(Path.of(chain.trim()));
    root = firstCertificate(l.rootPem());
    lab = l;
  }

  private static X509Certificate firstCertificate(Path pem) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  @AfterEach
  void forgetQueuedMail() throws Exception {
    // A deferred message would be retried later, at whatever listens then: delete it.
    Processes.run("", Processes.program("postsuper", "postfix"), "-c", configDir().toString(), "-d", "ALL");
  }

  @Test
  void postfixPresentsItsClientCertificateWhenConfiguredTo() throws Exception {
    try (RunningSink sink = sink(true)) {
      send("bob@cert.sink.smtptls.test");

      SenderReport r = next(sink);

      assertThat(r.heloName()).isEqualTo(lab().myhostname());
      assertThat(r.esmtp()).isTrue();
      assertThat(r.startTls().used()).isTrue();
      assertThat(r.startTls().protocol()).isIn("TLSv1.3", "TLSv1.2");
      assertThat(r.clientCertificates()).extracting(CertificateInfo::sha1)
          .first().isEqualTo(CertificateInfo.of(clientLeaf()).sha1());
      assertThat(r.clientCertificateCheck()).isNotNull();
      assertThat(r.clientCertificateCheck().path()).isNotEmpty();
      // The lab's certificates live 30 days: SENDER_CERT_EXPIRES_SOON is expected and beside the point.
      assertThat(r.findings()).extracting(Finding::code)
          .allMatch(c -> c == FindingCode.SENDER_CERT_EXPIRES_SOON);
      assertThat(r.mailFrom()).isEqualTo("alice@smtptls.test");
      assertThat(r.recipients()).containsExactly("bob@cert.sink.smtptls.test");
      assertThat(r.messages()).isEqualTo(1);
      assertThat(r.ending()).isEqualTo(SenderReport.Ending.QUIT);
    }
  }

  @Test
  void postfixWithoutClientCertificateUsesTlsAndIsDeferred() throws Exception {
    try (RunningSink sink = sink(false)) {
      send("bob@encrypt.sink.smtptls.test");

      SenderReport r = next(sink);

      assertThat(r.startTls().used()).isTrue();
      assertThat(r.clientChain()).isEmpty();
      assertThat(r.findings()).extracting(Finding::code).containsExactly(FindingCode.SENDER_NO_CLIENT_CERT);
      assertThat(r.recipients()).containsExactly("bob@encrypt.sink.smtptls.test");
      assertThat(r.messages()).isZero();
      assertThat(r.transcript()).extracting(TranscriptEntry::line).anyMatch(l -> l.startsWith("451 4.3.0"));
    }
  }

  @Test
  void opportunisticPostfixTakesTheOfferedStartTls() throws Exception {
    try (RunningSink sink = sink(true)) {
      send("bob@may.sink.smtptls.test");

      SenderReport r = next(sink);

      assertThat(r.startTls().used()).isTrue();
      assertThat(r.has(FindingCode.SENDER_NO_STARTTLS)).isFalse();
      assertThat(r.messages()).isEqualTo(1);
    }
  }

  @Test
  void postfixWithoutTlsIsSenderNoStartTls() throws Exception {
    try (RunningSink sink = sink(true)) {
      send("bob@plain.sink.smtptls.test");

      SenderReport r = next(sink);

      assertThat(r.heloName()).isEqualTo(lab().myhostname());
      assertThat(r.startTls().issuedAt()).isNull();
      assertThat(r.findings()).extracting(Finding::code).containsExactly(FindingCode.SENDER_NO_STARTTLS);
      assertThat(r.hasErrors()).isTrue();
      assertThat(r.messages()).isEqualTo(1);
    }
  }

  @Test
  void inboundConnectorWhoseTlsSenderCertificateNameMatchesTakesPostfixsMailOverTls() throws Exception {
    SenderPolicy connector = connector("exo-inbound:ConnectorType=OnPremises,TlsSenderCertificateName=" + lab().myhostname());
    try (RunningSink sink = sink(true, connector)) {
      send("bob@cert.sink.smtptls.test");

      SenderReport r = next(sink);
      PolicyVerdict v = connector.evaluate(r);

      assertThat(r.policyReply()).isNull();
      assertThat(r.messages()).isEqualTo(1);
      assertThat(v.outcome()).isEqualTo(PolicyVerdict.Outcome.DELIVERED_TLS);
      assertThat(v.reasons()).isEmpty();
    }
  }

  @Test
  void inboundConnectorWhoseTlsSenderCertificateNameDoesNotMatchRefusesAndPostfixBounces() throws Exception {
    SenderPolicy connector = connector("exo-inbound:ConnectorType=OnPremises,TlsSenderCertificateName=*.fabrikam.com");
    try (RunningSink sink = sink(true, connector)) {
      long logged = logSize();
      send("bob@cert.sink.smtptls.test");

      SenderReport r = next(sink);
      PolicyVerdict v = connector.evaluate(r);

      assertThat(r.clientChain()).isNotEmpty();
      assertThat(r.policyReply()).isNotNull();
      assertThat(r.policyReply().oneLine()).isEqualTo("550 5.7.64 TenantAttribution; Relay Access Denied");
      assertThat(r.messages()).isZero();
      assertThat(v.outcome()).isEqualTo(PolicyVerdict.Outcome.REJECTED);
      assertThat(v.smtpResponse()).isEqualTo(r.policyReply().oneLine());
      assertThat(v.reasons()).extracting(Finding::code).containsExactly(FindingCode.SENDER_CERT_NAME_MISMATCH);
      assertThat(v.reasons().get(0).evidence()).containsEntry("names", List.of(lab().myhostname()));
      // Postfix's own account of it: the refusal in reply to MAIL FROM, and the message bounced.
      String line = awaitLog(logged, "5.7.64 TenantAttribution");
      assertThat(line).contains("status=bounced").contains("bob@cert.sink.smtptls.test");
    }
  }

  private static SenderPolicy connector(String spec) {
    return (SenderPolicy) ConnectorPolicies.parse(spec);
  }

  private static RunningSink sink(boolean accept) {
    return builder(accept).build().start();
  }

  private static RunningSink sink(boolean accept, SenderPolicy connector) {
    return builder(accept).policy(connector.sinkPolicy()).build().start();
  }

  private static SmtpTlsSink.Builder builder(boolean accept) {
    return SmtpTlsSink.builder()
        .listen(new InetSocketAddress(lab().address(), sinkPort))
        .fqdn("sink.smtptls.test")
        .trustSource(TrustSources.anchors("postfix lab root", List.of(root())))
        .acceptMail(accept);
  }

  private static Path logFile() {
    return lab().dir().resolve("log/maillog");
  }

  private static long logSize() throws IOException {
    return Files.exists(logFile()) ? Files.size(logFile()) : 0;
  }

  /**
   * The first line after {@code from} (an offset in the log) that contains {@code text}, waiting
   * for Postfix to write it: woken by the file system's change events, bounded by {@link #WAIT}.
   */
  private static String awaitLog(long from, String text) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    try (WatchService watch = logFile().getFileSystem().newWatchService()) {
      logFile().getParent().register(watch, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE);
      while (true) {
        String found = logLine(from, text);
        if (found != null) {
          return found;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return fail("Postfix logged no line with '" + text + "' within " + WAIT + "; its log:\n" + maillog());
        }
        var key = watch.poll(left, TimeUnit.NANOSECONDS);
        if (key != null) {
          key.pollEvents();
          key.reset();
        }
      }
    }
  }

  private static @Nullable String logLine(long from, String text) throws IOException {
    byte[] all = Files.readAllBytes(logFile());
    if (all.length <= from) {
      return null;
    }
    String tail = new String(all, (int) from, all.length - (int) from, StandardCharsets.UTF_8);
    return tail.lines().filter(l -> l.contains(text)).findFirst().orElse(null);
  }

  /** Injects a message with Postfix's own sendmail, into the lab's instance only. */
  private static void send(String recipient) throws Exception {
    Processes.Result r = Processes.run(
        "Subject: smtptls sink test\nFrom: alice@smtptls.test\nTo: " + recipient + "\n\nHello from Postfix.\n",
        Processes.program("sendmail", "postfix"), "-C", configDir().toString(), "-f", "alice@smtptls.test", "-i", recipient);
    assertThat(r.exit()).as("sendmail: %s", r.output()).isZero();
  }

  private static SenderReport next(RunningSink sink) throws Exception {
    return sink.next(WAIT).orElseGet(() -> fail("Postfix did not deliver to the sink within " + WAIT
        + "; its log:\n" + maillog()));
  }

  private static String maillog() {
    try {
      List<String> lines = Files.readAllLines(lab().dir().resolve("log/maillog"), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static PostfixLab lab() {
    PostfixLab l = lab;
    if (l == null) {
      return fail("no lab");
    }
    return l;
  }

  private static Path configDir() {
    Path d = configDir;
    return d == null ? fail("no lab") : d;
  }

  private static X509Certificate clientLeaf() {
    X509Certificate c = clientLeaf;
    return c == null ? fail("no lab") : c;
  }

  private static X509Certificate root() {
    X509Certificate c = root;
    return c == null ? fail("no lab") : c;
  }
}
