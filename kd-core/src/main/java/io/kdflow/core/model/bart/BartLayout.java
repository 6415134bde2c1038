package io.kdflow.core.model.bart;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.config.BartConfig;
import io.kdflow.core.model.weights.ArchitectureLayout;
import io.kdflow.core.model.weights.TensorSpec;
import io.kdflow.core.model.weights.WeightInit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code BartForConditionalGeneration}'s checkpoint names, shapes and initialisation. */
public final class BartLayout implements ArchitectureLayout<BartConfig> {

    public static final BartLayout INSTANCE = new BartLayout();
    static final String PREFIX = "model.";
    static final String SHARED = "model.shared.weight";
    static final String LM_HEAD = "lm_head.weight";
    static final String FINAL_LOGITS_BIAS = "final_logits_bias";

    private BartLayout() {}

    @Override
    public List<TensorSpec> tensors(BartConfig config) {
        long d = config.dModel();
        WeightInit normal = new WeightInit.Normal(config.initStd());
        List<TensorSpec> specs = new ArrayList<>();
        specs.add(TensorSpec.optional(FINAL_LOGITS_BIAS, WeightInit.ZEROS, 1, config.vocabSize()));
        specs.add(TensorSpec.required(SHARED,
                new WeightInit.NormalZeroRow(config.initStd(), padRow(config)), config.vocabSize(), d));
        if (!config.tieWordEmbeddings()) {
            specs.add(TensorSpec.required(LM_HEAD, normal, config.vocabSize(), d));
        }
        for (String stack : List.of("encoder", "decoder")) {
            String base = PREFIX + stack + ".";
            specs.add(TensorSpec.required(base + "embed_positions.weight", normal,
                    config.maxPositionEmbeddings() + BartConfig.POSITION_OFFSET, d));
            layerNorm(specs, base + "layernorm_embedding", d);
            boolean decoder = stack.equals("decoder");
            int layers = decoder ? config.decoderLayers() : config.encoderLayers();
            long ffn = decoder ? config.decoderFfnDim() : config.encoderFfnDim();
            for (int i = 0; i < layers; i++) {
                String layer = base + "layers." + i + ".";
                attention(specs, layer + "self_attn", d, normal);
                layerNorm(specs, layer + "self_attn_layer_norm", d);
                if (decoder) {
                    attention(specs, layer + "encoder_attn", d, normal);
                    layerNorm(specs, layer + "encoder_attn_layer_norm", d);
                }
                linear(specs, layer + "fc1", ffn, d, normal);
                linear(specs, layer + "fc2", d, ffn, normal);
                layerNorm(specs, layer + "final_layer_norm", d);
            }
        }
        return specs;
    }

    private static int padRow(BartConfig config) {
        Integer pad = config.specialTokens().pad();
        return pad == null || pad >= config.vocabSize() ? 0 : pad;
    }

    private static void attention(List<TensorSpec> specs, String prefix, long d, WeightInit normal) {
        for (String projection : List.of("k_proj", "v_proj", "q_proj", "out_proj")) {
            linear(specs, prefix + "." + projection, d, d, normal);
        }
    }

    private static void linear(List<TensorSpec> specs, String prefix, long out, long in, WeightInit normal) {
        specs.add(TensorSpec.required(prefix + ".weight", normal, out, in));
        specs.add(TensorSpec.required(prefix + ".bias", WeightInit.ZEROS, out));
    }

    private static void layerNorm(List<TensorSpec> specs, String prefix, long d) {
        specs.add(TensorSpec.required(prefix + ".weight", WeightInit.ONES, d));
        specs.add(TensorSpec.required(prefix + ".bias", WeightInit.ZEROS, d));
    }

    @Override
    public List<String> candidates(BartConfig config, String name) {
        List<String> names = new ArrayList<>(List.of(name));
        if (name.startsWith(PREFIX)) {
            names.add(name.substring(PREFIX.length())); // BartModel checkpoints have no "model." prefix
        }
        if (name.equals(SHARED)) {
            for (String alias : List.of("model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight",
                    "encoder.embed_tokens.weight", "decoder.embed_tokens.weight")) {
                names.add(alias);
            }
            if (config.tieWordEmbeddings()) {
                names.add(LM_HEAD);
            }
        }
        return names;
    }

    @Override
    public boolean ignorable(BartConfig config, String name) {
        return name.endsWith("embed_tokens.weight") || (config.tieWordEmbeddings() && name.equals(LM_HEAD));
    }

    @Override
    public String layerPrefix(boolean decoder) {
        return decoder ? PREFIX + "decoder.layers." : PREFIX + "encoder.layers.";
    }

    @Override
    public PretrainedModel build(BartConfig config, Map<String, NDArray> tensors, NDManager manager) {
        return new BartModel(config, BartWeights.fuse(config, tensors), manager);
    }
}
