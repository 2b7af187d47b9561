package dev.smtptls.examples.realmta;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real MTAs' own command-line programs with a bounded wait; a missing program fails the test. */
final class Processes {

  /**
   * What a program printed and returned.
   *
   * @param exit its exit code
   * @param output stdout and stderr together
   */
  record Result(int exit, String output) {}

  private Processes() {}

  /** {@return the program in /usr/sbin or /usr/bin, or fails the test naming the Debian package} */
  static String program(String name, String debianPackage) {
    for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return fail(name + " not found: install Debian's " + debianPackage + " package (.ci/run does)");
  }

  /**
   * Runs a program, feeding it {@code stdin}, and waits at most 60 s for it.
   *
   * @param stdin what to write to its standard input
   * @param command the program and its arguments
   * @return what it printed and returned
   */
  static Result run(String stdin, String... command) throws IOException, InterruptedException {
    Path output = Files.createTempFile("smtptls-process", ".out");
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
      try (var in = p.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return fail(String.join(" ", command) + " did not end within 60 s: " + Files.readString(output));
      }
      return new Result(p.exitValue(), Files.readString(output));
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
