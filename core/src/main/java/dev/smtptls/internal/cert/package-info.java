/** Certificate path building, validation and name matching. Not API. */
@NullMarked
package dev.smtptls.internal.cert;

import org.jspecify.annotations.NullMarked;
