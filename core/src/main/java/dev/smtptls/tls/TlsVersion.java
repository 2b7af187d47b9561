package dev.smtptls.tls;

/** The TLS protocol versions the enumeration tries, oldest first. */
public enum TlsVersion {
  /** TLS 1.0 (RFC 2246), deprecated by RFC 8996. */
  TLS_1_0("TLSv1", "TLS 1.0"),
  /** TLS 1.1 (RFC 4346), deprecated by RFC 8996. */
  TLS_1_1("TLSv1.1", "TLS 1.1"),
  /** TLS 1.2 (RFC 5246). */
  TLS_1_2("TLSv1.2", "TLS 1.2"),
  /** TLS 1.3 (RFC 8446). */
  TLS_1_3("TLSv1.3", "TLS 1.3");

  private final String jsseName;
  private final String displayName;

  TlsVersion(String jsseName, String displayName) {
    this.jsseName = jsseName;
    this.displayName = displayName;
  }

  /** {@return the JSSE's name of the version, e.g. {@code "TLSv1.2"}, as reports elsewhere show it} */
  public String jsseName() {
    return jsseName;
  }

  /** {@return the name a person reads, e.g. {@code "TLS 1.2"}} */
  public String displayName() {
    return displayName;
  }

  /** {@return whether RFC 8996 deprecates this version (TLS 1.0 and 1.1)} */
  public boolean deprecated() {
    return this == TLS_1_0 || this == TLS_1_1;
  }
}
