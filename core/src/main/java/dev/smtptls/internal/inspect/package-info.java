/** The probe session behind {@code SmtpTlsInspector}. Not API. */
@NullMarked
package dev.smtptls.internal.inspect;

import org.jspecify.annotations.NullMarked;
