package io.kdflow.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.model.weights.ArchitectureLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a smaller model from a larger one by keeping chosen layers, weights copied unchanged (the
 * paper's student initialisation). Kept layers keep their original order. Tensors that T5 stores in
 * block 0 for the whole stack (the relative attention bias) move to the new block 0 even when the old
 * block 0 is dropped.
 */
public final class LayerPruning {

    /** The paper's default decoder choice: first and last layer. */
    public static final List<Integer> FIRST_AND_LAST = List.of(0, -1);

    private LayerPruning() {}

    /**
     * Resolves layer indices: negative ones count from the end; duplicates and out-of-range indices are
     * rejected. Returns the indices in ascending order.
     */
    public static List<Integer> resolve(List<Integer> indices, int layerCount, String stack) {
        if (indices.isEmpty()) {
            throw new BadInputException(stack + ": keep at least one layer");
        }
        TreeSet<Integer> resolved = new TreeSet<>();
        for (int index : indices) {
            int absolute = index < 0 ? layerCount + index : index;
            if (absolute < 0 || absolute >= layerCount) {
                throw new BadInputException(stack + ": layer index " + index + " is out of range for "
                        + layerCount + " layers");
            }
            if (!resolved.add(absolute)) {
                throw new BadInputException(stack + ": layer index " + index + " selects layer " + absolute
                        + " twice in " + indices);
            }
        }
        return List.copyOf(resolved);
    }

    /** Keeps the first and last decoder layer and every encoder layer. */
    public static PretrainedModel pruneDecoderDefault(PretrainedModel model, NDManager parent) {
        int layers = model.config().decoderLayerCount();
        return prune(model, null, layers == 1 ? List.of(0) : FIRST_AND_LAST, parent);
    }

    /**
     * A new model (in a sub-manager of {@code parent}) with only the given layers.
     *
     * @param keepEncoder encoder layers to keep, or null for all (must be null for GPT-2)
     * @param keepDecoder decoder layers to keep (GPT-2: its layers), or null for all
     */
    public static PretrainedModel prune(PretrainedModel model, List<Integer> keepEncoder, List<Integer> keepDecoder,
            NDManager parent) {
        ModelConfig config = model.config();
        ArchitectureLayout<?> layout = PretrainedModels.layoutOf(config);
        if (keepEncoder != null && layout.layerPrefix(false) == null) {
            throw new BadInputException(config.modelType() + " has no encoder layers to prune");
        }
        List<Integer> encoder = keepEncoder == null ? all(config.encoderLayerCount())
                : resolve(keepEncoder, config.encoderLayerCount(), "encoder");
        List<Integer> decoder = keepDecoder == null ? all(config.decoderLayerCount())
                : resolve(keepDecoder, config.decoderLayerCount(), "decoder");
        try (NDManager scratch = parent.newSubManager()) {
            Map<String, NDArray> tensors = model.stateDict(scratch);
            Map<String, NDArray> kept = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> entry : tensors.entrySet()) {
                String name = rename(entry.getKey(), layout, encoder, decoder);
                if (name != null) {
                    kept.put(name, entry.getValue());
                }
            }
            ModelConfig pruned = config.withLayerCounts(encoder.size(), decoder.size());
            return PretrainedModels.fromStateDict(pruned, kept, parent);
        }
    }

    private static List<Integer> all(int count) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(i);
        }
        return all;
    }

    /** The tensor's name in the pruned model, or null when its layer is dropped. */
    private static String rename(String name, ArchitectureLayout<?> layout, List<Integer> encoder,
            List<Integer> decoder) {
        for (boolean isDecoder : new boolean[] {false, true}) {
            String prefix = layout.layerPrefix(isDecoder);
            if (prefix == null) {
                continue;
            }
            Matcher matcher = Pattern.compile(Pattern.quote(prefix) + "(\\d+)\\.(.+)").matcher(name);
            if (matcher.matches()) {
                int layer = Integer.parseInt(matcher.group(1));
                String rest = matcher.group(2);
                if (layer == 0 && layout.stackTensorsInLayerZero().contains(rest)) {
                    return prefix + "0." + rest;
                }
                int position = (isDecoder ? decoder : encoder).indexOf(layer);
                return position < 0 ? null : prefix + position + "." + rest;
            }
        }
        return name;
    }
}
