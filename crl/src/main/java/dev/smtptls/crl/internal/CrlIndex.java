package dev.smtptls.crl.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.security.cert.CRLReason;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.jspecify.annotations.Nullable;

/**
 * The revoked entries of one CRL, sorted once and searched by binary search, as fixed-size
 * records in one {@code byte[]}: the serial number as a fixed-width, sign-extended big-endian
 * two's complement key (so byte order is numeric order), the revocation time as 8 bytes of epoch
 * milliseconds, the reason code as a byte (-1 when absent); for indirect CRLs an {@code int[]}
 * beside it indexes a table of certificate issuers. {@code width + 9} bytes an entry (plus 4 for
 * indirect CRLs), no object per entry, and a hit reads the time and reason from the cache line of
 * its key.
 *
 * <p>A lookup first searches a small fence array (8 key bytes, after the prefix all keys share,
 * of every 32nd entry: 250 KiB for a million entries, so it stays in cache), then the one or
 * two blocks of 32 keys it points to: a few cache misses instead of the twenty of a plain binary
 * search over tens of megabytes.
 *
 * <p>Immutable once built; thread-safe.
 */
final class CrlIndex {

  /** Longest serial number, in DER content octets, accepted; RFC 5280 allows 20 (21 with a sign octet). */
  static final int MAX_SERIAL_OCTETS = 32;

  private static final CRLReason[] REASONS = CRLReason.values();
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final int size;
  private final int width;
  private final int recordSize;
  private final byte[] records;
  private final int @Nullable [] issuers;
  private final X500Principal[] issuerTable;
  /** Length of the prefix all keys share. */
  private final int lcp;
  /** Unsigned-comparable 8 key bytes after {@link #lcp} of every {@code 1 << FENCE_SHIFT}th key. */
  private final long[] fence;

  private static final int FENCE_SHIFT = 5;

  private CrlIndex(
      int size,
      int width,
      byte[] records,
      int @Nullable [] issuers,
      X500Principal[] issuerTable) {
    this.size = size;
    this.width = width;
    this.recordSize = width + 9;
    this.records = records;
    this.issuers = issuers;
    this.issuerTable = issuerTable;
    int common = 0;
    if (size > 0) {
      int last = (size - 1) * recordSize;
      int m = Arrays.mismatch(records, 0, width, records, last, last + width);
      common = m < 0 ? width : m;
    }
    this.lcp = common;
    long[] f = new long[(size + (1 << FENCE_SHIFT) - 1) >>> FENCE_SHIFT];
    for (int i = 0; i < f.length; i++) {
      f[i] = prefix(records, (i << FENCE_SHIFT) * recordSize);
    }
    this.fence = f;
  }

  /** The 8 key bytes after the common prefix of the key at {@code base}, unsigned-comparable. */
  private long prefix(byte[] k, int base) {
    long p = 0;
    for (int j = lcp; j < lcp + 8; j++) {
      p = (p << 8) | (j < width ? k[base + j] & 0xff : 0);
    }
    return lcp == 0 ? p ^ Long.MIN_VALUE : p;
  }

  /** Collects entries in CRL order while parsing, then sorts them into a {@link CrlIndex}. */
  static final class Builder {
    private final byte[] buf;
    private int n;
    private int maxLen = 1;
    private int[] serialOff;
    private byte[] serialLen;
    private long[] times;
    private byte[] reasonCodes;
    private int @Nullable [] issuerIdx;

    /**
     * @param buf the DER encoding the serial offsets point into
     * @param expected a guess of the number of entries
     */
    Builder(byte[] buf, int expected) {
      this.buf = buf;
      int cap = Math.max(16, expected);
      serialOff = new int[cap];
      serialLen = new byte[cap];
      times = new long[cap];
      reasonCodes = new byte[cap];
    }

