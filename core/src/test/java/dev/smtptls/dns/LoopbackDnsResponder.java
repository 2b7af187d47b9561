package dev.smtptls.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;

/**
 * A tiny DNS responder on 127.0.0.1 (UDP, and TCP on the same port) for the dnsjava resolver's
 * tests: a function from the query and the transport ("udp"/"tcp") to the response.
 */
final class LoopbackDnsResponder implements AutoCloseable {
  private final DatagramSocket udp;
  private final ServerSocket tcp;
  private final BiFunction<Message, String, Message> answer;
  final List<String> seen = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new ArrayList<>();

  LoopbackDnsResponder(BiFunction<Message, String, Message> answer) throws IOException {
    this.answer = answer;
    InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    udp = new DatagramSocket(new InetSocketAddress(loopback, 0));
    tcp = new ServerSocket();
    tcp.bind(new InetSocketAddress(loopback, udp.getLocalPort()));
    start(this::serveUdp, "udp");
    start(this::serveTcp, "tcp");
  }

  private void start(Runnable r, String name) {
    Thread t = new Thread(r, "loopback-dns-" + name);
    t.setDaemon(true);
    t.start();
    threads.add(t);
  }

  InetSocketAddress address() {
    return (InetSocketAddress) udp.getLocalSocketAddress();
  }

  private void serveUdp() {
    byte[] buf = new byte[4096];
    while (!udp.isClosed()) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        udp.receive(p);
        Message q = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
        seen.add("udp " + q.getQuestion().getName() + " edns=" + (q.getOPT() != null));
        byte[] out = answer.apply(q, "udp").toWire();
        udp.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
      } catch (SocketException closed) {
        return;
      } catch (IOException e) {
        // ignore a bad packet
      }
    }
  }

  private void serveTcp() {
    while (!tcp.isClosed()) {
      try (Socket s = tcp.accept()) {
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] query = new byte[in.readUnsignedShort()];
        in.readFully(query);
        Message q = new Message(query);
        seen.add("tcp " + q.getQuestion().getName());
        byte[] out = answer.apply(q, "tcp").toWire();
        DataOutputStream o = new DataOutputStream(s.getOutputStream());
        o.writeShort(out.length);
        o.write(out);
        o.flush();
      } catch (SocketException closed) {
        return;
      } catch (IOException e) {
        // next connection
      }
    }
  }

  /** {@return a response to {@code q} with its id, question and RD, and {@code rcode}} */
  static Message reply(Message q, int rcode) {
    Message r = new Message(q.getHeader().getID());
    r.getHeader().setFlag(Flags.QR);
    r.getHeader().setFlag(Flags.RD);
    r.getHeader().setFlag(Flags.RA);
    r.getHeader().setRcode(rcode);
    r.addRecord(q.getQuestion(), org.xbill.DNS.Section.QUESTION);
    return r;
  }

  @Override
  public void close() throws IOException {
    udp.close();
    tcp.close();
  }
}
