package io.kdflow.core.job;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.pt.PtDecoding;
import io.kdflow.core.wire.proto.DecodingSettings;
import io.kdflow.core.wire.proto.EvaluationSpec;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.PseudoTargetSpec;
import io.kdflow.core.wire.proto.StudentSpec;
import io.kdflow.core.wire.proto.TeacherDistribution;
import io.kdflow.core.wire.proto.TrainingSpec;
import java.util.Optional;

/**
 * The settings of one job for each role, resolved from its {@link JobSpec}: a field the spec sets is validated
 * and used, an unset one takes the default a service passes (normally {@link TrainingSettings#DEFAULTS} and
 * {@link SamplingSettings#DEFAULTS}, the values documented in kdflow.proto). Evaluation settings are resolved
 * by the evaluation package.
 *
 * @param jobId the job's id ({@code JobSpec.header.job_id})
 * @param student where the student comes from
 * @param training the distillation phase's optimization ({@code JobSpec.training})
 * @param sampling the pseudo-targets
 * @param objective the distillation loss and its parameters (authoritative over {@code training.objective()})
 * @param jointTeaching Joint-Teaching
 * @param task data and prompt; empty when the spec names no train data (a streaming job's data is on Kafka)
 * @param teacher where the teacher comes from; empty when the spec says nothing about it
 * @param baseline the cross-entropy student on gold; an unset field takes {@code training}'s value
 * @param selection dev evaluations per epoch
 * @param outputDir folder the run writes into
 * @param threads intra-op threads; 0 = the engine's default
 */
