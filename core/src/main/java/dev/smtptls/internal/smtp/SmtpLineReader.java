package dev.smtptls.internal.smtp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Reads CRLF (or bare LF) terminated lines from a peer with a hard bound on line length: memory
 * is one fixed buffer whatever the peer sends. Not thread-safe; one per connection.
 */
public final class SmtpLineReader {

  /** Called before every read from the stream: sets the read timeout, checks deadline and interrupt. */
  @FunctionalInterface
  public interface ReadGuard {
    /**
     * Prepares the next blocking read.
     *
     * @throws IOException to abandon the read (deadline passed, interrupted)
     */
    void beforeRead() throws IOException;
  }

  /** The longest line accepted, in octets, without its line ending. */
  public static final int DEFAULT_MAX_LINE = 4096;

  private InputStream in;
  private final int maxLine;
  private final ReadGuard guard;
  private final byte[] buf;
  private int pos;
  private int limit;

  /**
   * Creates a reader.
   *
   * @param in the stream
   * @param maxLine the longest line in octets
   * @param guard called before each blocking read
   */
  public SmtpLineReader(InputStream in, int maxLine, ReadGuard guard) {
    this.in = in;
    this.maxLine = maxLine;
    this.guard = guard;
    this.buf = new byte[Math.max(8192, maxLine + 2)];
  }

  /**
   * Switches to another stream (after a TLS upgrade). Octets still buffered from the old stream
   * are discarded and their count returned: a server must not send anything after its {@code 220}
   * to STARTTLS (RFC 3207 §4.2 and the command-injection attacks of CVE-2011-0411).
   *
   * @param next the new stream
   * @return octets that were buffered and are now dropped
   */
  public int switchTo(InputStream next) {
    int dropped = limit - pos;
    pos = 0;
    limit = 0;
    this.in = next;
    return dropped;
  }

  /** {@return octets received but not yet consumed} */
  public int buffered() {
    return limit - pos;
  }

  /**
   * Reads one line without its line ending.
   *
   * @return the line, or null at end of stream before any octet of a line
   * @throws SmtpProtocolException if the line exceeds the bound
   * @throws EOFException if the stream ends inside a line
   * @throws IOException on read failure or when the guard abandons the read
   */
  public @Nullable String readLine() throws IOException {
    int scanned = pos;
    while (true) {
      for (int i = scanned; i < limit; i++) {
        if (buf[i] == '\n') {
          int end = i;
          if (end > pos && buf[end - 1] == '\r') {
            end--;
          }
          if (end - pos > maxLine) {
            throw new SmtpProtocolException("a line longer than " + maxLine + " octets");
          }
          String line = new String(buf, pos, end - pos, StandardCharsets.UTF_8);
          pos = i + 1;
          return line;
        }
      }
      scanned = limit;
      if (limit - pos > maxLine + 1) {
        throw new SmtpProtocolException("a line longer than " + maxLine + " octets");
      }
      if (limit == buf.length) {
        System.arraycopy(buf, pos, buf, 0, limit - pos);
        limit -= pos;
        scanned -= pos;
        pos = 0;
      }
      guard.beforeRead();
      int n = in.read(buf, limit, buf.length - limit);
      if (n < 0) {
        if (limit == pos) {
          return null;
        }
        throw new EOFException(
            "connection closed inside a line: "
                + new String(Arrays.copyOfRange(buf, pos, Math.min(limit, pos + 80)), StandardCharsets.UTF_8));
      }
      limit += n;
    }
  }
}
