package dev.smtptls.testkit.smtp;

import static java.util.Objects.requireNonNull;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.jspecify.annotations.Nullable;

/**
 * Runs a {@link MockSmtpServer} for a JUnit 5 test class: started before all tests, reset to
 * {@link SmtpBehaviour#healthy()} (or the given behaviour), with its received commands cleared, before each, closed after all.
 *
 * <pre>{@code
 * @RegisterExtension static final MockSmtpServerExtension smtp = MockSmtpServerExtension.create();
 *
 * @Test void reportsMaskedStartTls() {
 *   smtp.server().behave(SmtpBehaviour.esmtpInspectionMasking());
 *   InspectionReport report = inspector.inspect(smtp.server().target());
 *   assertThat(report.has(FindingCode.ESMTP_INSPECTION_SUSPECTED)).isTrue();
 * }
 * }</pre>
 */
public final class MockSmtpServerExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

  private final MockSmtpServer.Builder builder;
  private final SmtpBehaviour initial;
  private @Nullable MockSmtpServer server;

  private MockSmtpServerExtension(MockSmtpServer.Builder builder, SmtpBehaviour initial) {
    this.builder = builder;
    this.initial = initial;
  }

  /** {@return an extension with a default server (FQDN {@code mx.smtptls.test}, TestPki leaf)} */
  public static MockSmtpServerExtension create() {
    return new MockSmtpServerExtension(MockSmtpServer.builder(), SmtpBehaviour.healthy());
  }

  /**
   * An extension with a server configured by a builder.
   *
   * @param builder the server's builder; its behaviour is restored before each test
   * @param initial the behaviour restored before each test
   * @return the extension
   */
  public static MockSmtpServerExtension create(MockSmtpServer.Builder builder, SmtpBehaviour initial) {
    return new MockSmtpServerExtension(requireNonNull(builder, "builder"), requireNonNull(initial, "initial"));
  }

  /**
   * The running server.
   *
   * @return the server
   * @throws IllegalStateException outside the test class's lifecycle
   */
  public MockSmtpServer server() {
    MockSmtpServer s = server;
    if (s == null) {
      throw new IllegalStateException("the server runs only while the test class runs; register with @RegisterExtension static");
    }
    return s;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server = builder.behaviour(initial).build().start();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    server().behave(initial);
    server().clearReceivedCommands();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    MockSmtpServer s = server;
    server = null;
    if (s != null) {
      s.close();
    }
  }
}
