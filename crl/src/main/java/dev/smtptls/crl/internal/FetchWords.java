package dev.smtptls.crl.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/** Figures and HTTP statuses in the words a failure detail uses. */
final class FetchWords {

  private static final long KIB = 1024;
  private static final long MIB = 1024 * 1024;

  private static final Map<Integer, String> REASONS =
      Map.ofEntries(
          Map.entry(300, "Multiple Choices"),
          Map.entry(301, "Moved Permanently"),
          Map.entry(302, "Found"),
          Map.entry(303, "See Other"),
          Map.entry(304, "Not Modified"),
          Map.entry(305, "Use Proxy"),
          Map.entry(307, "Temporary Redirect"),
          Map.entry(308, "Permanent Redirect"),
          Map.entry(400, "Bad Request"),
          Map.entry(401, "Unauthorized"),
          Map.entry(402, "Payment Required"),
          Map.entry(403, "Forbidden"),
          Map.entry(404, "Not Found"),
          Map.entry(405, "Method Not Allowed"),
          Map.entry(406, "Not Acceptable"),
          Map.entry(407, "Proxy Authentication Required"),
          Map.entry(408, "Request Timeout"),
          Map.entry(409, "Conflict"),
          Map.entry(410, "Gone"),
          Map.entry(411, "Length Required"),
          Map.entry(412, "Precondition Failed"),
          Map.entry(413, "Content Too Large"),
          Map.entry(414, "URI Too Long"),
          Map.entry(415, "Unsupported Media Type"),
          Map.entry(416, "Range Not Satisfiable"),
          Map.entry(417, "Expectation Failed"),
          Map.entry(421, "Misdirected Request"),
          Map.entry(426, "Upgrade Required"),
          Map.entry(429, "Too Many Requests"),
          Map.entry(451, "Unavailable For Legal Reasons"),
          Map.entry(500, "Internal Server Error"),
          Map.entry(501, "Not Implemented"),
          Map.entry(502, "Bad Gateway"),
          Map.entry(503, "Service Unavailable"),
          Map.entry(504, "Gateway Timeout"),
          Map.entry(505, "HTTP Version Not Supported"));

  private FetchWords() {}

  /** {@return "HTTP 404 Not Found", or "HTTP 599" for a status without a standard phrase} */
  static String status(int status) {
    String reason = REASONS.get(status);
    return reason == null ? "HTTP " + status : "HTTP " + status + " " + reason;
  }

  /** {@return "5 s", "300 ms", "1.5 s"} */
  static String duration(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms % 1000 == 0) {
      return (ms / 1000) + " s";
    }
    return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  /** {@return "64 MiB", "1.5 MiB", "12 KiB", "200 bytes"} */
  static String size(long bytes) {
    if (bytes >= MIB) {
      return bytes % MIB == 0
          ? (bytes / MIB) + " MiB"
          : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) MIB);
    }
    if (bytes >= KIB) {
      return bytes % KIB == 0
          ? (bytes / KIB) + " KiB"
          : String.format(Locale.ROOT, "%.1f KiB", bytes / (double) KIB);
    }
    return bytes == 1 ? "1 byte" : bytes + " bytes";
  }
}
