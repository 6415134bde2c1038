package io.kdflow.core.decoding;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.model.config.GenerationConfig.EarlyStopping;
import java.util.Objects;

/**
 * How to decode: greedy ({@code numBeams == 1}, no sampling), beam search ({@code numBeams > 1}) or
 * sampling ({@code doSample}), with the meaning {@code transformers}' {@code generate} gives the same
 * names. Defaults come from a model's {@code generation_config.json} ({@link #defaults}); every value is
 * checked on construction and a bad one fails with a message naming the setting.
 *
 * @param maxNewTokens       most tokens generated per sequence (EOS included)
 * @param minNewTokens       EOS is forbidden until this many tokens were generated
 * @param numBeams           beams per input; 1 = no beam search
 * @param lengthPenalty      beam scores are sum(log p) / length^lengthPenalty
 * @param earlyStopping      when beam search stops an input (true, false or "never", as in transformers)
 * @param numReturnSequences best beams returned per input (beam search only; at most numBeams)
 * @param doSample           sample instead of taking the most likely token
 * @param temperature        sampling: logits are divided by it before top-k / top-p
 * @param topK               sampling: keep the k most likely tokens (0 = all)
 * @param topP               sampling: keep the smallest set of most likely tokens whose mass is at least p
 * @param seed               sampling: base seed; each (input, sample) pair derives its own generator
 * @param numSamples         sampling: independent samples per input
 * @param logProbTopK        per generated position, also return the k most likely tokens of the unscaled,
 *                           unfiltered distribution (0 = none)
 */
public record GenerationSettings(
        int maxNewTokens,
        int minNewTokens,
        int numBeams,
        double lengthPenalty,
        EarlyStopping earlyStopping,
        int numReturnSequences,
        boolean doSample,
        double temperature,
        int topK,
        double topP,
        long seed,
        int numSamples,
        int logProbTopK) {

    /** The three decoding strategies. */
    public enum Mode { GREEDY, BEAM_SEARCH, SAMPLING }

    public GenerationSettings {
        Objects.requireNonNull(earlyStopping, "earlyStopping");
        require(maxNewTokens >= 1, "max_new_tokens must be >= 1, got " + maxNewTokens);
        require(minNewTokens >= 0 && minNewTokens <= maxNewTokens,
                "min_new_tokens must be in [0, max_new_tokens=" + maxNewTokens + "], got " + minNewTokens);
        require(numBeams >= 1, "num_beams must be >= 1, got " + numBeams);
        require(Double.isFinite(lengthPenalty), "length_penalty must be finite, got " + lengthPenalty);
        require(numReturnSequences >= 1, "num_return_sequences must be >= 1, got " + numReturnSequences);
        require(numReturnSequences <= numBeams, "num_return_sequences (" + numReturnSequences
                + ") must be <= num_beams (" + numBeams + ")" + (doSample ? "; use num_samples for K samples" : ""));
        require(!(doSample && numBeams > 1), "sampling with num_beams > 1 (beam sampling) is not supported");
        require(temperature > 0 && Double.isFinite(temperature), "temperature must be > 0, got " + temperature);
        require(topK >= 0, "top_k must be >= 0 (0 = no top-k), got " + topK);
        require(topP > 0 && topP <= 1, "top_p must be in (0, 1], got " + topP);
        require(numSamples >= 1, "num_samples must be >= 1, got " + numSamples);
        require(doSample || numSamples == 1, "num_samples = " + numSamples + " needs do_sample");
        require(logProbTopK >= 0, "log-prob top-k must be >= 0 (0 = none), got " + logProbTopK);
    }

    /**
     * The settings a model's generation config asks for. {@code max_new_tokens} / {@code min_new_tokens}
     * win; otherwise {@code max_length - 1} / {@code min_length - 1} (the lengths count the decoder start
     * token of encoder-decoder models). With sampling, {@code num_return_sequences} becomes the number of
     * samples. Seed 0, no log-prob top-k.
     */
    public static GenerationSettings defaults(GenerationConfig config) {
        int maxNew = config.maxNewTokens() != null ? config.maxNewTokens() : Math.max(1, config.maxLength() - 1);
        int minNew = config.minNewTokens() != null ? config.minNewTokens() : Math.max(0, config.minLength() - 1);
        boolean sample = config.doSample();
        return new GenerationSettings(maxNew, Math.min(minNew, maxNew), config.numBeams(), config.lengthPenalty(),
                config.earlyStopping(), sample ? 1 : config.numReturnSequences(), sample, config.temperature(),
                config.topK(), config.topP(), 0L, sample ? config.numReturnSequences() : 1, 0);
    }

    /** Greedy decoding of at most {@code maxNewTokens} tokens, nothing else set. */
    public static GenerationSettings greedy(int maxNewTokens) {
        return new GenerationSettings(maxNewTokens, 0, 1, 1.0, EarlyStopping.FALSE, 1, false, 1.0, 0, 1.0, 0L, 1, 0);
    }

    public Mode mode() {
        if (doSample) {
            return Mode.SAMPLING;
        }
        return numBeams > 1 ? Mode.BEAM_SEARCH : Mode.GREEDY;
    }

    /** Sequences returned per input: samples, returned beams or 1. */
    public int sequencesPerInput() {
        return switch (mode()) {
            case SAMPLING -> numSamples;
            case BEAM_SEARCH -> numReturnSequences;
            case GREEDY -> 1;
        };
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new BadInputException(message);
        }
    }

    /** Changes some settings of a valid value; {@link #build} checks the result. */
    public static final class Builder {

        private int maxNewTokens;
        private int minNewTokens;
        private int numBeams;
        private double lengthPenalty;
        private EarlyStopping earlyStopping;
        private int numReturnSequences;
        private boolean doSample;
        private double temperature;
        private int topK;
        private double topP;
        private long seed;
        private int numSamples;
        private int logProbTopK;

        private Builder(GenerationSettings from) {
            maxNewTokens = from.maxNewTokens;
            minNewTokens = from.minNewTokens;
            numBeams = from.numBeams;
            lengthPenalty = from.lengthPenalty;
            earlyStopping = from.earlyStopping;
            numReturnSequences = from.numReturnSequences;
            doSample = from.doSample;
            temperature = from.temperature;
            topK = from.topK;
            topP = from.topP;
            seed = from.seed;
            numSamples = from.numSamples;
            logProbTopK = from.logProbTopK;
        }

        public Builder maxNewTokens(int value) {
            maxNewTokens = value;
            return this;
        }

        public Builder minNewTokens(int value) {
            minNewTokens = value;
            return this;
        }

        public Builder numBeams(int value) {
            numBeams = value;
            return this;
        }

        public Builder lengthPenalty(double value) {
            lengthPenalty = value;
            return this;
        }

        public Builder earlyStopping(EarlyStopping value) {
            earlyStopping = value;
            return this;
        }

        public Builder numReturnSequences(int value) {
            numReturnSequences = value;
            return this;
        }

        public Builder doSample(boolean value) {
            doSample = value;
            return this;
        }

        public Builder temperature(double value) {
            temperature = value;
            return this;
        }

        public Builder topK(int value) {
            topK = value;
            return this;
        }

        public Builder topP(double value) {
            topP = value;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder numSamples(int value) {
            numSamples = value;
            return this;
        }

        public Builder logProbTopK(int value) {
            logProbTopK = value;
            return this;
        }

        public GenerationSettings build() {
            return new GenerationSettings(maxNewTokens, minNewTokens, numBeams, lengthPenalty, earlyStopping,
                    numReturnSequences, doSample, temperature, topK, topP, seed, numSamples, logProbTopK);
        }
    }
}
