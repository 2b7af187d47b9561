/**
 * smtptls connector model: connector TLS policies ({@link dev.smtptls.connector.ConnectorPolicy}),
 * their predicted outcome against a probe ({@link dev.smtptls.connector.PolicyVerdict}) and the
 * remediation for each finding ({@link dev.smtptls.connector.Diagnosis}).
 */
module dev.smtptls.connector {
  requires transitive dev.smtptls.core;
  requires static transitive org.jspecify;
  requires com.fasterxml.jackson.databind;

  exports dev.smtptls.connector;
}
