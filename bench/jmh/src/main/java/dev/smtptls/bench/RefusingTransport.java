package dev.smtptls.bench;

import dev.smtptls.spi.Transport;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * A {@link Transport} stub that refuses every connection at once, without a system call: a probe
 * through it costs only the probe's set-up and its report ({@code CONNECT_FAILED}), so a scan
 * through it shows what the scanner itself costs per target.
 */
final class RefusingTransport implements Transport {

  /** The one instance; stateless. */
  static final RefusingTransport INSTANCE = new RefusingTransport();

  private RefusingTransport() {}

  @Override
  public Socket connect(InetSocketAddress address, Duration timeout) throws IOException {
    throw new ConnectException("Connection refused (stub)");
  }

  @Override
  public String name() {
    return "refusing-stub";
  }
}
