package io.kdflow.core.train;

import io.kdflow.core.error.BadInputException;
import java.util.Objects;

/**
 * The training objective of a run, in plain parameters ({@link Objectives#create} builds it). Sequence-level
 * KD needs no kind of its own: it is {@link Kind#CROSS_ENTROPY} or a KD kind on an epoch plan with PTs.
 *
 * @param kind which loss
 * @param teacher where the teacher's distribution comes from: a teacher forward pass in the process, or the
 *     sparse distributions of the records
 * @param temperature softmax temperature tau of every KD kind (the paper: 1)
 * @param beta generalized JSD weight in [0, 1] (0 = forward KL, 1 = reverse KL); read by
 *     {@link Kind#GENERALIZED_JSD} only
 * @param noiseDropout noisy KD's teacher dropout in [0, 1), or NaN for the teacher config's own rate
 * @param jointTeachingFraction share of steps that train on the student's own samples (0 = off, "only
 *     teacher"; 0.5 = every second step, the paper's; 1 = every step, "only student"); needs the teacher in
 *     the process or {@link TeacherSource#REMOTE}
 * @param maxSourceTokens input limit of the batches Joint-Teaching samples for
 * @param maxTargetTokens most tokens of a Joint-Teaching sample (the task's target limit)
 * @param seed base of Joint-Teaching's sampling seeds
 * @param relationHeads attention-relation KD: relation heads A each projection is re-split into; 0 = the
 *     teacher's attention heads of that block (the paper's)
 * @param relationWeight attention-relation KD: weight w of the mean relation loss; the logit KD gets 1 - w (the
 *     paper: 0.5)
 * @param scaleBatches attention-relation KD: the first batches whose mean loss sizes each term's scale
 *     1 / max(mean, 0.025) (the paper: 100); 0 = no scaling
 */
