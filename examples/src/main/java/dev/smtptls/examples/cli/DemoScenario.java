package dev.smtptls.examples.cli;

import static java.util.Objects.requireNonNull;

import dev.smtptls.cert.CertificateChecker;
import dev.smtptls.cert.CheckProfile;
import dev.smtptls.finding.Finding;
import dev.smtptls.finding.FindingCode;
import dev.smtptls.finding.Severity;
import dev.smtptls.inspect.InspectionReport;
import dev.smtptls.inspect.SmtpTlsInspector;
import dev.smtptls.testkit.pki.IssuedCertificate;
import dev.smtptls.testkit.pki.TestPki;
import dev.smtptls.testkit.smtp.SmtpBehaviour;
import java.net.URI;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One {@code smtptls demo} scenario: a server configuration on loopback, how to probe it, and the
 * finding codes a correct diagnosis makes. A scenario is diagnosed as designed when every
 * expected code is among the findings and no {@code ERROR} finding has a code outside them.
 *
 * @param name a short name, e.g. {@code starttls-refused}
 * @param description what the server simulates, one sentence
 * @param behaviour the server's behaviour
 * @param certificate the key and chain the server presents, made from the demo's PKI for the
 *     name the probe expects (the MX host name)
 * @param announcedFqdn the FQDN the server gives in its greeting and EHLO reply, or null for the
 *     MX host name itself
 * @param timeout the probe's per-step timeout
 * @param deadline the probe's deadline
 * @param plaintextCheck whether the probe also sends {@code MAIL FROM:<>} before STARTTLS
 * @param expected the codes a correct diagnosis makes; empty for a healthy server
 * @param crl for a revocation scenario, the CRL the leaf names and what the demo's CRL server
 *     serves there (the scenario is then checked with a CRL revocation checker); null for the
 *     others, which are checked without revocation
 */
