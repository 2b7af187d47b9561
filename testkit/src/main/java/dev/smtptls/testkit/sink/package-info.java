/**
 * The {@link dev.smtptls.sink.SmtpTlsSink} as a test double: {@link
 * dev.smtptls.testkit.sink.SmtpTlsSinkExtension} runs one on loopback for each JUnit 5 test, for
 * tests of code that sends mail.
 */
@NullMarked
package dev.smtptls.testkit.sink;

import org.jspecify.annotations.NullMarked;
