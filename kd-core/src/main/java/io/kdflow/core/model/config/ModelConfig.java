package io.kdflow.core.model.config;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The architecture of a Hugging Face model, read from its {@code config.json}. */
public sealed interface ModelConfig permits BartConfig, T5Config, Gpt2Config {

    /** The {@code model_type} key: {@code "bart"}, {@code "t5"} or {@code "gpt2"}. */
    String modelType();

    int vocabSize();

    /** Width of the residual stream (d_model / n_embd). */
    int hiddenSize();

    /** True for BART and T5, false for GPT-2. */
    boolean encoderDecoder();

    /** Whether the LM head shares the token embedding matrix. */
    boolean tieWordEmbeddings();

    SpecialTokens specialTokens();

    /** Encoder layers (0 for decoder-only models). */
    int encoderLayerCount();

    /** Decoder layers (GPT-2: all layers). */
    int decoderLayerCount();

    /**
     * The longest input the model's learned position embeddings cover ({@code max_position_embeddings},
     * {@code n_positions}); 0 when positions are relative and unbounded (T5).
     */
    default int maxPositions() {
        return 0;
    }

    /** The same architecture with other layer counts, as pruning produces. */
    ModelConfig withLayerCounts(int encoderLayers, int decoderLayers);

    /** The config as {@code config.json} content: the original keys, with ours written over them. */
    ObjectNode toJson();
}
