package io.kdflow.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.config.ModelConfig;
import io.kdflow.core.model.config.ModelConfigs;
import io.kdflow.core.model.nn.DenormalFlush;
import io.kdflow.core.model.nn.RunMode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fresh models are initialised like transformers does, T5 v1.1 (gated, untied) works end to end. */
class InitializationTest {

    @TempDir
    Path temp;

    @Test
    void shouldInitialiseBartLikeTransformers() throws IOException {
        Map<String, Object> keys = new HashMap<>(Map.of("model_type", "bart", "vocab_size", 300, "d_model", 64,
                "encoder_layers", 1, "decoder_layers", 1, "encoder_attention_heads", 4, "decoder_attention_heads", 4,
                "encoder_ffn_dim", 256, "decoder_ffn_dim", 256, "max_position_embeddings", 64));
        keys.put("init_std", 0.05);
        try (NDManager manager = NDManager.newBaseManager();
                PretrainedModel model = PretrainedModels.initialize(ModelConfigs.parse(keys, "bart"), manager, 1)) {
            Map<String, NDArray> weights = model.stateDict(manager);
            NDArray shared = weights.get("model.shared.weight");
            assertThat(std(weights.get("model.decoder.layers.0.fc1.weight"))).isCloseTo(0.05, within(0.003));
            assertThat(shared.get("1").abs().sum().getFloat()).as("padding row").isZero();
            assertThat(std(shared)).isCloseTo(0.05, within(0.003));
            assertThat(weights.get("model.encoder.layers.0.fc1.bias").abs().sum().getFloat()).isZero();
            assertThat(weights.get("model.encoder.layernorm_embedding.weight").toFloatArray()).containsOnly(1f);
            assertThat(weights.get("final_logits_bias").getShape().getShape()).containsExactly(1, 300);
        }
    }

    @Test
    void shouldRunAndRoundTripAGatedUntiedT5() throws IOException {
        Map<String, Object> keys = new HashMap<>(Map.of("model_type", "t5", "vocab_size", 100, "d_model", 32,
                "d_kv", 8, "d_ff", 64, "num_layers", 2, "num_decoder_layers", 1, "num_heads", 4,
                "feed_forward_proj", "gated-gelu", "tie_word_embeddings", false));
        ModelConfig config = ModelConfigs.parse(keys, "t5-v1_1");
        Path saved = temp.resolve("t5-v1_1");
        try (NDManager manager = NDManager.newBaseManager();
                Seq2SeqModel model = (Seq2SeqModel) PretrainedModels.initialize(config, manager, 3)) {
            Map<String, NDArray> weights = model.stateDict(manager);
            assertThat(weights).containsKeys("lm_head.weight", "encoder.block.1.layer.1.DenseReluDense.wi_0.weight",
                    "decoder.block.0.layer.2.DenseReluDense.wi_1.weight");
            assertThat(std(weights.get("encoder.block.0.layer.0.SelfAttention.q.weight")))
                    .isCloseTo(Math.pow(32 * 8, -0.5), within(0.01));
            NDArray ids = manager.create(new long[][] {{5, 6, 7, 1}});
            NDArray logits = model.logits(ids, ids.onesLike(), manager.create(new long[][] {{0, 5, 6}}),
                    RunMode.INFERENCE);
            assertThat(logits.getShape().getShape()).containsExactly(1, 3, 100);
            // the packed pass (gated feed-forward on (N, E) rows) gives the full pass's logits, padding or not
            NDArray padded = manager.create(new long[][] {{5, 6, 7, 1}, {8, 9, 0, 0}});
            NDArray decoderIds = manager.create(new long[][] {{0, 5, 6}, {0, 8, 0}});
            NDArray full = model.logits(padded, padded.neq(0), decoderIds, RunMode.INFERENCE); // (2, 3, 100)
            NDArray at = model.logitsAt(padded, padded.neq(0), decoderIds, manager.create(new long[] {4, 2}),
                    RunMode.INFERENCE);
            assertThat(maxAbsDiff(at.get(0), full.get(1).get(1))).isLessThan(1e-5);
            assertThat(maxAbsDiff(at.get(1), full.get(0).get(2))).isLessThan(1e-5);
            ModelDirectoryWriter.save(model, saved, null);
            try (Seq2SeqModel reloaded = PretrainedModels.loadSeq2Seq(saved, manager)) {
                NDArray again = reloaded.logits(ids, ids.onesLike(), manager.create(new long[][] {{0, 5, 6}}),
                        RunMode.INFERENCE);
                assertThat(again.contentEquals(logits)).isTrue();
            }
        }
    }

    @Test
    void shouldFlushDenormalsToZero() {
        DenormalFlush.ensureEnabled();
        assertThat(DenormalFlush.isEnabled()).isTrue();
        try (NDManager manager = NDManager.newBaseManager()) {
            float product = manager.create(1e-20f).mul(manager.create(1e-20f)).getFloat();
            assertThat(product).as("1e-40 is denormal in float32").isZero();
            // Large enough for libtorch to split the work over its OpenMP workers, which must flush too.
            NDArray tiny = manager.full(new ai.djl.ndarray.types.Shape(1 << 20), 1e-20f);
            assertThat(tiny.mul(tiny).max().getFloat()).isZero();
        }
    }

    private static double maxAbsDiff(NDArray a, NDArray b) {
        return a.sub(b).abs().max().getFloat();
    }

    private static double std(NDArray array) {
        float[] values = array.toFloatArray();
        double sum = 0;
        double squares = 0;
        for (float v : values) {
            sum += v;
            squares += (double) v * v;
        }
        double mean = sum / values.length;
        return Math.sqrt(squares / values.length - mean * mean);
    }
}
