package dev.smtptls.inspect;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How long each step of a probe took; null for a step that did not complete.
 *
 * @param connect the TCP connect
 * @param greeting from connected to the complete greeting
 * @param ehlo the first EHLO (or HELO) exchange
 * @param startTls the STARTTLS command and its reply
 * @param handshake the TLS handshake
 * @param total the whole probe
 */
public record Timings(
    @Nullable Duration connect,
    @Nullable Duration greeting,
    @Nullable Duration ehlo,
    @Nullable Duration startTls,
    @Nullable Duration handshake,
    Duration total) {
  /** Validates. */
  public Timings {
    requireNonNull(total, "total");
  }
}
