package io.kdflow.core.job;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.pretrain.DenoisingSettings;
import io.kdflow.core.wire.proto.DenoisingSpec;
import io.kdflow.core.wire.proto.JobSpec;
import io.kdflow.core.wire.proto.ModelShapeSpec;
import io.kdflow.core.wire.proto.TeacherSpec;
import java.util.Optional;

/** Resolves {@code JobSpec.teacher} (or the older teacher_uri / teacher_init_uri) into {@link TeacherSettings}. */
final class TeacherOfSpec {

    private static final String FIELD = "JobSpec.teacher.";

    private TeacherOfSpec() {}

    /**
     * @param training the job's resolved training settings: the teacher's phases default to its seed and token
     *     limits
     */
    static Optional<TeacherSettings> teacher(JobSpec spec, TrainingSettings training, JobLimits limits) {
        TrainingSettings defaults = phaseDefaults(training);
        if (!spec.hasTeacher()) {
            if (!spec.getTeacherUri().isEmpty()) {
                return Optional.of(given(TeacherSettings.Source.PRETRAINED, spec.getTeacherUri(), defaults));
            }
            if (!spec.getTeacherInitUri().isEmpty()) {
                return Optional.of(given(TeacherSettings.Source.FINE_TUNE, spec.getTeacherInitUri(), defaults));
            }
            return Optional.empty();
        }
        TeacherSpec t = spec.getTeacher();
        TeacherSettings.Source source = switch (t.getSource()) {
            case SOURCE_UNSPECIFIED -> t.getDir().isEmpty() ? TeacherSettings.Source.TRAIN
                    : TeacherSettings.Source.PRETRAINED;
            case PRETRAINED -> TeacherSettings.Source.PRETRAINED;
            case FINE_TUNE -> TeacherSettings.Source.FINE_TUNE;
            case TRAIN -> TeacherSettings.Source.TRAIN;
            case UNRECOGNIZED -> throw SpecField.rejected(FIELD + "source", Integer.toString(t.getSourceValue()),
                    "PRETRAINED, FINE_TUNE or TRAIN");
        };
        boolean train = source == TeacherSettings.Source.TRAIN;
        if (train != t.getDir().isEmpty()) {
            throw new BadInputException(FIELD + "dir: " + (train ? "'" + t.getDir() + "' is set" : "missing")
                    + " for source " + source + " (a Hugging Face directory for PRETRAINED and FINE_TUNE, none for"
                    + " TRAIN)");
        }
        if (!train && (t.hasTokenizer() || t.hasShape() || t.hasPretraining() || !t.getConfigUri().isEmpty())) {
            throw new BadInputException(FIELD + "source: " + source + " takes its tokenizer and model from dir"
                    + " (tokenizer, config_uri, shape and pretraining apply to TRAIN only)");
        }
        DenoisingSpec p = t.getPretraining();
        String pre = FIELD + "pretraining.";
        return Optional.of(new TeacherSettings(source, train ? Optional.empty() : Optional.of(t.getDir()),
                new TeacherSettings.TokenizerSettings(
                        SpecField.integer(FIELD + "tokenizer.vocab_size", t.getTokenizer().hasVocabSize(),
                                t.getTokenizer().getVocabSize(), TeacherSettings.TokenizerSettings.DEFAULTS.vocabSize(),
                                16, 1 << 20),
                        SpecField.integer(FIELD + "tokenizer.min_frequency", t.getTokenizer().hasMinFrequency(),
                                t.getTokenizer().getMinFrequency(),
                                TeacherSettings.TokenizerSettings.DEFAULTS.minFrequency(), 1, 1_000_000)),
                t.getConfigUri().isEmpty() ? Optional.empty() : Optional.of(t.getConfigUri()),
                shape(t.getShape()),
                SpecField.integer(pre + "epochs", p.hasEpochs(), p.getEpochs(), 0, 0, 10_000),
                denoising(p, training),
                JobSettings.crossEntropy(pre + "optimization.", p.getOptimization(), defaults, limits),
                JobSettings.crossEntropy(FIELD + "fine_tuning.", t.getFineTuning(), defaults, limits)));
    }

