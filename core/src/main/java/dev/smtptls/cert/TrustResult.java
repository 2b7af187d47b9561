package dev.smtptls.cert;

import static java.util.Objects.requireNonNull;

import dev.smtptls.finding.Finding;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The verdict of one trust source on a chain: whether a valid path to one of its anchors exists,
 * the path, and what is wrong when none does.
 *
 * @param trustSource the source's name
 * @param trusted true when a path to one of its anchors passed every check
 * @param path leaf first, ending with the anchor when trusted; otherwise the best partial path
 * @param findings what is wrong with the path (empty when trusted)
 */
public record TrustResult(String trustSource, boolean trusted, List<X509Certificate> path, List<Finding> findings) {
  /** Validates and copies. */
  public TrustResult {
    requireNonNull(trustSource, "trustSource");
    path = List.copyOf(path);
    findings = List.copyOf(findings);
  }

  /** {@return the subjects along the path, leaf first} */
  public List<String> pathSubjects() {
    return path.stream().map(c -> c.getSubjectX500Principal().getName()).toList();
  }
}
