package dev.smtptls.examples.cli;

import static dev.smtptls.finding.FindingCode.CERT_CHAIN_INCOMPLETE;
import static dev.smtptls.finding.FindingCode.CERT_EHLO_NAME_MISMATCH;
import static dev.smtptls.finding.FindingCode.CERT_EXPIRED;
import static dev.smtptls.finding.FindingCode.CERT_NAME_MISMATCH;
import static dev.smtptls.finding.FindingCode.CERT_REVOKED;
import static dev.smtptls.finding.FindingCode.CERT_SELF_SIGNED;
import static dev.smtptls.finding.FindingCode.CONNECTION_CLOSED;
import static dev.smtptls.finding.FindingCode.CRL_UNAVAILABLE;
import static dev.smtptls.finding.FindingCode.ESMTP_INSPECTION_SUSPECTED;
import static dev.smtptls.finding.FindingCode.ESMTP_NOT_SUPPORTED;
import static dev.smtptls.finding.FindingCode.GREETING_REJECTED;
import static dev.smtptls.finding.FindingCode.PROTOCOL_VIOLATION;
import static dev.smtptls.finding.FindingCode.STARTTLS_NOT_OFFERED;
import static dev.smtptls.finding.FindingCode.STARTTLS_REFUSED;
import static dev.smtptls.finding.FindingCode.TIMEOUT;
import static dev.smtptls.finding.FindingCode.TLS_HANDSHAKE_FAILED;
import static dev.smtptls.finding.FindingCode.TLS_REQUIRED_BY_SERVER;

import dev.smtptls.cert.CheckProfile;
import dev.smtptls.testkit.pki.RevocationReason;
import dev.smtptls.testkit.smtp.SmtpBehaviour;
import java.time.Duration;
import java.util.List;

/**
 * The scenarios of {@code smtptls demo}, in the order they run: the SMTP and STARTTLS ones, then
 * the certificate ones (wildcard that is fine, self-signed, expired, name mismatch, announced
 * FQDN not covered, missing intermediate), each checked against the demo PKI's root; then the
 * revocation ones (revoked, CRL unreachable), checked with a CRL revocation checker against a CRL
 * server on 127.0.0.1.
 */
public final class DemoScenarios {

  private DemoScenarios() {}

