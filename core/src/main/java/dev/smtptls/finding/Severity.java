package dev.smtptls.finding;

/** How much a finding matters. A profile may raise a {@link #WARNING} to {@link #ERROR}, never lower an error. */
public enum Severity {
  /** Mail will not go over TLS as intended, or a strict receiver will refuse it. */
  ERROR,
  /** Works today, but is fragile or weak and should be fixed. */
  WARNING,
  /** A fact worth knowing that is neither good nor bad by itself. */
  INFO
}
