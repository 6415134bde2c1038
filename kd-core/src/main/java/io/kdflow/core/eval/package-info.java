/**
 * Evaluation and checkpoint selection, the same for the evaluator service and the CLI report:
 * <ul>
 *   <li>{@link io.kdflow.core.eval.SplitEvaluator}: one split scored the paper's way (beam-search
 *       predictions, {@code TaskMetrics}, mean gold NLL through {@code TeacherForcedScorer}); a decoder-only
 *       model's predictions are its continuations of the prompts, its NLL over the targets after them;</li>
 *   <li>{@link io.kdflow.core.eval.ComputeMetrics}: parameter counts, FLOPs, memory, latency, throughput;</li>
 *   <li>{@link io.kdflow.core.eval.MetricNames}: the report's metric names and their {@link
 *       io.kdflow.core.eval.Direction};</li>
 *   <li>{@link io.kdflow.core.eval.CheckpointSelection}: the best checkpoint on a dev metric (ties: earliest
 *       step) and {@link io.kdflow.core.eval.GapClosed}: 100 (KD - S) / (T - S);</li>
 *   <li>{@link io.kdflow.core.eval.EvaluationSettings}: a job's {@code EvaluationSpec} over defaults, validated;
 *       {@link io.kdflow.core.eval.EvalDatasetReader}: the JSON Lines evaluation sets.</li>
 * </ul>
 */
package io.kdflow.core.eval;
