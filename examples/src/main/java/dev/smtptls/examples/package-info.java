/** Runnable examples of embedding smtptls, one per entry point; they go into the README. */
@NullMarked
package dev.smtptls.examples;

import org.jspecify.annotations.NullMarked;
