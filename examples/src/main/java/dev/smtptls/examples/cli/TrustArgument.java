package dev.smtptls.examples.cli;

import static java.util.Objects.requireNonNull;

import dev.smtptls.cert.CertificateFileException;
import dev.smtptls.cert.CertificateFiles;
import dev.smtptls.cert.ParsedCertificates;
import dev.smtptls.finding.Finding;
import dev.smtptls.spi.TrustSource;
import dev.smtptls.trust.TrustSources;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * What {@code --trust} names: the JDK's default trust store ({@code system}) or a PEM (or DER)
 * bundle of trust anchors, read and parsed when the command line is parsed so a bad file is a
 * usage error (exit 2, naming the file and line) before anything touches the network.
 */
public sealed interface TrustArgument {

  /** {@return the trust source the certificate checker uses, named for reports} */
  TrustSource source();

  /** The JDK's default trust store. */
  record SystemStore() implements TrustArgument {
    @Override
    public TrustSource source() {
      return TrustSources.system();
    }

    @Override
    public String toString() {
      return "system";
    }
  }

  /**
   * Trust anchors from a PEM file.
   *
   * @param file the file as named on the command line
   * @param anchors the certificates in it, at least one
   */
  record PemBundle(Path file, List<X509Certificate> anchors) implements TrustArgument {
    /** Validates and copies. */
    public PemBundle {
      requireNonNull(file, "file");
      anchors = List.copyOf(anchors);
      if (anchors.isEmpty()) {
        throw new IllegalArgumentException("a bundle holds at least one certificate");
      }
    }

    /** The source, named after the file name as given ({@code root.pem}). */
    @Override
    public TrustSource source() {
      Path name = file.getFileName();
      return TrustSources.anchors(name == null ? file.toString() : name.toString(), anchors);
    }

    @Override
    public String toString() {
      return file.toString();
    }
  }

  /** Converts {@code system} or a PEM file name. */
  final class Converter implements ITypeConverter<TrustArgument> {

    private static final Pattern CLASS_NAME =
        Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z]\\w*(?:Exception|Error): ");

    /** Creates the converter (picocli instantiates it). */
    public Converter() {}

    @Override
    public TrustArgument convert(String value) {
      if (value.strip().equalsIgnoreCase("system")) {
        return new SystemStore();
      }
      Path file;
      try {
        file = Path.of(value);
      } catch (InvalidPathException e) {
        throw new TypeConversionException("'" + value + "' is not a file name");
      }
      return new PemBundle(file, readCertificates(file));
    }

    /** The JDK's message without the exception class names it nests ("java.io.IOException: "). */
    private static String withoutClassNames(Exception e) {
      String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return CLASS_NAME.matcher(m).replaceAll("");
    }

    private static List<X509Certificate> readCertificates(Path file) {
      ParsedCertificates parsed;
      try {
        if (Files.isDirectory(file)) {
          throw new TypeConversionException(file + " is a directory, not a PEM file");
        }
        parsed = CertificateFiles.read(file);
      } catch (CertificateFileException e) {
        // "file:line: problem", as CertificateFiles words it.
        throw new TypeConversionException(e.getMessage());
      } catch (NoSuchFileException e) {
        throw new TypeConversionException("no such file: " + file);
      } catch (AccessDeniedException e) {
        throw new TypeConversionException("cannot read " + file + ": permission denied");
      } catch (IOException e) {
        throw new TypeConversionException("cannot read " + file + ": " + withoutClassNames(e));
      }
      // An anchor that breaks X.509 cannot anchor anything: refuse the bundle rather than
      // silently trust less than the user named.
      for (Finding f : parsed.findings()) {
        throw new TypeConversionException(f.message());
      }
      if (parsed.certificates().isEmpty()) {
        throw new TypeConversionException(file + " holds no certificate");
      }
      return parsed.certificates();
    }
  }
}
