/**
 * Trust sources: the JDK's trust store, PEM bundles, key stores, fixed anchors and composites
 * ({@link dev.smtptls.trust.TrustSources}).
 */
@NullMarked
package dev.smtptls.trust;

import org.jspecify.annotations.NullMarked;