    /** Adds an entry whose serial's DER content octets are {@code buf[off, off + len)}. */
    void add(int off, int len, long millis, int reason, int issuer) {
      if (n == serialOff.length) {
        int cap = n + (n >> 1) + 16;
        serialOff = Arrays.copyOf(serialOff, cap);
        serialLen = Arrays.copyOf(serialLen, cap);
        times = Arrays.copyOf(times, cap);
        reasonCodes = Arrays.copyOf(reasonCodes, cap);
        if (issuerIdx != null) {
          issuerIdx = Arrays.copyOf(issuerIdx, cap);
        }
      }
      if (issuer != 0 && issuerIdx == null) {
        issuerIdx = new int[serialOff.length];
      }
      serialOff[n] = off;
      serialLen[n] = (byte) len;
      times[n] = millis;
      reasonCodes[n] = (byte) reason;
      int[] iss = issuerIdx;
      if (iss != null) {
        iss[n] = issuer;
      }
      if (len > maxLen) {
        maxLen = len;
      }
      n++;
    }

    /** Sorts the entries by serial (and issuer) and builds the index. */
    CrlIndex build(X500Principal[] issuerTable) throws CrlFormatException {
      int w = maxLen;
      int rs = w + 9;
      if ((long) n * rs > Integer.MAX_VALUE - 16) {
        throw new CrlFormatException(n + " revoked entries are too many to index", -1);
      }
      int ib = Math.max(1, 32 - Integer.numberOfLeadingZeros(Math.max(1, n - 1)));
      long[] order = null;
      if (!sorted()) {
        order = new long[n];
        for (int i = 0; i < n; i++) {
          order[i] = i;
        }
        sortRange(order, 0, n, 0, w, ib);
      }
      long mask = (1L << ib) - 1;
      byte[] rec = new byte[n * rs];
      int[] srcIss = issuerIdx;
      int[] iss = srcIss == null ? null : new int[n];
      for (int k = 0; k < n; k++) {
        int i = order == null ? k : (int) (order[k] & mask);
        int len = serialLen[i];
        int pad = w - len;
        int base = k * rs;
        if (pad > 0 && buf[serialOff[i]] < 0) {
          Arrays.fill(rec, base, base + pad, (byte) -1);
        }
        System.arraycopy(buf, serialOff[i], rec, base + pad, len);
        LONG.set(rec, base + w, times[i]);
        rec[base + w + 8] = reasonCodes[i];
        if (iss != null && srcIss != null) {
          iss[k] = srcIss[i];
        }
      }
      return new CrlIndex(n, w, rec, iss, issuerTable);
    }

    /** Key byte {@code j} of entry {@code i}, made unsigned-comparable (sign bit flipped at j = 0). */
    private int keyByte(int i, int j, int w) {
      if (j >= w) {
        return 0;
      }
      int len = serialLen[i];
      int pad = w - len;
      int off = serialOff[i];
      int b;
      if (j < pad) {
        b = buf[off] < 0 ? 0xff : 0;
      } else {
        b = buf[off + j - pad] & 0xff;
      }
      return j == 0 ? b ^ 0x80 : b;
    }

    /** Numeric order of two entries' minimal two's complement serials, then issuer index. */
    private int compare(int a, int b) {
      int la = serialLen[a];
      int lb = serialLen[b];
      int oa = serialOff[a];
      int ob = serialOff[b];
      boolean na = buf[oa] < 0;
      boolean nb = buf[ob] < 0;
      if (na != nb) {
        return na ? -1 : 1;
      }
      if (la != lb) {
        // same sign, minimal encodings: the longer has the larger magnitude
        return (la < lb) != na ? -1 : 1;
      }
      int c = Byte.compare(buf[oa], buf[ob]);
      if (c == 0 && la > 1) {
        c = Arrays.compareUnsigned(buf, oa + 1, oa + la, buf, ob + 1, ob + lb);
      }
      if (c != 0) {
        return c;
      }
      int[] iss = issuerIdx;
      return iss == null ? 0 : Integer.compare(iss[a], iss[b]);
    }

    private boolean sorted() {
      for (int i = 1; i < n; i++) {
        if (compare(i - 1, i) > 0) {
          return false;
        }
      }
      return true;
    }

