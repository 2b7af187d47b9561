package dev.smtptls.tls;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The key-exchange groups the server accepts, or why this JVM cannot tell.
 *
 * <p>Offering one group per handshake needs {@code SSLParameters.setNamedGroups}, which Java 20
 * added. On Java 17 the only control is the {@code jdk.tls.namedGroups} system property, which the
 * JSSE reads once per JVM: it cannot differ per connection, so the groups are {@link
 * Support#NOT_TESTABLE} there (and Java 17's {@code SSLSession} does not name the negotiated group
 * either). Nothing is guessed.
 *
 * @param support {@code ACCEPTED} when tested (see {@link #groups()} for each), {@code
 *     NOT_TESTABLE} on a JVM without per-connection groups, {@code INCONCLUSIVE} when no version
 *     was accepted to test them with
 * @param detail why the groups were not tested, or the version they were tested with
 * @param groups each group tried; empty when not tested
 */
public record KeyExchangeGroups(Support support, @Nullable String detail, List<GroupSupport> groups) {
  /** Checks the fields and copies the list. */
  public KeyExchangeGroups {
    requireNonNull(support, "support");
    groups = List.copyOf(groups);
  }

  /** {@return the names of the accepted groups} */
  public List<String> accepted() {
    return groups.stream().filter(g -> g.support() == Support.ACCEPTED).map(GroupSupport::name).toList();
  }
}
