/**
 * Training: the {@link io.kdflow.core.train.TrainingLoop} (batch source, objective, gradient accumulation,
 * AdamW with PyTorch semantics, linear warmup/decay, clipping, checkpoint cadence, listeners) with full
 * resume state, and {@link io.kdflow.core.train.StudentTraining}, its assembly for one student directory;
 * the objectives of the study ({@link io.kdflow.core.train.Objectives} from an
 * {@link io.kdflow.core.train.ObjectiveSpec}, the units in {@code io.kdflow.core.train.objective}) and the final
 * cross-entropy fine-tune ({@link io.kdflow.core.train.FinalFineTune}). Students and teachers are encoder-decoder
 * (BART, T5) or decoder-only (GPT-2: prompt + target in one sequence, the prompt outside every loss, see
 * {@link io.kdflow.core.train.DecoderOnlyBatch}); a pair is of one kind and one vocabulary.
 * Services and the CLI drive these; they hold no training logic of their own.
 */
package io.kdflow.core.train;
