package io.kdflow.core.decoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.kdflow.core.error.BadInputException;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.testing.ReferenceTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Teacher-forced scores equal transformers' loss and logits of reference.safetensors. */
class TeacherForcedScorerTest {

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {HfTiny.BART, HfTiny.T5})
    void shouldReproduceTheReferenceLossAndTokenLogProbs(String name) throws IOException {
        Path dir = HfTiny.copyModel(name, temp);
        try (NDManager manager = NDManager.newBaseManager();
                PretrainedModel model = PretrainedModels.load(dir, manager)) {
            Map<String, NDArray> ref = ReferenceTensors.load(dir.resolve("reference.safetensors"), manager);
            List<GenerationInput> sources = HfGoldens.sources(dir, manager);
            long[][] labels = rows(ref.get("labels"));
            List<ScoringPair> trimmed = new ArrayList<>();
            List<ScoringPair> padded = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int length = (int) Arrays.stream(labels[i]).filter(id -> id != -100).count();
                trimmed.add(new ScoringPair(sources.get(i).tokenIds(), Arrays.copyOf(labels[i], length)));
                padded.add(new ScoringPair(sources.get(i).tokenIds(), labels[i]));
            }
            TeacherForcedScorer scorer = new TeacherForcedScorer(model, GenerationConfig.readOrDefault(dir, model.config()));

            List<TargetScore> scores = scorer.score(trimmed, 3);

            double total = 0;
            int tokens = 0;
            for (TargetScore score : scores) {
                total += score.nll() * score.tokens();
                tokens += score.tokens();
            }
            double loss = ref.get("loss").toFloatArray()[0];
            System.out.printf("%s token-weighted NLL %.9f vs reference loss %.9f%n", name, total / tokens, loss);
            assertThat(total / tokens).isCloseTo(loss, Offset.offset(1e-6));

            float[][][] logProbs = logSoftmax(ref.get("logits"));
            for (int i = 0; i < 3; i++) {
                TargetScore score = scores.get(i);
                for (int t = 0; t < score.tokenLogProbs().length; t++) {
                    assertThat(score.tokenLogProbs()[t]).isCloseTo(logProbs[i][t][(int) labels[i][t]], Offset.offset(1e-4f));
                    int best = argMax(logProbs[i][t]);
                    assertThat(score.topK().tokenIds()[t][0]).isEqualTo(best);
                    assertThat(score.topK().logProbs()[t][0]).isCloseTo(logProbs[i][t][best], Offset.offset(1e-4f));
                }
            }

            List<TargetScore> withIgnored = scorer.score(padded, 0);
            for (int i = 0; i < 3; i++) {
                assertThat(withIgnored.get(i).nll()).isCloseTo(scores.get(i).nll(), Offset.offset(1e-6));
                assertThat(withIgnored.get(i).tokens()).isEqualTo(scores.get(i).tokens());
                assertThat(withIgnored.get(i).topK()).isNull();
            }
        }
    }

    @Test
    void shouldScoreDecoderOnlyContinuationsOfPromptsOfDifferentLengths() throws IOException {
        Path dir = HfTiny.copyModel(HfTiny.GPT2, temp);
        try (NDManager manager = NDManager.newBaseManager();
                PretrainedModel model = PretrainedModels.load(dir, manager)) {
            Map<String, NDArray> ref = ReferenceTensors.load(dir.resolve("reference.safetensors"), manager);
            List<ScoringPair> pairs = new ArrayList<>();
            for (int i = 0; i < 3; i++) { // the first prompt token is the prompt, the rest the target
                long[] ids = ref.get("input_ids_" + i).toLongArray();
                pairs.add(new ScoringPair(Arrays.copyOf(ids, 1), Arrays.copyOfRange(ids, 1, ids.length)));
            }

            List<TargetScore> scores = new TeacherForcedScorer(model, GenerationConfig.readOrDefault(dir, model.config()))
                    .score(pairs, 2);

            for (int i = 0; i < 3; i++) {
                float[][] logProbs = logSoftmax(ref.get("logits_" + i).expandDims(0))[0];
                long[] target = pairs.get(i).targetIds();
                for (int t = 0; t < target.length; t++) {
                    assertThat(scores.get(i).tokenLogProbs()[t]).isCloseTo(logProbs[t][(int) target[t]], Offset.offset(1e-4f));
                    assertThat(scores.get(i).topK().tokenIds()[t][0]).isEqualTo(argMax(logProbs[t]));
                }
            }
        }
    }

    @Test
    void shouldRejectEmptyTargets() throws IOException {
        Path dir = HfTiny.copyModel(HfTiny.BART, temp);
        try (NDManager manager = NDManager.newBaseManager();
                PretrainedModel model = PretrainedModels.load(dir, manager)) {
            TeacherForcedScorer scorer = new TeacherForcedScorer(model, GenerationConfig.readOrDefault(dir, model.config()));
            List<ScoringPair> pairs = List.of(new ScoringPair(new long[] {0, 5, 2}, new long[] {5, 2}),
                    new ScoringPair(new long[] {0, 5, 2}, new long[0]));
            assertThatThrownBy(() -> scorer.score(pairs, 0)).isInstanceOf(BadInputException.class)
                    .hasMessage("pair 1 has an empty target");
        }
    }

    private static long[][] rows(NDArray matrix) {
        int rows = (int) matrix.getShape().get(0);
        int width = (int) matrix.getShape().get(1);
        long[] flat = matrix.toLongArray();
        long[][] result = new long[rows][];
        for (int r = 0; r < rows; r++) {
            result[r] = Arrays.copyOfRange(flat, r * width, (r + 1) * width);
        }
        return result;
    }

    /** (B, T, V) logits to log-probs in double precision. */
    private static float[][][] logSoftmax(NDArray logits) {
        int b = (int) logits.getShape().get(0);
        int t = (int) logits.getShape().get(1);
        int v = (int) logits.getShape().get(2);
        float[] flat = logits.toFloatArray();
        float[][][] result = new float[b][t][v];
        for (int i = 0; i < b * t; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < v; j++) {
                max = Math.max(max, flat[i * v + j]);
            }
            double sum = 0;
            for (int j = 0; j < v; j++) {
                sum += Math.exp(flat[i * v + j] - max);
            }
            for (int j = 0; j < v; j++) {
                result[i / t][i % t][j] = (float) (flat[i * v + j] - max - Math.log(sum));
            }
        }
        return result;
    }

    private static int argMax(float[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (row[i] > row[best]) {
                best = i;
            }
        }
        return best;
    }
}
