/** A test PKI made at test time with Bouncy Castle: roots, intermediates, leaves (SANs, wildcards, expired, self-signed), CRLs. */
@NullMarked
package dev.smtptls.testkit.pki;

import org.jspecify.annotations.NullMarked;
