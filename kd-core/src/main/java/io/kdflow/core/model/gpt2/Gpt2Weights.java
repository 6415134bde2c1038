package io.kdflow.core.model.gpt2;

import static io.kdflow.core.model.weights.StateDicts.copy;
import static io.kdflow.core.model.weights.StateDicts.take;
import static io.kdflow.core.model.weights.StateDicts.transposedCopy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.config.Gpt2Config;
import io.kdflow.core.model.weights.TensorSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GPT-2's Conv1D weights are (in, out); we keep them as (out, in) linear weights under
 * {@code <module>.linear_weight} so every architecture runs the same fused linear op. c_attn is
 * already q, k, v fused.
 */
final class Gpt2Weights {

    static final String LINEAR_WEIGHT = ".linear_weight";

    private Gpt2Weights() {}

    static Map<String, NDArray> toLinear(Gpt2Config config, Map<String, NDArray> checkpoint) {
        Map<String, NDArray> tensors = new LinkedHashMap<>(checkpoint);
        for (int i = 0; i < config.nLayer(); i++) {
            for (String module : Gpt2Layout.CONV1D) {
                String prefix = Gpt2Layout.block(i) + module;
                NDArray conv = take(tensors, prefix + ".weight");
                tensors.put(prefix + LINEAR_WEIGHT, transposedCopy(conv, conv.getManager()));
                conv.close();
            }
        }
        return tensors;
    }

    static Map<String, NDArray> toCheckpoint(Gpt2Config config, Map<String, NDArray> internal, NDManager manager) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (TensorSpec spec : Gpt2Layout.INSTANCE.tensors(config)) {
            String name = spec.name();
            String module = name.endsWith(".weight") ? name.substring(0, name.length() - ".weight".length()) : null;
            if (module != null && internal.containsKey(module + LINEAR_WEIGHT)) {
                out.put(name, transposedCopy(internal.get(module + LINEAR_WEIGHT), manager));
            } else {
                out.put(name, copy(internal.get(name), manager));
            }
        }
        return out;
    }
}
