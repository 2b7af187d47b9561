/**
 * The {@code smtptls} command-line tool (picocli): {@code probe}, {@code check-cert} and {@code demo}, with the exit
 * codes, flags and JSON that {@code CONTRACT.md} fixes.
 */
@NullMarked
package dev.smtptls.examples.cli;

import org.jspecify.annotations.NullMarked;
