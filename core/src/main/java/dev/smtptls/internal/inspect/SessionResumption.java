package dev.smtptls.internal.inspect;

import dev.smtptls.inspect.SmtpTarget;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The one client TLS context an inspector's probes share when it resumes sessions: the JSSE keeps
 * its client sessions (and TLS 1.3 tickets) per {@link SSLContext}, so a later probe to the same
 * server can resume a session an earlier one established. Bounded: at most {@code maxSessions}
 * sessions, each resumable for {@code lifetime} after its full handshake (a resumed TLS 1.3
 * session keeps its first creation time, so the bound holds across resumptions). Thread-safe: the
 * JSSE's session cache is, and the trust manager files chains per socket.
 *
 * <p>The JSSE files a client session under the peer host handed to {@code createSocket} and the
 * port the underlying socket is connected to, and offers it to any later socket with the same
 * pair, whatever the SNI name (it would resume a session of {@code mx1.example.org} for {@code
 * mx2.example.org} at the same address and port, and the probe would report the first one's
 * chain). Through a tunnelling transport every socket has the tunnel's port. So the host handed
 * over here is the {@linkplain #sessionKey key} of all that decides the chain a server presents:
 * the target's host name (the SNI name), the address it is connected at, and its port. The key is
 * not a valid host name, so the JSSE derives no SNI from it; the probe sets SNI itself.
 */
public final class SessionResumption {

  /** Sessions kept by default. */
  public static final int DEFAULT_MAX_SESSIONS = 10_000;

  /** How long a session may be resumed after its full handshake, by default. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final CapturingTrustManager trustManager = new CapturingTrustManager();
  private final SSLSocketFactory factory;

  /**
   * A shared context with its session cache bounded.
   *
   * @param maxSessions at least 1
   * @param lifetime at least one second, at most {@link Integer#MAX_VALUE} seconds; whole seconds
   *     count (the JSSE's unit)
   * @throws IllegalArgumentException if a bound is out of range
   * @throws IllegalStateException if the JDK has no usable TLS context
   */
  public SessionResumption(int maxSessions, Duration lifetime) {
    checkBounds(maxSessions, lifetime);
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {trustManager}, RANDOM);
      SSLSessionContext sessions = ctx.getClientSessionContext();
      sessions.setSessionCacheSize(maxSessions);
      sessions.setSessionTimeout((int) lifetime.getSeconds());
      this.factory = ctx.getSocketFactory();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no usable TLS context", e);
    }
  }

  /**
   * Checks the bounds of a session cache.
   *
   * @param maxSessions at least 1
   * @param lifetime one second to {@link Integer#MAX_VALUE} seconds
   * @throws IllegalArgumentException naming the bound out of range
   */
  public static void checkBounds(int maxSessions, Duration lifetime) {
    if (maxSessions < 1) {
      throw new IllegalArgumentException("maxSessions must be at least 1: " + maxSessions);
    }
    if (lifetime.getSeconds() < 1 || lifetime.getSeconds() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("session lifetime must be 1 s to " + Integer.MAX_VALUE + " s: " + lifetime);
    }
  }

  CapturingTrustManager trustManager() {
    return trustManager;
  }

  /**
   * Layers TLS over a connected socket, filed under the session key of the target and address.
   *
   * @param connected the plain socket, closed with the TLS one
   * @param target the target (host name for the key; its port)
   * @param address the address connected to
   * @return the client socket, handshake not yet started
   * @throws IOException if the socket cannot be layered
   */
  SSLSocket layer(Socket connected, SmtpTarget target, InetSocketAddress address) throws IOException {
    return (SSLSocket) factory.createSocket(connected, sessionKey(target, address), target.port(), true);
  }

  /**
   * The peer "host" sessions are filed under: {@code host/address:port}, e.g. {@code
   * mx1.example.org/192.0.2.1:25} or {@code mx1.example.org/[2001:db8::1]:25}.
   *
   * @param target the target
   * @param address the address connected to
   * @return the key
   */
  static String sessionKey(SmtpTarget target, InetSocketAddress address) {
    String ip = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
    return target.host() + "/" + (address.getAddress() instanceof Inet6Address ? "[" + ip + "]" : ip)
        + ":" + target.port();
  }
}
