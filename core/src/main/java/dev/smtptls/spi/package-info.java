/** Service-provider interfaces, discovered with {@link java.util.ServiceLoader}; what a builder is given explicitly wins. */
@NullMarked
package dev.smtptls.spi;

import org.jspecify.annotations.NullMarked;
