/**
 * TLS capability enumeration over STARTTLS: which protocol versions and cipher suites an SMTP
 * server accepts, in which order it prefers them and which key-exchange groups it takes, learnt
 * from many short handshakes on parallel connections ({@link dev.smtptls.tls.TlsEnumerator}).
 * What the JSSE of the running JVM cannot offer is reported as {@link
 * dev.smtptls.tls.Support#NOT_TESTABLE} with the reason, never guessed.
 */
@NullMarked
package dev.smtptls.tls;

import org.jspecify.annotations.NullMarked;
