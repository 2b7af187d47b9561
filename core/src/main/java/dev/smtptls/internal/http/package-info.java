/** Bounded HTTP reading shared by the fetches a certificate asks for (AIA, CRL, OCSP). Not API. */
@NullMarked
package dev.smtptls.internal.http;

import org.jspecify.annotations.NullMarked;
