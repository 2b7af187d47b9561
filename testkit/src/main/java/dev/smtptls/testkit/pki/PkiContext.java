package dev.smtptls.testkit.pki;

import java.math.BigInteger;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** What every certificate and CRL of one {@link TestPki} shares: its clock, defaults and serials. */
final class PkiContext {
  final Clock clock;
  final KeyType keyType;
  final List<URI> crlDistributionPoints;
  private final Set<BigInteger> serials = ConcurrentHashMap.newKeySet();

  PkiContext(Clock clock, KeyType keyType, List<URI> crlDistributionPoints) {
    this.clock = clock;
    this.keyType = keyType;
    this.crlDistributionPoints = List.copyOf(crlDistributionPoints);
  }

  Instant now() {
    return Crypto.seconds(clock.instant());
  }

  /** A random serial number not yet used by this PKI. */
  BigInteger nextSerial() {
    while (true) {
      BigInteger serial = Crypto.randomSerial();
      if (serials.add(serial)) {
        return serial;
      }
    }
  }
}
