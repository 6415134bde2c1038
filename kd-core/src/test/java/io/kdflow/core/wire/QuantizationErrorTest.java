package io.kdflow.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdflow.core.wire.proto.TeacherDistribution;
import io.kdflow.core.wire.proto.TeacherDistribution.Quantization;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * How far quantized log-probs land from the exact ones, on real teacher rows (tiny BART, vocab 600) and on
 * synthetic rows shaped like a 32k-vocabulary language model, both at k = 64.
 */
class QuantizationErrorTest {

    private static final int K = 64;

    @Test
    void shouldStayWithinHalfAnFp16UlpOnRealTeacherRows() {
        for (int text = 0; text < TinyBartReference.TEXTS.length; text++) {
            assertFp16Bound(SparseDistribution.fromLogProbs(TinyBartReference.get().logProbs(text), K));
        }
    }

    @Test
    void shouldStayWithinHalfAnInt8StepOnRealTeacherRows() {
        for (int text = 0; text < TinyBartReference.TEXTS.length; text++) {
            assertInt8Bound(SparseDistribution.fromLogProbs(TinyBartReference.get().logProbs(text), K));
        }
    }

    @Test
    void shouldStayWithinTheBoundsOnLanguageModelShapedRows() {
        SparseDistribution distribution = SparseDistribution.fromLogProbs(languageModelRows(32, 32_128, 7), K);

        assertFp16Bound(distribution);
        assertInt8Bound(distribution);
    }

    /** The worst errors measured here, quoted in docs/wire.md; loose enough for any realistic row. */
    @Test
    void shouldKeepTheWorstAbsoluteErrorSmallOnRealTeacherRows() {
        double fp16 = 0;
        double int8 = 0;
        for (int text = 0; text < TinyBartReference.TEXTS.length; text++) {
            SparseDistribution exact = SparseDistribution.fromLogProbs(TinyBartReference.get().logProbs(text), K);
            fp16 = Math.max(fp16, maxAbsError(exact, Quantization.FP16));
            int8 = Math.max(int8, maxAbsError(exact, Quantization.INT8));
        }

        assertThat(fp16).isGreaterThan(0).isLessThan(0.004);
        assertThat(int8).isGreaterThan(fp16).isLessThan(0.03);
    }

    private static void assertFp16Bound(SparseDistribution exact) {
        SparseDistribution decoded = roundTrip(exact, Quantization.FP16);
        for (int p = 0; p < exact.positions(); p++) {
            for (int j = 0; j < K; j++) {
                float value = exact.logProb(p, j);
                // Round to nearest: at most half a unit in the last place (2^-11 relative; 2^-25 among subnormals).
                double bound = Math.max(Math.abs(value) * 0x1p-11, 0x1p-25);
                assertThat((double) Math.abs(decoded.logProb(p, j) - value)).as("p=%d j=%d", p, j)
                        .isLessThanOrEqualTo(bound);
            }
        }
    }

    private static void assertInt8Bound(SparseDistribution exact) {
        SparseDistribution decoded = roundTrip(exact, Quantization.INT8);
        for (int p = 0; p < exact.positions(); p++) {
            double range = exact.logProb(p, 0) - exact.logProb(p, K - 1);
            for (int j = 0; j < K; j++) {
                double error = Math.abs(decoded.logProb(p, j) - exact.logProb(p, j));
                // Half a step of the row's 255 levels, plus float rounding of the decoded value.
                assertThat(error).as("p=%d j=%d", p, j).isLessThanOrEqualTo(range / 510 + 1e-6 * (1 + range));
            }
        }
    }

    private static double maxAbsError(SparseDistribution exact, Quantization quantization) {
        SparseDistribution decoded = roundTrip(exact, quantization);
        double max = 0;
        for (int i = 0; i < exact.positions() * K; i++) {
            max = Math.max(max, Math.abs(decoded.logProbs()[i] - exact.logProbs()[i]));
        }
        return max;
    }

    private static SparseDistribution roundTrip(SparseDistribution exact, Quantization quantization) {
        TeacherDistribution wire = exact.toProto(quantization);
        return SparseDistribution.fromProto(wire);
    }

    /**
     * Log-softmax rows of a Zipf-like prior (frequent tokens have low ids) plus Gaussian noise and one
     * confident token per row, roughly what a fine-tuned teacher emits.
     */
    static float[][] languageModelRows(int positions, int vocab, long seed) {
        Random random = new Random(seed);
        float[][] rows = new float[positions][];
        for (int p = 0; p < positions; p++) {
            float[] logits = new float[vocab];
            for (int v = 0; v < vocab; v++) {
                logits[v] = (float) (-1.1 * Math.log(v + 2) + 1.5 * random.nextGaussian());
            }
            logits[random.nextInt(vocab)] += 6 + 4 * random.nextFloat();
            rows[p] = SparseDistributionTest.logSoftmax(logits);
        }
        return rows;
    }
}
