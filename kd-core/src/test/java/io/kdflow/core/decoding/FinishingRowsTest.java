package io.kdflow.core.decoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.eval.EvalDatasetReader;
import io.kdflow.core.eval.EvalExample;
import io.kdflow.core.model.ModelDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Rows that end at different steps, on a real trained model (the shipped Shakespeare teacher on dev sources):
 * finished rows stay in the batch until they are a quarter of it, and that must change nothing. Each input's
 * greedy output and its K samples (ids, log-probs and top-k rows) are the same in the batch as alone.
 */
class FinishingRowsTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path TEACHER = ROOT.resolve("models/shakespeare-teacher");
    private static final int INPUTS = 12;

    @Test
    void shouldGiveEachInputTheSameGreedyOutputInABatchOfRowsThatEndAtDifferentSteps() {
        GenerationSettings greedy = GenerationSettings.greedy(40).toBuilder().logProbTopK(8).build();
        try (NDManager manager = NDManager.newBaseManager();
                ModelDirectory teacher = ModelDirectory.load(TEACHER, manager)) {
            List<GenerationInput> inputs = devInputs(teacher);
            Generator generator = new Generator(teacher.model(), teacher.generationConfig());

            List<Hypothesis> together = firsts(generator.generate(inputs, greedy));

            assertThat(together.stream().map(Hypothesis::length).collect(Collectors.toSet()))
                    .as("the batch must have rows that end at several different steps").hasSizeGreaterThan(3);
            for (int i = 0; i < INPUTS; i++) {
                Hypothesis alone = firsts(generator.generate(List.of(inputs.get(i)), greedy)).get(0);
                assertSameHypothesis(together.get(i), alone, "input " + i);
            }
        }
    }

    @Test
    void shouldDrawTheSameSamplesInABatchAsAlone() {
        GenerationSettings sampling = GenerationSettings.greedy(40).toBuilder().doSample(true).topK(50).topP(0.95)
                .numSamples(4).seed(7L).logProbTopK(8).build();
        try (NDManager manager = NDManager.newBaseManager();
                ModelDirectory teacher = ModelDirectory.load(TEACHER, manager)) {
            List<GenerationInput> inputs = devInputs(teacher);
            Generator generator = new Generator(teacher.model(), teacher.generationConfig());

            List<Generation> together = generator.generate(inputs, sampling);

            for (int i = 0; i < INPUTS; i += 3) {
                List<Hypothesis> alone = generator.generate(List.of(inputs.get(i)), sampling).get(0).hypotheses();
                for (int s = 0; s < 4; s++) {
                    assertSameHypothesis(together.get(i).hypotheses().get(s), alone.get(s), "input " + i + " sample " + s);
                }
            }
        }
    }

    private static void assertSameHypothesis(Hypothesis batched, Hypothesis alone, String what) {
        assertThat(batched.tokens()).as(what + " tokens").isEqualTo(alone.tokens());
        assertThat(batched.finished()).as(what + " finished").isEqualTo(alone.finished());
        for (int t = 0; t < alone.length(); t++) {
            assertThat(batched.tokenLogProbs()[t]).as(what + " log-prob " + t).isCloseTo(alone.tokenLogProbs()[t], within(1e-4f));
            assertThat(batched.topK().tokenIds()[t]).as(what + " top-k ids " + t).isEqualTo(alone.topK().tokenIds()[t]);
        }
    }

    private static List<GenerationInput> devInputs(ModelDirectory teacher) {
        List<GenerationInput> inputs = new ArrayList<>();
        for (EvalExample example : EvalDatasetReader.read(ROOT.resolve("data/shakespeare/dev.jsonl"), INPUTS)) {
            inputs.add(GenerationInput.of(teacher.textEncoding().source(example.source()), example.id()));
        }
        return inputs;
    }

    private static List<Hypothesis> firsts(List<Generation> generations) {
        return generations.stream().map(g -> g.hypotheses().get(0)).toList();
    }
}
