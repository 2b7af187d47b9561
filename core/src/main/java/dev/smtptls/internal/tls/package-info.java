/** TLS plumbing shared by the sink and the testkit's servers. Not API. */
@NullMarked
package dev.smtptls.internal.tls;

import org.jspecify.annotations.NullMarked;