public record JobSettings(String jobId, StudentSettings student, TrainingSettings training,
        SamplingSettings sampling, ObjectiveSettings objective, JointTeachingSettings jointTeaching,
        Optional<TaskSettings> task, Optional<TeacherSettings> teacher, TrainingSettings baseline,
        SelectionSettings selection, String outputDir, int threads) {

    /** The output folder of a spec that names none. */
    public static final String DEFAULT_OUTPUT_DIR = "runs";

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
        TrainingSettings training = training(TRAINING, spec.getTraining(), trainingDefaults, limits);
        return new JobSettings(jobId, student(spec.getStudent()), training,
                sampling(spec.getPseudoTargets(), samplingDefaults, limits),
                ObjectivesOfSpec.objective(spec.getTraining(), training),
                ObjectivesOfSpec.jointTeaching(spec.getTraining(), training),
                TaskOfSpec.task(spec),
                TeacherOfSpec.teacher(spec, training, limits),
                crossEntropy("JobSpec.baseline.", spec.getBaseline(), baselineDefaults(training), limits),
                selection(spec.getEvaluation()),
                spec.getOutputDir().isEmpty() ? DEFAULT_OUTPUT_DIR : spec.getOutputDir(),
                SpecField.integer("JobSpec.threads", spec.hasThreads(), spec.getThreads(), 0, 0, 1024));
    }

    /**
     * A phase that trains on gold with cross-entropy (the baseline, the teacher's): its objective may only be
     * unset or CROSS_ENTROPY.
     */
    static TrainingSettings crossEntropy(String path, TrainingSpec t, TrainingSettings d, JobLimits limits) {
        if (t.getObjective() != TrainingSpec.Objective.OBJECTIVE_UNSPECIFIED
                && t.getObjective() != TrainingSpec.Objective.CROSS_ENTROPY) {
            throw SpecField.rejected(path + "objective", t.getObjective().toString(),
                    "CROSS_ENTROPY: this phase trains on gold only");
        }
        return training(path, t, d, limits);
    }

    /** The baseline's defaults: the distillation phase's optimization, with cross-entropy on gold only. */
    static TrainingSettings baselineDefaults(TrainingSettings t) {
        return new TrainingSettings(TrainingSettings.Objective.CROSS_ENTROPY, 1.0, t.epochs(), t.batchSize(),
                t.gradientAccumulation(), t.learningRate(), t.weightDecay(), t.warmupSteps(), t.seed(),
                TrainingSettings.JointTeaching.OFF, 0, 0, t.earlyStoppingPatience(), t.maxSourceTokens(),
                t.maxTargetTokens(), t.totalSteps(), t.checkpointEverySteps(), t.maxGradNorm(), t.scheduleEpochs(),
                t.selectOnDev(), t.groupByLength());
    }

    static StudentSettings student(StudentSpec s) {
        String field = "JobSpec.student.";
        StudentSettings.Source source = switch (s.getSource()) {
            case SOURCE_UNSPECIFIED -> !s.getInitUri().isEmpty() ? StudentSettings.Source.DIR
                    : !s.getConfigUri().isEmpty() ? StudentSettings.Source.CONFIG
                    : StudentSettings.Source.PRUNED_TEACHER;
            case PRUNED_TEACHER -> StudentSettings.Source.PRUNED_TEACHER;
            case CONFIG -> StudentSettings.Source.CONFIG;
            case DIR -> StudentSettings.Source.DIR;
            case UNRECOGNIZED -> throw SpecField.rejected(field + "source", Integer.toString(s.getSourceValue()),
                    "PRUNED_TEACHER, CONFIG or DIR");
        };
        if ((source == StudentSettings.Source.DIR) == s.getInitUri().isEmpty()) {
            throw new BadInputException(field + "init_uri: '" + s.getInitUri() + "' does not fit source " + source
                    + " (set exactly when the source is DIR)");
        }
        if ((source == StudentSettings.Source.CONFIG) == s.getConfigUri().isEmpty()) {
            throw new BadInputException(field + "config_uri: '" + s.getConfigUri() + "' does not fit source " + source
                    + " (set exactly when the source is CONFIG)");
        }
        if (source == StudentSettings.Source.CONFIG
                && s.getKeepEncoderLayersCount() + s.getKeepDecoderLayersCount() > 0) {
            throw new BadInputException(field + "keep_decoder_layers: layer lists prune the teacher or the directory"
                    + " (sources PRUNED_TEACHER and DIR), not a new model of a config (the source is CONFIG)");
        }
        return new StudentSettings(s.getInitUri(), s.getKeepEncoderLayersList(), s.getKeepDecoderLayersList(), source,
                s.getConfigUri());
    }

    static SelectionSettings selection(EvaluationSpec e) {
        SelectionSettings d = SelectionSettings.DEFAULTS;
        return new SelectionSettings(SpecField.integer("JobSpec.evaluation.evaluations_per_epoch",
                e.hasEvaluationsPerEpoch(), e.getEvaluationsPerEpoch(), d.evaluationsPerEpoch(), 1, 100));
    }

    /** A TrainingSpec at {@code path} (e.g. "JobSpec.baseline."), unset fields taken from {@code d}. */
    static TrainingSettings training(String path, TrainingSpec t, TrainingSettings d, JobLimits limits) {
        int batchSize = SpecField.integer(path + "batch_size", t.hasBatchSize(), t.getBatchSize(), d.batchSize(),
                1, limits.maxBatchSize());
        int accumulation = SpecField.integer(path + "gradient_accumulation", t.hasGradientAccumulation(),
                t.getGradientAccumulation(), d.gradientAccumulation(), 1, 1024);
        long totalSteps = SpecField.longInteger(path + "total_steps", t.hasTotalSteps(), t.getTotalSteps(),
                d.totalSteps(), 1, limits.maxTotalSteps());
        int warmup = SpecField.integer(path + "warmup_steps", t.hasWarmupSteps(), t.getWarmupSteps(),
                d.warmupSteps(), 0, totalSteps > 0 ? totalSteps : limits.maxTotalSteps());
        return new TrainingSettings(objective(path, t.getObjective(), d.objective()),
                SpecField.real(path + "kd_temperature", t.hasKdTemperature(), t.getKdTemperature(),
                        d.kdTemperature(), 0, true, 100),
                SpecField.integer(path + "epochs", t.hasEpochs(), t.getEpochs(), d.epochs(), 1, 10_000),
                batchSize, accumulation,
                SpecField.real(path + "learning_rate", t.hasLearningRate(), t.getLearningRate(), d.learningRate(),
                        0, true, 1),
                SpecField.real(path + "weight_decay", t.hasWeightDecay(), t.getWeightDecay(), d.weightDecay(),
                        0, false, 1),
                warmup,
                t.hasSeed() ? t.getSeed() : d.seed(),
                jointTeaching(path, t.getJointTeaching()),
                SpecField.integer(path + "max_staleness_steps", t.hasMaxStalenessSteps(), t.getMaxStalenessSteps(),
                        d.maxStalenessSteps(), 0, 1000),
                SpecField.integer(path + "final_finetune_epochs", t.hasFinalFinetuneEpochs(),
                        t.getFinalFinetuneEpochs(), d.finalFinetuneEpochs(), 0, 10_000),
                SpecField.integer(path + "early_stopping_patience", t.hasEarlyStoppingPatience(),
                        t.getEarlyStoppingPatience(), d.earlyStoppingPatience(), 0, 10_000),
                SpecField.integer(path + "max_source_tokens", t.hasMaxSourceTokens(), t.getMaxSourceTokens(),
                        d.maxSourceTokens(), 2, limits.maxTokens()),
                SpecField.integer(path + "max_target_tokens", t.hasMaxTargetTokens(), t.getMaxTargetTokens(),
                        d.maxTargetTokens(), 1, limits.maxTokens()),
                totalSteps,
                SpecField.integer(path + "checkpoint_every_steps", t.hasCheckpointEverySteps(),
                        t.getCheckpointEverySteps(), d.checkpointEverySteps(), 1, limits.maxTotalSteps()),
                SpecField.real(path + "max_grad_norm", t.hasMaxGradNorm(), t.getMaxGradNorm(), d.maxGradNorm(),
                        0, false, 1e6),
                SpecField.integer(path + "schedule_epochs", t.hasScheduleEpochs(), t.getScheduleEpochs(),
                        d.scheduleEpochs(), 0, 100_000),
                t.hasSelectOnDev() ? t.getSelectOnDev() : d.selectOnDev(),
                t.hasGroupByLength() ? t.getGroupByLength() : d.groupByLength());
    }

    static SamplingSettings sampling(PseudoTargetSpec p, SamplingSettings d, JobLimits limits) {
        TeacherDistribution.Quantization quantization = switch (p.getQuantization()) {
            case QUANTIZATION_UNSPECIFIED -> d.quantization();
            case UNRECOGNIZED -> throw SpecField.rejected(SAMPLING + "quantization",
                    Integer.toString(p.getQuantizationValue()), "FP32, FP16 or INT8");
            default -> p.getQuantization();
        };
        int k = SpecField.integer(SAMPLING + "num_pseudo_targets", p.hasNumPseudoTargets(), p.getNumPseudoTargets(),
                d.numPseudoTargets(), 0, limits.maxPseudoTargets());
        Optional<PtDecoding> mode = switch (p.getMode()) {
            case MODE_UNSPECIFIED -> Optional.empty();
            case BEAM_SEARCH -> Optional.of(PtDecoding.BEAM_SEARCH);
            case SAMPLING -> Optional.of(PtDecoding.SAMPLING);
            case HIGH_TEMPERATURE_SAMPLING -> Optional.of(PtDecoding.HIGH_TEMPERATURE_SAMPLING);
            case UNRECOGNIZED -> throw SpecField.rejected(SAMPLING + "mode", Integer.toString(p.getModeValue()),
                    "BEAM_SEARCH, SAMPLING or HIGH_TEMPERATURE_SAMPLING");
        };
        DecodingSettings decodingDefaults = mode.map(m -> modeDefaults(m, k, d.decoding())).orElse(d.decoding());
        DecodingSettings decoding = p.hasDecoding() ? decoding(p.getDecoding(), decodingDefaults, limits)
                : decodingDefaults;
        if (mode.isPresent() && mode.get().strategy() != decoding.getStrategy()) {
            throw SpecField.rejected(DECODING + "strategy", decoding.getStrategy().name(),
                    mode.get().strategy().name() + ", the strategy of mode " + mode.get().name());
        }
        PtDecoding resolvedMode = mode.orElseGet(() -> decoding.getStrategy() != DecodingSettings.Strategy.SAMPLING
                ? PtDecoding.BEAM_SEARCH : decoding.getTemperature() > 1 ? PtDecoding.HIGH_TEMPERATURE_SAMPLING
                : PtDecoding.SAMPLING);
        return new SamplingSettings(k, decoding,
                p.hasIncludeUnlabeled() ? p.getIncludeUnlabeled() : d.includeUnlabeled(),
                SpecField.integer(SAMPLING + "distribution_top_k", p.hasDistributionTopK(), p.getDistributionTopK(),
                        d.distributionTopK(), 1, 1 << 20),
                quantization, resolvedMode,
                p.hasIncludeLabeled() ? p.getIncludeLabeled() : d.includeLabeled(),
                SpecField.integer(SAMPLING + "batch_size", p.hasBatchSize(), p.getBatchSize(), d.batchSize(), 1,
                        limits.maxBatchSize()));
    }

    /**
     * The decoding of a PT mode when the spec sets no field of it: beam search with max(4, K) beams, or
     * sampling at the mode's temperature with top-p 0.95 and top-k 50 (docs/method.md, "PT decoding").
     */
    static DecodingSettings modeDefaults(PtDecoding mode, int k, DecodingSettings d) {
        DecodingSettings.Builder b = d.toBuilder().setStrategy(mode.strategy())
                .setTemperature((float) mode.temperature());
        return mode.sampling()
                ? b.setNumBeams(1).setTopK(PtDecoding.TOP_K).setTopP((float) PtDecoding.TOP_P).build()
                : b.setNumBeams(Math.max(Math.max(1, d.getNumBeams()), k)).setTopK(0).setTopP(1f).build();
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

    /**
     * The objective as the four-valued {@link TrainingSettings.Objective}: the divergences it predates count as
     * logit KD there ({@link ObjectiveSettings#kind()} tells them apart).
     */
    private static TrainingSettings.Objective objective(String path, TrainingSpec.Objective objective,
            TrainingSettings.Objective defaultValue) {
        return switch (objective) {
            case OBJECTIVE_UNSPECIFIED -> defaultValue;
            case CROSS_ENTROPY -> TrainingSettings.Objective.CROSS_ENTROPY;
            case LOGITS_KD, REVERSE_KD, GENERALIZED_JSD, ATTENTION_RELATION_KD -> TrainingSettings.Objective.LOGITS_KD;
            case NOISY_KD -> TrainingSettings.Objective.NOISY_KD;
            case SEQUENCE_KD -> TrainingSettings.Objective.SEQUENCE_KD;
            case UNRECOGNIZED -> throw SpecField.rejected(path + "objective", "an unknown enum value",
                    ObjectivesOfSpec.OBJECTIVES);
        };
    }

    private static TrainingSettings.JointTeaching jointTeaching(String path, TrainingSpec.JointTeaching mode) {
        return switch (mode) {
            case JOINT_TEACHING_OFF -> TrainingSettings.JointTeaching.OFF;
            case LOCAL -> TrainingSettings.JointTeaching.LOCAL;
            case REMOTE -> TrainingSettings.JointTeaching.REMOTE;
            case UNRECOGNIZED -> throw SpecField.rejected(path + "joint_teaching", "an unknown enum value",
                    "JOINT_TEACHING_OFF, LOCAL or REMOTE");
        };
    }
}
