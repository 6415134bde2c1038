package io.kdflow.core.model.gpt2;

import ai.djl.ndarray.NDArray;
import io.kdflow.core.model.config.ActivationFunction;
import io.kdflow.core.model.nn.Activations;
import io.kdflow.core.model.nn.DecoderState;
import io.kdflow.core.model.nn.Dropout;
import io.kdflow.core.model.nn.LayerNorm;
import io.kdflow.core.model.nn.Linear;
import io.kdflow.core.model.nn.MultiHeadAttention;
import io.kdflow.core.model.nn.RowLayout;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.model.nn.Scalars;

/** One pre-layer-norm GPT-2 block: x + attn(ln_1(x)), then x + mlp(ln_2(x)). */
record Gpt2Block(LayerNorm ln1, MultiHeadAttention attention, LayerNorm ln2, Linear fc, Linear projection,
        ActivationFunction activation, double residualDropout, Scalars scalars) {

    /** (B, T, E) -> (B, T, E) on the grid, (N, E) -> (N, E) packed, as {@code rows} says. */
    NDArray forward(NDArray x, NDArray mask, RowLayout rows, RunMode mode) {
        NDArray h = x.add(Dropout.apply(attention.forward(ln1.apply(x), mask, rows, mode), residualDropout, mode));
        return h.add(Dropout.apply(mlp(ln2.apply(h)), residualDropout, mode));
    }

    NDArray step(NDArray x, NDArray mask, DecoderState state, int index, int start) {
        NDArray h = x.add(attention.step(ln1.apply(x), mask, state.selfAttention(index), start));
        return h.add(mlp(ln2.apply(h)));
    }

    private NDArray mlp(NDArray x) {
        return projection.apply(Activations.apply(activation, fc.apply(x), scalars));
    }
}
