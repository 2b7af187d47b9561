package dev.smtptls.connector;

import static java.util.Objects.requireNonNull;

import dev.smtptls.inspect.InspectionReport;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Forced TLS: mail goes over TLS or stays in the queue. {@code
 * seed/troubleshooting-tls-smtp-eop.txt}: "Email sent across this connector must use TLS. If TLS
 * is unavailable messages will queue until they are delivered or expired." Exchange sets it with
 * {@code Set-SendConnector -RequireTLS $true}, Postfix with {@code smtp_tls_security_level =
 * encrypt} ({@code reference/exchange-postfix-tls.md}).
 *
 * <p>{@link #evaluate(InspectionReport)} predicts:
 *
 * <ul>
 *   <li>{@code DELIVERED_TLS} when STARTTLS was offered, the handshake completed and the
 *       negotiated version meets {@link #minimumTlsVersion()} when one is set;
 *   <li>{@code QUEUED} otherwise. When the server does not offer STARTTLS (including a server that
 *       speaks only SMTP, or one that accepts the verb without advertising it: senders follow the
 *       EHLO reply, RFC 3207 §4), the {@link PolicyVerdict#smtpResponse() smtpResponse} is the text
 *       the seed document gives: {@value #STARTTLS_REQUIRED_RESPONSE}. When the server refuses
 *       STARTTLS, it is the server's refusal in Exchange's documented form, e.g. {@code 451 4.4.0
 *       Primary target IP address responded with: "454 4.7.0 TLS not available due to local
 *       problem"}. After a failed handshake or a protocol version below the minimum no product
 *       document gives the text, and it is null;
 *   <li>for sessions that fail before STARTTLS, the same as {@link OpportunisticPolicy}.
 * </ul>
 *
 * <p>Certificate and name requirements (Exchange's {@code TlsAuthLevel}) come with the
 * certificate checker; this policy does not look at the certificate.
 *
 * @param minimumTlsVersion the lowest TLS version the sender accepts ({@code TLSv1}, {@code
 *     TLSv1.1}, {@code TLSv1.2} or {@code TLSv1.3}, as JSSE names them), or null for any
 */
public record ForcedPolicy(@Nullable String minimumTlsVersion) implements ConnectorPolicy {

  /**
   * What a sending Exchange server with {@code RequireTLS} shows in its queue when the receiver
   * does not offer STARTTLS, verbatim from {@code seed/troubleshooting-tls-smtp-eop.txt} (and
   * {@code reference/exchange-postfix-tls.md}).
   */
  public static final String STARTTLS_REQUIRED_RESPONSE =
      "451 4.4.0 Primary target IP address responded with: \"451 5.7.3 STARTTLS is required to send mail.\"";

  /** The TLS versions in order, as JSSE names them ({@code SSLSession.getProtocol()}). */
  static final List<String> TLS_VERSIONS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

  /**
   * Validates.
   *
   * @throws IllegalArgumentException if {@code minimumTlsVersion} is not one of {@code TLSv1},
   *     {@code TLSv1.1}, {@code TLSv1.2}, {@code TLSv1.3}
   */
  public ForcedPolicy {
    if (minimumTlsVersion != null && !TLS_VERSIONS.contains(minimumTlsVersion)) {
      throw new IllegalArgumentException(
          "minimumTlsVersion must be one of " + TLS_VERSIONS + ": " + minimumTlsVersion);
    }
  }

  @Override
  public PolicyVerdict evaluate(InspectionReport report) {
    return Evaluation.evaluate(report, true, minimumTlsVersion);
  }

  /**
   * Whether a negotiated protocol meets {@link #minimumTlsVersion()}.
   *
   * @param protocol the protocol as JSSE names it, e.g. {@code TLSv1.2}
   * @return true when there is no minimum or the protocol is at least the minimum; false for an
   *     unknown or older protocol (SSLv3)
   */
  public boolean accepts(String protocol) {
    requireNonNull(protocol, "protocol");
    String min = minimumTlsVersion;
    if (min == null) {
      return true;
    }
    int rank = TLS_VERSIONS.indexOf(protocol);
    return rank >= 0 && rank >= TLS_VERSIONS.indexOf(min);
  }

  /** Builds a {@link ForcedPolicy}; obtained from {@link ConnectorPolicy#forced()}. Not thread-safe. */
  public static final class Builder {

    private @Nullable String minimumTlsVersion;

    Builder() {}

    /**
     * Requires at least this TLS version: a server that negotiates an older one gets no mail, as
     * with Postfix's {@code smtp_tls_mandatory_protocols = >=TLSv1.2} (postconf(5)).
     *
     * @param version {@code TLSv1}, {@code TLSv1.1}, {@code TLSv1.2} or {@code TLSv1.3}
     * @return this builder
     * @throws NullPointerException if {@code version} is null
     * @throws IllegalArgumentException if {@code version} is not one of those names
     * @throws IllegalStateException if the minimum was already set
     */
    public Builder requireTlsVersionAtLeast(String version) {
      requireNonNull(version, "version");
      if (!TLS_VERSIONS.contains(version)) {
        throw new IllegalArgumentException("version must be one of " + TLS_VERSIONS + ": " + version);
      }
      if (minimumTlsVersion != null) {
        throw new IllegalStateException("requireTlsVersionAtLeast was already set to " + minimumTlsVersion);
      }
      minimumTlsVersion = version;
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return the immutable policy
     */
    public ForcedPolicy build() {
      return new ForcedPolicy(minimumTlsVersion);
    }
  }
}
