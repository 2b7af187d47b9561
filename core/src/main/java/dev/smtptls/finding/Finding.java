package dev.smtptls.finding;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Something a check found: a stable {@link FindingCode}, a {@link Severity}, a one-line message a
 * mail administrator understands, and evidence (what was seen, keyed as {@code CONTRACT.md} lists
 * per code). Evidence values are {@code String}s or {@code List<String>}s; the map keeps the order
 * in which evidence was added.
 *
 * @param code the stable code
 * @param severity how much it matters
 * @param message one line for a person
 * @param evidence what was seen: values are {@code String} or {@code List<String>}
 */
public record Finding(
    FindingCode code, Severity severity, String message, Map<String, Object> evidence) {

  /**
   * Validates and copies.
   *
   * @throws IllegalArgumentException if the message is blank or an evidence value is neither a
   *     {@code String} nor a list of strings
   */
  public Finding {
    requireNonNull(code, "code");
    requireNonNull(severity, "severity");
    requireNonNull(message, "message");
    requireNonNull(evidence, "evidence");
    if (message.isBlank()) {
      throw new IllegalArgumentException("message is blank");
    }
    Map<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : evidence.entrySet()) {
      copy.put(requireNonNull(e.getKey(), "evidence key"), copyValue(e.getKey(), e.getValue()));
    }
    evidence = Collections.unmodifiableMap(copy);
  }

  private static Object copyValue(String key, Object value) {
    if (value instanceof String) {
      return value;
    }
    if (value instanceof List<?> list) {
      List<String> strings = new ArrayList<>(list.size());
      for (Object o : list) {
        if (!(o instanceof String s)) {
          throw new IllegalArgumentException("evidence '" + key + "' holds a non-string element");
        }
        strings.add(s);
      }
      return List.copyOf(strings);
    }
    throw new IllegalArgumentException(
        "evidence '" + key + "' must be a String or a List<String>, not " + value.getClass().getName());
  }

  /**
   * A finding with the code's default severity.
   *
   * @param code the code
   * @param message one line for a person
   * @param evidence alternating keys and values ({@code String} or {@code List<String>})
   * @return the finding
   * @throws IllegalArgumentException if {@code evidence} has an odd length or a non-string key
   */
  public static Finding of(FindingCode code, String message, Object... evidence) {
    if (evidence.length % 2 != 0) {
      throw new IllegalArgumentException("evidence must be key/value pairs");
    }
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < evidence.length; i += 2) {
      if (!(evidence[i] instanceof String key)) {
        throw new IllegalArgumentException("evidence key at " + i + " is not a String");
      }
      map.put(key, evidence[i + 1]);
    }
    return new Finding(code, code.defaultSeverity(), message, map);
  }

  /**
   * A single-valued piece of evidence.
   *
   * @param key the evidence key, e.g. {@code "reply"}
   * @return the value when it is a string
   */
  public Optional<String> evidence(String key) {
    Object v = evidence.get(key);
    return v instanceof String s ? Optional.of(s) : Optional.empty();
  }

  /**
   * This finding with another severity (a profile raising a warning).
   *
   * @param newSeverity the severity
   * @return a copy with {@code newSeverity}
   */
  public Finding withSeverity(Severity newSeverity) {
    return new Finding(code, newSeverity, message, evidence);
  }
}
