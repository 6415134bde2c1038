package io.kdflow.core.model.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * {@code GPT2LMHeadModel}: pre-layer-norm decoder with learned positions, Conv1D weights (stored
 * input-major in checkpoints) and a final {@code ln_f}.
 */
public record Gpt2Config(
        int vocabSize,
        int nEmbd,
        int nLayer,
        int nHead,
        int nPositions,
        int nInner,
        ActivationFunction activation,
        double layerNormEpsilon,
        double residPdrop,
        double embdPdrop,
        double attnPdrop,
        double initializerRange,
        boolean scaleAttnWeights,
        boolean scaleAttnByInverseLayerIdx,
        boolean tieWordEmbeddings,
        SpecialTokens specialTokens,
        ObjectNode source) implements ModelConfig {

    public static final String MODEL_TYPE = "gpt2";

    public Gpt2Config {
        source = source.deepCopy();
    }

    static Gpt2Config parse(ConfigJson json) throws ModelConfigException {
        int nEmbd = json.requirePositiveInt("n_embd");
        int nHead = json.requirePositiveInt("n_head");
        json.requireDivisible("n_embd", nEmbd, "n_head", nHead);
        if (json.optBoolean("add_cross_attention", false)) {
            throw new ModelConfigException(json.file(), "add_cross_attention", "GPT-2 with cross-attention is not supported");
        }
        SpecialTokens tokens = new SpecialTokens(json.optTokenId("pad_token_id", null),
                json.optTokenId("bos_token_id", 50256), json.optTokenIds("eos_token_id", List.of(50256)), null);
        return new Gpt2Config(
                json.requirePositiveInt("vocab_size"),
                nEmbd,
                json.requirePositiveInt("n_layer"),
                nHead,
                json.requirePositiveInt("n_positions"),
                json.optPositiveInt("n_inner", 4 * nEmbd),
                json.activation("activation_function", "gelu_new"),
                json.optPositiveDouble("layer_norm_epsilon", 1e-5),
                json.optProbability("resid_pdrop", 0.1),
                json.optProbability("embd_pdrop", 0.1),
                json.optProbability("attn_pdrop", 0.1),
                json.optPositiveDouble("initializer_range", 0.02),
                json.optBoolean("scale_attn_weights", true),
                json.optBoolean("scale_attn_by_inverse_layer_idx", false),
                json.optBoolean("tie_word_embeddings", true),
                tokens,
                json.root());
    }

    @Override
    public String modelType() {
        return MODEL_TYPE;
    }

    @Override
    public int hiddenSize() {
        return nEmbd;
    }

    @Override
    public boolean encoderDecoder() {
        return false;
    }

    @Override
    public int encoderLayerCount() {
        return 0;
    }

    @Override
    public int decoderLayerCount() {
        return nLayer;
    }

    @Override
    public int maxPositions() {
        return nPositions;
    }

    @Override
    public Gpt2Config withLayerCounts(int encoderLayers, int decoderLayers) {
        if (encoderLayers != 0) {
            throw new IllegalArgumentException("GPT-2 has no encoder layers");
        }
        return new Gpt2Config(vocabSize, nEmbd, decoderLayers, nHead, nPositions,
                nInner, activation, layerNormEpsilon, residPdrop, embdPdrop, attnPdrop, initializerRange,
                scaleAttnWeights, scaleAttnByInverseLayerIdx, tieWordEmbeddings, specialTokens, source.deepCopy().put("n_layer", decoderLayers));
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode json = source.deepCopy();
        json.put("model_type", MODEL_TYPE);
        json.put("vocab_size", vocabSize);
        json.put("n_embd", nEmbd);
        json.put("n_layer", nLayer);
        json.put("n_head", nHead);
        json.put("n_positions", nPositions);
        ConfigJsonWriter.putActivation(json, "activation_function", activation);
        json.put("tie_word_embeddings", tieWordEmbeddings);
        ConfigJsonWriter.putTokens(json, specialTokens);
        return json;
    }
}
