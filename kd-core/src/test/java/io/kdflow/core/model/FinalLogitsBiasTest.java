package io.kdflow.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.model.config.ModelConfigs;
import io.kdflow.core.model.nn.RunMode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * BART skips an all-zero final_logits_bias in its LM head (a speed choice); a non-zero one must still
 * be added, in teacher-forced logits and in every incremental decoding step.
 */
class FinalLogitsBiasTest {

    private static final int VOCAB = 40;

    @Test
    void shouldAddANonZeroFinalLogitsBiasAndOnlyThat() throws IOException {
        ModelConfig config = ModelConfigs.parse(new HashMap<>(Map.of("model_type", "bart", "vocab_size", VOCAB,
                "d_model", 16, "encoder_layers", 1, "decoder_layers", 1, "encoder_attention_heads", 2,
                "decoder_attention_heads", 2, "encoder_ffn_dim", 32, "decoder_ffn_dim", 32,
                "max_position_embeddings", 16)), "bart");
        float[] bias = new float[VOCAB];
        for (int i = 0; i < VOCAB; i++) {
            bias[i] = (i % 7) - 3f;
        }
        try (NDManager manager = NDManager.newBaseManager();
                Seq2SeqModel plain = (Seq2SeqModel) PretrainedModels.initialize(config, manager, 9)) {
            Map<String, NDArray> tensors = plain.stateDict(manager);
            tensors.put("final_logits_bias", manager.create(bias).reshape(1, VOCAB));
            try (Seq2SeqModel biased = (Seq2SeqModel) PretrainedModels.fromStateDict(config, tensors, manager)) {
                NDArray ids = manager.create(new long[][] {{5, 6, 7, 8}, {9, 10, 11, 1}});
                NDArray mask = manager.create(new long[][] {{1, 1, 1, 1}, {1, 1, 1, 0}});
                NDArray decoderIds = manager.create(new long[][] {{2, 5, 6}, {2, 9, 10}});

                float[] without = plain.logits(ids, mask, decoderIds, RunMode.INFERENCE).toFloatArray();
                float[] with = biased.logits(ids, mask, decoderIds, RunMode.INFERENCE).toFloatArray();
                for (int i = 0; i < with.length; i++) {
                    assertThat(with[i] - without[i]).as("logit " + i).isCloseTo(bias[i % VOCAB], within(1e-5f));
                }

                try (IncrementalDecoder decoder = biased.startDecoding(biased.encode(ids, mask, RunMode.INFERENCE), 3)) {
                    for (int t = 0; t < 3; t++) {
                        float[] step = decoder.step(decoderIds.get(":, {}:{}", t, t + 1)).toFloatArray();
                        for (int row = 0; row < 2; row++) {
                            for (int v = 0; v < VOCAB; v++) {
                                int full = (row * 3 + t) * VOCAB + v;
                                assertThat(step[row * VOCAB + v]).as("step %d row %d token %d", t, row, v)
                                        .isCloseTo(with[full], within(1e-4f));
                            }
                        }
                    }
                }
            }
        }
    }
}
