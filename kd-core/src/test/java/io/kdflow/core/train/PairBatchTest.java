package io.kdflow.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.nn.Autograd;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.testing.ReferenceTensors;
import io.kdflow.core.tokenizer.HfTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Encoding pairs exactly as the transformers references were made, so the loss matches them. */
class PairBatchTest {

    @TempDir
    Path dir;

    @Test
    void shouldReproduceTheReferenceInputsAndLossOfBartTiny() throws Exception {
        Path model = HfTiny.copyModel(HfTiny.BART, dir);
        // meta.json "test_texts" of bart-tiny: the copy task, so sources and targets are the same texts.
        List<String> texts = List.of("You can apply it to your programs, too.", "the work must carry prominent notices",
                "Distribution of modified versions is permitted.");
        try (HfTokenizer tokenizer = HfTokenizer.load(model.resolve("tokenizer.json"));
                NDManager manager = NDManager.newBaseManager();
                Seq2SeqModel bart = PretrainedModels.loadSeq2Seq(model, manager)) {
            Map<String, NDArray> reference = ReferenceTensors.load(model.resolve("reference.safetensors"), manager);
            PairBatch batch = PairBatch.encode(new TextEncoding(tokenizer, bart.config()), texts, texts, 64, 64, 1);

            assertThat(manager.create(batch.inputIds())).isEqualTo(reference.get("input_ids"));
            assertThat(manager.create(batch.attentionMask())).isEqualTo(reference.get("attention_mask"));
            assertThat(manager.create(batch.labels())).isEqualTo(reference.get("labels"));
            try (Autograd.Scope noGrad = Autograd.disabled()) {
                float loss = bart.loss(manager.create(batch.inputIds()), manager.create(batch.attentionMask()),
                        manager.create(batch.labels()), RunMode.INFERENCE).getFloat();
                assertThat(loss).isCloseTo(reference.get("loss").getFloat(), offset(1e-4f));
            }
        }
    }

    @Test
    void shouldCutLongTargetsButKeepEos() throws Exception {
        Path model = HfTiny.copyModel(HfTiny.BART, dir);
        try (HfTokenizer tokenizer = HfTokenizer.load(model.resolve("tokenizer.json"));
                NDManager manager = NDManager.newBaseManager();
                Seq2SeqModel bart = PretrainedModels.loadSeq2Seq(model, manager)) {
            PairBatch batch = PairBatch.encode(new TextEncoding(tokenizer, bart.config()), List.of("a b c d e f g", "a"),
                    List.of("one two three four five six seven eight", "x"), 4, 3, 1);

            assertThat(batch.inputIds()[0]).hasSize(4).startsWith(0).endsWith(2);
            assertThat(batch.inputIds()[1]).endsWith(1);
            assertThat(batch.attentionMask()[1]).containsExactly(1, 1, 1, 0);
            assertThat(batch.labels()[0]).hasSize(3).endsWith(2);
            assertThat(batch.labels()[1][batch.labels()[1].length - 1]).isEqualTo(PairBatch.IGNORED);
            assertThat(batch.targetTokens()).isEqualTo(3 + 2);
        }
    }
}
