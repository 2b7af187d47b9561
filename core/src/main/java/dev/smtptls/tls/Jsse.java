package dev.smtptls.tls;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;

/**
 * What the JSSE of this JVM can offer, asked of the JSSE itself: a client {@link SSLEngine} with
 * only the given version, suites and group enabled is asked to produce its ClientHello, locally.
 * When it cannot ("No appropriate protocol"), a handshake would fail before a byte was sent, so
 * the item is not testable rather than rejected by the server.
 */
final class Jsse {

  private static final @Nullable Method SET_NAMED_GROUPS = findSetNamedGroups();

  private final SSLContext context;

  /** A JSSE view over a fresh client context. */
  Jsse() {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, null, null);
      this.context = ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no usable TLS context", e);
    }
  }

  /** The suites the provider offers under the current constraints, in its order, without SCSVs. */
  List<String> supportedCipherSuites() {
    return Arrays.stream(context.getSupportedSSLParameters().getCipherSuites())
        .filter(s -> !s.endsWith("_SCSV"))
        .toList();
  }

  /** Whether the provider implements the version at all (it may still be disabled). */
  boolean implementsProtocol(TlsVersion version) {
    return Arrays.asList(context.getSupportedSSLParameters().getProtocols()).contains(version.jsseName());
  }

  /** {@return null when the JSSE can send a ClientHello with exactly these, else why not} */
  @Nullable String offerable(TlsVersion version, List<String> suites, @Nullable String group) {
    if (suites.isEmpty()) {
      return "no cipher suite to offer";
    }
    try {
      SSLEngine engine = context.createSSLEngine();
      engine.setUseClientMode(true);
      SSLParameters p = engine.getSSLParameters();
      p.setProtocols(new String[] {version.jsseName()});
      p.setCipherSuites(suites.toArray(String[]::new));
      if (group != null) {
        setNamedGroups(p, group);
      }
      engine.setSSLParameters(p);
      engine.beginHandshake();
      engine.wrap(ByteBuffer.allocate(0), ByteBuffer.allocate(engine.getSession().getPacketBufferSize()));
      return null;
    } catch (SSLException | IllegalArgumentException e) {
      return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
  }

  /** {@return whether {@code SSLParameters.setNamedGroups} exists (Java 20 and later)} */
  static boolean namedGroupsSettable() {
    return SET_NAMED_GROUPS != null;
  }

  /** Offers only {@code group}; Java 20+ only. */
  static void setNamedGroups(SSLParameters p, String group) {
    Method m = SET_NAMED_GROUPS;
    if (m == null) {
      throw new IllegalStateException("SSLParameters.setNamedGroups needs Java 20 or later");
    }
    try {
      m.invoke(p, (Object) new String[] {group});
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(cause);
    }
  }

  private static @Nullable Method findSetNamedGroups() {
    try {
      return SSLParameters.class.getMethod("setNamedGroups", String[].class);
    } catch (NoSuchMethodException e) {
      return null;
    }
  }
}
