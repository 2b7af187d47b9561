package dev.smtptls.internal.smtp;

import dev.smtptls.smtp.SmtpReply;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads one SMTP reply (RFC 5321 §4.2): lines {@code ddd-text} up to a final {@code ddd text}
 * (or a bare {@code ddd}), all with the same code. Bounded in lines and octets.
 */
public final class ReplyReader {

  /** Lines accepted in one reply. */
  public static final int MAX_LINES = 200;
  /** Octets accepted in one reply. */
  public static final int MAX_OCTETS = 64 * 1024;

  private final SmtpLineReader lines;
  private final Consumer<String> onLine;

  /**
   * Creates a reader.
   *
   * @param lines the line source
   * @param onLine told every raw line as it arrives (the transcript)
   */
  public ReplyReader(SmtpLineReader lines, Consumer<String> onLine) {
    this.lines = lines;
    this.onLine = onLine;
  }

  /**
   * Reads the next reply.
   *
   * @return the reply
   * @throws EOFException if the peer closed before a complete reply
   * @throws SmtpProtocolException if the reply is malformed or exceeds a bound
   * @throws IOException on read failure
   */
  public SmtpReply read() throws IOException {
    List<String> texts = new ArrayList<>();
    int code = -1;
    int octets = 0;
    while (true) {
      String line = lines.readLine();
      if (line == null) {
        throw new EOFException(
            texts.isEmpty() ? "connection closed" : "connection closed inside a multi-line reply");
      }
      onLine.accept(line);
      octets += line.length() + 2;
      if (octets > MAX_OCTETS) {
        throw new SmtpProtocolException("a reply larger than " + MAX_OCTETS + " octets");
      }
      if (texts.size() >= MAX_LINES) {
        throw new SmtpProtocolException("a reply of more than " + MAX_LINES + " lines");
      }
      int lineCode = parseCode(line);
      if (code < 0) {
        code = lineCode;
      } else if (code != lineCode) {
        throw new SmtpProtocolException(
            "reply code changed from " + code + " to " + lineCode + " inside one reply");
      }
      boolean last = line.length() == 3 || line.charAt(3) == ' ';
      texts.add(line.length() > 4 ? line.substring(4) : "");
      if (last) {
        return new SmtpReply(code, texts);
      }
    }
  }

  private static int parseCode(String line) throws SmtpProtocolException {
    if (line.length() < 3
        || !isDigit(line.charAt(0), '2', '5')
        || !isDigit(line.charAt(1), '0', '9')
        || !isDigit(line.charAt(2), '0', '9')
        || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
      throw new SmtpProtocolException("not an SMTP reply line: " + abbreviate(line));
    }
    return Integer.parseInt(line.substring(0, 3));
  }

  private static boolean isDigit(char c, char lo, char hi) {
    return c >= lo && c <= hi;
  }

  /**
   * Shortens a line for a message.
   *
   * @param line the line
   * @return at most 80 characters of it
   */
  public static String abbreviate(String line) {
    return line.length() <= 80 ? line : line.substring(0, 77) + "...";
  }
}
