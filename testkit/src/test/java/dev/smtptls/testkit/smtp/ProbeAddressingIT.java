package dev.smtptls.testkit.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.smtptls.finding.FindingCode;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.SmtpTarget;
import dev.smtptls.inspect.SmtpTlsInspector;
import dev.smtptls.inspect.StartTlsOutcome.Status;
import dev.smtptls.spi.Transport;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How the probe reaches a server: SNI, address families, and the Transport SPI. */
class ProbeAddressingIT {

  @RegisterExtension static final MockSmtpServerExtension smtp = MockSmtpServerExtension.create();

  @Test
  void sendsTheHostNameAsSniWhileConnectingToTheGivenAddress() {
    InspectionReport r = SmtpTlsInspector.create().inspect(smtp.server().target());
    assertThat(r.startTls().status()).isEqualTo(Status.UPGRADED);
    assertThat(r.address()).isEqualTo(new InetSocketAddress(InetAddress.getLoopbackAddress(), smtp.server().port()));
    assertThat(smtp.server().receivedServerNames()).containsExactly("mx.smtptls.test");
  }

  @Test
  void sendsNoSniForAnIpLiteral() {
    InspectionReport r = SmtpTlsInspector.create().inspect(SmtpTarget.of("127.0.0.1", smtp.server().port()));
    assertThat(r.startTls().status()).isEqualTo(Status.UPGRADED);
    assertThat(smtp.server().receivedServerNames()).isEmpty();
  }

  @Test
  void probesOverIpv6() throws IOException {
    InetAddress v6 = InetAddress.getByName("::1");
    assumeTrue(v6 instanceof Inet6Address && canBind(v6), "this machine has no IPv6 loopback");
    try (MockSmtpServer server = MockSmtpServer.builder().bindAddress(v6).build().start()) {
      InspectionReport r = SmtpTlsInspector.create().inspect(SmtpTarget.parse("[::1]:" + server.port()));
      assertThat(r.startTls().status()).isEqualTo(Status.UPGRADED);
      assertThat(server.receivedCommands()).contains("EHLO [IPv6:0:0:0:0:0:0:0:1]");
    }
  }

  @Test
  void usesTheTransportItIsGiven() throws IOException {
    Transport transport = mock(Transport.class);
    InetSocketAddress where = new InetSocketAddress(InetAddress.getLoopbackAddress(), smtp.server().port());
    when(transport.connect(any(), any())).thenAnswer(inv -> Transport.plainSockets().connect(where, inv.getArgument(1)));
    InspectionReport r = SmtpTlsInspector.builder().transport(transport).timeout(Duration.ofSeconds(3)).build()
        .inspect(smtp.server().target());
    assertThat(r.startTls().status()).isEqualTo(Status.UPGRADED);
    // The connect may take what is left of the step's timeout: positive, at most the timeout.
    verify(transport).connect(eq(where), argThat(d -> d.compareTo(Duration.ofSeconds(3)) <= 0 && !d.isNegative() && !d.isZero()));
  }

  @Test
  void aTransportFailureIsAFindingNotAnException() throws IOException {
    Transport transport = mock(Transport.class);
    when(transport.connect(any(), any())).thenThrow(new ConnectException("SOCKS proxy refused the connection"));
    InspectionReport r = SmtpTlsInspector.builder().transport(transport).build().inspect(smtp.server().target());
    assertThat(r.finding(FindingCode.CONNECT_FAILED).flatMap(f -> f.evidence("reason")))
        .contains("SOCKS proxy refused the connection");
  }

  private static boolean canBind(InetAddress a) {
    try (ServerSocket s = new ServerSocket(0, 1, a)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
