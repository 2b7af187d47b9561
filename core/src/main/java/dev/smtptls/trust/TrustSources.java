package dev.smtptls.trust;

import static java.util.Objects.requireNonNull;

import dev.smtptls.cert.CertificateFiles;
import dev.smtptls.spi.TrustSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Ready-made {@link TrustSource}s. Each is immutable and thread-safe; the anchors are read once,
 * when the source is made, so a broken file is an error at configuration time, not at the first
 * probe.
 *
 * <pre>{@code
 * CertificateChecker checker = CertificateChecker.builder()
 *     .trustSource(TrustSources.system())                              // what a Postfix peer trusts
 *     .trustSource(TrustSources.pem("microsoft", Path.of("ms-roots.pem"))) // side by side
 *     .build();
 * }</pre>
 */
public final class TrustSources {

  private TrustSources() {}

  /**
   * The JDK's default trust store ({@code cacerts}, or what {@code javax.net.ssl.trustStore}
   * names), as {@link TrustManagerFactory} loads it.
   *
   * @return the source, named {@code "system"}
   * @throws IllegalStateException if the JDK's trust store cannot be loaded
   */
  public static TrustSource system() {
    return SystemHolder.SYSTEM;
  }

  /**
   * The certificates of a PEM (or DER) file, or of every {@code .pem}, {@code .crt} and {@code
   * .cer} file in a directory.
   *
   * @param name a name for reports
   * @param fileOrDirectory the bundle or a directory of them
   * @return the source
   * @throws UncheckedIOException if a file cannot be read or holds no certificate (the cause, a
   *     {@link dev.smtptls.cert.CertificateFileException}, names the file and line)
   */
  public static TrustSource pem(String name, Path fileOrDirectory) {
    requireNonNull(name, "name");
    requireNonNull(fileOrDirectory, "fileOrDirectory");
    List<X509Certificate> anchors = new ArrayList<>();
    try {
      if (Files.isDirectory(fileOrDirectory)) {
        List<Path> files;
        try (Stream<Path> s = Files.list(fileOrDirectory)) {
          files = s.filter(p -> {
                String f = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return Files.isRegularFile(p) && (f.endsWith(".pem") || f.endsWith(".crt") || f.endsWith(".cer"));
              })
              .sorted()
              .toList();
        }
        for (Path f : files) {
          anchors.addAll(CertificateFiles.read(f).certificates());
        }
      } else {
        anchors.addAll(CertificateFiles.read(fileOrDirectory).certificates());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
    return anchors(name, anchors);
  }

  /**
   * A PEM file or directory named after its file name.
   *
   * @param fileOrDirectory the bundle
   * @return the source
   * @throws UncheckedIOException as {@link #pem(String, Path)}
   */
  public static TrustSource pem(Path fileOrDirectory) {
    Path fileName = fileOrDirectory.getFileName();
    return pem(fileName == null ? fileOrDirectory.toString() : fileName.toString(), fileOrDirectory);
  }

  /**
   * The trusted-certificate entries of a key store.
   *
   * @param name a name for reports
   * @param keyStore a loaded key store
   * @return the source
   * @throws IllegalArgumentException if the key store is not loaded
   */
  public static TrustSource keyStore(String name, KeyStore keyStore) {
    requireNonNull(keyStore, "keyStore");
    List<X509Certificate> anchors = new ArrayList<>();
    try {
      for (String alias : Collections.list(keyStore.aliases())) {
        if (keyStore.isCertificateEntry(alias)) {
          Certificate c = keyStore.getCertificate(alias);
          if (c instanceof X509Certificate x) {
            anchors.add(x);
          }
        }
      }
    } catch (KeyStoreException e) {
      throw new IllegalArgumentException("the key store is not loaded", e);
    }
    return anchors(name, anchors);
  }

  /**
   * Fixed anchors.
   *
   * @param name a name for reports
   * @param anchors the anchor certificates
   * @return the source
   */
  public static TrustSource anchors(String name, List<X509Certificate> anchors) {
    return new Fixed(name, anchors);
  }

  /**
   * Fixed anchors.
   *
   * @param name a name for reports
   * @param anchors the anchor certificates
   * @return the source
   */
  public static TrustSource anchors(String name, X509Certificate... anchors) {
    return new Fixed(name, List.of(anchors));
  }

  /**
   * The union of several sources, without duplicates.
   *
   * @param name a name for reports
   * @param sources the sources
   * @return the source
   */
  public static TrustSource composite(String name, TrustSource... sources) {
    requireNonNull(name, "name");
    List<TrustSource> list = List.of(sources);
    return new TrustSource() {
      // The union is kept while the parts return the same anchors, so that checkers can reuse
      // what they parsed from it.
      private volatile List<List<X509Certificate>> parts = List.of();
      private volatile List<X509Certificate> union = List.of();

      @Override
      public String name() {
        return name;
      }

      @Override
      public List<X509Certificate> anchors() {
        List<List<X509Certificate>> now = new ArrayList<>(list.size());
        for (TrustSource s : list) {
          now.add(s.anchors());
        }
        synchronized (this) {
          if (!samePartsAs(now)) {
            Map<X509Certificate, Boolean> u = new LinkedHashMap<>();
            for (List<X509Certificate> part : now) {
              for (X509Certificate c : part) {
                u.put(c, Boolean.TRUE);
              }
            }
            union = List.copyOf(u.keySet());
            parts = now;
          }
          return union;
        }
      }

      private boolean samePartsAs(List<List<X509Certificate>> now) {
        List<List<X509Certificate>> before = parts;
        if (before.size() != now.size()) {
          return false;
        }
        for (int i = 0; i < now.size(); i++) {
          if (before.get(i) != now.get(i)) {
            return false;
          }
        }
        return true;
      }

      @Override
      public String toString() {
        return "TrustSource[" + name + ": composite of " + list.size() + "]";
      }
    };
  }

  private record Fixed(String name, List<X509Certificate> anchors) implements TrustSource {
    Fixed {
      requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("a trust source needs a name");
      }
      anchors = List.copyOf(anchors);
    }

    @Override
    public String toString() {
      return "TrustSource[" + name + ": " + anchors.size() + " anchors]";
    }
  }

  private static final class SystemHolder {
    static final TrustSource SYSTEM = load();

    private static TrustSource load() {
      try {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        for (TrustManager tm : tmf.getTrustManagers()) {
          if (tm instanceof X509TrustManager x) {
            return new Fixed("system", List.of(x.getAcceptedIssuers()));
          }
        }
        throw new IllegalStateException("the JDK offers no X509TrustManager");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("cannot load the JDK's trust store: " + e.getMessage(), e);
      }
    }
  }
}
