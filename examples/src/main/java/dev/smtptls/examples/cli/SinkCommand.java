package dev.smtptls.examples.cli;

import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.cert.CertificateFileException;
import dev.smtptls.cert.CertificateFiles;
import dev.smtptls.cert.ParsedCertificates;
import dev.smtptls.connector.ConnectorPolicies;
import dev.smtptls.connector.ConnectorPolicy;
import dev.smtptls.connector.ConnectorSpec;
import dev.smtptls.connector.PolicyVerdict;
import dev.smtptls.connector.SenderPolicy;
import dev.smtptls.sink.PrivateKeyFiles;
import dev.smtptls.sink.RunningSink;
import dev.smtptls.sink.SenderReport;
import dev.smtptls.sink.SmtpTlsSink;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code smtptls sink}: receives SMTP from a sending MTA with the library's {@link SmtpTlsSink} and
 * reports, per connection, what a receiver sees of the sender (HELO/EHLO name, STARTTLS, TLS
 * protocol and cipher, the client certificate chain and its check, the envelope), as text or one
 * JSON object per line; with {@code --connector}, the verdict of that receive-side connector ({@link
 * SenderPolicy}), whose reply the sender hears when it refuses. Prints the address it listens on
 * first, on stderr. Exit 0 when no connection had an {@code ERROR} finding or a refusal (the sink's
 * or the verdict's), 1 otherwise, 2 for a usage error.
 */
@Command(
    name = "sink",
    mixinStandardHelpOptions = true,
    versionProvider = ToolVersion.class,
    description = {
      "Receives SMTP from a sending MTA and reports what a receiver sees of it: the HELO/EHLO name,"
          + " whether it uses STARTTLS, the TLS protocol and cipher, and the client certificate it"
          + " presents (recorded whatever its validity, then checked against --trust with the EHLO"
          + " name as the name to cover), which is what an Exchange Online inbound connector decides by.",
      "Answers RCPT TO with a temporary 451 4.3.0, so the sender keeps its mail queued and retries;"
          + " with --accept, takes messages and discards them (never stored). Point the sender at the"
          + " address printed on stderr (a Postfix transport map entry, an Exchange Send connector's"
          + " smart host).",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:no connection had an ERROR finding or was refused (by the sink or the --connector verdict)",
      "1:some connection had an ERROR finding (SENDER_NO_STARTTLS, SENDER_CERT_*, ...) or was refused (QUEUED, REJECTED)",
      "2:usage or input error (one line on stderr)",
      "3:internal error (one line on stderr; the stack trace with --debug)"
    })
public final class SinkCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--listen", paramLabel = "HOST:PORT", converter = ListenConverter.class,
      description = "Where to listen: an IP literal and port (127.0.0.1:2525, [::1]:2525, 0.0.0.0:25);"
          + " port 0 lets the system choose. Default 127.0.0.1:0.")
  @Nullable InetSocketAddress listen;

  @Option(names = "--fqdn", paramLabel = "NAME",
      description = "The name in the greeting and EHLO reply (and of the generated certificate). Default sink.smtptls.test.")
  @Nullable String fqdn;

  @Option(names = "--cert", paramLabel = "FILE.pem",
      description = "The certificate chain to present after STARTTLS, leaf first. Default: a generated self-signed one.")
  @Nullable Path cert;

  @Option(names = "--key", paramLabel = "FILE.pem", description = "The private key of --cert (PKCS#8, PKCS#1 or SEC 1 PEM).")
  @Nullable Path key;

  @Option(names = "--trust", paramLabel = "system|FILE.pem", converter = TrustArgument.Converter.class,
      description = "Where senders' client certificates must chain to. Default system.")
  @Nullable TrustArgument trust;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      defaultValue = "30s", showDefaultValue = Visibility.ALWAYS,
      description = "The longest the sink waits for each step of a sender: a command, a line of data, the TLS handshake.")
  Duration timeout = Duration.ofSeconds(30);

  @Option(names = "--connector", paramLabel = "SPEC",
      description = "A receive-side connector whose verdict is printed per connection and whose reply the sender"
          + " hears when it refuses: exo-inbound, exchange-receive, or postfix with smtpd_ keys, e.g."
          + " exo-inbound:ConnectorType=OnPremises,TlsSenderCertificateName=*.contoso.com.")
  @Nullable String connector;

  @Option(names = "--count", paramLabel = "N",
      description = "Stop after N connections (a connection dropped for a timeout counts). Default: run until interrupted.")
  @Nullable Integer count;

  @Option(names = "--accept", description = "Take messages (250) and discard them instead of answering RCPT with 451 4.3.0.")
  boolean accept;

  @Option(names = "--json", description = "Print one JSON object per connection, one per line.")
  boolean json;

  @Option(names = "--transcript", description = "Also print each connection's dialogue (text output).")
  boolean transcript;

  @Option(names = "--debug", description = "Print the stack trace of an internal error.")
  boolean debug;

  /** Creates the command; picocli fills its fields. */
  public SinkCommand() {}

  @Override
  public Integer call() {
    SenderPolicy receiver = connector();
    SmtpTlsSink sink = sink(receiver);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    RunningSink running;
    try {
      running = sink.start();
    } catch (UncheckedIOException e) {
      throw new UsageException(String.valueOf(e.getMessage()));
    }
    boolean failed = false;
    try (running) {
      err.println("smtptls sink: listening on " + show(running.address()) + " as " + sink.fqdn());
      err.flush();
      int seen = 0;
      while (count == null || seen < count) {
        Optional<SenderReport> next = running.next(Duration.ofMinutes(1));
        if (next.isEmpty()) {
          continue;
        }
        SenderReport r = next.get();
        seen++;
        PolicyVerdict verdict = receiver == null ? null : receiver.evaluate(r);
        failed |= r.hasErrors() || r.policyReply() != null || (verdict != null && SenderPolicy.refusal(verdict) != null);
        // Rendered whole before printing, and flushed per connection: a watcher sees each as it ends.
        String rendered = json
            ? JsonReports.compact(SinkReports.json(r, verdict)) + System.lineSeparator()
            : SinkReports.text(r, transcript, verdict) + System.lineSeparator();
        out.print(rendered);
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return failed ? SmtpTlsCommand.EXIT_FINDINGS : SmtpTlsCommand.EXIT_OK;
  }

  /** The receive-side connector of {@code --connector}, or null; any other kind is a usage error. */
  private @Nullable SenderPolicy connector() {
    String text = connector;
    if (text == null) {
      return null;
    }
    ConnectorPolicy policy;
    try {
      policy = ConnectorPolicies.of(ConnectorSpec.parse(text));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--connector: " + e.getMessage());
    }
    if (policy instanceof SenderPolicy receiver) {
      return receiver;
    }
    throw new UsageException("--connector: '" + text + "' is a sending-side connector; the sink takes a receive-side"
        + " one: exo-inbound, exchange-receive, or postfix with smtpd_ keys (smtpd_tls_security_level, smtpd_tls_req_ccert)");
  }

  private SmtpTlsSink sink(@Nullable SenderPolicy receiver) {
    if (count != null && count < 1) {
      throw new UsageException("--count must be at least 1: " + count);
    }
    if ((cert == null) != (key == null)) {
      throw new UsageException(cert == null ? "--key needs --cert" : "--cert needs --key");
    }
    SmtpTlsSink.Builder b = SmtpTlsSink.builder().timeout(timeout).acceptMail(accept);
    if (listen != null) {
      b.listen(listen);
    }
    if (fqdn != null) {
      try {
        b.fqdn(fqdn);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--fqdn: " + e.getMessage());
      }
    }
    if (cert != null && key != null) {
      b.certificate(readKey(key), readChain(cert));
    }
    b.certificateChecker(CertificateChecker.builder()
        .trustSource((trust == null ? new TrustArgument.SystemStore() : trust).source())
        .purpose(CertificateChecker.CLIENT_AUTH)
        .revocationChecker(null)
        .build());
    if (receiver != null) {
      b.policy(receiver.sinkPolicy());
    }
    return b.build();
  }

  private static PrivateKey readKey(Path file) {
    try {
      return PrivateKeyFiles.read(file);
    } catch (IOException e) {
      throw new UsageException("--key: cannot read " + file + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new UsageException("--key: " + e.getMessage());
    }
  }

  private static java.util.List<java.security.cert.X509Certificate> readChain(Path file) {
    ParsedCertificates parsed;
    try {
      parsed = CertificateFiles.read(file);
    } catch (CertificateFileException e) {
      throw new UsageException("--cert: " + e.getMessage());
    } catch (IOException e) {
      throw new UsageException("--cert: cannot read " + file + ": " + e.getMessage());
    }
    if (parsed.certificates().isEmpty()) {
      throw new UsageException("--cert: " + file + " holds no certificate");
    }
    return parsed.certificates();
  }

  private static String show(InetSocketAddress a) {
    InetAddress ip = a.getAddress();
    return (ip == null ? a.getHostString() : IpLiterals.show(ip)) + ":" + a.getPort();
  }

  /** Converts {@code --listen}: {@code IP}, {@code IPv4:PORT} or {@code [IPv6]:PORT}, port 0 to 65535, never a name. */
  public static final class ListenConverter implements ITypeConverter<InetSocketAddress> {

    /** Creates the converter (picocli instantiates it). */
    public ListenConverter() {}

    @Override
    public InetSocketAddress convert(String value) {
      String v = value.strip();
      String host = v;
      String port = "0";
      if (v.startsWith("[")) {
        int close = v.indexOf(']');
        if (close < 0 || (close + 1 < v.length() && v.charAt(close + 1) != ':')) {
          throw bad(value);
        }
        host = v.substring(1, close);
        if (close + 1 < v.length()) {
          port = v.substring(close + 2);
        }
      } else if (v.indexOf(':') >= 0 && v.indexOf(':') == v.lastIndexOf(':')) {
        host = v.substring(0, v.indexOf(':'));
        port = v.substring(v.indexOf(':') + 1);
      }
      InetAddress address;
      try {
        address = IpLiterals.parse(host);
      } catch (IllegalArgumentException e) {
        throw bad(value);
      }
      if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
        throw new TypeConversionException("'" + value + "': the port is not 0..65535");
      }
      return new InetSocketAddress(address, Integer.parseInt(port));
    }

    private static TypeConversionException bad(String value) {
      return new TypeConversionException("'" + value + "' is not an address to listen on (write 127.0.0.1:2525,"
          + " [::1]:2525 or 0.0.0.0:25; never a host name)");
    }
  }
}
