package io.kdflow.core.model.t5;

import static io.kdflow.core.model.weights.StateDicts.copy;
import static io.kdflow.core.model.weights.StateDicts.fuseRows;
import static io.kdflow.core.model.weights.StateDicts.splitRows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.config.T5Config;
import io.kdflow.core.model.weights.TensorSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Converts between T5's checkpoint tensors and our fused layout: self-attention q/k/v as one
 * (3·inner, d) projection {@code ...SelfAttention.qkv.weight}, cross-attention k/v as
 * {@code ...EncDecAttention.kv.weight}, and the gated feed-forward's wi_0/wi_1 as
 * {@code ...DenseReluDense.wi_gated.weight}. Other tensors keep their names.
 */
final class T5Weights {

    static final String QKV = "qkv.weight";
    static final String KV = "kv.weight";
    static final String GATED = "DenseReluDense.wi_gated.weight";

    private T5Weights() {}

    static Map<String, NDArray> fuse(T5Config config, Map<String, NDArray> checkpoint) {
        Map<String, NDArray> tensors = new LinkedHashMap<>(checkpoint);
        forEachBlock(config, (stack, block) -> {
            String self = block + "layer.0.SelfAttention.";
            fuseRows(tensors, self + QKV, self + "q.weight", self + "k.weight", self + "v.weight");
            if (stack.equals("decoder")) {
                String cross = block + "layer.1.EncDecAttention.";
                fuseRows(tensors, cross + KV, cross + "k.weight", cross + "v.weight");
            }
            if (config.gatedActivation()) {
                String ff = block + "layer." + T5Layout.feedForwardIndex(stack) + ".";
                fuseRows(tensors, ff + GATED, ff + "DenseReluDense.wi_0.weight", ff + "DenseReluDense.wi_1.weight");
            }
        });
        return tensors;
    }

    static Map<String, NDArray> split(T5Config config, Map<String, NDArray> internal, NDManager manager) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (TensorSpec spec : T5Layout.INSTANCE.tensors(config)) {
            if (internal.containsKey(spec.name())) {
                out.put(spec.name(), copy(internal.get(spec.name()), manager));
            }
        }
        forEachBlock(config, (stack, block) -> {
            String self = block + "layer.0.SelfAttention.";
            splitRows(internal.get(self + QKV), out, manager, self + "q.weight", self + "k.weight", self + "v.weight");
            if (stack.equals("decoder")) {
                String cross = block + "layer.1.EncDecAttention.";
                splitRows(internal.get(cross + KV), out, manager, cross + "k.weight", cross + "v.weight");
            }
            if (config.gatedActivation()) {
                String ff = block + "layer." + T5Layout.feedForwardIndex(stack) + ".";
                splitRows(internal.get(ff + GATED), out, manager, ff + "DenseReluDense.wi_0.weight",
                        ff + "DenseReluDense.wi_1.weight");
            }
        });
        return out;
    }

    private interface BlockVisitor {
        void visit(String stack, String blockPrefix);
    }

    private static void forEachBlock(T5Config config, BlockVisitor visitor) {
        for (int i = 0; i < config.numLayers(); i++) {
            visitor.visit("encoder", T5Layout.block("encoder", i));
        }
        for (int i = 0; i < config.numDecoderLayers(); i++) {
            visitor.visit("decoder", T5Layout.block("decoder", i));
        }
    }
}
