package io.kdflow.core.compute;

import io.kdflow.core.model.config.BartConfig;
import io.kdflow.core.model.config.Gpt2Config;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.model.config.T5Config;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts the matrix-multiply MACs of one teacher-forced forward pass from the architecture alone (see
 * {@link ForwardFlops} for what is counted and {@code docs/compute-metrics.md} for the formulas).
 *
 * <p>Encoder-decoder models (BART, T5 v1.0 and v1.1): the encoder runs on S source tokens and the decoder on
 * T target positions (the labels shifted right). Decoder-only models (GPT-2) run on the S + T concatenation.
 */
public final class FlopsCounter {

    private FlopsCounter() {}

    /**
     * The forward-pass cost of {@code config} for S source and T target tokens.
     *
     * @throws IllegalArgumentException when a length is below 1
     */
    public static ForwardFlops forward(ModelConfig config, int sourceLength, int targetLength) {
        if (sourceLength < 1 || targetLength < 1) {
            throw new IllegalArgumentException("FLOPs need source and target lengths >= 1, got S=" + sourceLength
                    + ", T=" + targetLength);
        }
        List<FlopsTerm> terms;
        if (config instanceof BartConfig bart) {
            terms = encoderDecoder(new Dims(bart.dModel(), bart.dModel(), bart.encoderFfnDim(), bart.decoderFfnDim(),
                    2, bart.encoderLayers(), bart.decoderLayers(), bart.vocabSize()), sourceLength, targetLength);
        } else if (config instanceof T5Config t5) {
            terms = encoderDecoder(new Dims(t5.dModel(), t5.innerDim(), t5.dFf(), t5.dFf(),
                    t5.gatedActivation() ? 3 : 2, t5.numLayers(), t5.numDecoderLayers(), t5.vocabSize()),
                    sourceLength, targetLength);
        } else if (config instanceof Gpt2Config gpt2) {
            terms = decoderOnly(gpt2, sourceLength + targetLength);
        } else {
            throw new IllegalArgumentException("no FLOPs formula for model type " + config.modelType());
        }
        return new ForwardFlops(config.modelType(), sourceLength, targetLength, terms);
    }

    /**
     * Sizes of an encoder-decoder stack.
     *
     * @param model residual width d
     * @param inner width of q/k/v (d for BART, heads x d_kv for T5)
     * @param ffnMatrices feed-forward matrices of size d x ffn: 2, or 3 for a gated unit (T5 v1.1)
     */
    private record Dims(long model, long inner, long encoderFfn, long decoderFfn, int ffnMatrices,
            long encoderLayers, long decoderLayers, long vocab) {}

    private static List<FlopsTerm> encoderDecoder(Dims d, long s, long t) {
        List<FlopsTerm> terms = new ArrayList<>();
        long le = d.encoderLayers();
        long ld = d.decoderLayers();
        // q, k, v (d -> inner) and the output projection (inner -> d), per position.
        terms.add(term("encoder.self_attention.projections", le, 4 * s, d.model(), d.inner()));
        terms.add(term("encoder.self_attention.scores", le, s, s, d.inner()));
        terms.add(term("encoder.self_attention.values", le, s, s, d.inner()));
        terms.add(term("encoder.ffn", le, d.ffnMatrices() * s, d.model(), d.encoderFfn()));
        terms.add(term("decoder.self_attention.projections", ld, 4 * t, d.model(), d.inner()));
        terms.add(term("decoder.self_attention.scores", ld, t, t, d.inner()));
        terms.add(term("decoder.self_attention.values", ld, t, t, d.inner()));
        // q and the output over target positions, k and v over the encoder's source positions.
        terms.add(term("decoder.cross_attention.projections", ld, 2 * t + 2 * s, d.model(), d.inner()));
        terms.add(term("decoder.cross_attention.scores", ld, t, s, d.inner()));
        terms.add(term("decoder.cross_attention.values", ld, t, s, d.inner()));
        terms.add(term("decoder.ffn", ld, d.ffnMatrices() * t, d.model(), d.decoderFfn()));
        terms.add(term("lm_head", 1, t, d.model(), d.vocab()));
        return terms;
    }

    private static List<FlopsTerm> decoderOnly(Gpt2Config config, long n) {
        long layers = config.nLayer();
        long e = config.nEmbd();
        List<FlopsTerm> terms = new ArrayList<>();
        // c_attn (e -> 3e) and c_proj (e -> e); scores over the full causal-masked N x N matrix.
        terms.add(term("decoder.self_attention.projections", layers, 4 * n, e, e));
        terms.add(term("decoder.self_attention.scores", layers, n, n, e));
        terms.add(term("decoder.self_attention.values", layers, n, n, e));
        terms.add(term("decoder.ffn", layers, 2 * n, e, config.nInner()));
        terms.add(term("lm_head", 1, n, e, config.vocabSize()));
        return terms;
    }

    /** {@code layers x rows x inner x outer} MACs, overflow-checked. */
    private static FlopsTerm term(String name, long layers, long rows, long inner, long outer) {
        return new FlopsTerm(name, Math.multiplyExact(Math.multiplyExact(layers, rows),
                Math.multiplyExact(inner, outer)));
    }
}
