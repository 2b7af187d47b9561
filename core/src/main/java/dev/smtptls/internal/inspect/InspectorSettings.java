package dev.smtptls.internal.inspect;

import dev.smtptls.inspect.SmtpTlsInspector;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reads an inspector's settings from another package of this module (the capability enumeration
 * in {@code dev.smtptls.tls} probes with the inspector's timeouts, transport and EHLO name)
 * without making them public API. {@link SmtpTlsInspector} registers the reader when its class
 * initialises, which has happened before any instance can be passed here.
 */
public final class InspectorSettings {
  private static volatile @Nullable Function<SmtpTlsInspector, ProbeSettings> reader;

  private InspectorSettings() {}

  /**
   * Called once, by {@link SmtpTlsInspector}'s static initialiser.
   *
   * @param r reads an inspector's settings
   */
  public static void register(Function<SmtpTlsInspector, ProbeSettings> r) {
    reader = r;
  }

  /**
   * {@return the settings {@code inspector} probes with}
   *
   * @param inspector an inspector
   */
  public static ProbeSettings of(SmtpTlsInspector inspector) {
    Function<SmtpTlsInspector, ProbeSettings> r = reader;
    if (r == null) {
      throw new IllegalStateException("SmtpTlsInspector has not registered its settings reader");
    }
    return r.apply(inspector);
  }
}
