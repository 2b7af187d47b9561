package dev.smtptls.crl.internal;

import java.security.cert.CRLReason;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The ReasonFlags BIT STRING of RFC 5280 §4.2.1.13, as the JDK's {@link CRLReason} names its bits. */
public final class ReasonFlags {

  /** Bits 0 to 8 in order: unused, keyCompromise, cACompromise, ... aACompromise. */
  public static final List<CRLReason> BITS = List.of(
      CRLReason.UNUSED,
      CRLReason.KEY_COMPROMISE,
      CRLReason.CA_COMPROMISE,
      CRLReason.AFFILIATION_CHANGED,
      CRLReason.SUPERSEDED,
      CRLReason.CESSATION_OF_OPERATION,
      CRLReason.CERTIFICATE_HOLD,
      CRLReason.PRIVILEGE_WITHDRAWN,
      CRLReason.AA_COMPROMISE);

  /** Every reason a mask can hold. */
  public static final Set<CRLReason> ALL = Collections.unmodifiableSet(EnumSet.copyOf(BITS));

  private ReasonFlags() {}
}
