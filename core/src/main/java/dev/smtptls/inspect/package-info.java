/** The STARTTLS probe: {@link dev.smtptls.inspect.SmtpTlsInspector} and its {@link dev.smtptls.inspect.InspectionReport}. */
@NullMarked
package dev.smtptls.inspect;

import org.jspecify.annotations.NullMarked;
