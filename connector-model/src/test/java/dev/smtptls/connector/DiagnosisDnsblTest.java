package dev.smtptls.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.dns.DnsblLookup;
import dev.smtptls.dns.DnsblReport;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The diagnosis reads a probe together with the block-list status of the sending IP. */
class DiagnosisDnsblTest {

  private static final InetAddress SENDER = address();

  private static InetAddress address() {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 25});
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static DnsblReport listed() {
    DnsblLookup hit = new DnsblLookup("bl.example", "25.2.0.192.bl.example", true, List.of("127.0.0.2"),
        "Listed: see https://bl.example/192.0.2.25", DnsblLookup.LISTED);
    DnsblLookup clean = new DnsblLookup("clean.example", "25.2.0.192.clean.example", false, List.of(), null,
        DnsblLookup.NOT_LISTED);
    Finding f = Finding.of(FindingCode.DNSBL_LISTED, "listed", "zone", "bl.example", "address", "192.0.2.25");
    return new DnsblReport(SENDER, true, List.of(hit, clean), List.of(f));
  }

  private static DnsblReport notListed() {
    DnsblLookup clean = new DnsblLookup("bl.example", "25.2.0.192.bl.example", false, List.of(), null,
        DnsblLookup.NOT_LISTED);
    return new DnsblReport(SENDER, false, List.of(clean), List.of());
  }

  @Test
  void aListedSenderIsTheFirstCauseWhenTheReceiverWithheldStartTls() {
    List<Remediation> r = Diagnosis.remediations(
        Reports.notOffered(null, Finding.of(FindingCode.STARTTLS_NOT_OFFERED, "no STARTTLS")), listed());

    assertThat(r.get(0).text())
        .startsWith("The receiver withheld STARTTLS and your sending IP 192.0.2.25 is listed on bl.example")
        .contains("\"Listed: see https://bl.example/192.0.2.25\"")
        .doesNotContain("clean.example");
    assertThat(r).extracting(Remediation::text)
        .anySatisfy(t -> assertThat(t).startsWith("Enable STARTTLS on the receiving server"))
        .anySatisfy(t -> assertThat(t).contains("DNS block list bl.example"));
  }

  @Test
  void aCleanSenderLeavesTheReceiversConfigurationAsTheCause() {
    List<Remediation> r = Diagnosis.remediations(
        Reports.notOffered(null, Finding.of(FindingCode.STARTTLS_NOT_OFFERED, "no STARTTLS")), notListed());

    assertThat(r).extracting(Remediation::text).noneMatch(t -> t.contains("withheld"));
    assertThat(r).isEqualTo(Diagnosis.remediations(
        Reports.notOffered(null, Finding.of(FindingCode.STARTTLS_NOT_OFFERED, "no STARTTLS"))));
  }

  @Test
  void aListingIsNotBlamedWhenTlsWorked() {
    List<Remediation> r = Diagnosis.remediations(Reports.healthy(), listed());

    assertThat(r).extracting(Remediation::text).noneMatch(t -> t.contains("withheld"))
        .anyMatch(t -> t.contains("DNS block list bl.example"));
  }
}
