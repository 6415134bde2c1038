package io.kdflow.core.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.bart.BartLayout;
import io.kdflow.core.model.config.BartConfig;
import io.kdflow.core.model.config.Gpt2Config;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.model.config.ModelConfigs;
import io.kdflow.core.model.config.T5Config;
import io.kdflow.core.model.gpt2.Gpt2Layout;
import io.kdflow.core.model.nn.Autograd;
import io.kdflow.core.model.nn.DenormalFlush;
import io.kdflow.core.model.t5.T5Layout;
import io.kdflow.core.model.weights.ArchitectureLayout;
import io.kdflow.core.model.weights.CheckpointReader;
import io.kdflow.core.model.weights.TensorSpec;
import io.kdflow.core.safetensors.Checkpoints;
import io.kdflow.core.safetensors.TensorSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entry point for models: load a Hugging Face model directory, create a freshly initialised model
 * from a config, or build one from Hugging Face-named tensors.
 */
public final class PretrainedModels {

    private PretrainedModels() {}

    /**
     * Loads {@code config.json} and the safetensors weights (single file or sharded) of a model
     * directory. The model gets its own sub-manager of {@code parent}.
     */
    public static PretrainedModel load(Path directory, NDManager parent) throws IOException {
        return load(ModelConfigs.read(directory), directory, parent);
    }

    /** {@link #load(Path, NDManager)} with {@code config.json} already read (see {@link ModelDirectory}). */
    public static PretrainedModel load(ModelConfig config, Path directory, NDManager parent) throws IOException {
        DenormalFlush.ensureEnabled();
        NDManager manager = parent.newSubManager();
        try (TensorSource source = Checkpoints.open(directory);
                Autograd.Scope noGrad = Autograd.disabled()) {
            return build(config, readTensors(source, config, manager), manager);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** {@link #load} for an encoder-decoder directory; fails clearly for other architectures. */
    public static Seq2SeqModel loadSeq2Seq(Path directory, NDManager parent) throws IOException {
        PretrainedModel model = load(directory, parent);
        if (model instanceof Seq2SeqModel seq2seq) {
            return seq2seq;
        }
        model.close();
        throw new BadInputException(directory + " holds a " + model.config().modelType()
                + " model, not an encoder-decoder");
    }

    /** {@link #load} for a decoder-only directory. */
    public static CausalLm loadCausalLm(Path directory, NDManager parent) throws IOException {
        PretrainedModel model = load(directory, parent);
        if (model instanceof CausalLm causal) {
            return causal;
        }
        model.close();
        throw new BadInputException(directory + " holds a " + model.config().modelType()
                + " model, not a causal LM");
    }

    /**
     * A new model initialised as {@code transformers} does ({@code _init_weights}: normal(0, init std),
     * zero biases, unit norms, zero padding row), seeded through the engine's random generator.
     */
    public static PretrainedModel initialize(ModelConfig config, NDManager parent, int seed) {
        DenormalFlush.ensureEnabled();
        Engine.getInstance().setRandomSeed(seed);
        NDManager manager = parent.newSubManager();
        try (Autograd.Scope noGrad = Autograd.disabled()) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (TensorSpec spec : layout(config).tensors(cast(config))) {
                tensors.put(spec.name(), spec.init().create(manager, spec.shape()));
            }
            return build(config, tensors, manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Builds a model from Hugging Face-named tensors (as {@link PretrainedModel#stateDict} returns),
     * taking ownership of them; shapes are checked against the config.
     */
    public static PretrainedModel fromStateDict(ModelConfig config, Map<String, NDArray> tensors, NDManager parent) {
        NDManager manager = parent.newSubManager();
        try {
            Map<String, NDArray> canonical = new LinkedHashMap<>();
            for (TensorSpec spec : layout(config).tensors(cast(config))) {
                NDArray array = tensors.get(spec.name());
                if (array == null) {
                    throw new IllegalArgumentException("state dict lacks tensor '" + spec.name() + "'");
                }
                if (!array.getShape().equals(spec.shape())) {
                    throw new IllegalArgumentException("tensor '" + spec.name() + "' has shape " + array.getShape()
                            + ", the config needs " + spec.shape());
                }
                array.attach(manager);
                canonical.put(spec.name(), array);
            }
            return build(config, canonical, manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static Map<String, NDArray> readTensors(TensorSource source, ModelConfig config, NDManager manager)
            throws IOException {
        return CheckpointReader.read(source, layout(config), cast(config), manager);
    }

    private static PretrainedModel build(ModelConfig config, Map<String, NDArray> tensors, NDManager manager) {
        return layout(config).build(cast(config), tensors, manager);
    }

    /** The checkpoint layout of an architecture. */
    public static ArchitectureLayout<?> layoutOf(ModelConfig config) {
        return layout(config);
    }

    @SuppressWarnings("unchecked")
    private static <C extends ModelConfig> ArchitectureLayout<C> layout(ModelConfig config) {
        ArchitectureLayout<?> layout;
        if (config instanceof BartConfig) {
            layout = BartLayout.INSTANCE;
        } else if (config instanceof T5Config) {
            layout = T5Layout.INSTANCE;
        } else if (config instanceof Gpt2Config) {
            layout = Gpt2Layout.INSTANCE;
        } else {
            throw new IllegalArgumentException("no layout for " + config.modelType());
        }
        return (ArchitectureLayout<C>) layout;
    }

    @SuppressWarnings("unchecked")
    private static <C extends ModelConfig> C cast(ModelConfig config) {
        return (C) config;
    }
}
