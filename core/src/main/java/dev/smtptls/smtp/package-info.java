/** SMTP value types: replies (RFC 5321 §4.2) with enhanced status codes (RFC 3463), greeting and EHLO. */
@NullMarked
package dev.smtptls.smtp;

import org.jspecify.annotations.NullMarked;
