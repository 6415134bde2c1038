package io.kdflow.core.decoding;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.kdflow.core.model.CausalLm;
import io.kdflow.core.model.PretrainedModel;
import io.kdflow.core.model.PretrainedModels;
import io.kdflow.core.model.Seq2SeqModel;
import io.kdflow.core.model.config.GenerationConfig;
import io.kdflow.core.model.nn.RunMode;
import io.kdflow.core.testing.HfTiny;
import io.kdflow.core.wire.SparseDistribution;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The top-k log-probs every decode returns equal a full log-softmax of the teacher-forced logits of
 * the sequence it produced, position by position (greedy, beam search and hot sampling, whose
 * temperature must not leak into them).
 */
class TopKLogProbsTest {

    private static final int K = 5;
    private static final float TOLERANCE = 1e-4f;

    @TempDir
    Path temp;

    @ParameterizedTest
    @CsvSource({"bart-tiny, greedy", "bart-tiny, beam", "bart-tiny, sample", "t5-tiny, greedy", "t5-tiny, beam",
        "t5-tiny, sample", "gpt2-tiny, greedy", "gpt2-tiny, beam", "gpt2-tiny, sample"})
    void shouldMatchTheTeacherForcedDistributionOfTheProducedSequence(String name, String mode) throws IOException {
        Path dir = HfTiny.copyModel(name, temp);
        try (NDManager manager = NDManager.newBaseManager();
                PretrainedModel model = PretrainedModels.load(dir, manager)) {
            GenerationConfig config = GenerationConfig.readOrDefault(dir, model.config());
            List<GenerationInput> inputs = model instanceof CausalLm
                    ? HfGoldens.prompts(dir, manager) : HfGoldens.sources(dir, manager);
            GenerationSettings settings = settings(mode);

            List<Generation> generations = new Generator(model, config).generate(inputs, settings);

            double maxError = 0;
            for (int i = 0; i < inputs.size(); i++) {
                for (Hypothesis hypothesis : generations.get(i).hypotheses()) {
                    float[][] full = teacherForced(model, config, inputs.get(i), hypothesis.tokens(), manager);
                    maxError = Math.max(maxError, compare(hypothesis, full));
                }
            }
            System.out.printf("%s %s: top-%d log-probs vs teacher-forced log-softmax, max abs error %.3g%n",
                    name, mode, K, maxError);
            assertThat(maxError).isLessThan(TOLERANCE);
        }
    }

    private static GenerationSettings settings(String mode) {
        GenerationSettings greedy = GenerationSettings.greedy(14).toBuilder().logProbTopK(K).build();
        return switch (mode) {
            case "greedy" -> greedy;
            case "beam" -> greedy.toBuilder().numBeams(4).numReturnSequences(3).build();
            case "sample" -> greedy.toBuilder().doSample(true).temperature(3.0).topK(20).numSamples(2).seed(1).build();
            default -> throw new IllegalArgumentException(mode);
        };
    }

    /** Checks ids, log-probs, tails and token log-probs; returns the largest difference. */
    private static double compare(Hypothesis hypothesis, float[][] full) {
        TopKLogProbs top = hypothesis.topK();
        assertThat(top.positions()).isEqualTo(hypothesis.length());
        double maxError = 0;
        for (int t = 0; t < hypothesis.length(); t++) {
            int[] expectedIds = SortedRow.topIds(full[t], K);
            assertThat(top.tokenIds()[t]).as("position " + t).containsExactly(expectedIds);
            for (int r = 0; r < K; r++) {
                maxError = Math.max(maxError, Math.abs(top.logProbs()[t][r] - full[t][expectedIds[r]]));
            }
            // the tail is log(1 - top-k mass), as the wire computes it: compared as a probability, since
            // in log space a tail of e^-7 magnifies float32 rounding of the top-k 1000-fold
            double tailMass = 0;
            for (int v = 0; v < full[t].length; v++) {
                final int token = v;
                if (java.util.Arrays.stream(expectedIds).noneMatch(id -> id == token)) {
                    tailMass += Math.exp(full[t][v]);
                }
            }
            assertThat(Math.exp(top.tailLogMass()[t])).isCloseTo(tailMass, Offset.offset(1e-5));
            float tokenLogProb = full[t][(int) hypothesis.tokens()[t]];
            maxError = Math.max(maxError, Math.abs(hypothesis.tokenLogProbs()[t] - tokenLogProb));
        }
        SparseDistribution wire = top.toSparseDistribution();
        assertThat(wire.positions()).isEqualTo(hypothesis.length());
        assertThat(wire.k()).isEqualTo(K);
        return maxError;
    }

    /** log_softmax of the logits that predict each generated token, from one full (uncached) pass. */
    private static float[][] teacherForced(PretrainedModel model, GenerationConfig config, GenerationInput input,
            long[] generated, NDManager manager) {
        try (NDManager pass = manager.newSubManager()) {
            long[] source = input.tokenIds();
            NDArray logProbs;
            if (model instanceof Seq2SeqModel seq2seq) {
                long[] decoderInput = new long[generated.length];
                decoderInput[0] = config.decoderStartTokenId();
                System.arraycopy(generated, 0, decoderInput, 1, generated.length - 1);
                NDArray ids = pass.create(source, new Shape(1, source.length));
                logProbs = seq2seq.logits(ids, ids.onesLike(), pass.create(decoderInput, new Shape(1, generated.length)),
                        RunMode.INFERENCE).logSoftmax(2).squeeze(0);
            } else {
                long[] sequence = new long[source.length + generated.length - 1];
                System.arraycopy(source, 0, sequence, 0, source.length);
                System.arraycopy(generated, 0, sequence, source.length, generated.length - 1);
                NDArray ids = pass.create(sequence, new Shape(1, sequence.length));
                logProbs = ((CausalLm) model).logits(ids, null, RunMode.INFERENCE).logSoftmax(2).squeeze(0)
                        .get("{}:", source.length - 1);
            }
            int vocab = (int) logProbs.getShape().get(1);
            float[] flat = logProbs.toFloatArray();
            float[][] rows = new float[generated.length][vocab];
            for (int t = 0; t < generated.length; t++) {
                System.arraycopy(flat, t * vocab, rows[t], 0, vocab);
            }
            return rows;
        }
    }

    /** Top-k ids of a row by a plain sort, ties to the lower id. */
    private static final class SortedRow {
        static int[] topIds(float[] row, int k) {
            return java.util.stream.IntStream.range(0, row.length).boxed()
                    .sorted((a, b) -> row[a] != row[b] ? Float.compare(row[b], row[a]) : Integer.compare(a, b))
                    .limit(k).mapToInt(Integer::intValue).toArray();
        }
    }
}
