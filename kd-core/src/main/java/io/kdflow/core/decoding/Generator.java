package io.kdflow.core.decoding;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.model.nn.Autograd;
import io.kdflow.core.model.nn.DenormalFlush;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates from a model with a KV cache: greedy decoding, beam search or sampling, as
 * {@link GenerationSettings#mode()} says. One call decodes one batch; all arrays it creates are freed
 * before it returns. Not thread-safe per model (decoders share nothing, but callers should not run
 * two batches of one model at once on two threads without their own thread budget).
 *
 * <pre>{@code
 * Generator generator = new Generator(model, GenerationConfig.readOrDefault(dir, model.config()));
 * List<Generation> out = generator.generate(inputs, GenerationSettings.greedy(64));
 * }</pre>
 */
public final class Generator {

    private static final Logger LOG = LoggerFactory.getLogger(Generator.class);

    private final PretrainedModel model;
    private final DecodingTokens tokens;
    private final GenerationConfig config;

    public Generator(PretrainedModel model, GenerationConfig config) {
        this.model = model;
        this.config = config;
        this.tokens = DecodingTokens.of(config);
        if (config.noRepeatNgramSize() > 0 || config.repetitionPenalty() != 1.0) {
            LOG.warn("generation config asks for no_repeat_ngram_size={} / repetition_penalty={}: not supported, ignored",
                    config.noRepeatNgramSize(), config.repetitionPenalty());
        }
    }

    /** The settings the model's generation config asks for. */
    public GenerationSettings defaultSettings() {
        return GenerationSettings.defaults(config);
    }

    public PretrainedModel model() {
        return model;
    }

    /** One {@link Generation} per input, in input order. */
    public List<Generation> generate(List<GenerationInput> inputs, GenerationSettings settings) {
        return generate(inputs, settings, 0);
    }

    /**
     * Sampling only: samples {@code firstSampleIndex .. firstSampleIndex + numSamples - 1} of every input,
     * the same sequences a call with more samples returns at those indices (each sample's random stream
     * depends on the seed, the input's seed key and the sample's index alone). This lets a caller draw
     * sample j of many inputs without drawing samples 0..j-1 again.
     */
    public List<Generation> sample(List<GenerationInput> inputs, GenerationSettings settings, int firstSampleIndex) {
        if (settings.mode() != GenerationSettings.Mode.SAMPLING) {
            throw new IllegalArgumentException("a first sample index needs sampling settings, got " + settings.mode());
        }
        if (firstSampleIndex < 0) {
            throw new IllegalArgumentException("first sample index must be >= 0, got " + firstSampleIndex);
        }
        return generate(inputs, settings, firstSampleIndex);
    }

    private List<Generation> generate(List<GenerationInput> inputs, GenerationSettings settings, int firstSampleIndex) {
        int vocabSize = model.config().vocabSize();
        if (settings.logProbTopK() > vocabSize) {
            throw new BadInputException("log-prob top-k " + settings.logProbTopK() + " exceeds the vocabulary ("
                    + vocabSize + " tokens)");
        }
        if (inputs.isEmpty()) {
            return List.of();
        }
        DenormalFlush.ensureEnabled();
        try (Autograd.Scope noGrad = Autograd.disabled();
                NDManager batch = model.manager().newSubManager()) {
            return settings.mode() == GenerationSettings.Mode.BEAM_SEARCH
                    ? new BeamSearch(model, tokens, settings).run(inputs, batch)
                    : new AncestralSearch(model, tokens, settings, firstSampleIndex).run(inputs, batch);
        }
    }
}
