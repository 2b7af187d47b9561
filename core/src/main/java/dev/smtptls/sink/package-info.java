/**
 * The receiving side: {@link dev.smtptls.sink.SmtpTlsSink}, an SMTP receiver a sending MTA delivers
 * to, and {@link dev.smtptls.sink.SenderReport}, what a receiver sees of that sender (HELO/EHLO
 * name, STARTTLS use, the client certificate) with the sender findings ({@code SENDER_*}).
 */
@NullMarked
package dev.smtptls.sink;

import org.jspecify.annotations.NullMarked;