public record DemoScenario(
    String name,
    String description,
    Supplier<SmtpBehaviour> behaviour,
    BiFunction<TestPki, String, Served> certificate,
    @Nullable String announcedFqdn,
    Duration timeout,
    Duration deadline,
    boolean plaintextCheck,
    Set<FindingCode> expected,
    @Nullable CrlSetup crl) {

  /**
   * A revocation scenario's CRL: the path on the demo's CRL server (on 127.0.0.1) that the leaf's
   * CRL distribution point names, what is served there, and the profile of the check.
   *
   * @param path an absolute path on the CRL server, e.g. {@code /revoked/intermediate.crl}
   * @param crl makes the CRL served at the path from the demo PKI and the leaf; null to serve
   *     {@code 404 Not Found} there
   * @param profile the certificate check profile of the scenario
   */
  public record CrlSetup(
      String path, @Nullable BiFunction<TestPki, X509Certificate, X509CRL> crl, CheckProfile profile) {

    /** Validates. */
    public CrlSetup {
      requireNonNull(path, "path");
      requireNonNull(profile, "profile");
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("path must start with /: " + path);
      }
    }

    /**
     * A CRL served at a path, checked under the default profile.
     *
     * @param path the path
     * @param crl makes the CRL from the demo PKI and the leaf
     * @return the setup
     */
    public static CrlSetup serving(String path, BiFunction<TestPki, X509Certificate, X509CRL> crl) {
      return new CrlSetup(path, requireNonNull(crl, "crl"), CheckProfile.DEFAULT);
    }

    /**
     * A path that answers {@code 404 Not Found}.
     *
     * @param path the path
     * @param profile the profile of the check
     * @return the setup
     */
    public static CrlSetup notFound(String path, CheckProfile profile) {
      return new CrlSetup(path, null, profile);
    }
  }

  /**
   * A scenario without revocation: {@code crl} null.
   *
   * @param name a short name
   * @param description what the server simulates, one sentence
   * @param behaviour the server's behaviour
   * @param certificate the key and chain the server presents
   * @param announcedFqdn the FQDN the server announces, or null for the MX host name
   * @param timeout the probe's per-step timeout
   * @param deadline the probe's deadline
   * @param plaintextCheck whether the probe also sends {@code MAIL FROM:<>} before STARTTLS
   * @param expected the codes a correct diagnosis makes
   */
  public DemoScenario(
      String name,
      String description,
      Supplier<SmtpBehaviour> behaviour,
      BiFunction<TestPki, String, Served> certificate,
      @Nullable String announcedFqdn,
      Duration timeout,
      Duration deadline,
      boolean plaintextCheck,
      Set<FindingCode> expected) {
    this(name, description, behaviour, certificate, announcedFqdn, timeout, deadline, plaintextCheck, expected,
        null);
  }

  /**
   * What a demo server presents in the TLS handshake.
   *
   * @param key the leaf's private key
   * @param chain the certificates sent, leaf first, whatever their validity
   */
  public record Served(PrivateKey key, List<X509Certificate> chain) {
    /** Validates and copies. */
    public Served {
      requireNonNull(key, "key");
      chain = List.copyOf(chain);
      if (chain.isEmpty()) {
        throw new IllegalArgumentException("the chain needs at least the leaf");
      }
    }

    /**
     * The key and full chain of a test certificate.
     *
     * @param issued the certificate
     * @return what a correctly configured server sends
     */
    public static Served of(IssuedCertificate issued) {
      return new Served(issued.privateKey(), issued.chain());
    }

    /**
     * The key and the leaf alone, without its intermediates: the classic misconfiguration (the
     * certificate installed without the CA bundle).
     *
     * @param issued the certificate
     * @return what a server missing its intermediate sends
     */
    public static Served leafOnly(IssuedCertificate issued) {
      return new Served(issued.privateKey(), List.of(issued.certificate()));
    }
  }

  /** Validates and copies. */
  public DemoScenario {
    requireNonNull(name, "name");
    requireNonNull(description, "description");
    requireNonNull(behaviour, "behaviour");
    requireNonNull(certificate, "certificate");
    requireNonNull(timeout, "timeout");
    requireNonNull(deadline, "deadline");
    expected = expected.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(expected));
  }

  /**
   * A scenario presenting a valid leaf for the server's name, probed with a 5 s step timeout.
   *
   * @param name a short name
   * @param description what the server simulates
   * @param behaviour the server's behaviour
   * @param expected the codes a correct diagnosis makes
   * @return the scenario
   */
  public static DemoScenario of(
      String name, String description, Supplier<SmtpBehaviour> behaviour, FindingCode... expected) {
    return new DemoScenario(name, description, behaviour, (pki, fqdn) -> Served.of(pki.leaf(fqdn)), null,
        Duration.ofSeconds(5), Duration.ofSeconds(15), false, Set.of(expected));
  }

  /**
   * This scenario presenting another certificate (self-signed, expired, for another name...)
   * with its full chain.
   *
   * @param issue makes the certificate from the demo's PKI and the MX host name
   * @return the new scenario
   */
  public DemoScenario withCertificate(BiFunction<TestPki, String, IssuedCertificate> issue) {
    requireNonNull(issue, "issue");
    return withServed((pki, fqdn) -> Served.of(issue.apply(pki, fqdn)));
  }

  /**
   * This scenario presenting another key and chain (a chain without its intermediate...).
   *
   * @param serve makes the key and chain from the demo's PKI and the MX host name
   * @return the new scenario
   */
  public DemoScenario withServed(BiFunction<TestPki, String, Served> serve) {
    return new DemoScenario(
        name, description, behaviour, serve, announcedFqdn, timeout, deadline, plaintextCheck, expected, crl);
  }

  /**
   * This scenario with a server that announces another FQDN in its greeting and EHLO reply than
   * the MX host name the probe connects to (an internal name, as on a default Exchange install).
   *
   * @param fqdn the announced name
   * @return the new scenario
   */
  public DemoScenario withAnnouncedFqdn(String fqdn) {
    requireNonNull(fqdn, "fqdn");
    return new DemoScenario(
        name, description, behaviour, certificate, fqdn, timeout, deadline, plaintextCheck, expected, crl);
  }

  /**
   * This scenario probed with other limits (a tarpit needs short ones to keep the demo fast).
   *
   * @param stepTimeout the per-step timeout
   * @param probeDeadline the deadline
   * @return the new scenario
   */
  public DemoScenario withLimits(Duration stepTimeout, Duration probeDeadline) {
    return new DemoScenario(name, description, behaviour, certificate, announcedFqdn, stepTimeout, probeDeadline,
        plaintextCheck, expected, crl);
  }

  /**
   * This scenario as a revocation scenario: the server presents a leaf for the MX host name whose
   * one CRL distribution point is {@code setup.path()} on the demo's CRL server (the server the
   * demo PKI's own distribution point names), and the probe checks revocation.
   *
   * @param setup the CRL and the profile
   * @return the new scenario
   */
  public DemoScenario withCrl(CrlSetup setup) {
    requireNonNull(setup, "setup");
    BiFunction<TestPki, String, Served> leafNamingTheCrl = (pki, fqdn) -> Served.of(pki.newLeaf()
        .dnsNames(fqdn)
        .crlDistributionPoints(crlServer(pki).resolve(setup.path()))
        .issue());
    return new DemoScenario(name, description, behaviour, leafNamingTheCrl, announcedFqdn, timeout, deadline,
        plaintextCheck, expected, setup);
  }

  /** The demo's CRL server: where the demo PKI's default distribution point is. */
  private static URI crlServer(TestPki pki) {
    List<URI> points = pki.crlDistributionPoints();
    if (points.isEmpty()) {
      throw new IllegalStateException("a revocation scenario needs a PKI whose CRL distribution point names the"
          + " demo's CRL server");
    }
    return points.get(0);
  }

  /** {@return this scenario probed with the plaintext check} */
  public DemoScenario withPlaintextCheck() {
    return new DemoScenario(
        name, description, behaviour, certificate, announcedFqdn, timeout, deadline, true, expected, crl);
  }

  /**
   * The inspector this scenario probes with: as {@code smtptls probe} would, with its limits.
   *
   * @param checker the certificate checker (the demo's trusts the demo PKI's root)
   * @return the inspector
   */
  public SmtpTlsInspector inspector(CertificateChecker checker) {
    return SmtpTlsInspector.builder()
        .ehloName("probe.demo.test")
        .timeout(timeout)
        .deadline(deadline)
        .plaintextCheck(plaintextCheck)
        .attemptStartTlsWhenNotAdvertised(true)
        .certificateChecker(checker)
        .build();
  }

  /**
   * Whether a report is the diagnosis this scenario is designed to produce.
   *
   * @param report the probe's report
   * @return true when every expected code was found and no unexpected {@code ERROR} was
   */
  public boolean diagnosedAsDesigned(InspectionReport report) {
    Set<FindingCode> found = EnumSet.noneOf(FindingCode.class);
    for (Finding f : report.findings()) {
      found.add(f.code());
      if (f.severity() == Severity.ERROR && !expected.contains(f.code())) {
        return false;
      }
    }
    return found.containsAll(expected);
  }
}
