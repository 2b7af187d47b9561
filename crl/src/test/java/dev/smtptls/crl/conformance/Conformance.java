package dev.smtptls.crl.conformance;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where the shared conformance data lives, and the known-failure lists. */
final class Conformance {

  private Conformance() {}

  /**
   * The conformance folder: {@code -Dsmtptls.conformance.dir}, else {@code ../shared/conformance}
   * beside the repository. Fails (never skips) when {@code sub} is missing there.
   */
  static Path dir(String sub) {
    String configured = System.getProperty("smtptls.conformance.dir");
    Path base;
    if (configured != null && !configured.isBlank()) {
      base = Path.of(configured);
    } else {
      Path repo = repositoryRoot();
      Path parent = repo.getParent();
      base = (parent == null ? repo : parent).resolve("shared").resolve("conformance");
    }
    Path dir = base.resolve(sub).toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      fail("conformance data not found: " + dir + " (the shared conformance folder beside the repository,"
          + " or -Dsmtptls.conformance.dir=<folder holding " + sub + "/>)");
    }
    return dir;
  }

  private static Path repositoryRoot() {
    Path p = Path.of("").toAbsolutePath();
    for (Path q = p; q != null; q = q.getParent()) {
      if (Files.exists(q.resolve("mvnw")) || Files.exists(q.resolve(".git"))) {
        return q;
      }
    }
    return p;
  }

  /** Reads {@code id  # reason} lines from a class-path resource; every entry needs a reason. */
  static Map<String, String> knownFailures(String resource) throws IOException {
    Map<String, String> known = new LinkedHashMap<>();
    try (InputStream in = Conformance.class.getResourceAsStream(resource)) {
      if (in == null) {
        return known;
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
          continue;
        }
        int hash = t.indexOf('#');
        String id = (hash < 0 ? t : t.substring(0, hash)).strip();
        String reason = hash < 0 ? "" : t.substring(hash + 1).strip();
        if (reason.isEmpty()) {
          fail(resource + ": " + id + " has no reason");
        }
        known.put(id, reason);
      }
    }
    return known;
  }
}
