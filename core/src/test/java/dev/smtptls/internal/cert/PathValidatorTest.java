package dev.smtptls.internal.cert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtptls.finding.FindingCode;
import dev.smtptls.internal.cert.PathValidator.Settings;
import dev.smtptls.internal.cert.TestCerts.Issued;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;

class PathValidatorTest {

  private static final Settings SETTINGS = Settings.serverAuth(TestCerts.NOW);

  @Test
  void buildsPathFromUnorderedChainWithDuplicatesAndStrangers() throws Exception {
    Issued root = TestCerts.root("Root");
    Issued int1 = TestCerts.ca("Intermediate 1", root);
    Issued int2 = TestCerts.ca("Intermediate 2", int1);
    Issued leaf = TestCerts.leaf("mx1.example.org", int2);
    X509Certificate stranger = TestCerts.root("Unrelated").cert();

    PathResult r =
        PathValidator.validate(
            SETTINGS, leaf.cert(), List.of(int1.cert(), stranger, leaf.cert(), int2.cert(), int1.cert()),
            List.of(root.cert()));

    assertThat(r.problems()).isEmpty();
    assertThat(r.trusted()).isTrue();
    assertThat(r.path()).containsExactly(leaf.cert(), int2.cert(), int1.cert(), root.cert());
  }

  @Test
  void reportsMissingIntermediateWithItsNameAndAiaUrl() throws Exception {
    Issued root = TestCerts.root("Root");
    Issued intermediate = TestCerts.ca("Issuing CA", root);
    Issued leaf =
        TestCerts.leaf("mx1.example.org", intermediate, TestCerts.NOW.minusSeconds(60),
            TestCerts.NOW.plusSeconds(86_400), "http://ca.example.net/issuing.crt");

    PathResult r = PathValidator.validate(SETTINGS, leaf.cert(), List.of(), List.of(root.cert()));

    assertThat(r.trusted()).isFalse();
    assertThat(r.problems())
        .singleElement()
        .satisfies(p -> {
          assertThat(p.code()).isEqualTo(FindingCode.CERT_CHAIN_INCOMPLETE);
          assertThat(p.certificate()).isEqualTo(leaf.cert());
          assertThat(p.reason()).contains("CN=Issuing CA").contains("http://ca.example.net/issuing.crt");
        });
  }

  @Test
  void anIntermediateFromAnUnknownRootIsUntrustedNotIncomplete() throws Exception {
    Issued privateRoot = TestCerts.root("Private Root");
    Issued intermediate = TestCerts.ca("Private Issuing CA", privateRoot);
    Issued leaf =
        TestCerts.leaf("mx1.example.org", intermediate, TestCerts.NOW.minusSeconds(60),
            TestCerts.NOW.plusSeconds(86_400), null);
    Issued otherRoot = TestCerts.root("Public Root");

    PathResult r = PathValidator.validate(SETTINGS, leaf.cert(), List.of(intermediate.cert()), List.of(otherRoot.cert()));

    assertThat(r.trusted()).isFalse();
    assertThat(r.problems()).extracting(PathProblem::code)
        .contains(FindingCode.CERT_UNTRUSTED)
        .doesNotContain(FindingCode.CERT_CHAIN_INCOMPLETE);
  }

  @Test
  void reportsExpiredLeafAndUntrustedRootTogether() throws Exception {
    Issued root = TestCerts.root("Private Root");
    Issued leaf =
        TestCerts.leaf("mx1.example.org", root, TestCerts.NOW.minusSeconds(86_400 * 400),
            TestCerts.NOW.minusSeconds(86_400 * 10), null);
    X509Certificate otherAnchor = TestCerts.root("Public Root").cert();

    PathResult r =
        PathValidator.validate(SETTINGS, leaf.cert(), List.of(root.cert()), List.of(otherAnchor));

    assertThat(r.trusted()).isFalse();
    assertThat(r.path()).containsExactly(leaf.cert(), root.cert());
    assertThat(r.problems())
        .extracting(PathProblem::code, PathProblem::certificate)
        .contains(
            org.assertj.core.groups.Tuple.tuple(FindingCode.CERT_EXPIRED, leaf.cert()),
            org.assertj.core.groups.Tuple.tuple(FindingCode.CERT_UNTRUSTED, root.cert()));
  }

  @Test
  void refusesCaBelowPathLengthZero() throws Exception {
    Issued root = TestCerts.root("Root");
    Issued constrained = TestCerts.ca("Constrained CA", root, 0);
    Issued extra = TestCerts.ca("Extra CA", constrained);
    Issued leaf = TestCerts.leaf("mx1.example.org", extra);

    PathResult r =
        PathValidator.validate(SETTINGS, leaf.cert(), List.of(extra.cert(), constrained.cert()), List.of(root.cert()));

    assertThat(r.trusted()).isFalse();
    assertThat(r.problems())
        .anySatisfy(p -> {
          assertThat(p.code()).isEqualTo(FindingCode.CERT_UNTRUSTED);
          assertThat(p.certificate()).isEqualTo(extra.cert());
          assertThat(p.reason()).contains("path length");
        });
  }

  @Test
  void appliesNameConstraintsOfTheTrustAnchor() throws Exception {
    Issued root = TestCerts.ca("Constrained Root", null, null, TestCerts.permitDns("example.org"));
    Issued inside = TestCerts.leaf("mx1.example.org", root);
    Issued outside = TestCerts.leaf("mx1.example.com", root);

    PathResult ok = PathValidator.validate(SETTINGS, inside.cert(), List.of(), List.of(root.cert()));
    PathResult refused = PathValidator.validate(SETTINGS, outside.cert(), List.of(), List.of(root.cert()));

    assertThat(ok.trusted()).isTrue();
    assertThat(refused.trusted()).isFalse();
    assertThat(refused.problems())
        .singleElement()
        .satisfies(p -> {
          assertThat(p.code()).isEqualTo(FindingCode.CERT_UNTRUSTED);
          assertThat(p.reason()).contains("mx1.example.com").contains("permitted");
        });
  }

  @Test
  void reportsSelfSignedLeaf() throws Exception {
    X509Certificate self = TestCerts.selfSignedLeaf("mx1.example.org");

    PathResult r = PathValidator.validate(SETTINGS, self, List.of(), List.of(TestCerts.root("Root").cert()));

    assertThat(r.trusted()).isFalse();
    assertThat(r.problems()).extracting(PathProblem::code).contains(FindingCode.CERT_SELF_SIGNED);
  }
}
