package dev.smtptls.examples.cli;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * What {@code --trust} names: the JDK's default trust store ({@code system}) or a PEM bundle of
 * trust anchors, read and parsed when the command line is parsed so a bad file is a usage error
 * (exit 2) before anything touches the network.
 */
public sealed interface TrustArgument {

  /** The JDK's default trust store. */
  record SystemStore() implements TrustArgument {
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

    @Override
    public String toString() {
      return file.toString();
    }
  }

  /** Converts {@code system} or a PEM file name. */
  final class Converter implements ITypeConverter<TrustArgument> {

    /** Larger than any real CA bundle (Mozilla's is about 250 KB); bounds what we read. */
    static final long MAX_BYTES = 16L * 1024 * 1024;

    private static final Pattern PEM = Pattern.compile(
        "-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]*?)-----END CERTIFICATE-----");

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
      String text;
      try {
        if (Files.isDirectory(file)) {
          throw new TypeConversionException(file + " is a directory, not a PEM file");
        }
        if (Files.size(file) > MAX_BYTES) {
          throw new TypeConversionException(file + " is larger than " + MAX_BYTES + " bytes");
        }
        text = Files.readString(file, StandardCharsets.ISO_8859_1);
      } catch (NoSuchFileException e) {
        throw new TypeConversionException("no such file: " + file);
      } catch (AccessDeniedException e) {
        throw new TypeConversionException("cannot read " + file + ": permission denied");
      } catch (IOException e) {
        throw new TypeConversionException("cannot read " + file + ": " + withoutClassNames(e));
      }
      List<X509Certificate> certs = new ArrayList<>();
      Matcher m = PEM.matcher(text);
      CertificateFactory cf;
      try {
        cf = CertificateFactory.getInstance("X.509");
      } catch (CertificateException e) {
        throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
      }
      while (m.find()) {
        int index = certs.size() + 1;
        byte[] der;
        try {
          der = Base64.getMimeDecoder().decode(m.group(1));
        } catch (IllegalArgumentException e) {
          throw new TypeConversionException(
              "certificate " + index + " in " + file + " is not valid base64");
        }
        try (InputStream in = new ByteArrayInputStream(der)) {
          certs.add((X509Certificate) cf.generateCertificate(in));
        } catch (CertificateException | IOException e) {
          throw new TypeConversionException(
              "certificate " + index + " in " + file + " does not parse: " + withoutClassNames(e));
        }
      }
      if (certs.isEmpty()) {
        throw new TypeConversionException(
            file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
      }
      return certs;
    }
  }
}
