/**
 * The machinery shared by the host scan ({@code SmtpTlsScanner}) and the domain scan ({@code
 * DomainScanner}): lazy pulling, bounded concurrency, cancellation, serialised delivery, the
 * politeness limit per destination address, the line reading of scan input, and the results
 * shared between work items (probes reused across domains, cached DNS answers). Not API.
 */
@NullMarked
package dev.smtptls.internal.scan;

import org.jspecify.annotations.NullMarked;
