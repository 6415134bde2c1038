package io.kdflow.core.decoding;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.testing.HfTiny;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sampling on the fixture models: seeded and reproducible, independent of the batch an input is
 * decoded in, top-k 1 equal to greedy, min_new_tokens respected. The copy-task models are very sure
 * of themselves, so a high temperature makes the samples differ.
 */
class SamplingTest {

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {HfTiny.BART, HfTiny.T5, HfTiny.GPT2})
    void shouldGiveTheSameSamplesForTheSameSeedAndOthersForAnotherSeed(String name) throws IOException {
        try (NDManager manager = NDManager.newBaseManager(); Loaded loaded = load(name, manager)) {
            GenerationSettings settings = hot(loaded, 7L);

            List<List<Long>> first = tokens(loaded.generate(loaded.inputs, settings));
            List<List<Long>> again = tokens(loaded.generate(loaded.inputs, settings));
            List<List<Long>> otherSeed = tokens(loaded.generate(loaded.inputs, settings.toBuilder().seed(8L).build()));

            assertThat(again).isEqualTo(first);
            assertThat(otherSeed).isNotEqualTo(first);
            assertThat(first).hasSize(3 * 4);
            assertThat(first.subList(0, 4)).as("the samples of one input differ").doesNotHaveDuplicates();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {HfTiny.BART, HfTiny.T5, HfTiny.GPT2})
    void shouldNotDependOnTheOtherInputsOfTheBatch(String name) throws IOException {
        try (NDManager manager = NDManager.newBaseManager(); Loaded loaded = load(name, manager)) {
            GenerationSettings settings = hot(loaded, 11L);
            List<GenerationInput> all = loaded.inputs;

            List<Generation> together = loaded.generate(all, settings);
            List<Generation> reversed = loaded.generate(List.of(all.get(2), all.get(1), all.get(0)), settings);
            List<Generation> alone = loaded.generate(List.of(all.get(1)), settings);

            for (int i = 0; i < 3; i++) {
                assertThat(tokens(List.of(reversed.get(2 - i)))).as("input " + i).isEqualTo(tokens(List.of(together.get(i))));
            }
            assertThat(tokens(alone)).isEqualTo(tokens(List.of(together.get(1))));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {HfTiny.BART, HfTiny.T5, HfTiny.GPT2})
    void shouldEqualGreedyWithTopKOne(String name) throws IOException {
        try (NDManager manager = NDManager.newBaseManager(); Loaded loaded = load(name, manager)) {
            GenerationSettings greedy = GenerationSettings.greedy(16);
            GenerationSettings topOne = hot(loaded, 3L).toBuilder().maxNewTokens(16).topK(1).build();

            List<Generation> sampled = loaded.generate(loaded.inputs, topOne);
            List<Generation> expected = loaded.generate(loaded.inputs, greedy);

            for (int i = 0; i < 3; i++) {
                for (Hypothesis sample : sampled.get(i).hypotheses()) {
                    assertThat(sample.tokens()).containsExactly(expected.get(i).best().tokens());
                    // 12 rows instead of 3: libtorch's float sums may differ in the last bits
                    assertThat(sample.score()).isCloseTo(expected.get(i).best().score(), org.assertj.core.data.Offset.offset(1e-6));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {HfTiny.BART, HfTiny.GPT2})
    void shouldNotEndBeforeMinNewTokens(String name) throws IOException {
        try (NDManager manager = NDManager.newBaseManager(); Loaded loaded = load(name, manager)) {
            GenerationSettings settings = hot(loaded, 5L).toBuilder().maxNewTokens(30).minNewTokens(20).build();
            GenerationSettings greedy = GenerationSettings.greedy(30).toBuilder().minNewTokens(20).build();

            List<Hypothesis> all = new ArrayList<>();
            loaded.generate(loaded.inputs, settings).forEach(g -> all.addAll(g.hypotheses()));
            loaded.generate(loaded.inputs, greedy).forEach(g -> all.addAll(g.hypotheses()));

            for (Hypothesis hypothesis : all) {
                assertThat(hypothesis.length()).isGreaterThanOrEqualTo(20);
                for (int t = 0; t < 19; t++) {
                    assertThat(loaded.config.eosTokenIds()).doesNotContain((int) hypothesis.tokens()[t]);
                }
            }
        }
    }

    private static GenerationSettings hot(Loaded loaded, long seed) {
        return GenerationSettings.greedy(12).toBuilder().doSample(true).temperature(2.5).topK(0).topP(0.99)
                .numSamples(4).seed(seed).build();
    }

    private static List<List<Long>> tokens(List<Generation> generations) {
        List<List<Long>> all = new ArrayList<>();
        for (Generation generation : generations) {
            for (Hypothesis hypothesis : generation.hypotheses()) {
                all.add(java.util.Arrays.stream(hypothesis.tokens()).boxed().toList());
            }
        }
        return all;
    }

    private Loaded load(String name, NDManager manager) throws IOException {
        Path dir = HfTiny.copyModel(name, temp);
        PretrainedModel model = PretrainedModels.load(dir, manager);
        GenerationConfig config = GenerationConfig.readOrDefault(dir, model.config());
        List<GenerationInput> inputs = HfTiny.GPT2.equals(name)
                ? HfGoldens.prompts(dir, manager) : HfGoldens.sources(dir, manager);
        return new Loaded(model, config, inputs);
    }

    private record Loaded(PretrainedModel model, GenerationConfig config, List<GenerationInput> inputs)
            implements AutoCloseable {

        List<Generation> generate(List<GenerationInput> batch, GenerationSettings settings) {
            return new Generator(model, config).generate(batch, settings);
        }

        @Override
        public void close() {
            model.close();
        }
    }
}