public record ObjectiveSpec(Kind kind, TeacherSource teacher, double temperature, double beta, double noiseDropout,
        double jointTeachingFraction, int maxSourceTokens, int maxTargetTokens, long seed, int relationHeads,
        double relationWeight, int scaleBatches) {

    /** The paper's attention-relation settings: the teacher's heads, weight 0.5, scales from 100 batches. */
    private static final int PAPER_RELATION_HEADS = 0;
    private static final double PAPER_RELATION_WEIGHT = 0.5;
    private static final int PAPER_SCALE_BATCHES = 100;

    /** The losses of the study (docs/method.md, "Objectives"). */
    public enum Kind {
        /** Teacher-forced token cross-entropy on the batch's targets (gold or PTs). */
        CROSS_ENTROPY,
        /** The paper's logit KD: KL(teacher || student), per-example token mean, tau^2. */
        LOGIT_KD,
        /** Logit KD with the teacher's dropout active. */
        NOISY_KD,
        /** KL(student || teacher), TRL's token-mean reduction. */
        REVERSE_KL,
        /** TRL's generalized JSD(beta). */
        GENERALIZED_JSD,
        /**
         * MiniLMv2-style relations of the last layers' queries, keys and values, with the logit KD (the paper's
         * fourth S3 objective).
         */
        ATTENTION_RELATION_KD
    }

    /** Where KD reads the teacher's distribution. */
    public enum TeacherSource {
        /** A teacher model in this process (dense logits). */
        IN_PROCESS,
        /** The sparse distributions the PT records carry. */
        RECORDS,
        /**
         * The records' sparse distributions on the batch's targets, and a remote teacher's sparse distributions
         * (a {@link io.kdflow.core.train.objective.StudentSampleScorer}, teacher-service) on Joint-Teaching's
         * student samples: no teacher in the process.
         */
        REMOTE
    }

    public ObjectiveSpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(teacher, "teacher");
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw bad("temperature", temperature, "must be finite and > 0 (the paper uses 1)");
        }
        if (!(beta >= 0 && beta <= 1)) {
            throw bad("beta", beta, "must be in [0, 1] (0 = forward KL, 1 = reverse KL)");
        }
        if (!Double.isNaN(noiseDropout) && !(noiseDropout >= 0 && noiseDropout < 1)) {
            throw bad("noise_dropout", noiseDropout, "must be in [0, 1), or unset for the teacher config's rate");
        }
        if (!(jointTeachingFraction >= 0) || Double.isInfinite(jointTeachingFraction)) {
            throw bad("joint_teaching_fraction", jointTeachingFraction,
                    "must be finite and >= 0 (0 = off, 0.5 = every second step, 1 = every step)");
        }
        if (maxSourceTokens < 1 || maxTargetTokens < 1) {
            throw new BadInputException("objective: max_source_tokens and max_target_tokens must be >= 1, got "
                    + maxSourceTokens + " and " + maxTargetTokens);
        }
        if (relationHeads < 0) {
            throw bad("relation_heads", relationHeads, "must be >= 0 (0 = the teacher's attention heads)");
        }
        if (!(relationWeight >= 0 && relationWeight <= 1)) {
            throw bad("relation_weight", relationWeight, "must be in [0, 1] (the logit KD gets 1 - weight; the paper"
                    + " uses 0.5)");
        }
        if (scaleBatches < 0) {
            throw bad("scale_batches", scaleBatches, "must be >= 0 (0 = no loss scaling; the paper uses 100)");
        }
        if (kind == Kind.ATTENTION_RELATION_KD && teacher != TeacherSource.IN_PROCESS) {
            throw new BadInputException("objective.teacher: " + teacher + " is not allowed with ATTENTION_RELATION_KD"
                    + " (the relations need the teacher's queries, keys and values, so it needs the teacher"
                    + " IN_PROCESS)");
        }
        if (kind == Kind.ATTENTION_RELATION_KD && jointTeachingFraction > 0) {
            throw new BadInputException("objective.joint_teaching_fraction: " + jointTeachingFraction + " is not"
                    + " supported with ATTENTION_RELATION_KD (Joint-Teaching runs LOGIT_KD, NOISY_KD, REVERSE_KL or"
                    + " GENERALIZED_JSD); use 0");
        }
        if (kind == Kind.NOISY_KD && teacher != TeacherSource.IN_PROCESS) {
            throw new BadInputException("objective.teacher: " + teacher + " is not allowed with NOISY_KD (the"
                    + " teacher's dropout acts at training time, so it needs the teacher IN_PROCESS)");
        }
        if (jointTeachingFraction > 0 && (kind == Kind.CROSS_ENTROPY || teacher == TeacherSource.RECORDS)) {
            throw new BadInputException("objective.joint_teaching_fraction: " + jointTeachingFraction + " needs a KD"
                    + " kind with the teacher IN_PROCESS (it scores the student's samples), got " + kind + " with "
                    + teacher);
        }
    }

    /** A spec with the paper's attention-relation settings (read by {@link Kind#ATTENTION_RELATION_KD} only). */
    public ObjectiveSpec(Kind kind, TeacherSource teacher, double temperature, double beta, double noiseDropout,
            double jointTeachingFraction, int maxSourceTokens, int maxTargetTokens, long seed) {
        this(kind, teacher, temperature, beta, noiseDropout, jointTeachingFraction, maxSourceTokens, maxTargetTokens,
                seed, PAPER_RELATION_HEADS, PAPER_RELATION_WEIGHT, PAPER_SCALE_BATCHES);
    }

    /** Cross-entropy (fine-tuning, sequence-level KD with cross-entropy, the final fine-tune). */
    public static ObjectiveSpec crossEntropy() {
        return new ObjectiveSpec(Kind.CROSS_ENTROPY, TeacherSource.RECORDS, 1, 0, Double.NaN, 0, 1, 1, 0);
    }

    /** {@code kind} at temperature {@code temperature}, no Joint-Teaching, beta 0, the config's dropout. */
    public static ObjectiveSpec of(Kind kind, TeacherSource teacher, double temperature) {
        return new ObjectiveSpec(kind, teacher, temperature, 0, Double.NaN, 0, 1, 1, 0);
    }

    public ObjectiveSpec withBeta(double value) {
        return new ObjectiveSpec(kind, teacher, temperature, value, noiseDropout, jointTeachingFraction,
                maxSourceTokens, maxTargetTokens, seed, relationHeads, relationWeight, scaleBatches);
    }

    public ObjectiveSpec withNoiseDropout(double value) {
        return new ObjectiveSpec(kind, teacher, temperature, beta, value, jointTeachingFraction, maxSourceTokens,
                maxTargetTokens, seed, relationHeads, relationWeight, scaleBatches);
    }

    /** Joint-Teaching with samples of at most {@code maxTargetTokens} tokens, seeded by {@code seed}. */
    public ObjectiveSpec withJointTeaching(double fraction, int maxSource, int maxTarget, long samplingSeed) {
        return new ObjectiveSpec(kind, teacher, temperature, beta, noiseDropout, fraction, maxSource, maxTarget,
                samplingSeed, relationHeads, relationWeight, scaleBatches);
    }

    /**
     * Attention-relation KD's parameters.
     *
     * @param heads relation heads, 0 = the teacher's
     * @param weight weight of the relation losses in [0, 1]; the logit KD gets 1 - weight
     * @param batches batches that size the loss scales, 0 = unscaled
     */
    public ObjectiveSpec withRelations(int heads, double weight, int batches) {
        return new ObjectiveSpec(kind, teacher, temperature, beta, noiseDropout, jointTeachingFraction,
                maxSourceTokens, maxTargetTokens, seed, heads, weight, batches);
    }

    /** True when the objective needs a teacher model in the process. */
    public boolean needsTeacher() {
        return kind != Kind.CROSS_ENTROPY && teacher == TeacherSource.IN_PROCESS;
    }

    private static BadInputException bad(String key, long value, String allowed) {
        return new BadInputException("objective." + key + ": " + value + " is not allowed (" + allowed + ")");
    }

    private static BadInputException bad(String key, double value, String allowed) {
        return new BadInputException("objective." + key + ": " + value + " is not allowed (" + allowed + ")");
    }
}
