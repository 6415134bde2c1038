package io.kdflow.core.job;

import io.kdflow.core.train.EpochBatches;

/**
 * What the student trainer does for one job ({@code JobSpec.training}), resolved and validated.
 *
 * @param objective the loss of a micro-batch
 * @param kdTemperature softmax temperature of the KD objectives
 * @param epochs passes over the training data (epoch e uses PT number e mod K)
 * @param batchSize examples per micro-batch
 * @param gradientAccumulation micro-batches per optimizer step
 * @param learningRate peak AdamW learning rate
 * @param weightDecay AdamW decoupled weight decay
 * @param warmupSteps linear warm-up optimizer steps
 * @param seed seed of shuffling, dropout and sampling
 * @param jointTeaching Joint-Teaching mode
 * @param maxStalenessSteps remote Joint-Teaching: optimizer steps a teacher score may lag
 * @param finalFinetuneEpochs cross-entropy epochs on gold after distillation
 * @param earlyStoppingPatience dev evaluations without improvement before stopping; 0 = never
 * @param maxSourceTokens source tokens kept per example, template included
 * @param maxTargetTokens target tokens kept per example, EOS included
 * @param totalSteps optimizer steps of the schedule; 0 = derive from epochs and the data size
 * @param checkpointEverySteps a checkpoint every this many optimizer steps
 * @param maxGradNorm gradient-norm clipping threshold; 0 = no clipping
 * @param scheduleEpochs epochs the learning-rate schedule is sized for; 0 = {@code epochs}
 * @param selectOnDev continue from the checkpoint best on dev after this phase (else the last)
 * @param groupByLength put examples of similar length into the same micro-batch (less padding, faster; see
 *     {@link io.kdflow.core.train.EpochBatches.Order#LENGTH_GROUPED})
 */
public record TrainingSettings(Objective objective, double kdTemperature, int epochs, int batchSize,
        int gradientAccumulation, double learningRate, double weightDecay, int warmupSteps, long seed,
        JointTeaching jointTeaching, int maxStalenessSteps, int finalFinetuneEpochs, int earlyStoppingPatience,
        int maxSourceTokens, int maxTargetTokens, long totalSteps, int checkpointEverySteps, double maxGradNorm,
        int scheduleEpochs, boolean selectOnDev, boolean groupByLength) {

    /** The documented defaults of {@code TrainingSpec} (see kdflow.proto). */
    public static final TrainingSettings DEFAULTS = new TrainingSettings(Objective.CROSS_ENTROPY, 1.0, 10, 16, 1,
            5e-4, 0.01, 0, 42, JointTeaching.OFF, 0, 0, 0, 64, 64, 0, 25, 1.0, 0, true, false);

    public enum Objective { CROSS_ENTROPY, LOGITS_KD, NOISY_KD, SEQUENCE_KD }

    public enum JointTeaching { OFF, LOCAL, REMOTE }

    public TrainingSettings {
        if (batchSize < 1 || gradientAccumulation < 1 || epochs < 1 || checkpointEverySteps < 1
                || !(learningRate > 0) || maxSourceTokens < 2 || maxTargetTokens < 1 || totalSteps < 0
                || warmupSteps < 0 || scheduleEpochs < 0) {
            throw new IllegalArgumentException("inconsistent training settings: " + this);
        }
    }

    /** Settings whose schedule is sized for {@code epochs}, that select on dev and shuffle plainly (the defaults). */
    public TrainingSettings(Objective objective, double kdTemperature, int epochs, int batchSize,
            int gradientAccumulation, double learningRate, double weightDecay, int warmupSteps, long seed,
            JointTeaching jointTeaching, int maxStalenessSteps, int finalFinetuneEpochs, int earlyStoppingPatience,
            int maxSourceTokens, int maxTargetTokens, long totalSteps, int checkpointEverySteps, double maxGradNorm) {
        this(objective, kdTemperature, epochs, batchSize, gradientAccumulation, learningRate, weightDecay,
                warmupSteps, seed, jointTeaching, maxStalenessSteps, finalFinetuneEpochs, earlyStoppingPatience,
                maxSourceTokens, maxTargetTokens, totalSteps, checkpointEverySteps, maxGradNorm, 0, true, false);
    }

    /** How the epochs' examples are put into micro-batches. */
    public EpochBatches.Order batchOrder() {
        return EpochBatches.Order.of(groupByLength);
    }

    /** Examples per optimizer step. */
    public int examplesPerStep() {
        return batchSize * gradientAccumulation;
    }

    /**
     * Optimizer steps of the schedule: {@link #totalSteps} when set, else {@link #scheduleEpochs} (or, when 0,
     * {@link #epochs}) over {@code trainExamples}.
     */
    public long scheduleSteps(long trainExamples) {
        if (totalSteps > 0) {
            return totalSteps;
        }
        long perEpoch = Math.max(1, (trainExamples + examplesPerStep() - 1) / examplesPerStep());
        return Math.max(warmupSteps, perEpoch * (scheduleEpochs > 0 ? scheduleEpochs : epochs));
    }
}
