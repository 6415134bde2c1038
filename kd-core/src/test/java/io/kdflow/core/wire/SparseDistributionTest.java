package io.kdflow.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.kdflow.core.wire.proto.TeacherDistribution;
import io.kdflow.core.wire.proto.TeacherDistribution.Quantization;
import org.junit.jupiter.api.Test;

class SparseDistributionTest {

    private static final float NEG_INF = Float.NEGATIVE_INFINITY;

    @Test
    void shouldKeepTheTopKInDescendingOrderWithLowerIdsFirstOnTies() {
        float[][] rows = {logSoftmax(1f, 3f, 2f, 3f, 0f)};

        SparseDistribution distribution = SparseDistribution.fromLogProbs(rows, 3);

        assertThat(new int[] {distribution.tokenId(0, 0), distribution.tokenId(0, 1), distribution.tokenId(0, 2)})
                .containsExactly(1, 3, 2);
        assertThat(distribution.logProb(0, 0)).isEqualTo(rows[0][1]);
        assertThat(distribution.logProb(0, 2)).isEqualTo(rows[0][2]);
    }

    @Test
    void shouldPutTheRemainingMassIntoTheTail() {
        float[][] rows = {logSoftmax(4f, 1f, 0.5f, -1f, -3f), logSoftmax(0f, 0f, 0f, 0f, 0f)};

        SparseDistribution distribution = SparseDistribution.fromLogProbs(rows, 2);

        for (int p = 0; p < rows.length; p++) {
            double top = Math.exp(distribution.logProb(p, 0)) + Math.exp(distribution.logProb(p, 1));
            assertThat((double) distribution.tailLogMass(p)).isCloseTo(Math.log(1 - top), within(1e-6));
        }
        assertThat((double) distribution.tailLogMass(1)).isCloseTo(Math.log(0.6), within(1e-6));
    }

    /** The tail of a sharp row is tiny; log1p/expm1 keep it accurate where log(1 - sum) would cancel. */
    @Test
    void shouldComputeATinyTailAccurately() {
        double rest = 1e-5; // mass of the 3 tokens outside the top-1
        float[][] rows = {{(float) Math.log1p(-rest), (float) Math.log(rest / 3), (float) Math.log(rest / 3),
                (float) Math.log(rest / 3)}};

        SparseDistribution distribution = SparseDistribution.fromLogProbs(rows, 1);

        // Exact tail of the float inputs: 1 - exp(top) computed in double.
        double exactTail = Math.log(-Math.expm1(rows[0][0]));
        assertThat((double) distribution.tailLogMass(0)).isCloseTo(exactTail, within(1e-6));
        assertThat((double) distribution.tailLogMass(0)).isCloseTo(Math.log(rest), within(0.01));
    }

    @Test
    void shouldGiveAnEmptyTailWhenKCoversTheVocabulary() {
        float[][] rows = {logSoftmax(1f, 2f, 3f)};

        SparseDistribution distribution = SparseDistribution.fromLogProbs(rows, 3);

        assertThat(distribution.tailLogMass(0)).isEqualTo(NEG_INF);
    }

    @Test
    void shouldGiveAnEmptyTailWhenTheTopKHoldAllTheMassNumerically() {
        float[][] rows = {{0f, -200f, -300f}};

        SparseDistribution distribution = SparseDistribution.fromLogProbs(rows, 1);

        assertThat(distribution.tailLogMass(0)).isEqualTo(NEG_INF);
    }

    @Test
    void shouldClampRoundingAboveZeroAndMaskedTokensToTheFloor() {
        float[][] rows = {{3e-7f, NEG_INF, NEG_INF}};

        SparseDistribution distribution = SparseDistribution.fromLogProbs(rows, 3);

        assertThat(distribution.logProbs()).containsExactly(0f, SparseDistribution.LOG_PROB_FLOOR,
                SparseDistribution.LOG_PROB_FLOOR);
    }

