/** The SMTP engine shared by the probe, the sink and the testkit: bounded line reading and reply parsing. Not API. */
@NullMarked
package dev.smtptls.internal.smtp;

import org.jspecify.annotations.NullMarked;
