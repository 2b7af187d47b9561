package dev.smtptls.dns;

/** How a DNS query ended: the response code of the answer, or why there was none. */
public enum DnsStatus {
  /** The server answered (RCODE 0); the answer may still hold no record of the type asked. */
  NOERROR("the server answered"),
  /** The name does not exist (RCODE 3). */
  NXDOMAIN("the name does not exist (NXDOMAIN)"),
  /** The server could not answer (RCODE 2), e.g. an unreachable or broken zone. */
  SERVFAIL("the DNS server failed to answer (SERVFAIL)"),
  /** The server refused the query (RCODE 5). */
  REFUSED("the DNS server refused the query (REFUSED)"),
  /** No answer arrived within the timeout. */
  TIMEOUT("no answer from the DNS server within the timeout"),
  /** The query could not be sent or the answer not read (unreachable server, reset, ...). */
  NETWORK_ERROR("the DNS server could not be reached"),
  /** The query or the answer was malformed (RCODE 1, an unparseable answer or name). */
  FORMAT_ERROR("the query or its answer was malformed (FORMERR)");

  private final String description;

  DnsStatus(String description) {
    this.description = description;
  }

  /** {@return what this status means, in words a person reads} */
  public String description() {
    return description;
  }
}