    /**
     * Sorts {@code order[from, to)} (each {@code prefix << ib | index}) by key bytes from
     * {@code depth} on: a primitive sort on the next few key bytes packed above the index,
     * recursing into runs whose packed bytes tie (an MSD radix sort with wide digits).
     */
    private void sortRange(long[] order, int from, int to, int depth, int w, int ib) {
      long mask = (1L << ib) - 1;
      if (depth >= w) {
        int[] iss = issuerIdx;
        if (iss == null) {
          return;
        }
        for (int k = from; k < to; k++) {
          int i = (int) (order[k] & mask);
          order[k] = ((long) iss[i] << ib) | i;
        }
        Arrays.sort(order, from, to);
        return;
      }
      int pb = (63 - ib) / 8;
      for (int k = from; k < to; k++) {
        int i = (int) (order[k] & mask);
        long p = 0;
        for (int j = 0; j < pb; j++) {
          p = (p << 8) | keyByte(i, depth + j, w);
        }
        order[k] = (p << ib) | i;
      }
      Arrays.sort(order, from, to);
      int runStart = from;
      for (int k = from + 1; k <= to; k++) {
        if (k == to || (order[k] >>> ib) != (order[runStart] >>> ib)) {
          if (k - runStart > 1) {
            sortRange(order, runStart, k, depth + pb, w, ib);
          }
          runStart = k;
        }
      }
    }
  }

  int size() {
    return size;
  }

  /** Bytes held by the index's arrays (an estimate of its retained size, headers left out). */
  long retainedBytes() {
    int[] iss = issuers;
    return (long) records.length + (iss == null ? 0 : 4L * iss.length)
        + 8L * fence.length;
  }

  /** The entry for {@code serial} whose certificate issuer is {@code issuer} (an index into the table). */
  Optional<RevokedEntry> lookup(BigInteger serial, int issuer) {
    byte[] v = serial.toByteArray();
    int w = width;
    if (v.length > w || size == 0) {
      return Optional.empty();
    }
    byte[] q;
    if (v.length == w) {
      q = v;
    } else {
      q = new byte[w];
      int pad = w - v.length;
      if (v[0] < 0) {
        Arrays.fill(q, 0, pad, (byte) -1);
      }
      System.arraycopy(v, 0, q, pad, v.length);
    }
    if (lcp > 0 && Arrays.mismatch(records, 0, lcp, q, 0, lcp) >= 0) {
      return Optional.empty();
    }
    long qp = prefix(q, 0);
    long[] fc = fence;
    // first fence >= qp, then first fence > qp: the answer lies from the block before the first
    // to the start of the second.
    int a = 0;
    int b = fc.length;
    while (a < b) {
      int mid = (a + b) >>> 1;
      if (Long.compareUnsigned(fc[mid], qp) < 0) {
        a = mid + 1;
      } else {
        b = mid;
      }
    }
    int lo = Math.max(0, a - 1) << FENCE_SHIFT;
    b = fc.length;
    while (a < b) {
      int mid = (a + b) >>> 1;
      if (Long.compareUnsigned(fc[mid], qp) <= 0) {
        a = mid + 1;
      } else {
        b = mid;
      }
    }
    int hi = Math.min(size, a << FENCE_SHIFT);
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (compareAt(mid, q) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    int[] iss = issuers;
    for (int k = lo; k < size && compareAt(k, q) == 0; k++) {
      int entryIssuer = iss == null ? 0 : iss[k];
      if (entryIssuer == issuer) {
        return Optional.of(entry(k, serial));
      }
      if (entryIssuer > issuer) {
        break;
      }
    }
    return Optional.empty();
  }

  private int compareAt(int k, byte[] q) {
    int base = k * recordSize;
    int m = Arrays.mismatch(records, base, base + width, q, 0, width);
    if (m < 0) {
      return 0;
    }
    return m == 0 ? Byte.compare(records[base], q[0]) : Integer.compare(records[base + m] & 0xff, q[m] & 0xff);
  }

  private RevokedEntry entry(int k, BigInteger serial) {
    int base = k * recordSize + width;
    int code = records[base + 8];
    CRLReason reason = code < 0 ? null : code < REASONS.length ? REASONS[code] : CRLReason.UNSPECIFIED;
    int[] iss = issuers;
    return new RevokedEntry(
        serial, Instant.ofEpochMilli((long) LONG.get(records, base)), reason, issuerTable[iss == null ? 0 : iss[k]]);
  }
}
