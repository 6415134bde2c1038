package io.kdflow.core.job;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.wire.proto.DecodingSettings;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.PseudoTargetSpec;
import io.kdflow.core.wire.proto.TeacherDistribution;
import io.kdflow.core.wire.proto.TrainingSpec;

/**
 * The settings of one job for each role, resolved from its {@link JobSpec}: a field the spec sets is validated
 * and used, an unset one takes the default a service passes (normally {@link TrainingSettings#DEFAULTS} and
 * {@link SamplingSettings#DEFAULTS}, the values documented in kdflow.proto). Evaluation settings are resolved
 * by the evaluation package.
 *
 * @param jobId the job's id ({@code JobSpec.header.job_id})
 */
public record JobSettings(String jobId, StudentSettings student, TrainingSettings training,
        SamplingSettings sampling) {

    private static final String TRAINING = "JobSpec.training.";
    private static final String SAMPLING = "JobSpec.pseudo_targets.";
    private static final String DECODING = SAMPLING + "decoding.";

    /** Resolves with the documented defaults and {@link JobLimits#DEFAULT}. */
    public static JobSettings resolve(JobSpec spec) {
        return resolve(spec, TrainingSettings.DEFAULTS, SamplingSettings.DEFAULTS, JobLimits.DEFAULT);
    }

    /**
     * @throws BadInputException naming the JobSpec field, its value and the allowed range, for the first bad field
     */
    public static JobSettings resolve(JobSpec spec, TrainingSettings trainingDefaults,
            SamplingSettings samplingDefaults, JobLimits limits) {
        String jobId = spec.getHeader().getJobId();
        if (jobId.isEmpty()) {
            throw new BadInputException("JobSpec.header.job_id: must not be empty");
        }
        StudentSettings student = new StudentSettings(spec.getStudent().getInitUri(),
                spec.getStudent().getKeepEncoderLayersList(), spec.getStudent().getKeepDecoderLayersList());
        return new JobSettings(jobId, student, training(spec.getTraining(), trainingDefaults, limits),
                sampling(spec.getPseudoTargets(), samplingDefaults, limits));
    }

    static TrainingSettings training(TrainingSpec t, TrainingSettings d, JobLimits limits) {
        int batchSize = SpecField.integer(TRAINING + "batch_size", t.hasBatchSize(), t.getBatchSize(), d.batchSize(),
                1, limits.maxBatchSize());
        int accumulation = SpecField.integer(TRAINING + "gradient_accumulation", t.hasGradientAccumulation(),
                t.getGradientAccumulation(), d.gradientAccumulation(), 1, 1024);
        long totalSteps = SpecField.longInteger(TRAINING + "total_steps", t.hasTotalSteps(), t.getTotalSteps(),
                d.totalSteps(), 1, limits.maxTotalSteps());
        int warmup = SpecField.integer(TRAINING + "warmup_steps", t.hasWarmupSteps(), t.getWarmupSteps(),
                d.warmupSteps(), 0, totalSteps > 0 ? totalSteps : limits.maxTotalSteps());
        return new TrainingSettings(objective(t.getObjective(), d.objective()),
                SpecField.real(TRAINING + "kd_temperature", t.hasKdTemperature(), t.getKdTemperature(),
                        d.kdTemperature(), 0, true, 100),
                SpecField.integer(TRAINING + "epochs", t.hasEpochs(), t.getEpochs(), d.epochs(), 1, 10_000),
                batchSize, accumulation,
                SpecField.real(TRAINING + "learning_rate", t.hasLearningRate(), t.getLearningRate(), d.learningRate(),
                        0, true, 1),
                SpecField.real(TRAINING + "weight_decay", t.hasWeightDecay(), t.getWeightDecay(), d.weightDecay(),
                        0, false, 1),
                warmup,
                t.hasSeed() ? t.getSeed() : d.seed(),
                jointTeaching(t.getJointTeaching()),
                SpecField.integer(TRAINING + "max_staleness_steps", t.hasMaxStalenessSteps(), t.getMaxStalenessSteps(),
                        d.maxStalenessSteps(), 0, 1000),
                SpecField.integer(TRAINING + "final_finetune_epochs", t.hasFinalFinetuneEpochs(),
                        t.getFinalFinetuneEpochs(), d.finalFinetuneEpochs(), 0, 10_000),
                SpecField.integer(TRAINING + "early_stopping_patience", t.hasEarlyStoppingPatience(),
                        t.getEarlyStoppingPatience(), d.earlyStoppingPatience(), 0, 10_000),
                SpecField.integer(TRAINING + "max_source_tokens", t.hasMaxSourceTokens(), t.getMaxSourceTokens(),
                        d.maxSourceTokens(), 2, limits.maxTokens()),
                SpecField.integer(TRAINING + "max_target_tokens", t.hasMaxTargetTokens(), t.getMaxTargetTokens(),
                        d.maxTargetTokens(), 1, limits.maxTokens()),
                totalSteps,
                SpecField.integer(TRAINING + "checkpoint_every_steps", t.hasCheckpointEverySteps(),
                        t.getCheckpointEverySteps(), d.checkpointEverySteps(), 1, limits.maxTotalSteps()),
                SpecField.real(TRAINING + "max_grad_norm", t.hasMaxGradNorm(), t.getMaxGradNorm(), d.maxGradNorm(),
                        0, false, 1e6));
    }

    static SamplingSettings sampling(PseudoTargetSpec p, SamplingSettings d, JobLimits limits) {
        TeacherDistribution.Quantization quantization = switch (p.getQuantization()) {
            case QUANTIZATION_UNSPECIFIED -> d.quantization();
            case UNRECOGNIZED -> throw SpecField.rejected(SAMPLING + "quantization",
                    Integer.toString(p.getQuantizationValue()), "FP32, FP16 or INT8");
            default -> p.getQuantization();
        };
        return new SamplingSettings(
                SpecField.integer(SAMPLING + "num_pseudo_targets", p.hasNumPseudoTargets(), p.getNumPseudoTargets(),
                        d.numPseudoTargets(), 0, limits.maxPseudoTargets()),
                p.hasDecoding() ? decoding(p.getDecoding(), d.decoding(), limits) : d.decoding(),
                p.hasIncludeUnlabeled() ? p.getIncludeUnlabeled() : d.includeUnlabeled(),
                SpecField.integer(SAMPLING + "distribution_top_k", p.hasDistributionTopK(), p.getDistributionTopK(),
                        d.distributionTopK(), 1, 1 << 20),
                quantization);
    }

    /**
     * DecodingSettings is shared with provenance and has no explicit presence: a zero field means "the
     * default" (so a length penalty of exactly 0 cannot be asked for here).
     */
    private static DecodingSettings decoding(DecodingSettings s, DecodingSettings d, JobLimits limits) {
        DecodingSettings.Strategy strategy = switch (s.getStrategy()) {
            case STRATEGY_UNSPECIFIED -> d.getStrategy();
            case UNRECOGNIZED -> throw SpecField.rejected(DECODING + "strategy", Integer.toString(s.getStrategyValue()),
                    "GREEDY, BEAM_SEARCH or SAMPLING");
            default -> s.getStrategy();
        };
        int beams = SpecField.integer(DECODING + "num_beams", s.getNumBeams() != 0, s.getNumBeams(),
                strategy == DecodingSettings.Strategy.BEAM_SEARCH ? Math.max(1, d.getNumBeams()) : 1, 1, 64);
        return DecodingSettings.newBuilder()
                .setStrategy(strategy)
                .setNumBeams(beams)
                .setTemperature((float) SpecField.real(DECODING + "temperature", s.getTemperature() != 0,
                        s.getTemperature(), d.getTemperature(), 0, true, 100))
                .setTopK(SpecField.integer(DECODING + "top_k", true, s.getTopK(), 0, 0, 1 << 20))
                .setTopP((float) SpecField.real(DECODING + "top_p", s.getTopP() != 0, s.getTopP(), d.getTopP(), 0, true,
                        1))
                .setMaxNewTokens(SpecField.integer(DECODING + "max_new_tokens", s.getMaxNewTokens() != 0,
                        s.getMaxNewTokens(), d.getMaxNewTokens(), 1, limits.maxTokens()))
                .setLengthPenalty((float) SpecField.real(DECODING + "length_penalty", s.getLengthPenalty() != 0,
                        s.getLengthPenalty(), d.getLengthPenalty(), -100, false, 100))
                .setEarlyStopping(s.getEarlyStopping())
                .setNumReturnSequences(SpecField.integer(DECODING + "num_return_sequences",
                        s.getNumReturnSequences() != 0, s.getNumReturnSequences(),
                        Math.max(1, d.getNumReturnSequences()), 1, 1024))
                .build();
    }

    private static TrainingSettings.Objective objective(TrainingSpec.Objective objective,
            TrainingSettings.Objective defaultValue) {
        return switch (objective) {
            case OBJECTIVE_UNSPECIFIED -> defaultValue;
            case CROSS_ENTROPY -> TrainingSettings.Objective.CROSS_ENTROPY;
            case LOGITS_KD -> TrainingSettings.Objective.LOGITS_KD;
            case NOISY_KD -> TrainingSettings.Objective.NOISY_KD;
            case SEQUENCE_KD -> TrainingSettings.Objective.SEQUENCE_KD;
            case UNRECOGNIZED -> throw SpecField.rejected(TRAINING + "objective", "an unknown enum value",
                    "CROSS_ENTROPY, LOGITS_KD, NOISY_KD or SEQUENCE_KD");
        };
    }

    private static TrainingSettings.JointTeaching jointTeaching(TrainingSpec.JointTeaching mode) {
        return switch (mode) {
            case JOINT_TEACHING_OFF -> TrainingSettings.JointTeaching.OFF;
            case LOCAL -> TrainingSettings.JointTeaching.LOCAL;
            case REMOTE -> TrainingSettings.JointTeaching.REMOTE;
            case UNRECOGNIZED -> throw SpecField.rejected(TRAINING + "joint_teaching", "an unknown enum value",
                    "JOINT_TEACHING_OFF, LOCAL or REMOTE");
        };
    }
}
