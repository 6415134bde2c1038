/**
 * Pseudo-targets (PTs) in the process: a teacher writing K PTs per input with its sparse distribution at
 * every position ({@link io.kdflow.core.pt.PseudoTargetGenerator}), a local file of the records that
 * survives a crash mid-write ({@link io.kdflow.core.pt.PseudoTargetFile}), and the per-epoch PT rotation
 * the training loop batches ({@link io.kdflow.core.pt.EpochPlan}). Framework-free; see docs/method.md,
 * "Sequence-level KD with pseudo-targets" and "Multiple pseudo-targets and their rotation per epoch".
 */
package io.kdflow.core.pt;
