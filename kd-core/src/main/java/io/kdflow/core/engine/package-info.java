/**
 * The one libtorch set-up of every process ({@link io.kdflow.core.engine.EngineSetup}): threads, flush-to-zero,
 * malloc retention.
 */
package io.kdflow.core.engine;
