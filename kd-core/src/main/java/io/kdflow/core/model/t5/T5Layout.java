package io.kdflow.core.model.t5;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.config.T5Config;
import io.kdflow.core.model.weights.ArchitectureLayout;
import io.kdflow.core.model.weights.TensorSpec;
import io.kdflow.core.model.weights.WeightInit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code T5ForConditionalGeneration}'s checkpoint names, shapes and initialisation. */
public final class T5Layout implements ArchitectureLayout<T5Config> {

    public static final T5Layout INSTANCE = new T5Layout();
    static final String SHARED = "shared.weight";
    static final String LM_HEAD = "lm_head.weight";
    static final String RELATIVE_BIAS = "layer.0.SelfAttention.relative_attention_bias.weight";

    private T5Layout() {}

    /** Prefix of block {@code i} of a stack, e.g. {@code encoder.block.3.}. */
    static String block(String stack, int i) {
        return stack + ".block." + i + ".";
    }

    /** The feed-forward sub-layer index: 1 in encoder blocks, 2 in decoder blocks. */
    static int feedForwardIndex(String stack) {
        return stack.equals("decoder") ? 2 : 1;
    }

    @Override
    public List<TensorSpec> tensors(T5Config config) {
        double factor = config.initializerFactor();
        long d = config.dModel();
        List<TensorSpec> specs = new ArrayList<>();
        specs.add(TensorSpec.required(SHARED, new WeightInit.Normal(factor), config.vocabSize(), d));
        if (!config.tieWordEmbeddings()) {
            specs.add(TensorSpec.required(LM_HEAD, new WeightInit.Normal(factor), config.vocabSize(), d));
        }
        for (String stack : List.of("encoder", "decoder")) {
            int layers = stack.equals("decoder") ? config.numDecoderLayers() : config.numLayers();
            for (int i = 0; i < layers; i++) {
                String block = block(stack, i);
                attention(specs, block + "layer.0.SelfAttention", config);
                if (i == 0) {
                    specs.add(TensorSpec.required(block + RELATIVE_BIAS, new WeightInit.Normal(factor * Math.pow(d, -0.5)),
                            config.relativeAttentionNumBuckets(), config.numHeads()));
                }
                norm(specs, block + "layer.0.layer_norm", config);
                if (stack.equals("decoder")) {
                    attention(specs, block + "layer.1.EncDecAttention", config);
                    norm(specs, block + "layer.1.layer_norm", config);
                }
                String ff = block + "layer." + feedForwardIndex(stack) + ".";
                WeightInit in = new WeightInit.Normal(factor * Math.pow(d, -0.5));
                if (config.gatedActivation()) {
                    specs.add(TensorSpec.required(ff + "DenseReluDense.wi_0.weight", in, config.dFf(), d));
                    specs.add(TensorSpec.required(ff + "DenseReluDense.wi_1.weight", in, config.dFf(), d));
                } else {
                    specs.add(TensorSpec.required(ff + "DenseReluDense.wi.weight", in, config.dFf(), d));
                }
                specs.add(TensorSpec.required(ff + "DenseReluDense.wo.weight",
                        new WeightInit.Normal(factor * Math.pow(config.dFf(), -0.5)), d, config.dFf()));
                norm(specs, ff + "layer_norm", config);
            }
            norm(specs, stack + ".final_layer_norm", config);
        }
        return specs;
    }

    private static void attention(List<TensorSpec> specs, String prefix, T5Config config) {
        double factor = config.initializerFactor();
        long d = config.dModel();
        long inner = config.innerDim();
        specs.add(TensorSpec.required(prefix + ".q.weight",
                new WeightInit.Normal(factor * Math.pow((double) d * config.dKv(), -0.5)), inner, d));
        specs.add(TensorSpec.required(prefix + ".k.weight", new WeightInit.Normal(factor * Math.pow(d, -0.5)), inner, d));
        specs.add(TensorSpec.required(prefix + ".v.weight", new WeightInit.Normal(factor * Math.pow(d, -0.5)), inner, d));
        specs.add(TensorSpec.required(prefix + ".o.weight", new WeightInit.Normal(factor * Math.pow(inner, -0.5)), d, inner));
    }

    private static void norm(List<TensorSpec> specs, String prefix, T5Config config) {
        specs.add(TensorSpec.required(prefix + ".weight", new WeightInit.Constant((float) config.initializerFactor()),
                config.dModel()));
    }

    @Override
    public List<String> candidates(T5Config config, String name) {
        List<String> names = new ArrayList<>(List.of(name));
        if (name.equals(SHARED)) {
            names.add("encoder.embed_tokens.weight");
            names.add("decoder.embed_tokens.weight");
            if (config.tieWordEmbeddings()) {
                names.add(LM_HEAD);
            }
        }
        return names;
    }

    @Override
    public boolean ignorable(T5Config config, String name) {
        return name.endsWith("embed_tokens.weight") || (config.tieWordEmbeddings() && name.equals(LM_HEAD));
    }

    @Override
    public String layerPrefix(boolean decoder) {
        return decoder ? "decoder.block." : "encoder.block.";
    }

    @Override
    public List<String> stackTensorsInLayerZero() {
        return List.of(RELATIVE_BIAS);
    }

    @Override
    public PretrainedModel build(T5Config config, Map<String, NDArray> tensors, NDManager manager) {
        return new T5Model(config, T5Weights.fuse(config, tensors), manager);
    }
}
