package dev.smtptls.testkit.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.SmtpTlsInspector;
import dev.smtptls.inspect.StartTlsOutcome.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** MockSmtpServer's count of open connections, its peak, and the greeting hold that lets a test see them. */
@Timeout(30)
class MockSmtpServerConnectionsIT {

  @Test
  void heldGreetingsKeepConnectionsOpenTogetherAndQuitCountsThemOut() throws Exception {
    SmtpTlsInspector inspector = SmtpTlsInspector.builder()
        .quitReplyWait(Duration.ofSeconds(5)).certificateChecker(null).build();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try (MockSmtpServer server = MockSmtpServer.builder().build().start()) {
      server.holdGreetings();
      List<CompletableFuture<InspectionReport>> probes = List.of(
          CompletableFuture.supplyAsync(() -> inspector.inspect(server.target()), pool),
          CompletableFuture.supplyAsync(() -> inspector.inspect(server.target()), pool),
          CompletableFuture.supplyAsync(() -> inspector.inspect(server.target()), pool));

      assertThat(server.awaitOpenConnections(3, Duration.ofSeconds(10))).isTrue();
      assertThat(probes).noneMatch(CompletableFuture::isDone);
      server.releaseGreetings();

      assertThat(probes).allSatisfy(p -> assertThat(p.join().startTls().status()).isEqualTo(Status.UPGRADED));
      // Each client awaited the 221, sent after its connection was counted out.
      assertThat(server.openConnections()).isZero();
      assertThat(server.peakConnections()).isEqualTo(3);
      assertThat(server.connectionCount()).isEqualTo(3);
    } finally {
      pool.shutdownNow();
    }
  }
}
