package dev.smtptls.cert;

import java.io.IOException;

/**
 * A file that should hold certificates does not: not PEM, not DER, a private key, empty, or a
 * PEM block whose base64 is broken. The message names the file and the line.
 */
public final class CertificateFileException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final int line;

  /**
   * Creates the exception.
   *
   * @param source the file or other source, as the user named it
   * @param line the 1-based line where the problem is, or 0 when it concerns the whole source
   * @param problem what is wrong
   */
  public CertificateFileException(String source, int line, String problem) {
    super(source + (line > 0 ? ":" + line : "") + ": " + problem);
    this.source = source;
    this.line = line;
  }

  /** {@return the source as the user named it} */
  public String source() {
    return source;
  }

  /** {@return the 1-based line of the problem, or 0} */
  public int line() {
    return line;
  }
}
