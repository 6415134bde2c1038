package io.kdflow.core.teacher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.job.JobSettings;
import io.kdflow.core.job.TaskSettings;
import io.kdflow.core.job.TeacherSettings;
import io.kdflow.core.job.TrainingSettings;
import io.kdflow.core.pretrain.DenoisingSettings;
import io.kdflow.core.train.EpochBatches;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a teacher is made: its tokenizer and BART shape (used only when it is trained from scratch), the
 * denoising pre-training and the cross-entropy fine-tuning, and how the best fine-tuning epoch is chosen.
 *
 * @param vocabSize byte-level BPE vocabulary trained on the task's text (special tokens included)
 * @param minFrequency least count of a pair the tokenizer merges
 * @param shape the BART's size
 * @param denoisingEpochs passes of denoising pre-training over its texts; 0 = none
 * @param denoising text infilling and sentence permutation, and the token limits of denoising pairs
 * @param pretraining batch, learning rate, warm-up and weight decay of denoising pre-training
 * @param maxDenoisingTexts the most pre-training texts (training sources and targets first, then unlabeled
 *     lines); 0 = all
 * @param fineTuneEpochs passes of cross-entropy over the gold pairs
 * @param batchSize examples per optimizer step of fine-tuning
 * @param learningRate peak AdamW learning rate of fine-tuning
 * @param warmupSteps linear warm-up steps at the start of fine-tuning
 * @param weightDecay AdamW decoupled weight decay of fine-tuning
 * @param seed seed of initialisation, noise, shuffling and dropout
 * @param maxTokens source and target tokens kept per fine-tuning pair, end token included; also the most
 *     new tokens when the dev split is decoded
 * @param devSelection whether the fine-tuning epoch with the best dev BLEU is kept (else the last)
 * @param devExamples dev examples decoded after every fine-tuning epoch (the first of the split)
 * @param devBeams beams of that decoding
 * @param groupByLength fine-tuning and pre-training put pairs of similar length into one batch
 *     ({@link io.kdflow.core.train.EpochBatches.Order#LENGTH_GROUPED})
 */
public record TeacherRecipe(int vocabSize, int minFrequency, BartShape shape, int denoisingEpochs,
        DenoisingSettings denoising, Optimization pretraining, int maxDenoisingTexts, int fineTuneEpochs,
        int batchSize, double learningRate, int warmupSteps, double weightDecay, long seed, int maxTokens,
        boolean devSelection, int devExamples, int devBeams, boolean groupByLength) {

    private static final String FIELD = "teacher option ";
    /** The tokenizer's least merge count when a recipe does not say: pairs seen once are not merged. */
    static final int DEFAULT_MIN_FREQUENCY = 2;

    /**
     * The optimization of one phase.
     *
     * @param batchSize examples per optimizer step
     * @param learningRate peak AdamW learning rate
     * @param warmupSteps linear warm-up steps at the start of the phase
     * @param weightDecay AdamW decoupled weight decay
     */
    public record Optimization(int batchSize, double learningRate, int warmupSteps, double weightDecay) {}

    public TeacherRecipe {
        if (vocabSize < 300) {
            throw new BadInputException(FIELD + "vocab_size: " + vocabSize
                    + " is too small (at least 300: 256 byte tokens, the special tokens and some merges)");
        }
        requireAtLeast("min_frequency", minFrequency, 1);
        requireOptimization("pretraining_", pretraining);
        requireAtLeast("denoising_epochs", denoisingEpochs, 0);
        requireAtLeast("max_denoising_texts", maxDenoisingTexts, 0);
        requireAtLeast("fine_tune_epochs", fineTuneEpochs, 1);
        requireOptimization("", new Optimization(batchSize, learningRate, warmupSteps, weightDecay));
        requireAtLeast("max_tokens", maxTokens, 2);
        requireAtLeast("dev_examples", devExamples, 1);
        requireAtLeast("dev_beams", devBeams, 1);
        if (maxTokens > shape.maxPositions() || denoising.maxSourceTokens() > shape.maxPositions()
                || denoising.maxTargetTokens() > shape.maxPositions()) {
            throw new BadInputException(FIELD + "max_tokens: " + maxTokens + " (denoising "
                    + denoising.maxSourceTokens() + "/" + denoising.maxTargetTokens()
                    + ") exceeds max_positions " + shape.maxPositions());
        }
    }

    /**
     * A recipe whose pre-training uses the fine-tuning's optimization and whose tokenizer merges pairs seen at
     * least twice.
     */
    public TeacherRecipe(int vocabSize, BartShape shape, int denoisingEpochs, DenoisingSettings denoising,
            int maxDenoisingTexts, int fineTuneEpochs, int batchSize, double learningRate, int warmupSteps,
            double weightDecay, long seed, int maxTokens, boolean devSelection, int devExamples, int devBeams) {
        this(vocabSize, DEFAULT_MIN_FREQUENCY, shape, denoisingEpochs, denoising,
                new Optimization(batchSize, learningRate, warmupSteps, weightDecay), maxDenoisingTexts,
                fineTuneEpochs, batchSize, learningRate, warmupSteps, weightDecay, seed, maxTokens, devSelection,
                devExamples, devBeams, false);
    }

    /** How pre-training and fine-tuning put their pairs into batches. */
    public EpochBatches.Order batchOrder() {
        return EpochBatches.Order.of(groupByLength);
    }

    /** The fine-tuning's batch, learning rate, warm-up and weight decay. */
    public Optimization fineTuning() {
        return new Optimization(batchSize, learningRate, warmupSteps, weightDecay);
    }

    /**
     * The recipe for the bundled Shakespeare task, sized for a 2-core machine (about 45 minutes on two busy
     * libtorch threads): vocabulary 3,000, d_model 256, 3+3 layers, one denoising epoch over the first 16,000
     * texts (training sources and targets, then unlabeled lines: 500 steps), then 6 fine-tuning epochs
     * (1,314 steps) with the best dev-BLEU epoch kept; both phases batch 32, rate 1e-3, 200 warm-up steps, weight
     * decay 0.01; the tokenizer merges pairs seen at least twice.
     */
    public static TeacherRecipe shakespeare() {
        return new TeacherRecipe(3000, new BartShape(256, 3, 3, 4, 1024, 0.1, 64), 1,
                DenoisingSettings.bart(48, 48), 16_000, 6, 32, 1e-3, 200, 0.01, 42, 48, true, 200, 4);
    }

    /**
     * The recipe a job file's {@code teacher} section describes ({@link TeacherSettings}, resolved with the job):
     * the job file is the one description, this record the trainer's view of it. The tokenizer's vocabulary,
     * the BART shape of {@code config_file} (else the bench's bart-small) with the {@code shape} overrides,
     * its {@code min_frequency}, the denoising epochs, noise and optimization (batch, rate, warm-up, weight
     * decay of {@code pretraining}), and the fine-tuning optimization (batch, rate, warm-up, weight decay,
     * epochs, seed, dev selection); the token limit is the larger of the fine-tuning's source and target
     * limits.
     *
     * @param devBeams beams of the dev decoding that selects the fine-tuning epoch (the job's evaluation)
     * @throws BadInputException when the job has no teacher section, or its config file cannot be read
     */
    public static TeacherRecipe of(JobSettings settings, int devBeams) {
        TeacherSettings teacher = settings.teacher().orElseThrow(() -> new BadInputException(
                "JobSpec.teacher: missing (a job that trains or fine-tunes its teacher needs a teacher section)"));
        TrainingSettings tune = teacher.fineTuning();
        TrainingSettings pre = teacher.pretraining();
        if (pre.groupByLength() && !tune.groupByLength()) {
            throw new BadInputException("JobSpec.teacher.pretraining.group_by_length: the teacher's phases share one"
                    + " batch order; set teacher.fine_tuning.group_by_length, which applies to both");
        }
        int devExamples = settings.task().map(TaskSettings::maxDevExamples).filter(n -> n > 0)
                .orElse(Integer.MAX_VALUE);
        DenoisingSettings d = teacher.denoising();
        DenoisingSettings denoising = new DenoisingSettings(written(d.maskRatio()), written(d.poissonLambda()),
                d.permuteSentences(), d.wholeWordSpans(), d.maxSourceTokens(), d.maxTargetTokens());
        Optimization pretraining = new Optimization(pre.batchSize(), written(pre.learningRate()), pre.warmupSteps(),
                written(pre.weightDecay()));
        return new TeacherRecipe(teacher.tokenizer().vocabSize(), teacher.tokenizer().minFrequency(),
                shapeOf(teacher), teacher.pretrainingEpochs(), denoising, pretraining, 0, tune.epochs(),
                tune.batchSize(), written(tune.learningRate()), tune.warmupSteps(), written(tune.weightDecay()),
                tune.seed(), Math.max(tune.maxSourceTokens(), tune.maxTargetTokens()), tune.selectOnDev(),
                devExamples, devBeams, tune.groupByLength());
    }

    /**
     * A job's real number as its file wrote it: JobSpec keeps them as 32-bit floats, whose widening
     * (0.1f is 0.10000000149...) would otherwise enter the recipe, its cache key and its provenance.
     */
    private static double written(double value) {
        return Double.parseDouble(Float.toString((float) value));
    }

    /** The bench's bart-small: d_model 256, 4+4 layers, 4 heads, FFN 1024, no dropout, 128 positions. */
    static final BartShape BENCH_SMALL = new BartShape(256, 4, 4, 4, 1024, 0.0, 128);

    private static BartShape shapeOf(TeacherSettings teacher) {
        BartShape base = teacher.configFile().map(TeacherRecipe::readShape).orElse(BENCH_SMALL);
        TeacherSettings.ModelShape o = teacher.shape();
        return new BartShape(o.dModel().orElse(base.dModel()), o.encoderLayers().orElse(base.encoderLayers()),
                o.decoderLayers().orElse(base.decoderLayers()), o.attentionHeads().orElse(base.heads()),
                o.ffnDim().orElse(base.ffnDim()), o.dropout().map(TeacherRecipe::written).orElse(base.dropout()),
                o.maxPositionEmbeddings().orElse(base.maxPositions()));
    }

    private static BartShape readShape(String configFile) {
        try {
            JsonNode c = new ObjectMapper().readTree(Path.of(configFile).toFile());
            String type = c.path("model_type").asText("bart");
            if (!type.equals("bart")) {
                throw new BadInputException("JobSpec.teacher.config_uri: " + configFile + " is a " + type
                        + " config; a teacher trained here (source TRAIN) is a BART (give a bart config.json, or use"
                        + " source pretrained with a trained " + type + " directory)");
            }
            return new BartShape(c.path("d_model").asInt(), c.path("encoder_layers").asInt(),
                    c.path("decoder_layers").asInt(), c.path("encoder_attention_heads").asInt(),
                    c.path("encoder_ffn_dim").asInt(), c.path("dropout").asDouble(0.0),
                    c.path("max_position_embeddings").asInt());
        } catch (IOException e) {
            throw new BadInputException("JobSpec.teacher.config_uri: cannot read " + configFile + ": "
                    + e.getMessage(), e);
        }
    }

    /** The settings as a canonical map (fixed key order, snake-case names): the cache key and provenance. */
    public Map<String, Object> canonical() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("vocab_size", vocabSize);
        map.put("d_model", shape.dModel());
        map.put("encoder_layers", shape.encoderLayers());
        map.put("decoder_layers", shape.decoderLayers());
        map.put("heads", shape.heads());
        map.put("ffn_dim", shape.ffnDim());
        map.put("dropout", shape.dropout());
        map.put("max_positions", shape.maxPositions());
        map.put("denoising_epochs", denoisingEpochs);
        map.put("mask_ratio", denoising.maskRatio());
        map.put("poisson_lambda", denoising.poissonLambda());
        map.put("permute_sentences", denoising.permuteSentences());
        map.put("whole_word_spans", denoising.wholeWordSpans());
        map.put("denoising_max_source_tokens", denoising.maxSourceTokens());
        map.put("denoising_max_target_tokens", denoising.maxTargetTokens());
        map.put("pretraining_batch_size", pretraining.batchSize());
        map.put("pretraining_learning_rate", pretraining.learningRate());
        map.put("pretraining_warmup_steps", pretraining.warmupSteps());
        map.put("pretraining_weight_decay", pretraining.weightDecay());
        map.put("max_denoising_texts", maxDenoisingTexts);
        map.put("fine_tune_epochs", fineTuneEpochs);
        map.put("batch_size", batchSize);
        map.put("learning_rate", learningRate);
        map.put("warmup_steps", warmupSteps);
        map.put("weight_decay", weightDecay);
        map.put("seed", seed);
        map.put("max_tokens", maxTokens);
        map.put("dev_selection", devSelection);
        map.put("dev_examples", devExamples);
        map.put("dev_beams", devBeams);
        map.put("min_frequency", minFrequency);
        map.put("group_by_length", groupByLength);
        return map;
    }

    /**
     * What identifies the teacher this recipe makes ({@link TeacherCache#key}): {@link #canonical} without the keys
     * recipes gained later ({@code min_frequency}, {@code pretraining_*}, {@code group_by_length}) while they hold
     * the values every older recipe implied (merge pairs seen twice; pre-train with the fine-tuning's optimization;
     * shuffled batches) or do not act (no pre-training epochs), so that a teacher cached before those keys existed
     * is still found.
     */
    public Map<String, Object> identity() {
        Map<String, Object> map = canonical();
        if (minFrequency == DEFAULT_MIN_FREQUENCY) {
            map.remove("min_frequency");
        }
        if (!groupByLength) {
            map.remove("group_by_length");
        }
        if (denoisingEpochs == 0 || pretraining.equals(fineTuning())) {
            map.keySet().removeIf(key -> key.startsWith("pretraining_"));
        }
        return map;
    }

    /**
     * {@code base} with some settings replaced, by their {@link #canonical} names (e.g. {@code d_model=256}).
     *
     * @throws BadInputException naming an unknown setting or a value that is not a number or boolean
     */
    public static TeacherRecipe withOverrides(TeacherRecipe base, Map<String, String> overrides) {
        Map<String, Object> map = base.canonical();
        overrides.forEach((key, value) -> {
            Object old = map.get(key);
            if (old == null) {
                throw new BadInputException(FIELD + key + ": unknown; known options are " + map.keySet());
            }
            try {
                map.put(key, parse(old, key, value));
            } catch (NumberFormatException e) {
                throw new BadInputException(FIELD + key + ": \"" + value + "\" is not "
                        + (old instanceof Double ? "a number" : "an integer"));
            }
        });
        return fromCanonical(map);
    }

    private static Object parse(Object old, String key, String value) {
        if (old instanceof Boolean) {
            return parseBoolean(key, value);
        }
        if (old instanceof Integer) {
            return Integer.parseInt(value.strip());
        }
        if (old instanceof Long) {
            return Long.parseLong(value.strip());
        }
        return Double.parseDouble(value.strip());
    }

    private static boolean parseBoolean(String key, String value) {
        if (!value.equals("true") && !value.equals("false")) {
            throw new BadInputException(FIELD + key + ": \"" + value + "\" is not true or false");
        }
        return Boolean.parseBoolean(value);
    }

    private static TeacherRecipe fromCanonical(Map<String, Object> m) {
        BartShape shape = new BartShape(integer(m, "d_model"), integer(m, "encoder_layers"),
                integer(m, "decoder_layers"), integer(m, "heads"), integer(m, "ffn_dim"), number(m, "dropout"),
                integer(m, "max_positions"));
        DenoisingSettings denoising = new DenoisingSettings(number(m, "mask_ratio"), number(m, "poisson_lambda"),
                (Boolean) m.get("permute_sentences"), (Boolean) m.get("whole_word_spans"),
                integer(m, "denoising_max_source_tokens"), integer(m, "denoising_max_target_tokens"));
        Optimization pretraining = new Optimization(integer(m, "pretraining_batch_size"),
                number(m, "pretraining_learning_rate"), integer(m, "pretraining_warmup_steps"),
                number(m, "pretraining_weight_decay"));
        return new TeacherRecipe(integer(m, "vocab_size"), integer(m, "min_frequency"), shape,
                integer(m, "denoising_epochs"), denoising, pretraining, integer(m, "max_denoising_texts"),
                integer(m, "fine_tune_epochs"), integer(m, "batch_size"),
                number(m, "learning_rate"), integer(m, "warmup_steps"), number(m, "weight_decay"),
                ((Number) m.get("seed")).longValue(), integer(m, "max_tokens"), (Boolean) m.get("dev_selection"),
                integer(m, "dev_examples"), integer(m, "dev_beams"),
                (Boolean) m.getOrDefault("group_by_length", false));
    }

    private static int integer(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).intValue();
    }

    private static double number(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    /** {@code prefix} names the phase's keys: "" for fine-tuning, "pretraining_" for pre-training. */
    private static void requireOptimization(String prefix, Optimization o) {
        requireAtLeast(prefix + "batch_size", o.batchSize(), 1);
        requireAtLeast(prefix + "warmup_steps", o.warmupSteps(), 0);
        if (!(o.learningRate() > 0 && o.learningRate() < 1)) {
            throw new BadInputException(FIELD + prefix + "learning_rate: " + o.learningRate() + " is outside (0, 1)");
        }
        if (!(o.weightDecay() >= 0 && o.weightDecay() < 1)) {
            throw new BadInputException(FIELD + prefix + "weight_decay: " + o.weightDecay() + " is outside [0, 1)");
        }
    }

    private static void requireAtLeast(String name, int value, int least) {
        if (value < least) {
            throw new BadInputException(FIELD + name + ": " + value + " is below " + least);
        }
    }
}
