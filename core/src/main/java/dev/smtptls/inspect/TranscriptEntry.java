package dev.smtptls.inspect;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * One line of a probe's transcript.
 *
 * @param at time since the probe started
 * @param from who sent it: the server, the client, or a note about TLS
 * @param line the line without its line ending
 */
public record TranscriptEntry(Duration at, Source from, String line) {

  /** Who a transcript line is from. */
  public enum Source {
    /** Sent by the server. */
    SERVER,
    /** Sent by the probe. */
    CLIENT,
    /** A TLS event (handshake result, alert). */
    TLS
  }

  /** Validates. */
  public TranscriptEntry {
    requireNonNull(at, "at");
    requireNonNull(from, "from");
    requireNonNull(line, "line");
  }

  @Override
  public String toString() {
    String arrow = switch (from) {
      case SERVER -> "S:";
      case CLIENT -> "C:";
      case TLS -> "--";
    };
    return String.format("%6d ms %s %s", at.toMillis(), arrow, line);
  }
}
