package dev.smtptls.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Exit codes and the one-line stderr of usage errors. None of these runs reaches the network:
 * every argument is rejected before a connection would be made.
 */
class SmtpTlsCommandTest {

  @TempDir Path dir;

  /** A usage error: exit 2, exactly one line on stderr that names the culprit, nothing on stdout. */
  private static void assertUsageError(Cli.Result r, String culprit) {
    assertThat(r.exit()).as("exit code; stderr: %s", r.err()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0)).startsWith("smtptls").contains(culprit).doesNotContain("Exception");
  }

  @Test
  void unknownFlagIsAUsageError() {
    assertUsageError(Cli.run("probe", "--bogus", "127.0.0.1"), "--bogus");
  }

  @Test
  void unknownCommandIsAUsageError() {
    assertUsageError(Cli.run("probbe", "127.0.0.1"), "probbe");
  }

  @Test
  void missingCommandIsAUsageError() {
    assertUsageError(Cli.run(), "missing command");
  }

  @Test
  void missingHostIsAUsageError() {
    assertUsageError(Cli.run("probe"), "HOST[:PORT]");
  }

  @Test
  void portOutOfRangeIsAUsageError() {
    assertUsageError(Cli.run("probe", "127.0.0.1:99999"), "port must be 1..65535");
  }

  @Test
  void portThatIsNotANumberIsAUsageError() {
    assertUsageError(Cli.run("probe", "127.0.0.1:smtp"), "port is not a number");
  }

  @Test
  void malformedHostIsAUsageError() {
    assertUsageError(Cli.run("probe", "bad host!"), "bad host!");
  }

  @Test
  void malformedDurationIsAUsageError() {
    assertUsageError(Cli.run("probe", "127.0.0.1", "--timeout", "10x"), "--timeout");
  }

  @Test
  void zeroDeadlineIsAUsageError() {
    assertUsageError(Cli.run("probe", "127.0.0.1", "--deadline", "0s"), "--deadline");
  }

  @Test
  void timeoutLongerThanDeadlineIsAUsageError() {
    assertUsageError(Cli.run("probe", "127.0.0.1", "--timeout", "2m", "--deadline", "1m"), "--timeout 2m");
  }

  @Test
  void addressThatIsAHostNameIsAUsageError() {
    assertUsageError(Cli.run("probe", "127.0.0.1", "--address", "mx.example.org"), "--address");
  }

  @Test
  void missingTrustFileIsAUsageError() {
    Path missing = dir.resolve("missing.pem");
    assertUsageError(Cli.run("probe", "127.0.0.1", "--trust", missing.toString()), missing.toString());
  }

  @Test
  void trustFileWithoutCertificateIsAUsageError() throws IOException {
    Path notPem = Files.writeString(dir.resolve("key.pem"),
        "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n");
    Cli.Result r = Cli.run("probe", "127.0.0.1", "--trust", notPem.toString());
    assertUsageError(r, notPem.toString());
    assertThat(r.err()).contains("private key but no certificate");
  }

  @Test
  void trustFileWithBrokenCertificateIsAUsageError() throws IOException {
    Path broken = Files.writeString(dir.resolve("broken.pem"),
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    Cli.Result r = Cli.run("probe", "127.0.0.1", "--trust", broken.toString());
    assertUsageError(r, broken + ":1");
  }

  @Test
  void unknownRevocationModeIsAUsageError() {
    assertUsageError(Cli.run("probe", "127.0.0.1", "--revocation", "sometimes"), "none, crl, ocsp, all");
  }

  @Test
  void malformedInstantIsAUsageError() {
    assertUsageError(Cli.run("probe", "127.0.0.1", "--at", "yesterday"), "--at");
  }

  @Test
  void malformedExpectedNameIsAUsageError() {
    assertUsageError(Cli.run("probe", "127.0.0.1", "--name", "bad..name"), "--name");
  }

  @Test
  void versionPrintsTheToolVersion() {
    Cli.Result r = Cli.run("--version");
    assertThat(r.exit()).isZero();
    assertThat(r.out().strip()).isEqualTo("smtptls " + ToolVersion.version());
    assertThat(r.err()).isEmpty();
  }

  @Test
  void helpListsTheCommandsAndExitsZero() {
    Cli.Result r = Cli.run("--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("probe", "demo");
  }

  @Test
  void probeHelpDescribesTheCertificateOptionsAndRevocation() {
    Cli.Result r = Cli.run("probe", "--help");
    assertThat(r.exit()).isZero();
    String help = r.out().replaceAll("\\s+", " ");
    assertThat(help).contains("--trust=system|FILE.pem", "--name=NAME", "--revocation=none|crl|ocsp|all",
        "--at=INSTANT", "--profile=default|strict")
        .contains("fetch the CRL of every distribution point", "ocsp (ask the OCSP responder",
            "all (the CRLs, then OCSP)", "an OCSP responder")
        .doesNotContain("no OCSP checker", "OCSP is not checked")
        .doesNotContain("no revocation checker yet")
        .doesNotContain("applies once certificate checks are enabled");
  }

  @Test
  void unknownProfileIsAUsageError() {
    assertUsageError(Cli.run("probe", "127.0.0.1", "--profile", "lenient"), "default, strict");
  }

  @Test
  void helpListsCheckCert() {
    Cli.Result r = Cli.run("--help");
    assertThat(r.out()).contains("check-cert");
  }

  /** A command whose bug escapes as an exception. */
  @Command(name = "broken")
  static final class Broken implements Callable<Integer> {
    @Option(names = "--debug") boolean debug;

    @Override
    public Integer call() {
      throw new IllegalStateException("a bug\nover two lines");
    }
  }

  private static Cli.Result runBroken(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Broken());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    ErrorHandlers.install(cl);
    int exit = cl.execute(args);
    return new Cli.Result(exit, out.toString(), err.toString());
  }

  @Test
  void internalErrorIsExitThreeWithOneLine() {
    Cli.Result r = runBroken();
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines()).containsExactly(
        "broken: internal error: java.lang.IllegalStateException: a bug; over two lines");
  }

  @Test
  void internalErrorShowsTheStackTraceWithDebug() {
    Cli.Result r = runBroken("--debug");
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.errLines().get(0)).startsWith("broken: internal error:");
    assertThat(r.err()).contains("at dev.smtptls.examples.cli.SmtpTlsCommandTest$Broken.call");
  }
}
