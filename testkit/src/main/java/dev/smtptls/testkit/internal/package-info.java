/** What the testkit's servers share. Not API. */
@NullMarked
package dev.smtptls.testkit.internal;

import org.jspecify.annotations.NullMarked;
