package dev.smtptls.inspect;

import static java.util.Objects.requireNonNull;

import dev.smtptls.smtp.SmtpReply;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What became of STARTTLS (RFC 3207) in a probe. A sealed set of records; {@link #status()} lets
 * Java 17 callers switch over it exhaustively.
 */
public sealed interface StartTlsOutcome {

  /** The outcome as an enum. */
  enum Status {
    /** The connection was upgraded to TLS. */
    UPGRADED,
    /** The server did not advertise STARTTLS (and did not accept it when tried anyway). */
    NOT_OFFERED,
    /** STARTTLS was answered with something other than 220. */
    REFUSED,
    /** The server said 220 but the TLS handshake failed. */
    HANDSHAKE_FAILED,
    /** The probe ended before STARTTLS could be tried (refused greeting, timeout, ...). */
    NOT_ATTEMPTED
  }

  /** {@return the outcome as an enum} */
  Status status();

  /** {@return the server's reply to STARTTLS, when it was sent} */
  default @Nullable SmtpReply reply() {
    return null;
  }

  /**
   * The connection is encrypted.
   *
   * @param reply the {@code 220} to STARTTLS
   * @param protocol e.g. {@code TLSv1.3}
   * @param cipherSuite e.g. {@code TLS_AES_256_GCM_SHA384}
   * @param peerChain the chain as presented, leaf first, whatever its validity
   * @param advertised false when STARTTLS was accepted although the EHLO reply did not offer it
   * @param stapledOcsp the OCSP responses the server stapled, aligned with {@code peerChain} (an
   *     empty array where none was stapled); empty when it stapled none or the JDK did not ask
   *     (the JDK sends status_request only with {@code
   *     -Djdk.tls.client.enableStatusRequestExtension=true})
   * @param resumed true when the handshake resumed a session an earlier probe of the same inspector
   *     established ({@link SmtpTlsInspector.Builder#sessionResumption(boolean)}): the server sent
   *     no certificate this time, and {@code peerChain} and {@code stapledOcsp} are those of that
   *     session's full handshake, checked again as on a full one
   */
  record Upgraded(
      SmtpReply reply,
      String protocol,
      String cipherSuite,
      List<X509Certificate> peerChain,
      boolean advertised,
      List<byte[]> stapledOcsp,
      boolean resumed)
      implements StartTlsOutcome {
    /** Validates and copies. */
    public Upgraded {
      requireNonNull(reply, "reply");
      requireNonNull(protocol, "protocol");
      requireNonNull(cipherSuite, "cipherSuite");
      peerChain = List.copyOf(peerChain);
      stapledOcsp = stapledOcsp.stream().map(byte[]::clone).toList();
    }

    /**
     * A full handshake: not resumed.
     *
     * @param reply the {@code 220} to STARTTLS
     * @param protocol the TLS version
     * @param cipherSuite the cipher suite
     * @param peerChain the chain as presented
     * @param advertised whether the EHLO reply offered STARTTLS
     * @param stapledOcsp the stapled OCSP responses, aligned with {@code peerChain}
     */
    public Upgraded(
        SmtpReply reply, String protocol, String cipherSuite, List<X509Certificate> peerChain, boolean advertised,
        List<byte[]> stapledOcsp) {
      this(reply, protocol, cipherSuite, peerChain, advertised, stapledOcsp, false);
    }

    /**
     * A full handshake without stapled OCSP responses.
     *
     * @param reply the {@code 220} to STARTTLS
     * @param protocol the TLS version
     * @param cipherSuite the cipher suite
     * @param peerChain the chain as presented
     * @param advertised whether the EHLO reply offered STARTTLS
     */
    public Upgraded(SmtpReply reply, String protocol, String cipherSuite, List<X509Certificate> peerChain, boolean advertised) {
      this(reply, protocol, cipherSuite, peerChain, advertised, List.of(), false);
    }

    /**
     * The stapled responses by the certificate they are about, leaving out empty ones.
     *
     * @return DER OCSP responses by certificate
     */
    public Map<X509Certificate, byte[]> stapledOcspByCertificate() {
      Map<X509Certificate, byte[]> m = new LinkedHashMap<>();
      for (int i = 0; i < Math.min(peerChain.size(), stapledOcsp.size()); i++) {
        if (stapledOcsp.get(i).length > 0) {
          m.put(peerChain.get(i), stapledOcsp.get(i).clone());
        }
      }
      return m;
    }

    @Override
    public Status status() {
      return Status.UPGRADED;
    }
  }

  /**
   * STARTTLS was not in the EHLO reply.
   *
   * @param attemptReply the reply when STARTTLS was sent anyway, else null
   */
  record NotOffered(@Nullable SmtpReply attemptReply) implements StartTlsOutcome {
    @Override
    public Status status() {
      return Status.NOT_OFFERED;
    }

    @Override
    public @Nullable SmtpReply reply() {
      return attemptReply;
    }
  }

  /**
   * STARTTLS was refused, e.g. {@code 454 4.7.0 TLS not available due to local problem}.
   *
   * @param reply the refusal
   */
  record Refused(SmtpReply reply) implements StartTlsOutcome {
    /** Validates. */
    public Refused {
      requireNonNull(reply, "reply");
    }

    @Override
    public Status status() {
      return Status.REFUSED;
    }
  }

  /**
   * The handshake failed after {@code 220}.
   *
   * @param reply the {@code 220} to STARTTLS
   * @param alert the TLS alert or failure, as the TLS stack reported it
   * @param peerChain the chain if the server sent one before the failure, else empty
   */
  record HandshakeFailed(SmtpReply reply, String alert, List<X509Certificate> peerChain)
      implements StartTlsOutcome {
    /** Validates and copies. */
    public HandshakeFailed {
      requireNonNull(reply, "reply");
      requireNonNull(alert, "alert");
      peerChain = List.copyOf(peerChain);
    }

    @Override
    public Status status() {
      return Status.HANDSHAKE_FAILED;
    }
  }

  /**
   * The probe never got to STARTTLS.
   *
   * @param reason why, in words
   */
  record NotAttempted(String reason) implements StartTlsOutcome {
    /** Validates. */
    public NotAttempted {
      requireNonNull(reason, "reason");
    }

    @Override
    public Status status() {
      return Status.NOT_ATTEMPTED;
    }
  }
}
