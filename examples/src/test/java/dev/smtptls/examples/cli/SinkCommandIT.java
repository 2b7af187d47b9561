package dev.smtptls.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.SmtpTarget;
import dev.smtptls.inspect.SmtpTlsInspector;
import dev.smtptls.testkit.sink.TestSender;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code smtptls sink} in-process, with real senders over loopback: the library's own probe and a plaintext one. */
class SinkCommandIT {

  private static final Pattern LISTENING = Pattern.compile("smtptls sink: listening on 127\\.0\\.0\\.1:(\\d+) as (\\S+)");
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** A running {@code smtptls sink}, its stdout, and the lines of its stderr as they come. */
  private record Run(CompletableFuture<Integer> exit, StringWriter out, int port) {}

  private static Run start(String... args) throws Exception {
    StringWriter out = new StringWriter();
    BlockingQueue<String> errLines = new LinkedBlockingQueue<>();
    PrintWriter err = new PrintWriter(new LineWriter(errLines), true);
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
        () -> SmtpTlsCommand.run(new PrintWriter(out), err, args));
    String first = errLines.poll(30, TimeUnit.SECONDS);
    assertThat(first).as("the first line on stderr").isNotNull();
    Matcher m = LISTENING.matcher(first);
    assertThat(m.matches()).as(first).isTrue();
    return new Run(exit, out, Integer.parseInt(m.group(1)));
  }

  @Test
  void probeAsSenderIsReportedAsOneJsonLine() throws Exception {
    Run run = start("sink", "--json", "--count", "1", "--fqdn", "sink.example.org", "--timeout", "10s");

    InspectionReport probe = SmtpTlsInspector.builder().ehloName("sender.example.net").certificateChecker(null).build()
        .inspect(new SmtpTarget("sink.example.org", run.port(), InetAddress.getLoopbackAddress()));
    int exit = run.exit().get(30, TimeUnit.SECONDS);

    assertThat(probe.announcedFqdn()).isEqualTo("sink.example.org");
    assertThat(exit).isZero();
    String[] lines = run.out().toString().split("\\R");
    assertThat(lines).hasSize(1);
    JsonNode r = JSON.readTree(lines[0]);
    assertThat(r.get("heloName").asText()).isEqualTo("sender.example.net");
    assertThat(r.get("startTls").get("used").asBoolean()).isTrue();
    assertThat(r.get("startTls").get("protocol").asText()).startsWith("TLSv1.");
    assertThat(r.get("clientCertificates").isArray()).isTrue();
    assertThat(r.get("clientCertificates")).isEmpty();
    assertThat(r.get("verdict").isNull()).isTrue();
    assertThat(r.get("mailFrom").isNull()).isTrue();
    assertThat(r.get("findings").get(0).get("code").asText()).isEqualTo("SENDER_NO_CLIENT_CERT");
    assertThat(r.get("remote").get("address").asText()).isEqualTo("127.0.0.1");
    assertThat(r.get("transcript").get(0).get("line").asText()).startsWith("220 sink.example.org");
  }

  @Test
  void plaintextSenderExitsOneWithTextReportAndFix() throws Exception {
    Run run = start("sink", "--count", "1");

    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), run.port())) {
      s.setSoTimeout(30_000);
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      OutputStream o = s.getOutputStream();
      assertThat(in.readLine()).startsWith("220 ");
      o.write("HELO sender.example.net\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(in.readLine()).startsWith("250 ");
      assertThat(in.readLine()).startsWith("221 ");
    }
    int exit = run.exit().get(30, TimeUnit.SECONDS);

    assertThat(exit).isEqualTo(SmtpTlsCommand.EXIT_FINDINGS);
    assertThat(run.out().toString())
        .contains("HELO sender.example.net")
        .contains("SENDER_NO_STARTTLS")
        .contains("smtp_tls_security_level = may");
  }

  @Test
  void connectorRefusalIsWhatTheSenderHearsAndTheVerdictJson() throws Exception {
    Run run = start("sink", "--json", "--count", "1", "--connector", "exo-inbound:RequireTls=true");

    String mail;
    try (TestSender s = new TestSender(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), run.port()))) {
      s.command("EHLO sender.example.net");
      mail = s.command("MAIL FROM:<alice@example.net>");
      s.command("QUIT");
    }
    int exit = run.exit().get(30, TimeUnit.SECONDS);

    assertThat(mail).isEqualTo("451 5.7.3 STARTTLS is required to send mail.");
    assertThat(exit).isEqualTo(SmtpTlsCommand.EXIT_FINDINGS);
    JsonNode v = JSON.readTree(run.out().toString().strip()).get("verdict");
    assertThat(v.get("outcome").asText()).isEqualTo("QUEUED");
    assertThat(v.get("smtpResponse").asText()).isEqualTo(mail);
    assertThat(v.get("reasons").get(0).get("code").asText()).isEqualTo("SENDER_NO_STARTTLS");
    assertThat(v.get("remediations").findValuesAsText("command")).contains("postconf -e 'smtp_tls_security_level = may'");
  }

  @Test
  void matchingClientCertificateIsDeliveredTlsAndExitsZero(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    dev.smtptls.testkit.pki.TestPki pki = dev.smtptls.testkit.pki.TestPki.create();
    dev.smtptls.testkit.pki.IssuedCertificate sender = pki.leaf("mail.contoso.com");
    java.nio.file.Path root = java.nio.file.Files.writeString(dir.resolve("root.pem"), pki.root().certificatePem());
    Run run = start("sink", "--count", "1", "--accept", "--trust", root.toString(),
        "--connector", "exo-inbound:ConnectorType=OnPremises,TlsSenderCertificateName=*.contoso.com");

    try (TestSender s = new TestSender(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), run.port()))) {
      s.command("EHLO mail.contoso.com");
      s.startTls(sender);
      s.command("EHLO mail.contoso.com");
      assertThat(s.command("MAIL FROM:<alice@contoso.com>")).startsWith("250");
      assertThat(s.command("RCPT TO:<bob@fabrikam.com>")).startsWith("250");
      s.command("QUIT");
    }
    int exit = run.exit().get(30, TimeUnit.SECONDS);

    assertThat(run.out().toString()).contains("Verdict       DELIVERED_TLS");
    assertThat(exit).as(run.out().toString()).isZero();
  }

  @Test
  void usageErrorsExitTwoWithOneLine() {
    assertUsage(Cli.run("sink", "--connector", "exo-outbound:TlsSettings=EncryptionOnly"), "receive-side");
    assertUsage(Cli.run("sink", "--connector", "postfix:smtp_tls_security_level=may"), "receive-side");
    assertUsage(Cli.run("sink", "--connector", "exo-inbound:RequireTSL=true"), "RequireTSL");
    assertUsage(Cli.run("sink", "--connector", "exo-inbound:TlsSenderCertificateName=mail.*.contoso.com"),
        "TlsSenderCertificateName");
    assertUsage(Cli.run("sink", "--cert", "chain.pem"), "--cert needs --key");
    assertUsage(Cli.run("sink", "--listen", "mx.example.org:25"), "never a host name");
    assertUsage(Cli.run("sink", "--count", "0"), "--count");
    assertUsage(Cli.run("sink", "--cert", "/nonexistent/chain.pem", "--key", "/nonexistent/key.pem"), "/nonexistent/");
  }

  private static void assertUsage(Cli.Result r, String mentions) {
    assertThat(r.exit()).isEqualTo(SmtpTlsCommand.EXIT_USAGE);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).contains(mentions);
  }

  /** Hands each complete line written to it to a queue, so a test waits for a line without polling. */
  private static final class LineWriter extends Writer {
    private final BlockingQueue<String> lines;
    private final StringBuilder current = new StringBuilder();

    LineWriter(BlockingQueue<String> lines) {
      this.lines = lines;
    }

    @Override
    public synchronized void write(char[] buf, int off, int len) {
      for (int i = off; i < off + len; i++) {
        char c = buf[i];
        if (c == '\n') {
          lines.add(current.toString().replace("\r", ""));
          current.setLength(0);
        } else {
          current.append(c);
        }
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

}
