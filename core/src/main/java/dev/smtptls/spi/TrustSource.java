package dev.smtptls.spi;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A named set of trust anchors: the roots a receiver trusts. Exchange Online trusts Microsoft's
 * root program while a Postfix peer trusts the system bundle, so a checker may hold several and
 * report the result for each side by side. Ready-made sources are in {@code
 * dev.smtptls.trust.TrustSources}; implement this to plug in another (a database, a remote
 * store). Implementations must be thread-safe; {@link #anchors()} may be called for every check,
 * so cache what is expensive.
 */
public interface TrustSource {

  /** {@return a short name for reports, e.g. {@code "system"} or {@code "microsoft"}} */
  String name();

  /**
   * The trust anchors.
   *
   * @return the anchor certificates; never null, may be empty
   */
  List<X509Certificate> anchors();
}
