package dev.smtptls.testkit.dns;

/**
 * An error response code {@link MockDnsServer} can be told to answer for a name, whatever records
 * the name has (RFC 1035 §4.1.1, RFC 6895).
 */
public enum Rcode {
  /** Server failure (2): what a resolver returns when it cannot get an answer. */
  SERVFAIL(2),
  /** Name error (3): the name does not exist. */
  NXDOMAIN(3),
  /** Refused (5): the server will not answer. */
  REFUSED(5);

  private final int code;

  Rcode(int code) {
    this.code = code;
  }

  /**
   * The numeric value carried in the DNS header.
   *
   * @return the RCODE value
   */
  public int code() {
    return code;
  }
}
