/** Internals of the crl module: the Bouncy Castle extension parsers. Not exported. */
@NullMarked
package dev.smtptls.crl.internal;

import org.jspecify.annotations.NullMarked;
