package dev.smtptls.crl.internal;

/**
 * RFC 5280 §4.1.2.5 times, read without allocating: {@code UTCTime} as {@code YYMMDDHHMMSSZ}
 * (years 50–99 are 19xx, 00–49 are 20xx) and {@code GeneralizedTime} as {@code YYYYMMDDHHMMSSZ}.
 * Fractional seconds in a {@code GeneralizedTime}, which RFC 5280 forbids but some issuers
 * write, are accepted down to milliseconds, as the JDK does; other forms (no seconds, local
 * time, offsets) are rejected.
 */
final class CrlTime {

  private CrlTime() {}

  /** The time the reader's last element encodes, in epoch milliseconds. */
  static long millis(DerReader r, String what) throws CrlFormatException {
    byte[] b = r.buf;
    int p = r.off;
    int len = r.end - r.off;
    int year;
    if (r.tag == DerReader.UTC_TIME) {
      if (len != 13 || b[p + 12] != 'Z') {
        throw new CrlFormatException(what + ": UTCTime must be YYMMDDHHMMSSZ", r.start);
      }
      int yy = two(b, p, r, what);
      year = yy >= 50 ? 1900 + yy : 2000 + yy;
      p += 2;
    } else if (r.tag == DerReader.GENERALIZED_TIME) {
      if (len < 15 || b[r.end - 1] != 'Z') {
        throw new CrlFormatException(what + ": GeneralizedTime must be YYYYMMDDHHMMSSZ", r.start);
      }
      year = two(b, p, r, what) * 100 + two(b, p + 2, r, what);
      p += 4;
    } else {
      throw new CrlFormatException(what + ": expected UTCTime or GeneralizedTime", r.start);
    }
    int month = two(b, p, r, what);
    int day = two(b, p + 2, r, what);
    int hour = two(b, p + 4, r, what);
    int minute = two(b, p + 6, r, what);
    int second = two(b, p + 8, r, what);
    p += 10;
    int millis = 0;
    if (r.tag == DerReader.GENERALIZED_TIME && p < r.end - 1) {
      // fraction: '.' digits+ 'Z', no trailing zeros in DER
      if (b[p] != '.' || p + 1 >= r.end - 1 || b[r.end - 2] == '0') {
        throw new CrlFormatException(what + ": GeneralizedTime must be YYYYMMDDHHMMSSZ", r.start);
      }
      int scale = 100;
      for (int i = p + 1; i < r.end - 1; i++) {
        int d = b[i] - '0';
        if (d < 0 || d > 9) {
          throw new CrlFormatException(what + ": not a digit in the time", i);
        }
        millis += d * scale;
        scale /= 10;
      }
    }
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59
        || second > 59) {
      throw new CrlFormatException(what + ": no such date or time", r.start);
    }
    long days = daysFromCivil(year, month, day);
    return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
  }

  private static int two(byte[] b, int p, DerReader r, String what) throws CrlFormatException {
    int d1 = b[p] - '0';
    int d2 = b[p + 1] - '0';
    if (d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) {
      throw new CrlFormatException(what + ": not a digit in the time", d1 < 0 || d1 > 9 ? p : p + 1);
    }
    return d1 * 10 + d2;
  }

  private static int daysInMonth(int year, int month) {
    switch (month) {
      case 2:
        return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
      case 4:
      case 6:
      case 9:
      case 11:
        return 30;
      default:
        return 31;
    }
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
  static long daysFromCivil(int year, int month, int day) {
    int y = month <= 2 ? year - 1 : year;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int mp = (month + 9) % 12;
    int doy = (153 * mp + 2) / 5 + day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097L + doe - 719468L;
  }
}
