package io.kdflow.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.model.config.ModelConfigException;
import io.kdflow.core.model.config.ModelConfigs;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Analytical training FLOPs, checked against a count written out by hand. */
class TrainFlopsTest {

    @Test
    void shouldCountThreeTimesTheForwardMatmulFlopsOfBart() throws ModelConfigException {
        Map<String, Object> keys = new HashMap<>();
        keys.put("model_type", "bart");
        keys.put("vocab_size", 100);
        keys.put("d_model", 8);
        keys.put("encoder_layers", 1);
        keys.put("decoder_layers", 1);
        keys.put("encoder_attention_heads", 2);
        keys.put("decoder_attention_heads", 2);
        keys.put("encoder_ffn_dim", 16);
        keys.put("decoder_ffn_dim", 16);
        keys.put("max_position_embeddings", 32);
        ModelConfig config = ModelConfigs.parse(keys, "test");
        BenchShape shape = new BenchShape(2, 3, 5); // 4 decoder positions

        // multiply-adds of one forward pass, B = 2, S = 3, T = 4, E = 8, F = 16, V = 100
        long encoder = 2 * 3 * (4 * 8 * 8) // q, k, v, out projections
                + 2L * 2 * 3 * 3 * 8 // scores and context
                + 2 * 3 * 2 * 8 * 16; // fc1, fc2
        long decoder = 2 * 4 * (4 * 8 * 8) + 2L * 2 * 4 * 4 * 8 // self-attention
                + 2 * 4 * (2 * 8 * 8) + 2 * 3 * (2 * 8 * 8) + 2L * 2 * 4 * 3 * 8 // cross-attention
                + 2 * 4 * 2 * 8 * 16; // feed-forward
        long lmHead = 2 * 4 * 8 * 100;
        double expected = 3.0 * 2 * (encoder + decoder + lmHead);

        assertThat(TrainFlops.perStep(config, shape)).isEqualTo(expected);
        assertThat(shape.trainTokens()).isEqualTo(8);
        assertThat(shape.sampleTokens()).isEqualTo(10);
    }
}
