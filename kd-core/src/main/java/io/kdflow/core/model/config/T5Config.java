package io.kdflow.core.model.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * {@code T5ForConditionalGeneration}: pre-norm blocks with RMS layer norm, no biases, relative position
 * buckets, no 1/sqrt(d) attention scaling. {@code feed_forward_proj} is {@code "relu"} (v1.0) or
 * {@code "gated-gelu"} (v1.1, tanh-approximated GELU) or any {@code "[gated-]act"}. With tied embeddings
 * the LM head input is scaled by d_model^-0.5.
 */
public record T5Config(
        int vocabSize,
        int dModel,
        int dKv,
        int dFf,
        int numLayers,
        int numDecoderLayers,
        int numHeads,
        int relativeAttentionNumBuckets,
        int relativeAttentionMaxDistance,
        ActivationFunction activation,
        boolean gatedActivation,
        double layerNormEpsilon,
        boolean tieWordEmbeddings,
        boolean scaleDecoderOutputs,
        double dropoutRate,
        double initializerFactor,
        SpecialTokens specialTokens,
        ObjectNode source) implements ModelConfig {

    public static final String MODEL_TYPE = "t5";

    public T5Config {
        source = source.deepCopy();
    }

    static T5Config parse(ConfigJson json) throws ModelConfigException {
        String feedForward = json.optString("feed_forward_proj", "relu");
        String[] parts = feedForward.split("-", -1);
        boolean gated = parts[0].equals("gated");
        if ((parts.length > 1 && !gated) || parts.length > 2) {
            throw new ModelConfigException(json.file(), "feed_forward_proj", "'" + feedForward
                    + "' is not of the form 'gated-{ACT_FN}' or '{ACT_FN}'");
        }
        // transformers maps "gated-gelu" to the tanh approximation (T5 v1.1 checkpoints were trained so).
        String activationName = feedForward.equals("gated-gelu") ? "gelu_new" : parts[parts.length - 1];
        ActivationFunction activation = ActivationFunction.fromHfName(activationName).orElseThrow(
                () -> new ModelConfigException(json.file(), "feed_forward_proj", "unsupported activation '"
                        + activationName + "' (supported: " + ActivationFunction.supportedNames() + ")"));
        checkDerivedKeys(json, activation, gated);
        int numLayers = json.requirePositiveInt("num_layers");
        boolean tie = json.optBoolean("tie_word_embeddings", true);
        Integer pad = json.optTokenId("pad_token_id", 0);
        SpecialTokens tokens = new SpecialTokens(pad, json.optTokenId("bos_token_id", null),
                json.optTokenIds("eos_token_id", List.of(1)), json.optTokenId("decoder_start_token_id", pad));
        return new T5Config(
                json.requirePositiveInt("vocab_size"),
                json.requirePositiveInt("d_model"),
                json.requirePositiveInt("d_kv"),
                json.requirePositiveInt("d_ff"),
                numLayers,
                json.optPositiveInt("num_decoder_layers", numLayers),
                json.requirePositiveInt("num_heads"),
                json.optPositiveInt("relative_attention_num_buckets", 32),
                json.optPositiveInt("relative_attention_max_distance", 128),
                activation,
                gated,
                json.optPositiveDouble("layer_norm_epsilon", 1e-6),
                tie,
                json.optBoolean("scale_decoder_outputs", tie),
                json.optProbability("dropout_rate", 0.1),
                json.optPositiveDouble("initializer_factor", 1.0),
                tokens,
                json.root());
    }

    /** {@code dense_act_fn} / {@code is_gated_act} are derived keys; they must agree with feed_forward_proj. */
    private static void checkDerivedKeys(ConfigJson json, ActivationFunction activation, boolean gated)
            throws ModelConfigException {
        if (json.has("dense_act_fn")) {
            String name = json.optString("dense_act_fn", null);
            if (ActivationFunction.fromHfName(name).orElse(null) != activation) {
                throw new ModelConfigException(json.file(), "dense_act_fn", "'" + name
                        + "' contradicts feed_forward_proj '" + json.optString("feed_forward_proj", "relu") + "'");
            }
        }
        if (json.has("is_gated_act") && json.optBoolean("is_gated_act", gated) != gated) {
            throw new ModelConfigException(json.file(), "is_gated_act", "contradicts feed_forward_proj");
        }
    }

    @Override
    public String modelType() {
        return MODEL_TYPE;
    }

    @Override
    public int hiddenSize() {
        return dModel;
    }

    /** Width of the attention projections: num_heads * d_kv (may differ from d_model). */
    public int innerDim() {
        return numHeads * dKv;
    }

    @Override
    public boolean encoderDecoder() {
        return true;
    }

    @Override
    public int encoderLayerCount() {
        return numLayers;
    }

    @Override
    public int decoderLayerCount() {
        return numDecoderLayers;
    }

    @Override
    public T5Config withLayerCounts(int encoderLayers, int decoderLayers) {
        return new T5Config(vocabSize, dModel, dKv, dFf, encoderLayers, decoderLayers, numHeads,
                relativeAttentionNumBuckets, relativeAttentionMaxDistance, activation, gatedActivation,
                layerNormEpsilon, tieWordEmbeddings, scaleDecoderOutputs, dropoutRate, initializerFactor,
                specialTokens, source.deepCopy().put("num_layers", encoderLayers).put("num_decoder_layers", decoderLayers));
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode json = source.deepCopy();
        json.put("model_type", MODEL_TYPE);
        json.put("vocab_size", vocabSize);
        json.put("d_model", dModel);
        json.put("d_kv", dKv);
        json.put("d_ff", dFf);
        json.put("num_layers", numLayers);
        json.put("num_decoder_layers", numDecoderLayers);
        json.put("num_heads", numHeads);
        json.put("relative_attention_num_buckets", relativeAttentionNumBuckets);
        json.put("relative_attention_max_distance", relativeAttentionMaxDistance);
        if (!json.has("feed_forward_proj")) {
            json.put("feed_forward_proj", gatedActivation ? "gated-" + activation.hfName() : activation.hfName());
        }
        json.put("tie_word_embeddings", tieWordEmbeddings);
        json.put("is_encoder_decoder", true);
        ConfigJsonWriter.putTokens(json, specialTokens);
        return json;
    }
}
