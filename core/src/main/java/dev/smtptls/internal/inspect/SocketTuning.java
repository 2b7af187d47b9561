package dev.smtptls.internal.inspect;

import java.io.IOException;
import java.net.Socket;
import jdk.net.ExtendedSocketOptions;

/**
 * TCP_QUICKACK where the platform has it (Linux). Without it Linux delays the ACK of the
 * server's TLS 1.3 session tickets by up to 40 ms, and a server with Nagle on (Postfix) holds
 * its EHLO reply until that ACK arrives: one extra round trip per probe. The option is cleared
 * by the kernel after reads, so it is set again before each read.
 */
final class SocketTuning {
  private boolean unsupported;

  void quickAck(Socket s) {
    if (unsupported) {
      return;
    }
    try {
      if (!s.supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK)) {
        unsupported = true;
        return;
      }
      s.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
    } catch (IOException | UnsupportedOperationException e) {
      unsupported = true;
    }
  }
}
