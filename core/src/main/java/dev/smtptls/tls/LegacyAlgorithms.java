package dev.smtptls.tls;

import java.security.Security;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An explicit, process-wide opt-in that lets the JSSE offer TLS 1.0 and 1.1 and the RC4, DES,
 * 3DES, anonymous, NULL and static-ECDH suites, so that the enumeration can learn whether a
 * server accepts them.
 *
 * <p>The JSSE has no per-connection switch for these: they are refused by the security property
 * {@code jdk.tls.disabledAlgorithms}, which the JSSE reads once, when TLS is first used in the
 * JVM. {@link #enableProcessWide()} edits that property, so it affects <em>every</em> TLS
 * connection the process makes afterwards (HTTPS clients included) and works only when called
 * before the first one. Call it at the start of a scanning tool's {@code main}, never in a
 * library or a server. Nothing in smtptls calls it unless asked ({@code smtptls tls
 * --legacy-algorithms}).
 */
public final class LegacyAlgorithms {

  /** The entries removed from {@code jdk.tls.disabledAlgorithms}. SSLv3 stays disabled. */
  static final Set<String> REMOVED =
      Set.of("TLSV1", "TLSV1.1", "RC4", "DES", "3DES_EDE_CBC", "ANON", "NULL", "ECDH");

  private LegacyAlgorithms() {}

  /**
   * Removes TLS 1.0, TLS 1.1, RC4, DES, 3DES, anon, NULL and ECDH from the JVM's {@code
   * jdk.tls.disabledAlgorithms} security property, process-wide.
   *
   * @return whether the JSSE now offers TLS 1.0: false when TLS was already used in this JVM
   *     before the call (the JSSE keeps the constraints it read then)
   */
  public static boolean enableProcessWide() {
    String current = Security.getProperty("jdk.tls.disabledAlgorithms");
    if (current != null) {
      String kept = Arrays.stream(current.split(","))
          .map(String::trim)
          .filter(e -> !e.isEmpty() && !REMOVED.contains(e.toUpperCase(Locale.ROOT)))
          .collect(Collectors.joining(", "));
      Security.setProperty("jdk.tls.disabledAlgorithms", kept);
    }
    return enabled();
  }

  /** {@return whether the JSSE of this JVM can offer TLS 1.0 (the legacy algorithms are enabled)} */
  public static boolean enabled() {
    Jsse jsse = new Jsse();
    return jsse.offerable(TlsVersion.TLS_1_0, jsse.supportedCipherSuites(), null) == null;
  }
}
