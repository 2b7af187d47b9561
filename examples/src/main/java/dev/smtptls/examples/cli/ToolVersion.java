package dev.smtptls.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.IVersionProvider;

/** The tool's version: from the build (a filtered resource), else the jar's Maven metadata, else "dev". */
public final class ToolVersion implements IVersionProvider {

  /** The tool's name as it appears in JSON ({@code tool.name}). */
  public static final String NAME = "smtptls";

  private static final String VERSION = lookUp();

  /** Creates the provider (picocli instantiates it). */
  public ToolVersion() {}

  /** {@return the version, e.g. {@code 0.1.0-SNAPSHOT}} */
  public static String version() {
    return VERSION;
  }

  @Override
  public String[] getVersion() {
    return new String[] {NAME + " " + VERSION};
  }

  private static String lookUp() {
    // A resource the build filters; then what maven-jar-plugin writes into every jar (the fat jar too).
    String v = property("version.properties");
    if (v == null) {
      v = property("/META-INF/maven/dev.smtptls/smtptls-examples/pom.properties");
    }
    return v == null ? "dev" : v;
  }

  private static @Nullable String property(String resource) {
    try (InputStream in = ToolVersion.class.getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "").strip();
      return v.isEmpty() || v.startsWith("${") ? null : v;
    } catch (IOException e) {
      return null;
    }
  }
}
