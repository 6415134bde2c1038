package io.kdflow.core.train.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.decoding.Generation;
import io.kdflow.core.decoding.GenerationInput;
import io.kdflow.core.decoding.GenerationSettings;
import io.kdflow.core.decoding.Generator;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.train.DecoderOnlyBatch;
import io.kdflow.core.train.PairBatch;
import io.kdflow.core.train.TrainingBatch;
import io.kdflow.core.train.TrainingExample;
import io.kdflow.core.train.TrainingObjective;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Joint-Teaching (docs/method.md, "Joint-Teaching"): on the steps its {@link JointTeachingSchedule}
 * picks, the batch's targets are replaced by one sequence per input sampled on the fly from the CURRENT student
 * (top-p 0.95, temperature 1, top-k 50, at most {@code maxTargetTokens} new tokens, no gradients), and the
 * teacher is teacher-forced on the student's sequence for the same KD loss; on the other steps the batch's own
 * targets (teacher PTs and gold) are used. The batch's labels are not read on student steps.
 *
 * <p>Where the teacher runs is pluggable: local mode has it in the process (dense logits on every step,
 * {@link InProcessSampleTeacher}); remote mode ({@link #remote}) reads the PT records' sparse distributions on the
 * other steps ({@link SparseKdObjective}) and sends the student's samples to a {@link StudentSampleScorer}
 * (teacher-service), whose sparse scores the step waits for ({@link ScoredSampleTeacher}), so no teacher is needed
 * in the trainer. Each applied score is reported with its staleness ({@link #onScoresApplied}), 0 since the step
 * waits.
 *
 * <pre>
 *   student step:  L = KD(x, y_S),  y_S ~ P_S(. | x)   (one sample per input)
 *   other steps:   L = KD(x, y)     (y = the batch's PT or gold)
 * </pre>
 *
 * <p><b>Deviation:</b> the paper's code samples while the student is in training mode, i.e. with dropout
 * active. Our incremental decoder (KV cache) always runs in inference mode, so the samples are drawn from the
 * student's dropout-free distribution (the loss on them is computed in training mode, with dropout, as in the
 * paper). Supporting dropout while sampling needs a run mode in the incremental decoder. The samples are
 * reproducible: the sampling seed is derived from the objective's
 * seed and the step, each input's stream from its example id ({@link GenerationInput#of}).
 *
 * <p>The generated sequences carry no decoder start token ({@link io.kdflow.core.decoding.Hypothesis}), so
 * they are labels as they stand; a sequence that hit the token limit has no end-of-sequence token. A
 * decoder-only student is given the batch's prompts and its samples are their continuations only (the
 * generator never returns the prompt), which become the targets after the same prompts.
 */
public final class JointTeachingObjective implements TrainingObjective {

    /** Sampling settings of the student's targets, as in the paper's code. */
    public static final double TOP_P = 0.95;
    public static final int TOP_K = 50;
    public static final double TEMPERATURE = 1.0;

    /** What a student step trained on. */
    public record StudentTargets(long step, List<String> exampleIds, long[][] targets) {}

    /**
     * The teacher's scores of one student step's samples entered the loss of step {@code appliedAt}.
     *
     * @param sampledAt the step that sampled them
     * @param appliedAt the step whose loss used them
     * @param samples how many samples were scored
     */
    public record AppliedScores(long sampledAt, long appliedAt, int samples) {

        /** Optimizer steps between sampling and applying. */
        public long staleness() {
            return appliedAt - sampledAt;
        }
    }

    private final TrainingObjective batchLoss;
    private final StudentSampleTeacher sampleTeacher;
    private final JointTeachingSchedule schedule;
    private final Generator sampler;
    private final GenerationSettings sampling;
    private final int maxSourceTokens;
    private final int maxTargetTokens;
    private final long seed;
    private final long pad;
    private Consumer<StudentTargets> listener = targets -> { };
    private Consumer<AppliedScores> scoresListener = applied -> { };

    /**
     * Local mode: the teacher in the process scores every step.
     *
     * @param kd the KD loss of every step (teacher in the process)
     * @param maxTargetTokens most tokens a sample may have (the task's target limit)
     * @param seed base of the sampling seeds
     */
    public JointTeachingObjective(PretrainedModel student, DenseKdObjective kd, JointTeachingSchedule schedule,
            int maxSourceTokens, int maxTargetTokens, long seed) {
        this(student, kd, new InProcessSampleTeacher(kd), schedule, maxSourceTokens, maxTargetTokens, seed);
    }

    /**
     * @param batchLoss the KD loss of the other steps, on the batch's own targets
     * @param sampleTeacher the KD loss of the student steps, on the student's samples
     * @param maxTargetTokens most tokens a sample may have (the task's target limit)
     * @param seed base of the sampling seeds
     */
    public JointTeachingObjective(PretrainedModel student, TrainingObjective batchLoss,
            StudentSampleTeacher sampleTeacher, JointTeachingSchedule schedule, int maxSourceTokens,
            int maxTargetTokens, long seed) {
        this.batchLoss = batchLoss;
        this.sampleTeacher = sampleTeacher;
        this.schedule = schedule;
        this.maxSourceTokens = maxSourceTokens;
        this.maxTargetTokens = maxTargetTokens;
        this.seed = seed;
        this.sampler = new Generator(student, GenerationConfig.fromModelConfig(student.config()));
        this.sampling = GenerationSettings.greedy(maxTargetTokens).toBuilder().doSample(true).topP(TOP_P)
                .topK(TOP_K).temperature(TEMPERATURE).build();
        this.pad = DecoderOnlyBatch.padId(student.config());
    }

    /**
     * Remote mode: the other steps read the records' sparse distributions, the student steps wait for
     * {@code scorer}'s sparse distributions of their samples; no teacher in the process.
     */
    public static JointTeachingObjective remote(PretrainedModel student, TokenDivergence divergence,
            StudentSampleScorer scorer, JointTeachingSchedule schedule, int maxSourceTokens, int maxTargetTokens,
            long seed) {
        SparseKdObjective kd = new SparseKdObjective(student, divergence);
        return new JointTeachingObjective(student, kd, new ScoredSampleTeacher(kd, scorer), schedule, maxSourceTokens,
                maxTargetTokens, seed);
    }

    /** Called with the staleness of every score that enters a loss (metrics, tests). */
    public JointTeachingObjective onScoresApplied(Consumer<AppliedScores> consumer) {
        this.scoresListener = consumer;
        return this;
    }

    /** Called with the sampled targets of every student step (progress, tests). */
    public JointTeachingObjective onStudentTargets(Consumer<StudentTargets> consumer) {
        this.listener = consumer;
        return this;
    }

    public JointTeachingSchedule schedule() {
        return schedule;
    }

    @Override
    public String name() {
        return "joint-teaching(fraction=" + schedule.fraction() + ", " + batchLoss.name() + ")";
    }

    @Override
    public NDArray loss(NDManager manager, TrainingBatch batch, long step) {
        if (!schedule.studentStep(step)) {
            return batchLoss.loss(manager, batch, step);
        }
        PairBatch pairs = batch.pairs();
        List<GenerationInput> inputs = new ArrayList<>(batch.examples().size());
        List<String> ids = new ArrayList<>(batch.examples().size());
        long[][] sources = new long[batch.examples().size()][];
        for (int row = 0; row < sources.length; row++) {
            TrainingExample example = batch.examples().get(row);
            sources[row] = pairs.sourceIds(row);
            inputs.add(GenerationInput.of(sources[row], example.exampleId()));
            ids.add(example.exampleId());
        }
        List<Generation> generations = sampler.generate(inputs, samplingSettings(step)); // no gradients, eval
        long[][] targets = generations.stream().map(g -> g.best().tokens()).toArray(long[][]::new);
        listener.accept(new StudentTargets(step, List.copyOf(ids), targets));
        PairBatch onSamples = PairBatch.ofIds(sources, targets, maxSourceTokens, maxTargetTokens, pad);
        NDArray loss = sampleTeacher.loss(manager, new StudentSamples(step, ids, sources, targets), onSamples);
        scoresListener.accept(new AppliedScores(step, step, targets.length));
        return loss;
    }

    /** The student's sampling settings at {@code step}: the fixed ones, seeded from the objective's seed and the step. */
    public GenerationSettings samplingSettings(long step) {
        return sampling.toBuilder().seed(seed * 0x9E3779B97F4A7C15L + step).build();
    }
}
