package io.kdflow.core.compute;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.config.ModelConfigs;
import io.kdflow.core.testing.HfTiny;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parameter counts by hand, from the config alone, and from loaded weights. */
class ParameterCountTest {

    @TempDir
    Path temp;

    @Test
    void shouldCountBartTinyLikeTransformers() throws IOException {
        // bart-tiny: vocab 600, d 64, 2 encoder and 4 decoder layers, FFN 128, 128 + 2 learned positions, tied head.
        long shared = 600 * 64;
        long positions = 2 * (130 * 64);
        long embeddingNorms = 2 * (64 + 64);
        long attention = 4 * (64 * 64 + 64);
        long ffn = (64 * 128 + 128) + (128 * 64 + 64);
        long norm = 64 + 64;
        long encoderLayer = attention + norm + ffn + norm;
        long decoderLayer = encoderLayer + attention + norm;
        long total = shared + positions + embeddingNorms + 2 * encoderLayer + 4 * decoderLayer; // no final_logits_bias

        ParameterCount count = ParameterCount.of(ModelConfigs.read(HfTiny.copyModel(HfTiny.BART, temp)));

        assertThat(total).isEqualTo(323_200);
        assertThat(count.total()).isEqualTo(total);
        assertThat(count.nonEmbedding()).isEqualTo(total - shared - positions);
        assertThat(count.embedding()).isEqualTo(shared + positions);
    }

    @Test
    void shouldKeepAnUntiedHeadAndDropT5RelativeBiasTables() {
        // tiny T5 v1.1: d 8, inner 6, d_ff 10, 1 + 1 layers, vocab 40, 32 buckets x 2 heads per stack.
        long shared = 40 * 8;
        long lmHead = 40 * 8;
        long attention = 4 * (8 * 6);
        long gatedFfn = 3 * (8 * 10);
        long norm = 8;
        long encoder = attention + 32 * 2 + norm + gatedFfn + norm + norm; // + final_layer_norm
        long decoder = 2 * attention + 32 * 2 + 3 * norm + gatedFfn + norm;

        ParameterCount count = ParameterCount.of(TinyConfigs.t5v11());

        assertThat(count.total()).isEqualTo(shared + lmHead + encoder + decoder);
        assertThat(count.embedding()).isEqualTo(shared + 2 * (32 * 2));
    }

    @ParameterizedTest
    @ValueSource(strings = {HfTiny.BART, HfTiny.T5, HfTiny.GPT2})
    void shouldCountTheSameFromTheConfigAndFromLoadedWeights(String name) throws IOException {
        Path dir = HfTiny.copyModel(name, temp);
        try (NDManager manager = NDManager.newBaseManager();
                PretrainedModel model = PretrainedModels.load(dir, manager)) {
            assertThat(ParameterCount.of(model)).isEqualTo(ParameterCount.of(model.config()));
        }
    }
}