    @Test
    void shouldRejectRowsThatAreNotLogProbs() {
        assertThatThrownBy(() -> SparseDistribution.fromLogProbs(new float[][] {{0.5f, -1f}}, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("log-prob at row 0, token 0 must be <= 0 and not NaN, got 0.5");
        assertThatThrownBy(() -> SparseDistribution.fromLogProbs(new float[][] {{-1f, Float.NaN}}, 1))
                .hasMessage("log-prob at row 0, token 1 must be <= 0 and not NaN, got NaN");
        assertThatThrownBy(() -> SparseDistribution.fromLogProbs(new float[][] {{-1f, -2f}}, 3))
                .hasMessage("k must be in [1, vocab size=2], got 3");
    }

    @Test
    void shouldSortTopKRowsAndBreakTiesByTokenId() {
        int[][] ids = {{7, 3, 5}};
        float[][] logProbs = {{-2f, -1f, -1f}};

        SparseDistribution distribution = SparseDistribution.fromTopK(10, 3, ids, logProbs, 1f);

        assertThat(distribution.tokenIds()).containsExactly(3, 5, 7);
        assertThat(distribution.logProbs()).containsExactly(-1f, -1f, -2f);
        double top = 2 * Math.exp(-1) + Math.exp(-2);
        assertThat((double) distribution.tailLogMass(0)).isCloseTo(Math.log(1 - top), within(1e-6));
    }

    @Test
    void shouldNameTheBrokenFieldWhenBuiltFromBadArrays() {
        assertThatThrownBy(() -> new SparseDistribution(1, 2, 10, new int[] {4, 4}, new float[] {-1f, -2f},
                new float[] {-3f}, 1f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SparseDistribution.token_ids: token id 4 appears twice at position 0");
        assertThatThrownBy(() -> new SparseDistribution(1, 2, 10, new int[] {4, 5}, new float[] {-2f, -1f},
                new float[] {-3f}, 1f))
                .hasMessage("SparseDistribution.log_probs: not in descending order at position 0, rank 1: -1.0 > -2.0"
                        + " at rank 0");
        assertThatThrownBy(() -> new SparseDistribution(1, 2, 10, new int[] {4, 10}, new float[] {-1f, -2f},
                new float[] {-3f}, 1f))
                .hasMessage("SparseDistribution.token_ids[1]: token id 10 is outside [0, vocab_size=10)");
        assertThatThrownBy(() -> new SparseDistribution(1, 2, 10, new int[] {4, 5}, new float[] {-1f, -2f},
                new float[] {-3f}, 0f))
                .hasMessage("SparseDistribution.temperature: must be finite and > 0 (1.0 = the unscaled"
                        + " distribution), got 0.0");
    }

    @Test
    void shouldRoundTripFp32Exactly() {
        SparseDistribution distribution = SparseDistribution.fromLogProbs(TinyBartReference.get().logProbs(0), 64);

        SparseDistribution decoded = SparseDistribution.fromProto(distribution.toProto(Quantization.FP32));

        assertThat(decoded).isEqualTo(distribution);
    }

    @Test
    void shouldKeepRowRangeAndTailsExactlyThroughInt8() {
        SparseDistribution distribution = SparseDistribution.fromLogProbs(TinyBartReference.get().logProbs(2), 16);

        SparseDistribution decoded = SparseDistribution.fromProto(distribution.toProto(Quantization.INT8));

        for (int p = 0; p < distribution.positions(); p++) {
            assertThat(decoded.logProb(p, 0)).isEqualTo(distribution.logProb(p, 0));
            assertThat(decoded.logProb(p, 15)).isEqualTo(distribution.logProb(p, 15));
            assertThat(decoded.tailLogMass(p)).isEqualTo(distribution.tailLogMass(p));
        }
        assertThat(decoded.tokenIds()).isEqualTo(distribution.tokenIds());
    }

    @Test
    void shouldDecodeAConstantInt8RowExactly() {
        SparseDistribution uniform = SparseDistribution.fromLogProbs(new float[][] {logSoftmax(0f, 0f, 0f, 0f)}, 4);

        TeacherDistribution wire = uniform.toProto(Quantization.INT8);

        assertThat(wire.getRowMin(0)).isEqualTo(wire.getRowMax(0));
        assertThat(SparseDistribution.fromProto(wire)).isEqualTo(uniform);
    }

    @Test
    void shouldSaturateLogProbsBeyondTheFp16RangeInsteadOfOverflowing() {
        SparseDistribution wide = new SparseDistribution(1, 2, 2, new int[] {0, 1}, new float[] {0f, -1e6f},
                new float[] {NEG_INF}, 1f);

        SparseDistribution decoded = SparseDistribution.fromProto(wide.toProto(Quantization.FP16));

        assertThat(decoded.logProb(0, 1)).isEqualTo(-Fp16.MAX_VALUE);
    }

    @Test
    void shouldRefuseToEncodeWithoutAQuantization() {
        SparseDistribution distribution = SparseDistribution.fromLogProbs(new float[][] {logSoftmax(0f, 1f)}, 1);

        assertThatThrownBy(() -> distribution.toProto(Quantization.QUANTIZATION_UNSPECIFIED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("quantization must be FP32, FP16 or INT8, got QUANTIZATION_UNSPECIFIED");
    }

    @Test
    void shouldRejectABrokenWireDistributionWithItsFieldPath() {
        TeacherDistribution wire = SparseDistribution.fromLogProbs(TinyBartReference.get().logProbs(0), 8)
                .toProto(Quantization.FP16).toBuilder().setK(601).build();

        assertThatThrownBy(() -> SparseDistribution.fromProto(wire))
                .isInstanceOf(WireFormatException.class)
                .hasMessage("TeacherDistribution.k: k=601 exceeds vocab_size=600");
    }

    static float[] logSoftmax(float... logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double sum = 0;
        for (float logit : logits) {
            sum += Math.exp(logit - max);
        }
        float[] result = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            result[i] = (float) (logits[i] - max - Math.log(sum));
        }
        return result;
    }
}
