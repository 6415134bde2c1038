package io.kdflow.core.decoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.testing.HfTiny;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Generator#sample} from a first sample index returns the samples a larger call has at those indices. */
class SampleIndexTest {

    @TempDir
    Path temp;

    @Test
    void shouldDrawTheSamplesOfTheGivenIndices() throws IOException {
        Path dir = HfTiny.copyModel(HfTiny.BART, temp);
        try (NDManager manager = NDManager.newBaseManager();
                PretrainedModel model = PretrainedModels.load(dir, manager)) {
            Generator generator = new Generator(model, GenerationConfig.readOrDefault(dir, model.config()));
            List<GenerationInput> inputs = HfGoldens.sources(dir, manager);
            GenerationSettings hot = GenerationSettings.greedy(12).toBuilder().doSample(true).temperature(2.5)
                    .topK(0).topP(0.99).seed(9L).build();

            List<Generation> all = generator.generate(inputs, hot.toBuilder().numSamples(4).build());
            List<Generation> lastTwo = generator.sample(inputs, hot.toBuilder().numSamples(2).build(), 2);
            List<Generation> third = generator.sample(inputs, hot, 2);

            for (int i = 0; i < inputs.size(); i++) {
                assertThat(lastTwo.get(i).hypotheses().get(0).tokens()).containsExactly(all.get(i).hypotheses().get(2).tokens());
                assertThat(lastTwo.get(i).hypotheses().get(1).tokens()).containsExactly(all.get(i).hypotheses().get(3).tokens());
                assertThat(third.get(i).best().tokens()).containsExactly(all.get(i).hypotheses().get(2).tokens());
            }
            assertThat(all.get(0).hypotheses().get(2).tokens()).as("a different sample than index 0")
                    .isNotEqualTo(all.get(0).hypotheses().get(0).tokens());
            assertThatThrownBy(() -> generator.sample(inputs, GenerationSettings.greedy(4), 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("a first sample index needs sampling settings, got GREEDY");
        }
    }
}
