package dev.smtptls.testkit.sink;

import static java.util.Objects.requireNonNull;

import dev.smtptls.sink.RunningSink;
import dev.smtptls.sink.SenderReport;
import dev.smtptls.sink.SmtpTlsSink;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.jspecify.annotations.Nullable;

/**
 * Runs a {@link SmtpTlsSink} for each JUnit 5 test: a fresh listener on {@code 127.0.0.1} port 0
 * before each test, closed after it, so every test sees only its own connections. Point the code
 * under test at {@link #address()} and assert on what it sent:
 *
 * <pre>{@code
 * @RegisterExtension final SmtpTlsSinkExtension sink = SmtpTlsSinkExtension.create();
 *
 * @Test void ourMailerUsesStartTls() {
 *   mailer.send(sink.address(), message);
 *   SenderReport r = sink.awaitReport(Duration.ofSeconds(30));
 *   assertThat(r.startTls().used()).isTrue();
 *   assertThat(r.has(FindingCode.SENDER_NO_STARTTLS)).isFalse();
 * }
 * }</pre>
 *
 * <p>By default the sink answers {@code RCPT TO} with {@code 451 4.3.0}; build it with {@link
 * SmtpTlsSink.Builder#acceptMail(boolean)} when the code under test must see its mail accepted.
 */
public final class SmtpTlsSinkExtension implements BeforeEachCallback, AfterEachCallback {

  private final SmtpTlsSink sink;
  private @Nullable RunningSink running;

  private SmtpTlsSinkExtension(SmtpTlsSink sink) {
    this.sink = sink;
  }

  /** {@return an extension with a default sink (self-signed certificate, temporary failure to {@code RCPT})} */
  public static SmtpTlsSinkExtension create() {
    return new SmtpTlsSinkExtension(SmtpTlsSink.builder().build());
  }

  /**
   * An extension running a configured sink.
   *
   * @param sink the sink, started anew for each test
   * @return the extension
   */
  public static SmtpTlsSinkExtension create(SmtpTlsSink sink) {
    return new SmtpTlsSinkExtension(requireNonNull(sink, "sink"));
  }

  /**
   * The running sink of the current test.
   *
   * @return the running sink
   * @throws IllegalStateException outside a test
   */
  public RunningSink running() {
    RunningSink r = running;
    if (r == null) {
      throw new IllegalStateException("the sink runs only while a test runs; register it with @RegisterExtension");
    }
    return r;
  }

  /** {@return where the code under test should connect} */
  public InetSocketAddress address() {
    return running().address();
  }

  /**
   * The report of the next connection to end.
   *
   * @param timeout how long to wait for it
   * @return the report
   * @throws AssertionError if no connection ended in time
   */
  public SenderReport awaitReport(Duration timeout) {
    try {
      return running().next(timeout).orElseThrow(() -> new AssertionError(
          "no connection to the sink at " + address() + " ended within " + timeout));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for a connection to the sink", e);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    running = sink.start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    RunningSink r = running;
    running = null;
    if (r != null) {
      r.close();
    }
  }
}
