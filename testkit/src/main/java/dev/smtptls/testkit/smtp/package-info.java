/** {@code MockSmtpServer}: a scriptable SMTP/STARTTLS server on 127.0.0.1, port 0, with a JUnit 5 extension. */
@NullMarked
package dev.smtptls.testkit.smtp;

import org.jspecify.annotations.NullMarked;
