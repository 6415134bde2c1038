package io.kdflow.core.decoding;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.model.config.GenerationConfig.EarlyStopping;
import io.kdflow.core.testing.HfTiny;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Greedy decoding and beam search reproduce transformers 5.17's generate outputs (meta.json). */
class HfGenerateParityTest {

    /** sequences_scores are float32 in transformers; ours come from the same float32 arithmetic. */
    private static final double SCORE_TOLERANCE = 1e-4;

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {HfTiny.BART, HfTiny.T5})
    void shouldReproduceGreedyOutputsOfEncoderDecoders(String name) throws IOException {
        Path dir = HfTiny.copyModel(name, temp);
        JsonNode expected = HfGoldens.model(name).get("generate").get("greedy");
        try (NDManager manager = NDManager.newBaseManager();
                PretrainedModel model = PretrainedModels.load(dir, manager)) {
            GenerationConfig config = GenerationConfig.readOrDefault(dir, model.config());
            long eos = config.eosTokenIds().get(0);
            long pad = config.padTokenId();
            List<Generation> generations = new Generator(model, config)
                    .generate(HfGoldens.sources(dir, manager), GenerationSettings.greedy(24));

            for (int row = 0; row < 3; row++) {
                long[] hfRow = HfGoldens.longs(expected.get("sequences").get(row));
                long[] generated = HfGoldens.generatedPart(hfRow, 1, eos);
                Hypothesis hypothesis = generations.get(row).best();
                assertThat(hypothesis.tokens()).as("row " + row).containsExactly(generated);
                assertThat(hypothesis.finished()).isTrue();
                assertThat(Arrays.stream(hfRow, 1 + generated.length, hfRow.length).allMatch(id -> id == pad))
                        .as("transformers pads finished rows").isTrue();
            }
        }
    }

    @Test
    void shouldReproduceGpt2GreedyOutputsFromPromptsOfDifferentLengths() throws IOException {
        Path dir = HfTiny.copyModel(HfTiny.GPT2, temp);
        JsonNode expected = HfGoldens.model(HfTiny.GPT2).get("greedy_max_new_tokens_16");
        try (NDManager manager = NDManager.newBaseManager();
                PretrainedModel model = PretrainedModels.load(dir, manager)) {
            GenerationConfig config = GenerationConfig.readOrDefault(dir, model.config());
            List<GenerationInput> prompts = HfGoldens.prompts(dir, manager);

            List<Generation> generations = new Generator(model, config).generate(prompts, GenerationSettings.greedy(16));

            for (int row = 0; row < 3; row++) {
                long[] hfRow = HfGoldens.longs(expected.get(row));
                long[] generated = Arrays.copyOfRange(hfRow, prompts.get(row).length(), hfRow.length);
                assertThat(generations.get(row).best().tokens()).as("row " + row).containsExactly(generated);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {HfTiny.BART, HfTiny.T5})
    void shouldReproduceBeamSearchSequencesAndScores(String name) throws IOException {
        Path dir = HfTiny.copyModel(name, temp);
        JsonNode expected = HfGoldens.model(name).get("generate").get("beam4");
        JsonNode kwargs = expected.get("kwargs");
        try (NDManager manager = NDManager.newBaseManager();
                PretrainedModel model = PretrainedModels.load(dir, manager)) {
            GenerationConfig config = GenerationConfig.readOrDefault(dir, model.config());
            long eos = config.eosTokenIds().get(0);
            GenerationSettings settings = GenerationSettings.greedy(kwargs.get("max_new_tokens").intValue()).toBuilder()
                    .numBeams(kwargs.get("num_beams").intValue())
                    .numReturnSequences(kwargs.get("num_return_sequences").intValue())
                    .lengthPenalty(kwargs.get("length_penalty").doubleValue())
                    .earlyStopping(kwargs.get("early_stopping").booleanValue() ? EarlyStopping.TRUE : EarlyStopping.FALSE)
                    .build();

            List<Generation> generations = new Generator(model, config).generate(HfGoldens.sources(dir, manager), settings);

            double maxScoreError = 0;
            for (int row = 0; row < 6; row++) {
                Hypothesis hypothesis = generations.get(row / 2).hypotheses().get(row % 2);
                long[] hfRow = HfGoldens.longs(expected.get("sequences").get(row));
                long[] generated = HfGoldens.generatedPart(hfRow, 1, eos);
                assertThat(hypothesis.tokens()).as("row " + row).containsExactly(generated);
                // beam outputs are filled with `pad_token_id or eos_token_id`: T5's pad id 0 is falsy in Python
                long fill = config.padTokenId() != 0 ? config.padTokenId() : eos;
                assertThat(Arrays.stream(hfRow, 1 + generated.length, hfRow.length).allMatch(id -> id == fill)).isTrue();
                double error = Math.abs(hypothesis.score() - expected.get("sequences_scores").get(row).doubleValue());
                maxScoreError = Math.max(maxScoreError, error);
            }
            System.out.printf("%s beam4 sequences_scores max abs error: %.3g%n", name, maxScoreError);
            assertThat(maxScoreError).isLessThan(SCORE_TOLERANCE);
            assertThat(generations).allSatisfy(g -> assertThat(g.hypotheses()).hasSize(2));
        }
    }
}
