package dev.smtptls.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.domain.DomainScanSummary;
import dev.smtptls.inspect.ScanSummary;
import dev.smtptls.inspect.StartTlsOutcome.Status;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScanProgressTest {

  private static ScanSummary summary(long results, Duration elapsed, boolean cancelled) {
    return new ScanSummary(results + 3, results, 1, 2, cancelled ? 1 : 0, 0,
        Map.of(Status.UPGRADED, results - 1), 3, elapsed, cancelled, true);
  }

  @Test
  void barShowsDoneTotalRateAndEta() {
    String bar = ScanProgress.bar(summary(300, Duration.ofSeconds(3), false), 1000);
    assertThat(bar).startsWith("[#########.....................]  300/1000  100.0/s  ETA 0:07  3 in flight");
  }

  @Test
  void barWithoutTotalHasNoEta() {
    assertThat(ScanProgress.bar(summary(10, Duration.ofSeconds(1), false), -1)).isEqualTo("10 done  10.0/s  3 in flight");
  }

  @Test
  void summaryLineCountsStatusesAndErrors() {
    assertThat(ScanProgress.summaryLine(summary(10, Duration.ofSeconds(2), true)))
        .isEqualTo("scan: interrupted after 10 results in 2.0 s (5.0/s): UPGRADED 9; 2 with ERROR findings;"
            + " 1 malformed line; 1 cut short");
  }

  @Test
  void domainSummaryLineCountsDomainsProbesAndReuse() {
    DomainScanSummary s = new DomainScanSummary(45, 42, 1, 3, 2, 3, 7, 70, 0, Duration.ofSeconds(4), true, true);
    assertThat(ScanProgress.summaryLine(s))
        .isEqualTo("scan: interrupted after 42 domains in 4.0 s (10.5/s): 7 probes, 70 reused; 3 with ERROR findings;"
            + " 1 malformed line; 2 cut short; 3 not started");
  }
}
