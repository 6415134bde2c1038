package io.kdflow.core.model.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * {@code BartForConditionalGeneration}: post-layer-norm encoder-decoder with learned positions (offset
 * 2), {@code layernorm_embedding}, optional {@code sqrt(d_model)} embedding scale, and
 * {@code final_logits_bias}. Keys such as {@code normalize_before} are ignored, as {@code transformers}
 * ignores them for this model type.
 */
public record BartConfig(
        int vocabSize,
        int dModel,
        int encoderLayers,
        int decoderLayers,
        int encoderAttentionHeads,
        int decoderAttentionHeads,
        int encoderFfnDim,
        int decoderFfnDim,
        ActivationFunction activation,
        boolean scaleEmbedding,
        int maxPositionEmbeddings,
        boolean tieWordEmbeddings,
        double dropout,
        double attentionDropout,
        double activationDropout,
        double initStd,
        SpecialTokens specialTokens,
        ObjectNode source) implements ModelConfig {

    public static final String MODEL_TYPE = "bart";
    /** BART's learned positions start at index 2 (a fairseq legacy). */
    public static final int POSITION_OFFSET = 2;
    /** {@code nn.LayerNorm}'s default, which BART uses everywhere. */
    public static final float LAYER_NORM_EPS = 1e-5f;

    public BartConfig {
        source = source.deepCopy();
    }

    static BartConfig parse(ConfigJson json) throws ModelConfigException {
        int dModel = json.requirePositiveInt("d_model");
        int encoderHeads = json.requirePositiveInt("encoder_attention_heads");
        int decoderHeads = json.requirePositiveInt("decoder_attention_heads");
        json.requireDivisible("d_model", dModel, "encoder_attention_heads", encoderHeads);
        json.requireDivisible("d_model", dModel, "decoder_attention_heads", decoderHeads);
        SpecialTokens tokens = new SpecialTokens(json.optTokenId("pad_token_id", 1), json.optTokenId("bos_token_id", 0),
                json.optTokenIds("eos_token_id", List.of(2)), json.optTokenId("decoder_start_token_id", 2));
        return new BartConfig(
                json.requirePositiveInt("vocab_size"),
                dModel,
                json.requirePositiveInt("encoder_layers"),
                json.requirePositiveInt("decoder_layers"),
                encoderHeads,
                decoderHeads,
                json.requirePositiveInt("encoder_ffn_dim"),
                json.requirePositiveInt("decoder_ffn_dim"),
                json.activation("activation_function", "gelu"),
                json.optBoolean("scale_embedding", false),
                json.requirePositiveInt("max_position_embeddings"),
                json.optBoolean("tie_word_embeddings", true),
                json.optProbability("dropout", 0.1),
                json.optProbability("attention_dropout", 0.0),
                json.optProbability("activation_dropout", 0.0),
                json.optPositiveDouble("init_std", 0.02),
                tokens,
                json.root());
    }

    @Override
    public String modelType() {
        return MODEL_TYPE;
    }

    @Override
    public int hiddenSize() {
        return dModel;
    }

    @Override
    public boolean encoderDecoder() {
        return true;
    }

    @Override
    public int encoderLayerCount() {
        return encoderLayers;
    }

    @Override
    public int decoderLayerCount() {
        return decoderLayers;
    }

    @Override
    public int maxPositions() {
        return maxPositionEmbeddings;
    }

    /** Multiplier of the token embeddings: sqrt(d_model) when {@code scale_embedding}, else 1. */
    public float embedScale() {
        return scaleEmbedding ? (float) Math.sqrt(dModel) : 1f;
    }

    @Override
    public BartConfig withLayerCounts(int encoderLayers, int decoderLayers) {
        return new BartConfig(vocabSize, dModel, encoderLayers, decoderLayers, encoderAttentionHeads,
                decoderAttentionHeads, encoderFfnDim, decoderFfnDim, activation, scaleEmbedding,
                maxPositionEmbeddings, tieWordEmbeddings, dropout, attentionDropout, activationDropout, initStd,
                specialTokens, source.deepCopy().put("encoder_layers", encoderLayers).put("decoder_layers", decoderLayers));
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode json = source.deepCopy();
        json.put("model_type", MODEL_TYPE);
        json.put("vocab_size", vocabSize);
        json.put("d_model", dModel);
        json.put("encoder_layers", encoderLayers);
        json.put("decoder_layers", decoderLayers);
        json.put("encoder_attention_heads", encoderAttentionHeads);
        json.put("decoder_attention_heads", decoderAttentionHeads);
        json.put("encoder_ffn_dim", encoderFfnDim);
        json.put("decoder_ffn_dim", decoderFfnDim);
        ConfigJsonWriter.putActivation(json, "activation_function", activation);
        json.put("scale_embedding", scaleEmbedding);
        json.put("max_position_embeddings", maxPositionEmbeddings);
        json.put("tie_word_embeddings", tieWordEmbeddings);
        json.put("is_encoder_decoder", true);
        ConfigJsonWriter.putTokens(json, specialTokens);
        return json;
    }
}
