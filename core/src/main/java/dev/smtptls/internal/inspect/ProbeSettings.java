package dev.smtptls.internal.inspect;

import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.spi.Transport;
import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The validated settings of an inspector.
 *
 * @param ehloName the EHLO name, or null for the local address literal
 * @param stepTimeout per step
 * @param deadline whole probe
 * @param transport how to connect
 * @param plaintextCheck send MAIL FROM before STARTTLS
 * @param attemptStartTlsWhenNotAdvertised send STARTTLS even when not offered
 * @param ehloAfterTls send EHLO again over TLS
 * @param quitReplyWait how long to wait for QUIT's reply
 * @param clock for the start instant
 * @param certificateChecker checks the captured chain, or null
 * @param sessionResumption the TLS context shared by the inspector's probes so that they resume
 *     sessions, or null for a fresh context (a full handshake) per probe
 */
public record ProbeSettings(
    @Nullable String ehloName,
    Duration stepTimeout,
    Duration deadline,
    Transport transport,
    boolean plaintextCheck,
    boolean attemptStartTlsWhenNotAdvertised,
    boolean ehloAfterTls,
    Duration quitReplyWait,
    Clock clock,
    @Nullable CertificateChecker certificateChecker,
    @Nullable SessionResumption sessionResumption) {

  /**
   * Settings without session resumption: every probe makes a full handshake.
   *
   * @param ehloName the EHLO name, or null for the local address literal
   * @param stepTimeout per step
   * @param deadline whole probe
   * @param transport how to connect
   * @param plaintextCheck send MAIL FROM before STARTTLS
   * @param attemptStartTlsWhenNotAdvertised send STARTTLS even when not offered
   * @param ehloAfterTls send EHLO again over TLS
   * @param quitReplyWait how long to wait for QUIT's reply
   * @param clock for the start instant
   * @param certificateChecker checks the captured chain, or null
   */
  public ProbeSettings(
      @Nullable String ehloName,
      Duration stepTimeout,
      Duration deadline,
      Transport transport,
      boolean plaintextCheck,
      boolean attemptStartTlsWhenNotAdvertised,
      boolean ehloAfterTls,
      Duration quitReplyWait,
      Clock clock,
      @Nullable CertificateChecker certificateChecker) {
    this(ehloName, stepTimeout, deadline, transport, plaintextCheck, attemptStartTlsWhenNotAdvertised, ehloAfterTls,
        quitReplyWait, clock, certificateChecker, null);
  }
}
