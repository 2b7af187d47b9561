package dev.smtptls.spi;

import dev.smtptls.internal.inspect.PlainSocketTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * How bytes reach an SMTP server. The default connects a plain TCP socket (IPv4 or IPv6); a SOCKS
 * proxy or a test transport can replace it. Implementations are found with {@link
 * java.util.ServiceLoader} when a builder is not given one explicitly.
 *
 * <p>The host name of the target is kept by the caller for SNI and name checks: a transport only
 * moves bytes to an address.
 */
public interface Transport {

  /**
   * Opens a connected socket to {@code address}.
   *
   * @param address where to connect (an IP address and port; never resolved by the transport)
   * @param timeout the longest the connect may take
   * @return a connected socket; the caller owns and closes it
   * @throws IOException if the connection fails or times out ({@link
   *     java.net.SocketTimeoutException})
   */
  Socket connect(InetSocketAddress address, Duration timeout) throws IOException;

  /** {@return a short name for reports and logs, e.g. {@code "plain"}} */
  String name();

  /** {@return the default transport: plain TCP sockets with TCP_NODELAY} */
  static Transport plainSockets() {
    return PlainSocketTransport.INSTANCE;
  }
}
