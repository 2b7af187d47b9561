package dev.smtptls.dns;

import java.util.Locale;

/** The {@code mode} of an MTA-STS policy (RFC 8461 §5). */
public enum MtaStsMode {
  /** Senders must not deliver to an MX that fails the policy: mail queues instead. */
  ENFORCE,
  /** Senders deliver anyway and only report failures (TLS-RPT). */
  TESTING,
  /** The domain withdraws its policy; nothing is checked. */
  NONE;

  /** {@return the value as written in a policy, e.g. {@code "enforce"}} */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }
}
