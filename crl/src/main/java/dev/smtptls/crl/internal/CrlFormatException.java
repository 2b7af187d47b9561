package dev.smtptls.crl.internal;

/**
 * A CRL that cannot be read: not DER, not the RFC 5280 {@code CertificateList} structure, or
 * truncated. The message says what was wrong and at which byte offset of the DER encoding.
 */
public final class CrlFormatException extends Exception {

  private static final long serialVersionUID = 1L;

  private final int offset;

  /**
   * Creates the exception.
   *
   * @param what what was wrong, without the offset
   * @param offset the byte offset of the DER encoding where it was found, or -1 when none applies
   */
  public CrlFormatException(String what, int offset) {
    super(offset >= 0 ? what + " at byte offset " + offset : what);
    this.offset = offset;
  }

  /**
   * The byte offset in the DER encoding where the problem was found.
   *
   * @return the offset, or -1 when none applies (for example a PEM envelope without a CRL)
   */
  public int offset() {
    return offset;
  }
}
