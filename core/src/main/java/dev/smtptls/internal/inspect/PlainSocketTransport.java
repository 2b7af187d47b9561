package dev.smtptls.internal.inspect;

import dev.smtptls.spi.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Plain TCP. TCP_NODELAY so that a command is not held back by Nagle behind the last segment. */
public final class PlainSocketTransport implements Transport {
  /** The one instance. */
  public static final PlainSocketTransport INSTANCE = new PlainSocketTransport();

  private PlainSocketTransport() {}

  @Override
  public Socket connect(InetSocketAddress address, Duration timeout) throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(address, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
      return socket;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  @Override
  public String name() {
    return "plain";
  }
}
