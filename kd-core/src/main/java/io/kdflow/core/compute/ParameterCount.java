package io.kdflow.core.compute;

import io.kdflow.core.model.Parameter;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.model.weights.ArchitectureLayout;
import io.kdflow.core.model.weights.TensorSpec;
import java.util.List;

/**
 * Parameter counts as {@code transformers}' {@code num_parameters()} reports them: every weight once
 * (tied embeddings count once), buffers such as BART's {@code final_logits_bias} excluded.
 *
 * <p>{@link #nonEmbedding()} is {@code num_parameters(exclude_embeddings=True)}: it leaves out every
 * {@code nn.Embedding} table, i.e. token embeddings, learned positions (BART, GPT-2) and T5's relative
 * attention bias tables. An untied LM head is a linear layer and stays in.
 *
 * @param total all parameters
 * @param nonEmbedding parameters outside embedding tables
 */
public record ParameterCount(long total, long nonEmbedding) {

    public ParameterCount {
        if (total < 0 || nonEmbedding < 0 || nonEmbedding > total) {
            throw new IllegalArgumentException("parameter counts must satisfy 0 <= nonEmbedding <= total, got "
                    + nonEmbedding + " and " + total);
        }
    }

    /** Embedding parameters: {@code total - nonEmbedding}. */
    public long embedding() {
        return total - nonEmbedding;
    }

    /** Counts from the architecture alone, without loading weights (the checkpoint layout's tensors). */
    public static ParameterCount of(ModelConfig config) {
        return fromSpecs(tensorsOf(config));
    }

    /** Counts the trainable tensors of a loaded model (fused projections count as their parts). */
    public static ParameterCount of(PretrainedModel model) {
        long total = 0;
        long embedding = 0;
        for (Parameter parameter : model.parameters()) {
            if (!parameter.trainable()) {
                continue;
            }
            long size = parameter.array().getShape().size();
            total += size;
            if (isEmbeddingTable(parameter.name())) {
                embedding += size;
            }
        }
        return new ParameterCount(total, total - embedding);
    }

    private static ParameterCount fromSpecs(List<TensorSpec> specs) {
        long total = 0;
        long embedding = 0;
        for (TensorSpec spec : specs) {
            if (isBuffer(spec.name())) {
                continue;
            }
            long size = spec.shape().size();
            total += size;
            if (isEmbeddingTable(spec.name())) {
                embedding += size;
            }
        }
        return new ParameterCount(total, total - embedding);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<TensorSpec> tensorsOf(ModelConfig config) {
        ArchitectureLayout layout = PretrainedModels.layoutOf(config);
        return layout.tensors(config);
    }

    /** Registered buffers that checkpoints carry but {@code num_parameters()} does not count. */
    private static boolean isBuffer(String name) {
        return name.equals("final_logits_bias");
    }

    /** Weights of {@code nn.Embedding} modules in BART, T5 and GPT-2 (token, position, relative bias). */
    static boolean isEmbeddingTable(String name) {
        return name.endsWith("shared.weight")
                || name.endsWith("embed_tokens.weight")
                || name.endsWith("embed_positions.weight")
                || name.endsWith("relative_attention_bias.weight")
                || name.endsWith("wte.weight")
                || name.endsWith("wpe.weight");
    }
}
