package dev.smtptls.examples.cli;

import java.time.Duration;

/** Durations as a person writes them: {@code 300ms}, {@code 10s}, {@code 2m}. */
final class DurationText {
  private DurationText() {}

  static String of(Duration d) {
    long ms = d.toMillis();
    if (ms % 60_000 == 0 && ms >= 60_000) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
