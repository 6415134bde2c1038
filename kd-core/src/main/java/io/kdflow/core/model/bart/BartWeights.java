package io.kdflow.core.model.bart;

import static io.kdflow.core.model.weights.StateDicts.copy;
import static io.kdflow.core.model.weights.StateDicts.fuseRows;
import static io.kdflow.core.model.weights.StateDicts.splitRows;
import static io.kdflow.core.model.weights.StateDicts.take;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.config.BartConfig;
import io.kdflow.core.model.weights.TensorSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Converts between BART's checkpoint tensors and our fused layout: q/k/v of self-attention in one
 * (3E, E) projection, k/v of cross-attention in one (2E, E) projection, {@code final_logits_bias} as a
 * vector. Everything else keeps its Hugging Face name.
 */
final class BartWeights {

    private BartWeights() {}

    static String selfAttention(String stack, int layer) {
        return BartLayout.PREFIX + stack + ".layers." + layer + ".self_attn.";
    }

    static String crossAttention(int layer) {
        return BartLayout.PREFIX + "decoder.layers." + layer + ".encoder_attn.";
    }

    static Map<String, NDArray> fuse(BartConfig config, Map<String, NDArray> checkpoint) {
        Map<String, NDArray> tensors = new LinkedHashMap<>(checkpoint);
        for (int i = 0; i < config.encoderLayers(); i++) {
            fuseProjections(tensors, selfAttention("encoder", i), "qkv_proj", "q_proj", "k_proj", "v_proj");
        }
        for (int i = 0; i < config.decoderLayers(); i++) {
            fuseProjections(tensors, selfAttention("decoder", i), "qkv_proj", "q_proj", "k_proj", "v_proj");
            fuseProjections(tensors, crossAttention(i), "kv_proj", "k_proj", "v_proj");
        }
        NDArray bias = take(tensors, BartLayout.FINAL_LOGITS_BIAS);
        tensors.put(BartLayout.FINAL_LOGITS_BIAS, bias.reshape(config.vocabSize()));
        bias.close();
        return tensors;
    }

    private static void fuseProjections(Map<String, NDArray> tensors, String prefix, String fused, String... parts) {
        for (String kind : new String[] {"weight", "bias"}) {
            String[] names = new String[parts.length];
            for (int i = 0; i < parts.length; i++) {
                names[i] = prefix + parts[i] + "." + kind;
            }
            fuseRows(tensors, prefix + fused + "." + kind, names);
        }
    }

    static Map<String, NDArray> split(BartConfig config, Map<String, NDArray> internal, NDManager manager) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (TensorSpec spec : BartLayout.INSTANCE.tensors(config)) {
            String name = spec.name();
            if (internal.containsKey(name) && !name.equals(BartLayout.FINAL_LOGITS_BIAS)) {
                out.put(name, copy(internal.get(name), manager));
            }
        }
        try (NDArray row = internal.get(BartLayout.FINAL_LOGITS_BIAS).reshape(1, config.vocabSize())) {
            out.put(BartLayout.FINAL_LOGITS_BIAS, copy(row, manager));
        }
        for (int i = 0; i < config.encoderLayers(); i++) {
            splitProjections(internal, out, manager, selfAttention("encoder", i), "qkv_proj", "q_proj", "k_proj", "v_proj");
        }
        for (int i = 0; i < config.decoderLayers(); i++) {
            splitProjections(internal, out, manager, selfAttention("decoder", i), "qkv_proj", "q_proj", "k_proj", "v_proj");
            splitProjections(internal, out, manager, crossAttention(i), "kv_proj", "k_proj", "v_proj");
        }
        return out;
    }

    private static void splitProjections(Map<String, NDArray> internal, Map<String, NDArray> out, NDManager manager,
            String prefix, String fused, String... parts) {
        for (String kind : new String[] {"weight", "bias"}) {
            String[] names = new String[parts.length];
            for (int i = 0; i < parts.length; i++) {
                names[i] = prefix + parts[i] + "." + kind;
            }
            splitRows(internal.get(prefix + fused + "." + kind), out, manager, names);
        }
    }
}
