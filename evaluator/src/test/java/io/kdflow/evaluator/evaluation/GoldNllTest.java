package io.kdflow.evaluator.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.kdflow.core.metrics.MeanNll;
import io.kdflow.core.decoding.TextEncoding;
import io.kdflow.core.model.ModelDirectory;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.evaluator.testing.TestCheckpoints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The per-example gold NLL against the model's own teacher-forced loss (transformers' formula), and the target
 * form. A {@code @QuarkusTest} only so that libtorch loads in the same class loader as the service tests'.
 */
@QuarkusTest
class GoldNllTest {

    @Test
    void shouldEqualTheModelLossOfEachExampleAndBeSmallForTheCopyModel() throws IOException {
        String uri = TestCheckpoints.copyBartTiny("gold-nll", "model");
        List<String> texts = List.of("You can apply it to your programs, too.", "the work must carry prominent notices");
        try (NDManager manager = NDManager.newBaseManager();
                ModelDirectory model = ModelDirectory.load(TestCheckpoints.directory("gold-nll", "model"), manager)) {
            List<long[]> sources = new ArrayList<>();
            List<long[]> targets = new ArrayList<>();
            for (String text : texts) {
                sources.add(model.tokenizer().encode(text));
                targets.add(TextEncoding.truncateKeepingEnd(model.textEncoding().target(text), 64));
            }
            MeanNll batched = GoldNll.compute(model.seq2seq(), sources, targets, 2);

            double tokenSum = 0;
            int tokens = 0;
            for (int i = 0; i < texts.size(); i++) {
                NDArray source = manager.create(sources.get(i), new Shape(1, sources.get(i).length));
                NDArray labels = manager.create(targets.get(i), new Shape(1, targets.get(i).length));
                float loss = model.seq2seq().loss(source, source.onesLike(), labels, RunMode.INFERENCE).getFloat();
                tokenSum += loss * targets.get(i).length;
                tokens += targets.get(i).length;
            }
            assertThat(batched.tokenWeightedMean()).isCloseTo(tokenSum / tokens, within(1e-5)).isLessThan(0.1); // trained to copy
            assertThat(batched.examples()).isEqualTo(2);
        }
    }

    @Test
    void shouldFormTargetsAsTheModelGeneratesThemAndTruncateBeforeEos() throws IOException {
        TestCheckpoints.copyBartTiny("gold-nll", "targets");
        try (NDManager manager = NDManager.newBaseManager();
                ModelDirectory model = ModelDirectory.load(TestCheckpoints.directory("gold-nll", "targets"), manager)) {
            long[] full = TextEncoding.truncateKeepingEnd(
                    model.textEncoding().target("You can apply it to your programs, too."), 64);
            long[] cut = TextEncoding.truncateKeepingEnd(
                    model.textEncoding().target("You can apply it to your programs, too."), 5);

            // transformers' greedy output for this text, after the decoder start token 2 (meta.json)
            assertThat(full).containsExactly(60, 275, 272, 289, 460, 323, 360, 297, 453, 497, 86, 15, 297, 82, 17, 2);
            assertThat(cut).containsExactly(60, 275, 272, 289, 2);
        }
    }
}