    /** Cross-entropy with the documented defaults, the job's seed and token limits. */
    private static TrainingSettings phaseDefaults(TrainingSettings t) {
        TrainingSettings d = TrainingSettings.DEFAULTS;
        return new TrainingSettings(TrainingSettings.Objective.CROSS_ENTROPY, 1.0, d.epochs(), d.batchSize(),
                d.gradientAccumulation(), d.learningRate(), d.weightDecay(), d.warmupSteps(), t.seed(),
                TrainingSettings.JointTeaching.OFF, 0, 0, d.earlyStoppingPatience(), t.maxSourceTokens(),
                t.maxTargetTokens(), 0, d.checkpointEverySteps(), d.maxGradNorm(), 0, true, d.groupByLength());
    }

    private static TeacherSettings given(TeacherSettings.Source source, String dir, TrainingSettings defaults) {
        return new TeacherSettings(source, Optional.of(dir), TeacherSettings.TokenizerSettings.DEFAULTS,
                Optional.empty(), TeacherSettings.ModelShape.NONE, 0,
                DenoisingSettings.bart(defaults.maxSourceTokens(), defaults.maxTargetTokens()), defaults, defaults);
    }

    private static DenoisingSettings denoising(DenoisingSpec p, TrainingSettings training) {
        String pre = FIELD + "pretraining.";
        DenoisingSettings d = DenoisingSettings.bart(training.maxSourceTokens(), training.maxTargetTokens());
        double maskRatio = SpecField.real(pre + "mask_ratio", p.hasMaskRatio(), p.getMaskRatio(), d.maskRatio(), 0,
                false, 1);
        if (maskRatio >= 1) {
            throw SpecField.rejected(pre + "mask_ratio", Float.toString((float) maskRatio), ">= 0.0 and < 1.0");
        }
        return new DenoisingSettings(maskRatio,
                SpecField.real(pre + "poisson_lambda", p.hasPoissonLambda(), p.getPoissonLambda(), d.poissonLambda(),
                        0, true, 100),
                p.hasPermuteSentences() ? p.getPermuteSentences() : d.permuteSentences(),
                p.hasWholeWordSpans() ? p.getWholeWordSpans() : d.wholeWordSpans(),
                d.maxSourceTokens(), d.maxTargetTokens());
    }

    private static TeacherSettings.ModelShape shape(ModelShapeSpec s) {
        String pre = FIELD + "shape.";
        Optional<Integer> dModel = size(pre + "d_model", s.hasDModel(), s.getDModel(), 8, 1 << 16);
        Optional<Integer> heads = size(pre + "attention_heads", s.hasAttentionHeads(), s.getAttentionHeads(), 1, 1024);
        if (dModel.isPresent() && heads.isPresent() && dModel.get() % heads.get() != 0) {
            throw new BadInputException(pre + "attention_heads: " + heads.get() + " does not divide d_model "
                    + dModel.get() + " (heads must split the hidden size evenly)");
        }
        return new TeacherSettings.ModelShape(dModel,
                size(pre + "encoder_layers", s.hasEncoderLayers(), s.getEncoderLayers(), 1, 256),
                size(pre + "decoder_layers", s.hasDecoderLayers(), s.getDecoderLayers(), 1, 256),
                heads,
                size(pre + "ffn_dim", s.hasFfnDim(), s.getFfnDim(), 1, 1 << 18),
                s.hasDropout() ? Optional.of(SpecField.real(pre + "dropout", true, s.getDropout(), 0, 0, false, 0.9))
                        : Optional.empty(),
                size(pre + "max_position_embeddings", s.hasMaxPositionEmbeddings(), s.getMaxPositionEmbeddings(), 2,
                        1 << 16));
    }

    private static Optional<Integer> size(String path, boolean present, int value, int min, int max) {
        return present ? Optional.of(SpecField.integer(path, true, Integer.toUnsignedLong(value), 0, min, max))
                : Optional.empty();
    }
}
