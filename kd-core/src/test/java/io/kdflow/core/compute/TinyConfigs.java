package io.kdflow.core.compute;

import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.model.config.ModelConfigException;
import io.kdflow.core.model.config.ModelConfigs;
import java.util.Map;

/** Configs small enough to count by hand. */
final class TinyConfigs {

    private TinyConfigs() {}

    private static ModelConfig parse(Map<String, ?> values, String name) {
        try {
            return ModelConfigs.parse(values, name);
        } catch (ModelConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    /** BART: d 8, 2 heads, 1 encoder / 2 decoder layers, FFN 16, vocab 50. */
    static ModelConfig bart() {
        return parse(Map.of("model_type", "bart", "vocab_size", 50, "d_model", 8,
                "encoder_layers", 1, "decoder_layers", 2, "encoder_attention_heads", 2, "decoder_attention_heads", 2,
                "encoder_ffn_dim", 16, "decoder_ffn_dim", 16, "max_position_embeddings", 20), "tiny-bart");
    }

    /** T5 v1.1: d 8, 2 heads of d_kv 3 (inner 6), d_ff 10, gated GELU, 1 + 1 layers, vocab 40, untied head. */
    static ModelConfig t5v11() {
        return parse(Map.of("model_type", "t5", "vocab_size", 40, "d_model", 8, "d_kv", 3,
                "d_ff", 10, "num_layers", 1, "num_decoder_layers", 1, "num_heads", 2,
                "feed_forward_proj", "gated-gelu", "tie_word_embeddings", false), "tiny-t5");
    }

    /** GPT-2: n_embd 8, 2 layers, 2 heads, n_inner 4 x 8 = 32, vocab 30, 16 positions. */
    static ModelConfig gpt2() {
        return parse(Map.of("model_type", "gpt2", "vocab_size", 30, "n_embd", 8, "n_layer", 2,
                "n_head", 2, "n_positions", 16), "tiny-gpt2");
    }
}
