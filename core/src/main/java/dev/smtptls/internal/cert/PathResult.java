package dev.smtptls.internal.cert;

import static java.util.Objects.requireNonNull;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The outcome of {@link PathValidator#validate}.
 *
 * @param path the certification path, leaf first; it ends with the trust anchor when {@code
 *     trusted}, otherwise it is the best partial or failing path the builder found
 * @param trusted whether a path to a trust anchor passed every check
 * @param problems every problem of {@code path} (not only the first); empty when trusted
 */
public record PathResult(List<X509Certificate> path, boolean trusted, List<PathProblem> problems) {

  /** Validates and copies. */
  public PathResult {
    path = List.copyOf(requireNonNull(path, "path"));
    problems = List.copyOf(requireNonNull(problems, "problems"));
    if (trusted && !problems.isEmpty()) {
      throw new IllegalArgumentException("a trusted path has no problems");
    }
  }
}
