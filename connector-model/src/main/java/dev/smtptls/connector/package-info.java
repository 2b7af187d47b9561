/**
 * Connector TLS policies and what they predict: {@link dev.smtptls.connector.ConnectorPolicy}
 * evaluates an {@link dev.smtptls.inspect.InspectionReport} to a {@link
 * dev.smtptls.connector.PolicyVerdict} (delivered over TLS, delivered in clear, queued or
 * rejected, with the text the sending server would log), and {@link
 * dev.smtptls.connector.Diagnosis} turns findings into remediations.
 */
@NullMarked
package dev.smtptls.connector;

import org.jspecify.annotations.NullMarked;
