/** Findings: what a check found, with a stable code, a severity and evidence (see CONTRACT.md). */
@NullMarked
package dev.smtptls.finding;

import org.jspecify.annotations.NullMarked;
