package dev.smtptls.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The fat jar README's first command runs: everything the tool needs is inside it (a dependency
 * left at test scope once dropped Bouncy Castle from the jar while every in-process test passed).
 */
class ShadedJarIT {

  private static Path jar() {
    String p = System.getProperty("smtptls.jar");
    assertThat(p).as("system property smtptls.jar (set by the failsafe configuration)").isNotNull();
    Path jar = Path.of(p);
    assertThat(jar).as("the shaded jar, built in the package phase").exists();
    return jar;
  }

  private static Path java() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  private static Result run(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(java().toString(), "-jar", jar().toString()));
    command.addAll(List.of(args));
    return run(new ProcessBuilder(command));
  }

  private static Result run(ProcessBuilder pb) throws IOException, InterruptedException {
    Path out = Files.createTempFile("smtptls-jar", ".out");
    try {
      Process p = pb.redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("the jar did not finish within 120 s");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private record Result(int exit, String output) {}

  @Test
  void demoRunsFromTheShadedJar() throws Exception {
    Result r = run("demo");
    assertThat(r.output()).doesNotContain("NoClassDefFoundError").contains("scenarios diagnosed as designed");
    assertThat(r.exit()).as(r.output()).isZero();
  }

  @Test
  void versionRunsFromTheShadedJar() throws Exception {
    Result r = run("--version");
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).startsWith("smtptls ");
  }

  /** The launcher README shows, {@code bin/smtptls}: it finds the jar and passes its JVM options. */
  @Test
  void launcherRunsTheJarWithItsJvmOptions() throws Exception {
    Path launcher = Path.of("..", "bin", "smtptls").toAbsolutePath().normalize();
    assertThat(launcher).as("bin/smtptls in the repository").exists();
    ProcessBuilder pb = new ProcessBuilder("sh", launcher.toString(), "--version");
    pb.environment().put("SMTPTLS_JAR", jar().toString());
    pb.environment().put("JAVA", java().toString());
    // SMTPTLS_JAVA_OPTS unset: the launcher's defaults. JAVA_TOOL_OPTIONS makes the JVM print the
    // flags it was started with, so the defaults are seen to reach it.
    pb.environment().remove("SMTPTLS_JAVA_OPTS");
    pb.environment().put("JAVA_TOOL_OPTIONS", "-XX:+PrintCommandLineFlags");
    Result r = run(pb);
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("-XX:TieredStopAtLevel=1").contains("-XX:+UseSerialGC").contains("smtptls ");

    // SMTPTLS_JAVA_OPTS replaces them.
    pb.environment().put("SMTPTLS_JAVA_OPTS", "-XX:+UseParallelGC");
    Result replaced = run(pb);
    assertThat(replaced.exit()).as(replaced.output()).isZero();
    assertThat(replaced.output()).contains("-XX:+UseParallelGC").doesNotContain("-XX:+UseSerialGC")
        .doesNotContain("TieredStopAtLevel");
  }

  @Test
  void launcherNamesTheMissingJar() throws Exception {
    Path launcher = Path.of("..", "bin", "smtptls").toAbsolutePath().normalize();
    ProcessBuilder pb = new ProcessBuilder("sh", launcher.toString(), "--version");
    pb.environment().put("SMTPTLS_JAR", "/nonexistent/smtptls.jar");
    Result r = run(pb);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.output()).contains("no /nonexistent/smtptls.jar").contains("./mvnw");
  }
}
