package dev.smtptls.crl.internal;

import java.math.BigInteger;

/**
 * A minimal, strict DER reader over one byte array: definite lengths only, in their shortest
 * form, never past the enclosing limit. It keeps the last header it read in its fields, so that
 * walking a million CRL entries allocates nothing.
 *
 * <p>Not thread-safe; one per parse.
 */
final class DerReader {

  static final int BOOLEAN = 0x01;
  static final int INTEGER = 0x02;
  static final int BIT_STRING = 0x03;
  static final int OCTET_STRING = 0x04;
  static final int NULL = 0x05;
  static final int OID = 0x06;
  static final int ENUMERATED = 0x0a;
  static final int UTC_TIME = 0x17;
  static final int GENERALIZED_TIME = 0x18;
  static final int SEQUENCE = 0x30;
  static final int SET = 0x31;

  final byte[] buf;

  /** Tag of the last header read. */
  int tag;
  /** Offset of the last element's tag byte. */
  int start;
  /** Offset of the last element's value. */
  int off;
  /** Offset just past the last element. */
  int end;

  DerReader(byte[] buf) {
    this.buf = buf;
  }

  /**
   * Reads the header of the element at {@code pos}, which must end by {@code limit}.
   *
   * @return the offset just past the element
   */
  int next(int pos, int limit) throws CrlFormatException {
    if (pos >= limit) {
      throw new CrlFormatException("expected a DER element but the enclosing structure ends", pos);
    }
    int t = buf[pos] & 0xff;
    if ((t & 0x1f) == 0x1f) {
      throw new CrlFormatException("high-tag-number form is not used in a CRL", pos);
    }
    int p = pos + 1;
    if (p >= limit) {
      throw new CrlFormatException("truncated: no length after the tag", p);
    }
    int first = buf[p++] & 0xff;
    int len;
    if (first < 0x80) {
      len = first;
    } else if (first == 0x80) {
      throw new CrlFormatException("indefinite length is not DER", p - 1);
    } else {
      int n = first & 0x7f;
      if (n > 4) {
        throw new CrlFormatException("length of " + n + " octets is too long", p - 1);
      }
      if (p + n > limit) {
        throw new CrlFormatException("truncated: length octets run past the end", p - 1);
      }
      if (buf[p] == 0) {
        throw new CrlFormatException("length has a redundant leading zero octet, not DER", p - 1);
      }
      long l = 0;
      for (int i = 0; i < n; i++) {
        l = (l << 8) | (buf[p++] & 0xff);
      }
      if (l < 0x80) {
        throw new CrlFormatException("length in long form where the short form fits, not DER", pos + 1);
      }
      if (l > Integer.MAX_VALUE) {
        throw new CrlFormatException("length " + l + " is too large", pos + 1);
      }
      len = (int) l;
    }
    if (len > limit - p) {
      throw new CrlFormatException(
          "truncated: element of " + len + " bytes runs " + (len - (limit - p)) + " bytes past the end", pos);
    }
    this.tag = t;
    this.start = pos;
    this.off = p;
    this.end = p + len;
    return this.end;
  }

  /** Reads the element at {@code pos}, which must carry {@code expected}. */
  int expect(int expected, int pos, int limit, String what) throws CrlFormatException {
    int e = next(pos, limit);
    if (tag != expected) {
      throw new CrlFormatException(
          what + ": expected tag 0x" + Integer.toHexString(expected) + " but found 0x" + Integer.toHexString(tag), pos);
    }
    return e;
  }

  /** Whether the element at {@code pos} (before {@code limit}) starts with tag {@code t}. */
  boolean peek(int pos, int limit, int t) {
    return pos < limit && (buf[pos] & 0xff) == t;
  }

  int length() {
    return end - off;
  }

  /** Checks that the last element, an INTEGER, is minimally encoded. */
  void checkInteger(String what) throws CrlFormatException {
    int len = end - off;
    if (len == 0) {
      throw new CrlFormatException(what + ": empty INTEGER", start);
    }
    if (len > 1) {
      int b0 = buf[off];
      int b1 = buf[off + 1];
      if ((b0 == 0 && b1 >= 0) || (b0 == -1 && b1 < 0)) {
        throw new CrlFormatException(what + ": INTEGER has redundant leading octets, not DER", start);
      }
    }
  }

  /** The last element, an INTEGER, as a BigInteger. */
  BigInteger bigInteger(String what) throws CrlFormatException {
    checkInteger(what);
    return new BigInteger(buf, off, end - off);
  }

  /** The last element, a BOOLEAN. */
  boolean bool(String what) throws CrlFormatException {
    if (end - off != 1) {
      throw new CrlFormatException(what + ": BOOLEAN must be one octet", start);
    }
    int v = buf[off] & 0xff;
    if (v == 0) {
      return false;
    }
    if (v == 0xff) {
      return true;
    }
    throw new CrlFormatException(what + ": BOOLEAN octet must be 0x00 or 0xFF in DER", off);
  }

  /** The last element's value bytes. */
  byte[] value() {
    byte[] v = new byte[end - off];
    System.arraycopy(buf, off, v, 0, v.length);
    return v;
  }

  /** The last element's complete encoding, tag and length included. */
  byte[] encoding() {
    byte[] v = new byte[end - start];
    System.arraycopy(buf, start, v, 0, v.length);
    return v;
  }

  /** Whether the last element, an OID, is {@code 2.5.29.last} (id-ce). */
  boolean isIdCe(int last) {
    return end - off == 3 && buf[off] == 0x55 && buf[off + 1] == 0x1d && (buf[off + 2] & 0xff) == last;
  }

  /** The last element, an OID, in dotted form. */
  String oid() throws CrlFormatException {
    StringBuilder sb = new StringBuilder();
    long v = 0;
    boolean firstArc = true;
    int len = end - off;
    if (len == 0) {
      throw new CrlFormatException("empty OBJECT IDENTIFIER", start);
    }
    for (int i = off; i < end; i++) {
      int b = buf[i] & 0xff;
      if (v == 0 && b == 0x80) {
        throw new CrlFormatException("OBJECT IDENTIFIER arc has a redundant leading octet", i);
      }
      if (v > (Long.MAX_VALUE >>> 7)) {
        throw new CrlFormatException("OBJECT IDENTIFIER arc too large", i);
      }
      v = (v << 7) | (b & 0x7f);
      if ((b & 0x80) == 0) {
        if (firstArc) {
          int x = v < 40 ? 0 : v < 80 ? 1 : 2;
          sb.append(x).append('.').append(v - 40L * x);
          firstArc = false;
        } else {
          sb.append('.').append(v);
        }
        v = 0;
      } else if (i == end - 1) {
        throw new CrlFormatException("OBJECT IDENTIFIER ends inside an arc", i);
      }
    }
    return sb.toString();
  }
}
