package dev.smtptls.connector;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * One thing a mail administrator can do about a finding: what to change and why, in words, and
 * when there is one, the exact command or configuration line.
 *
 * <p>A {@code command} is a real cmdlet or configuration line as its product documents it (the
 * Exchange Management Shell, Postfix {@code main.cf} through {@code postconf -e}, a Cisco ASA
 * configuration block). Values the library cannot know are written as placeholders in angle
 * brackets, e.g. {@code <SHA-1 thumbprint>}; a command of several lines is run in order.
 *
 * @param text what to do and why, for a person
 * @param command the command or configuration to apply, or null when the fix is not a command
 */
public record Remediation(String text, @Nullable String command) {

  /**
   * Validates.
   *
   * @throws NullPointerException if {@code text} is null
   * @throws IllegalArgumentException if {@code text} is blank, or {@code command} is given but blank
   */
  public Remediation {
    requireNonNull(text, "text");
    if (text.isBlank()) {
      throw new IllegalArgumentException("text is blank");
    }
    if (command != null && command.isBlank()) {
      throw new IllegalArgumentException("command is blank (use null for no command)");
    }
  }

  /**
   * A remediation that is advice only.
   *
   * @param text what to do
   * @return the remediation, without a command
   * @throws IllegalArgumentException if {@code text} is blank
   */
  public static Remediation advice(String text) {
    return new Remediation(text, null);
  }
}
