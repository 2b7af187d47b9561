package dev.smtptls.testkit.mtasts;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * One request an {@link MtaStsPolicyServer} received.
 *
 * @param method the method, e.g. {@code GET}
 * @param target the request target, e.g. {@code /.well-known/mta-sts.txt}
 * @param version the HTTP version, e.g. {@code HTTP/1.1}
 * @param host the {@code Host} header, or null if absent
 * @param sni the server name the client sent in its TLS handshake (SNI), or null if none
 */
public record PolicyRequest(String method, String target, String version, @Nullable String host, @Nullable String sni) {

  /** Checks the fields. */
  public PolicyRequest {
    requireNonNull(method, "method");
    requireNonNull(target, "target");
    requireNonNull(version, "version");
  }
}
