/**
 * {@code distill --local}: one job file run in one process, phase by phase (teacher, student init, PTs,
 * cross-entropy baseline, KD, final fine-tune, test), each phase skipped on a rerun when its marker holds the
 * same key, the KD phase resumed from its last checkpoint. {@link io.kdflow.core.local.LocalDistillation} is
 * the entry point.
 */
package io.kdflow.core.local;
