package dev.smtptls.connector;

import static java.util.Objects.requireNonNull;

import dev.smtptls.smtp.SmtpReply;
import org.jspecify.annotations.Nullable;

/**
 * How a server behaves towards senders under a receive-side connector configuration: what a
 * connecting client meets. Receive-side policies give one ({@code receiveProfile()}), so that the
 * testkit's {@code MockSmtpServer} can be configured to behave like that connector and a sending
 * connector model can be run against it end to end.
 *
 * @param fqdn the name the server announces in its greeting and EHLO reply (Exchange {@code Fqdn},
 *     Postfix {@code myhostname})
 * @param offersStartTls whether STARTTLS is in the EHLO reply
 * @param requiresTls whether mail is refused before STARTTLS
 * @param tlsRequiredReply the reply to {@code MAIL FROM} before STARTTLS when TLS is required, e.g.
 *     {@code 451 5.7.3 Must issue a STARTTLS command first} for Exchange; null when TLS is not
 *     required
 * @param certificateName the name the presented certificate must cover (the connector's {@code
 *     Fqdn} or {@code TlsCertificateName} subject), or null when the configuration names none
 */
public record ReceiveProfile(
    String fqdn,
    boolean offersStartTls,
    boolean requiresTls,
    @Nullable SmtpReply tlsRequiredReply,
    @Nullable String certificateName) {

  /**
   * Checks the fields.
   *
   * @throws IllegalArgumentException if TLS is required without a reply for it, or a reply is given
   *     although TLS is not required, or TLS is required but STARTTLS not offered
   */
  public ReceiveProfile {
    requireNonNull(fqdn, "fqdn");
    if (fqdn.isBlank()) {
      throw new IllegalArgumentException("fqdn is blank");
    }
    if (requiresTls != (tlsRequiredReply != null)) {
      throw new IllegalArgumentException("tlsRequiredReply must be given exactly when TLS is required");
    }
    if (requiresTls && !offersStartTls) {
      throw new IllegalArgumentException("a server that requires TLS must offer STARTTLS");
    }
  }
}
