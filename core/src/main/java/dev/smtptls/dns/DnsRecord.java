package dev.smtptls.dns;

import static java.util.Objects.requireNonNull;

import dev.smtptls.internal.dns.RecordData;
import java.net.InetAddress;

/**
 * One resource record of an answer, in presentation form.
 *
 * <p>The typed accessors read {@link #data()}: {@link #preference()} and {@link #exchange()} for
 * MX, {@link #target()} for CNAME and PTR, {@link #address()} for A and AAAA. Construction checks
 * that the data of those types has the form the accessors read, so a resolver cannot hand over a
 * record they would fail on.
 *
 * @param name the owner name, absolute, e.g. {@code "example.org."}
 * @param type the record type
 * @param ttl the time to live in seconds (0 to 2<sup>32</sup>-1)
 * @param data the RDATA in presentation form, e.g. {@code "10 mx.example.org."} for MX, {@code
 *     "192.0.2.1"} for A, the quoted strings of a TXT record
 */
public record DnsRecord(String name, DnsType type, long ttl, String data) {

  /** Checks the fields; see the class description. */
  public DnsRecord {
    requireNonNull(name, "name");
    requireNonNull(type, "type");
    requireNonNull(data, "data");
    if (ttl < 0 || ttl > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("ttl out of range: " + ttl);
    }
    switch (type) {
      case A, AAAA -> RecordData.addressBytes(type == DnsType.A, data);
      case MX -> RecordData.mx(data);
      case CNAME, PTR -> RecordData.name(data);
      default -> {
        // free-form data
      }
    }
  }

  /**
   * {@return the MX preference (0 to 65535)}
   *
   * @throws IllegalStateException if this is not an MX record
   */
  public int preference() {
    require(DnsType.MX);
    return RecordData.mx(data).preference();
  }

  /**
   * {@return the MX exchange as written, absolute with its trailing dot; {@code "."} for a null MX}
   *
   * @throws IllegalStateException if this is not an MX record
   */
  public String exchange() {
    require(DnsType.MX);
    return RecordData.mx(data).exchange();
  }

  /**
   * {@return the name a CNAME or PTR record points to}
   *
   * @throws IllegalStateException if this is neither a CNAME nor a PTR record
   */
  public String target() {
    if (type != DnsType.CNAME && type != DnsType.PTR) {
      throw new IllegalStateException("not a CNAME or PTR record: " + type);
    }
    return RecordData.name(data);
  }

  /**
   * {@return the address of an A or AAAA record, built from its bytes (never a lookup)}
   *
   * @throws IllegalStateException if this is neither an A nor an AAAA record
   */
  public InetAddress address() {
    if (type != DnsType.A && type != DnsType.AAAA) {
      throw new IllegalStateException("not an A or AAAA record: " + type);
    }
    return RecordData.address(type == DnsType.A, data);
  }

  private void require(DnsType expected) {
    if (type != expected) {
      throw new IllegalStateException("not an " + expected + " record: " + type);
    }
  }
}
