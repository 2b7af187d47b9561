/**
 * smtptls examples and the {@code smtptls} command-line tool: runnable embedding examples and the
 * {@code probe}, {@code check-cert} and {@code demo} commands (see {@code CONTRACT.md}).
 */
module dev.smtptls.examples {
  requires dev.smtptls.core;
  requires dev.smtptls.crl;
  requires dev.smtptls.testkit;
  requires dev.smtptls.connector;
  requires info.picocli;
  requires com.fasterxml.jackson.databind;

  // picocli instantiates the commands, mixins and converters and sets their fields reflectively.
  opens dev.smtptls.examples.cli to info.picocli;
}
