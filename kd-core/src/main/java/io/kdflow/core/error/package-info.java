/** The one bad-input exception type that validators throw and entry points map (CLI exit code, dead letter). */
package io.kdflow.core.error;
