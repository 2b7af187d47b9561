package dev.smtptls.testkit.pki;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The validity period a builder was asked for, resolved against the PKI clock at issue time. */
final class ValiditySpec {
  private static final Duration MARGIN = Duration.ofDays(1);

  private final Duration length;
  private @Nullable String setBy;
  private @Nullable Instant notBefore;
  private @Nullable Instant notAfter;
  private boolean expired;
  private boolean notYetValid;

  ValiditySpec(Duration length) {
    this.length = length;
  }

  void validity(Instant notBefore, Instant notAfter) {
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
    if (notAfter.isBefore(notBefore)) {
      throw new IllegalArgumentException(
          "notAfter " + notAfter + " is before notBefore " + notBefore);
    }
    claim("validity(notBefore, notAfter)");
    this.notBefore = Crypto.seconds(notBefore);
    this.notAfter = Crypto.seconds(notAfter);
  }

  void expired() {
    claim("expired()");
    expired = true;
  }

  void notYetValid() {
    claim("notYetValid()");
    notYetValid = true;
  }

  private void claim(String by) {
    if (setBy != null) {
      throw new IllegalStateException("validity was already set by " + setBy + "; cannot also use " + by);
    }
    setBy = by;
  }

  /** Returns {notBefore, notAfter}. */
  Instant[] resolve(Instant now) {
    if (notBefore != null && notAfter != null) {
      return new Instant[] {notBefore, notAfter};
    }
    if (expired) {
      Instant end = now.minus(MARGIN);
      return new Instant[] {end.minus(length), end};
    }
    if (notYetValid) {
      Instant start = now.plus(MARGIN);
      return new Instant[] {start, start.plus(length)};
    }
    return new Instant[] {now.minus(MARGIN), now.plus(length)};
  }
}
