/**
 * Decoding on top of the models' KV cache ({@link io.kdflow.core.model.IncrementalDecoder}): greedy
 * decoding, beam search and sampling with {@code transformers}' semantics ({@link Generator},
 * {@link GenerationSettings}), the per-position top-k of the unscaled distribution for distillation
 * ({@link TopKLogProbs}), teacher-forced scoring ({@link TeacherForcedScorer}) and the text-to-ids
 * conventions shared by all of them ({@link TextEncoding}). See docs/decoding.md.
 */
package io.kdflow.core.decoding;
