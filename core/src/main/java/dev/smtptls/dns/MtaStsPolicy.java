package dev.smtptls.dns;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An MTA-STS policy (RFC 8461 §3.2), as served at {@code
 * https://mta-sts.<domain>/.well-known/mta-sts.txt}:
 *
 * <pre>
 * version: STSv1
 * mode: enforce
 * mx: mail.example.com
 * mx: *.example.net
 * max_age: 86400
 * </pre>
 *
 * @param version the version, always {@code "STSv1"}
 * @param mode the mode
 * @param mx the MX patterns, in policy order: host names, or {@code *.} and a domain for any one
 *     label under it; empty only in mode {@link MtaStsMode#NONE}
 * @param maxAge how long senders may cache the policy, in seconds (0 to {@value #MAX_MAX_AGE})
 */
public record MtaStsPolicy(String version, MtaStsMode mode, List<String> mx, long maxAge) {

  /** The largest {@code max_age} RFC 8461 §3.2 allows: {@value} seconds, about one year. */
  public static final long MAX_MAX_AGE = 31_557_600L;

  /**
   * Checks the fields.
   *
   * @throws IllegalArgumentException if a field is out of its range or an MX pattern malformed
   */
  public MtaStsPolicy {
    requireNonNull(version, "version");
    requireNonNull(mode, "mode");
    mx = List.copyOf(mx);
    if (!version.equals("STSv1")) {
      throw new IllegalArgumentException("version must be STSv1: " + version);
    }
    if (maxAge < 0 || maxAge > MAX_MAX_AGE) {
      throw new IllegalArgumentException("max_age must be 0 to " + MAX_MAX_AGE + ": " + maxAge);
    }
    if (mx.isEmpty() && mode != MtaStsMode.NONE) {
      throw new IllegalArgumentException("no mx field: mode " + mode.value() + " needs at least one");
    }
    for (String p : mx) {
      checkPattern(p);
    }
  }

  /**
   * Parses a policy body (RFC 8461 §3.2). Lines end with CRLF or LF; each is {@code key: value},
   * spaces or tabs allowed after the colon and at the end. Keys are case-sensitive. {@code
   * version} ({@code STSv1}), {@code mode} ({@code enforce}, {@code testing} or {@code none}) and
   * {@code max_age} (1 to 10 digits, at most {@value #MAX_MAX_AGE}) are required; {@code mx} is
   * required at least once unless the mode is {@code none}. A repeated field other than {@code mx}
   * is honoured in its first occurrence, as the RFC says. Unknown keys are ignored. Empty lines
   * are tolerated (the grammar has none, but they harm no sender seen in practice).
   *
   * @param body the policy text
   * @return the policy
   * @throws IllegalArgumentException naming the line and what is wrong
   */
  public static MtaStsPolicy parse(String body) {
    requireNonNull(body, "body");
    if (body.isBlank()) {
      throw new IllegalArgumentException("the policy is empty");
    }
    String[] lines = body.split("\n", -1);
    @Nullable String version = null;
    @Nullable MtaStsMode mode = null;
    @Nullable Long maxAge = null;
    List<String> mx = new ArrayList<>();
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n];
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      if (line.isEmpty()) {
        continue;
      }
      String where = "line " + (n + 1);
      int colon = line.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException(where + " is not \"key: value\": \"" + line + "\"");
      }
      String key = line.substring(0, colon);
      String value = MtaStsText.stripWsp(line.substring(colon + 1));
      if (!MtaStsText.isFieldName(key)) {
        throw new IllegalArgumentException(where + ": \"" + key + "\" is not a valid key");
      }
      if (value.isEmpty()) {
        throw new IllegalArgumentException(where + ": " + key + " has no value");
      }
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c < 0x20 || c > 0x7E) {
          throw new IllegalArgumentException(where + ": " + key + " holds a character other than printable ASCII");
        }
      }
      switch (key) {
        case "version" -> {
          if (version == null) {
            if (!value.equals("STSv1")) {
              throw new IllegalArgumentException(where + ": version must be STSv1, not \"" + value + "\"");
            }
            version = value;
          }
        }
        case "mode" -> {
          if (mode == null) {
            mode = switch (value) {
              case "enforce" -> MtaStsMode.ENFORCE;
              case "testing" -> MtaStsMode.TESTING;
              case "none" -> MtaStsMode.NONE;
              default -> throw new IllegalArgumentException(
                  where + ": mode must be enforce, testing or none, not \"" + value + "\"");
            };
          }
        }
        case "max_age" -> {
          if (maxAge == null) {
            if (value.length() > 10 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
              throw new IllegalArgumentException(where + ": max_age must be 1 to 10 digits, not \"" + value + "\"");
            }
            long v = Long.parseLong(value);
            if (v > MAX_MAX_AGE) {
              throw new IllegalArgumentException(where + ": max_age " + v + " exceeds " + MAX_MAX_AGE);
            }
            maxAge = v;
          }
        }
        case "mx" -> {
          try {
            checkPattern(value);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
          }
          mx.add(value);
        }
        default -> {
          // unknown keys are ignored (RFC 8461 §3.2)
        }
      }
    }
    if (version == null) {
      throw new IllegalArgumentException("no version field (keys are case-sensitive)");
    }
    if (mode == null) {
      throw new IllegalArgumentException("no mode field (keys are case-sensitive)");
    }
    if (maxAge == null) {
      throw new IllegalArgumentException("no max_age field (keys are case-sensitive)");
    }
    if (mx.isEmpty() && mode != MtaStsMode.NONE) {
      throw new IllegalArgumentException("no mx field: mode " + mode.value() + " needs at least one");
    }
    return new MtaStsPolicy(version, mode, mx, maxAge);
  }

  /**
   * The first MX pattern that covers a host (RFC 8461 §4.1): a pattern without wildcard matches
   * the host name itself; {@code *.example.com} matches exactly one label more, on the left
   * ({@code mx1.example.com}, not {@code example.com} nor {@code a.b.example.com}). Case does not
   * matter; trailing dots are ignored.
   *
   * @param mxHost the MX host name
   * @return the pattern as written in the policy, or empty if none covers the host
   */
  public Optional<String> matchingPattern(String mxHost) {
    requireNonNull(mxHost, "mxHost");
    String host = MtaStsText.canonical(mxHost);
    for (String pattern : mx) {
      String p = MtaStsText.canonical(pattern);
      if (p.startsWith("*.")) {
        String suffix = p.substring(1);
        if (host.length() > suffix.length() && host.endsWith(suffix)) {
          String label = host.substring(0, host.length() - suffix.length());
          if (label.indexOf('.') < 0) {
            return Optional.of(pattern);
          }
        }
      } else if (p.equals(host)) {
        return Optional.of(pattern);
      }
    }
    return Optional.empty();
  }

  /**
   * The policy as lines in canonical order ({@code version}, {@code mode}, each {@code mx}, {@code
   * max_age}), as an RFC 8460 report's {@code policy-string} carries it.
   *
   * @return the lines, without line ends
   */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add("version: " + version);
    lines.add("mode: " + mode.value());
    for (String m : mx) {
      lines.add("mx: " + m);
    }
    lines.add("max_age: " + maxAge);
    return List.copyOf(lines);
  }

  private static void checkPattern(String pattern) {
    String p = pattern.endsWith(".") ? pattern.substring(0, pattern.length() - 1) : pattern;
    String domain = p.startsWith("*.") ? p.substring(2) : p;
    if (!MtaStsText.isHostName(domain)) {
      throw new IllegalArgumentException("mx \"" + pattern + "\" is neither a host name nor *. and a domain");
    }
  }
}
