package io.kdflow.cli.bench;

import io.kdflow.core.model.config.BartConfig;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.model.config.T5Config;

/**
 * Analytical matrix-multiply FLOPs of one encoder-decoder training step (2 FLOPs per multiply-add;
 * backward costs twice the forward, so a step is 3x the forward). Counted: every projection, the
 * attention scores and context products (the full T x T causal square, as it is computed), and the
 * LM head. Not counted: element-wise work, softmax, norms, the optimizer.
 */
public final class TrainFlops {

    /** Widths of one encoder-decoder architecture. */
    private record Dims(long model, long attention, long encoderFfn, long decoderFfn, long ffnMatrices,
            long encoderLayers, long decoderLayers, long vocab) {}

    private TrainFlops() {}

    /** FLOPs of one training step of {@code shape} (decoder positions T - 1); 0 for decoder-only configs. */
    public static double perStep(ModelConfig config, BenchShape shape) {
        Dims d = dims(config);
        if (d == null) {
            return 0;
        }
        double b = shape.batch();
        double s = shape.sourceLength();
        double t = shape.targetLength() - 1;
        double encoderLayer = 2 * b * s * (3 * d.model() * d.attention() + d.attention() * d.model()) // qkv, out
                + 4 * b * s * s * d.attention() // scores, context
                + 2 * b * s * d.model() * d.encoderFfn() * d.ffnMatrices();
        double decoderLayer = 2 * b * t * (3 * d.model() * d.attention() + d.attention() * d.model()) // self
                + 4 * b * t * t * d.attention()
                + 2 * b * t * 2 * d.model() * d.attention() // cross q, out
                + 2 * b * s * 2 * d.model() * d.attention() // cross k, v of the encoder output
                + 4 * b * t * s * d.attention()
                + 2 * b * t * d.model() * d.decoderFfn() * d.ffnMatrices();
        double lmHead = 2 * b * t * d.model() * d.vocab();
        double forward = d.encoderLayers() * encoderLayer + d.decoderLayers() * decoderLayer + lmHead;
        return 3 * forward;
    }

    private static Dims dims(ModelConfig config) {
        if (config instanceof BartConfig bart) {
            return new Dims(bart.dModel(), bart.dModel(), bart.encoderFfnDim(), bart.decoderFfnDim(), 2,
                    bart.encoderLayers(), bart.decoderLayers(), bart.vocabSize());
        }
        if (config instanceof T5Config t5) {
            return new Dims(t5.dModel(), t5.innerDim(), t5.dFf(), t5.dFf(), t5.gatedActivation() ? 3 : 2,
                    t5.numLayers(), t5.numDecoderLayers(), t5.vocabSize());
        }
        return null;
    }
}