  /** {@return every scenario} */
  public static List<DemoScenario> all() {
    return List.of(
        DemoScenario.of("healthy",
            "A server that offers STARTTLS, completes the handshake and answers EHLO again over TLS.",
            SmtpBehaviour::healthy),
        DemoScenario.of("starttls-not-offered",
            "A server whose EHLO reply lacks STARTTLS (TLS not configured): senders deliver in clear or queue.",
            SmtpBehaviour::startTlsNotAdvertised, STARTTLS_NOT_OFFERED),
        DemoScenario.of("starttls-on-last-line",
            "A server that advertises STARTTLS only on the last EHLO line (250 STARTTLS), which naive clients miss.",
            SmtpBehaviour::startTlsOnLastLine),
        DemoScenario.of("starttls-refused",
            "A server that advertises STARTTLS but answers it 454 4.7.0 TLS not available (no certificate bound).",
            SmtpBehaviour::startTlsRefused, STARTTLS_REFUSED),
        DemoScenario.of("handshake-failure",
            "A server that says 220 to STARTTLS, then fails the TLS handshake (no common protocol or cipher).",
            SmtpBehaviour::handshakeFailure, TLS_HANDSHAKE_FAILED),
        DemoScenario.of("helo-only",
            "A server that speaks plain SMTP only: EHLO is answered 500, so STARTTLS cannot exist.",
            // Plain SMTP knows no STARTTLS verb either: it answers 502 when the probe tries it.
            () -> SmtpBehaviour.heloOnly().toBuilder()
                .startTlsAdvertisement(SmtpBehaviour.StartTlsAdvertisement.NONE)
                .acceptStartTlsWhenNotAdvertised(false)
                .build(),
            ESMTP_NOT_SUPPORTED),
        DemoScenario.of("greeting-rejected",
            "A server that refuses the session in its greeting with 554, naming a block list.",
            () -> SmtpBehaviour.greetingRejected(
                554, "5.7.1 Service unavailable; client [192.0.2.10] blocked using zen.spamhaus.org"),
            GREETING_REJECTED),
        DemoScenario.of("esmtp-inspection",
            "A firewall's SMTP inspection (Cisco ASA style) masking the greeting with * and STARTTLS with XXXXXXXA.",
            SmtpBehaviour::esmtpInspectionMasking, ESMTP_INSPECTION_SUSPECTED, STARTTLS_NOT_OFFERED),
        DemoScenario.of("tls-required",
            "A server that refuses MAIL before STARTTLS (530 5.7.0 Must issue a STARTTLS command first).",
            SmtpBehaviour::tlsRequiredBeforeMail, TLS_REQUIRED_BY_SERVER)
            .withPlaintextCheck(),
        DemoScenario.of("closed-after-ehlo",
            "A server (or a middlebox) that drops the connection right after the EHLO reply.",
            SmtpBehaviour::closeAfterEhlo, CONNECTION_CLOSED),
        DemoScenario.of("tarpit",
            "A tarpit that holds back its greeting; the probe gives up at its step timeout (300 ms here).",
            () -> SmtpBehaviour.tarpit(Duration.ofSeconds(30)), TIMEOUT)
            .withLimits(Duration.ofMillis(300), Duration.ofSeconds(5)),
        DemoScenario.of("drip-tarpit",
            "A tarpit that drips its greeting an octet at a time, each in time for any per-read timeout; the probe's bound on the whole step (300 ms here) ends it.",
            () -> SmtpBehaviour.drip(Duration.ofMillis(50)), TIMEOUT)
            .withLimits(Duration.ofMillis(300), Duration.ofSeconds(1)),
        DemoScenario.of("oversize-reply",
            "A server whose greeting never ends (endless 220- lines): the probe stops at its bound.",
            SmtpBehaviour::oversizeReply, PROTOCOL_VIOLATION),
        DemoScenario.of("wildcard-ok",
            "A server presenting a wildcard certificate (*.demo.test) that covers its name: fine for Exchange and RFC 9525.",
            SmtpBehaviour::healthy)
            .withCertificate((pki, fqdn) -> pki.leaf("*." + parentOf(fqdn))),
        DemoScenario.of("self-signed",
            "A server presenting a self-signed certificate (the default of many installs): strict receivers refuse TLS.",
            SmtpBehaviour::healthy, CERT_SELF_SIGNED)
            .withCertificate((pki, fqdn) -> pki.newLeaf().dnsNames(fqdn).selfSigned().issue()),
        DemoScenario.of("expired",
            "A server presenting a certificate that expired (the renewal was never bound to the SMTP service).",
            SmtpBehaviour::healthy, CERT_EXPIRED)
            .withCertificate((pki, fqdn) -> pki.newLeaf().dnsNames(fqdn).expired().issue()),
        DemoScenario.of("name-mismatch",
            "A server presenting a certificate for another name (the web server's) than its MX host name.",
            SmtpBehaviour::healthy, CERT_NAME_MISMATCH)
            .withCertificate((pki, fqdn) -> pki.leaf("www.other.test")),
        DemoScenario.of("ehlo-name-mismatch",
            "A server whose certificate covers its MX name but which announces an internal FQDN in its greeting and EHLO reply, which Exchange checks too.",
            SmtpBehaviour::healthy, CERT_EHLO_NAME_MISMATCH)
            .withAnnouncedFqdn("exch01.corp.demo.local"),
        DemoScenario.of("missing-intermediate",
            "A server that sends its leaf without the intermediate CA: receivers that do not fetch it cannot build the path.",
            SmtpBehaviour::healthy, CERT_CHAIN_INCOMPLETE)
            .withServed((pki, fqdn) -> DemoScenario.Served.leafOnly(pki.leaf(fqdn))),
        DemoScenario.of("revoked",
            "A server presenting a certificate its CA revoked (key compromise): the CRL its distribution point names,"
                + " served by a CRL server on 127.0.0.1, lists it. Every receiver that checks revocation refuses it.",
            SmtpBehaviour::healthy, CERT_REVOKED)
            .withCrl(DemoScenario.CrlSetup.serving("/revoked/intermediate.crl", (pki, leaf) -> pki
                .newCrl(pki.intermediate())
                .revoke(leaf, RevocationReason.KEY_COMPROMISE, pki.clock().instant().minus(Duration.ofHours(1)))
                .build())),
        DemoScenario.of("crl-unreachable",
            "A server whose certificate names a CRL distribution point that answers 404 Not Found: Exchange"
                + " cannot check revocation and will not trust the certificate. Checked with the strict-receiver"
                + " profile (--profile strict), so CRL_UNAVAILABLE is an ERROR here; under the default profile it"
                + " is a WARNING.",
            SmtpBehaviour::healthy, CRL_UNAVAILABLE)
            .withCrl(DemoScenario.CrlSetup.notFound("/unreachable/intermediate.crl", CheckProfile.STRICT_RECEIVER)));
  }

  /** {@code mx.demo.test} to {@code demo.test}. */
  private static String parentOf(String fqdn) {
    int dot = fqdn.indexOf('.');
    return dot < 0 ? fqdn : fqdn.substring(dot + 1);
  }
}
