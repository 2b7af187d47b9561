/** Certificate summaries as mail administrators read them (subject, issuer, thumbprints, names). */
@NullMarked
package dev.smtptls.cert;

import org.jspecify.annotations.NullMarked;
