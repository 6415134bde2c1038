package io.kdflow.core.model.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.config.Gpt2Config;
import io.kdflow.core.model.weights.ArchitectureLayout;
import io.kdflow.core.model.weights.TensorSpec;
import io.kdflow.core.model.weights.WeightInit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GPT2LMHeadModel}'s checkpoint names, shapes and initialisation. Conv1D weights are stored
 * (in, out), the transpose of a linear layer's weight.
 */
public final class Gpt2Layout implements ArchitectureLayout<Gpt2Config> {

    public static final Gpt2Layout INSTANCE = new Gpt2Layout();
    static final String PREFIX = "transformer.";
    static final String WTE = "transformer.wte.weight";
    static final String WPE = "transformer.wpe.weight";
    static final String LM_HEAD = "lm_head.weight";
    /** Conv1D weights, in (in, out) layout in checkpoints. */
    static final List<String> CONV1D = List.of("attn.c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj");

    private Gpt2Layout() {}

    static String block(int i) {
        return PREFIX + "h." + i + ".";
    }

    @Override
    public List<TensorSpec> tensors(Gpt2Config config) {
        long e = config.nEmbd();
        WeightInit normal = new WeightInit.Normal(config.initializerRange());
        // transformers scales residual projections: std / sqrt(2 * n_layer).
        WeightInit residual = new WeightInit.Normal(config.initializerRange() / Math.sqrt(2.0 * config.nLayer()));
        List<TensorSpec> specs = new ArrayList<>();
        specs.add(TensorSpec.required(WTE, normal, config.vocabSize(), e));
        specs.add(TensorSpec.required(WPE, normal, config.nPositions(), e));
        if (!config.tieWordEmbeddings()) {
            specs.add(TensorSpec.required(LM_HEAD, normal, config.vocabSize(), e));
        }
        for (int i = 0; i < config.nLayer(); i++) {
            String b = block(i);
            norm(specs, b + "ln_1", e);
            conv1d(specs, b + "attn.c_attn", e, 3 * e, normal);
            conv1d(specs, b + "attn.c_proj", e, e, residual);
            norm(specs, b + "ln_2", e);
            conv1d(specs, b + "mlp.c_fc", e, config.nInner(), normal);
            conv1d(specs, b + "mlp.c_proj", config.nInner(), e, residual);
        }
        norm(specs, PREFIX + "ln_f", e);
        return specs;
    }

    private static void conv1d(List<TensorSpec> specs, String prefix, long in, long out, WeightInit init) {
        specs.add(TensorSpec.required(prefix + ".weight", init, in, out));
        specs.add(TensorSpec.required(prefix + ".bias", WeightInit.ZEROS, out));
    }

    private static void norm(List<TensorSpec> specs, String prefix, long e) {
        specs.add(TensorSpec.required(prefix + ".weight", WeightInit.ONES, e));
        specs.add(TensorSpec.required(prefix + ".bias", WeightInit.ZEROS, e));
    }

    @Override
    public List<String> candidates(Gpt2Config config, String name) {
        List<String> names = new ArrayList<>(List.of(name));
        if (name.startsWith(PREFIX)) {
            names.add(name.substring(PREFIX.length())); // GPT2Model checkpoints have no "transformer." prefix
        }
        if (name.equals(WTE) && config.tieWordEmbeddings()) {
            names.add(LM_HEAD);
        }
        return names;
    }

    @Override
    public boolean ignorable(Gpt2Config config, String name) {
        return name.endsWith(".attn.bias") || name.endsWith(".attn.masked_bias")
                || (config.tieWordEmbeddings() && name.equals(LM_HEAD));
    }

    @Override
    public String layerPrefix(boolean decoder) {
        return decoder ? PREFIX + "h." : null;
    }

    @Override
    public PretrainedModel build(Gpt2Config config, Map<String, NDArray> tensors, NDManager manager) {
        return new Gpt2Model(config, Gpt2Weights.toLinear(config, tensors), manager);
    }
}
