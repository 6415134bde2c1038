package io.kdflow.core.teacher;

import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.model.config.ModelConfigException;
import io.kdflow.core.model.config.ModelConfigs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The size of a BART trained from scratch; the rest of the config is fixed to BART's (GELU, learned
 * positions, tied embeddings, the ids of a kdflow-trained BART tokenizer: {@code <s>}=0, {@code <pad>}=1,
 * {@code </s>}=2).
 *
 * @param dModel hidden size
 * @param encoderLayers encoder layers
 * @param decoderLayers decoder layers
 * @param heads attention heads (of encoder and decoder), dividing {@code dModel}
 * @param ffnDim feed-forward inner size
 * @param dropout dropout of hidden states, in [0, 1)
 * @param maxPositions learned positions (the longest source or target)
 */
public record BartShape(int dModel, int encoderLayers, int decoderLayers, int heads, int ffnDim, double dropout,
        int maxPositions) {

    public BartShape {
        if (dModel < 1 || heads < 1 || dModel % heads != 0) {
            throw new BadInputException("teacher option d_model/heads: d_model " + dModel + " must be a positive"
                    + " multiple of heads " + heads);
        }
        if (encoderLayers < 1 || decoderLayers < 1 || ffnDim < 1 || maxPositions < 2) {
            throw new BadInputException("teacher options encoder_layers/decoder_layers/ffn_dim/max_positions: "
                    + encoderLayers + "/" + decoderLayers + "/" + ffnDim + "/" + maxPositions
                    + " must be >= 1/1/1/2");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new BadInputException("teacher option dropout: " + dropout + " is outside [0, 1)");
        }
    }

    /** The HF config of this shape over a vocabulary of {@code vocabSize} ids. */
    public ModelConfig config(int vocabSize) {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("model_type", "bart");
        keys.put("architectures", List.of("BartForConditionalGeneration"));
        keys.put("vocab_size", vocabSize);
        keys.put("d_model", dModel);
        keys.put("encoder_layers", encoderLayers);
        keys.put("decoder_layers", decoderLayers);
        keys.put("encoder_attention_heads", heads);
        keys.put("decoder_attention_heads", heads);
        keys.put("encoder_ffn_dim", ffnDim);
        keys.put("decoder_ffn_dim", ffnDim);
        keys.put("max_position_embeddings", maxPositions);
        keys.put("activation_function", "gelu");
        keys.put("dropout", dropout);
        keys.put("init_std", 0.02);
        keys.put("scale_embedding", false);
        keys.put("tie_word_embeddings", true);
        keys.put("pad_token_id", 1);
        keys.put("bos_token_id", 0);
        keys.put("eos_token_id", 2);
        keys.put("decoder_start_token_id", 2);
        keys.put("forced_eos_token_id", 2);
        try {
            return ModelConfigs.parse(keys, "BART config of shape " + this);
        } catch (ModelConfigException e) {
            throw new IllegalStateException("the BART config of " + this + " is invalid: " + e.getMessage(), e);
        }
    }
}
