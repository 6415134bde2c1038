package io.kdflow.core.compute;

import io.kdflow.core.model.config.BartConfig;
import io.kdflow.core.model.config.Gpt2Config;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.model.config.T5Config;

/**
 * An analytical estimate of the working memory (float32 bytes, weights excluded) that greedy generation of
 * T new tokens from S input tokens needs at a batch size: the paper's "increase in peak allocated memory
 * during the call", computed instead of measured because the CPU engine has no allocator statistics.
 *
 * <p>Peak = the larger of two phases:
 * <ul>
 *   <li>input phase: the encoder's (or the prompt pass's) largest layer: q/k/v, the (H, S, S) scores, the
 *       feed-forward activation and two residual-width copies; for a decoder-only model also the prompt's
 *       (S, V) logits;</li>
 *   <li>decoding phase: the KV cache (self-attention for every fed position, cross-attention keys and values
 *       for the S source positions), the encoder output, and one step's transients (the (V) logits twice for
 *       the masked argmax, the feed-forward activation, the attention scores over every key).</li>
 * </ul>
 * Everything scales linearly with the batch. Formulas in {@code docs/compute-metrics.md}.
 */
public final class GenerationMemory {

    static final long FLOAT_BYTES = 4;

    private GenerationMemory() {}

    /** Estimated peak working bytes of {@code batch} rows. */
    public static long bytes(ModelConfig config, int batch, int sourceLength, int newTokens) {
        if (batch < 1 || sourceLength < 1 || newTokens < 1) {
            throw new IllegalArgumentException("memory estimate needs batch, source length and new tokens >= 1, got "
                    + batch + ", " + sourceLength + ", " + newTokens);
        }
        return Math.multiplyExact(Math.multiplyExact(batch, floatsPerRow(config, sourceLength, newTokens)), FLOAT_BYTES);
    }

    private static long floatsPerRow(ModelConfig config, long s, long t) {
        if (config instanceof BartConfig bart) {
            return encoderDecoder(bart.dModel(), bart.dModel(), bart.encoderAttentionHeads(),
                    bart.decoderAttentionHeads(), bart.encoderFfnDim(), bart.decoderFfnDim(), bart.decoderLayers(),
                    bart.vocabSize(), s, t);
        }
        if (config instanceof T5Config t5) {
            long ffn = t5.gatedActivation() ? 2L * t5.dFf() : t5.dFf();
            return encoderDecoder(t5.dModel(), t5.innerDim(), t5.numHeads(), t5.numHeads(), ffn, ffn,
                    t5.numDecoderLayers(), t5.vocabSize(), s, t);
        }
        if (config instanceof Gpt2Config gpt2) {
            return decoderOnly(gpt2, s, t);
        }
        throw new IllegalArgumentException("no memory estimate for model type " + config.modelType());
    }

    private static long encoderDecoder(long d, long inner, long encoderHeads, long decoderHeads, long encoderFfn,
            long decoderFfn, long decoderLayers, long vocab, long s, long t) {
        long encoderLayer = 3 * s * inner + encoderHeads * s * s + s * encoderFfn + 2 * s * d;
        long encoderOutput = s * d;
        long kvCache = decoderLayers * 2 * (t + s) * inner;
        long step = 2 * vocab + decoderFfn + decoderHeads * Math.max(s, t) + 4 * d;
        return Math.max(encoderLayer + encoderOutput, encoderOutput + kvCache + step);
    }

    private static long decoderOnly(Gpt2Config config, long s, long t) {
        long e = config.nEmbd();
        long heads = config.nHead();
        long kvCache = config.nLayer() * 2 * (s + t) * e;
        long promptLayer = 3 * s * e + heads * s * s + s * config.nInner() + 2 * s * e + s * config.vocabSize();
        long step = 2L * config.vocabSize() + config.nInner() + heads * (s + t) + 4 * e;
        return kvCache + Math.max(promptLayer, step);
    }
}
